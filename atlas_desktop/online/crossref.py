"""Crossref REST answers (``/works/{doi}`` and ``/works?filter=doi:…``) and doi.org's
CSL-JSON (content negotiation, for DOIs of DataCite and the others) read into source records.

Notices from Crossref, in both directions:
- ``updated-by`` lists notices *of this work* (it is retracted, corrected...);
- ``update-to`` says this work *is* a notice of another, and is kept as ``notice_of``.
Deposits are sometimes reciprocal (the paper says it updates its own retraction notice).
Where Retraction Watch's entry gives the direction of a pair, it wins over the publisher's
for that pair; a work that names itself in both is a notice of itself (a self-deposited
partial retraction), and keeps it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, Final

import orjson

from atlas_desktop.domain.completion import Notice, NoticeKind, Source, SourceRecord

from .markup import normalise_space, text_markup

_KINDS: Final = {
    "retraction": NoticeKind.RETRACTION, "partial_retraction": NoticeKind.RETRACTION,
    "withdrawal": NoticeKind.RETRACTION, "removal": NoticeKind.RETRACTION,
    "correction": NoticeKind.CORRECTION, "erratum": NoticeKind.CORRECTION,
    "corrigendum": NoticeKind.CORRECTION, "addendum": NoticeKind.CORRECTION,
    "clarification": NoticeKind.CORRECTION,
    "expression_of_concern": NoticeKind.CONCERN,
    "new_version": NoticeKind.UPDATE, "new_edition": NoticeKind.UPDATE,
}
_TYPES: Final = {
    "journal-article": "article-journal", "book-chapter": "chapter", "book-part": "chapter",
    "book-section": "chapter", "proceedings-article": "paper-conference",
    "posted-content": "article", "book": "book", "edited-book": "book", "monograph": "book",
    "reference-book": "book", "dataset": "dataset", "report": "report",
    "dissertation": "thesis", "reference-entry": "entry", "standard": "standard",
    "peer-review": "review", "journal-issue": "periodical", "journal": "periodical",
}
RETRACTION_WATCH: Final = "retraction-watch"


class CrossrefFormatError(ValueError):
    """The answer is not a Crossref work; ``str`` says why, for the user."""


def parse_work_answer(data: bytes, doi: str) -> SourceRecord:
    """``/works/{doi}``: the envelope ``{"status": "ok", "message": {...}}``."""
    message = _envelope(data, "work")
    return work_record(message, doi)


def parse_work_list(data: bytes) -> list[Mapping[str, Any]]:
    """``/works?filter=doi:…``: the works found (each still to be read by work_record)."""
    message = _envelope(data, "work-list")
    items = message.get("items")
    if not isinstance(items, list):
        raise CrossrefFormatError("Crossref's list has no items.")
    return [item for item in items if isinstance(item, Mapping)]


def _envelope(data: bytes, kind: str) -> Mapping[str, Any]:
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise CrossrefFormatError("Crossref's answer is not complete JSON.") from None
    if not isinstance(parsed, Mapping) or not isinstance(parsed.get("message"), Mapping):
        raise CrossrefFormatError("Crossref's answer has no message.")
    if parsed.get("message-type") not in (None, kind):
        raise CrossrefFormatError(f"Crossref answered with a {str(parsed['message-type'])[:40]} "
                                  f"instead of a {kind}.")
    message: Mapping[str, Any] = parsed["message"]
    return message


def work_record(work: Mapping[str, Any], doi: str) -> SourceRecord:
    """One Crossref work as a source record (``doi`` is the identifier asked for)."""
    fields: dict[str, Any] = {"DOI": _str(work.get("DOI")) or doi}
    fields["type"] = _TYPES.get(str(work.get("type") or ""), "article-journal")
    title = _first(work.get("title"))
    if title:
        subtitle = _first(work.get("subtitle"))
        fields["title"] = text_markup(title + (f": {subtitle}" if subtitle and
                                               subtitle not in title else ""))
    fields["author"] = [n for n in (_name(a) for a in _list(work.get("author"))) if n]
    fields["editor"] = [n for n in (_name(a) for a in _list(work.get("editor"))) if n]
    # Journal names are deposited with HTML entities now and then ("Work, Environment &amp;
    # Health").
    fields["container-title"] = _unescaped(_first(work.get("container-title")))
    fields["container-title-short"] = _unescaped(_first(work.get("short-container-title")))
    fields["ISSN"] = [str(i) for i in _list(work.get("ISSN")) if isinstance(i, str)]
    fields["volume"] = _str(work.get("volume"))
    fields["issue"] = _str(work.get("issue"))
    fields["page"] = _str(work.get("page")) or _str(work.get("article-number"))
    fields["publisher"] = _str(work.get("publisher"))
    for key in ("published-print", "issued", "published-online", "published"):
        date = _date(work.get(key))
        if date is not None:
            fields["issued"] = date
            break
    kind = _str(work.get("type"))
    fields["publication_types"] = [kind] if kind else []
    notices, notice_of = _updates(work, fields["DOI"])
    return SourceRecord(Source.CROSSREF, doi, _clean(fields), notices, notice_of)


def csl_record(data: bytes, doi: str) -> SourceRecord:
    """doi.org content negotiation (``application/vnd.citationstyles.csl+json``): one CSL
    item, as DataCite, Crossref and the other agencies serve it."""
    try:
        item = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise CrossrefFormatError("doi.org's answer is not complete JSON.") from None
    if isinstance(item, list) and len(item) == 1:
        item = item[0]
    if not isinstance(item, Mapping) or not isinstance(item.get("type"), str):
        raise CrossrefFormatError("doi.org's answer is not a CSL item.")
    fields: dict[str, Any] = {"DOI": _str(item.get("DOI")) or doi, "type": item["type"]}
    title = item.get("title")
    if isinstance(title, str) and title.strip():
        fields["title"] = text_markup(title)
    fields["author"] = [n for n in (_name(a) for a in _list(item.get("author"))) if n]
    for key in ("container-title", "container-title-short", "volume", "issue", "page",
                "publisher", "PMID", "PMCID"):
        fields[key] = _str(item.get(key))
    fields["container-title-short"] = fields["container-title-short"] or _str(
        item.get("journalAbbreviation"))
    issn = item.get("ISSN")
    fields["ISSN"] = [issn] if isinstance(issn, str) else [
        i for i in _list(issn) if isinstance(i, str)]
    fields["issued"] = _date(item.get("issued"))
    fields["publication_types"] = [item["type"]]
    return SourceRecord(Source.DOI, doi, _clean(fields))


def _updates(work: Mapping[str, Any], own_doi: str) -> tuple[tuple[Notice, ...],
                                                            tuple[Notice, ...]]:
    own = own_doi.lower()
    updated_by = [u for u in _list(work.get("updated-by")) if isinstance(u, Mapping)]
    update_to = [u for u in _list(work.get("update-to")) if isinstance(u, Mapping)]
    # Pairs whose direction Retraction Watch states.
    watch_notice_of = {_doi(u) for u in update_to if u.get("source") == RETRACTION_WATCH}
    watch_updated_by = {_doi(u) for u in updated_by if u.get("source") == RETRACTION_WATCH}
    notices = [
        _notice(u) for u in updated_by
        if _doi(u) == own or _doi(u) not in watch_notice_of]
    notice_of = [
        _notice(u) for u in update_to
        if _doi(u) != own and _doi(u) not in watch_updated_by]
    return (tuple(n for n in notices if n is not None),
            tuple(n for n in notice_of if n is not None))


def _notice(update: Mapping[str, Any]) -> Notice | None:
    kind_name = str(update.get("type") or "").lower()
    kind = _KINDS.get(kind_name)
    if kind is None:
        return None  # reinstatement and the like: not a warning about the paper
    source = RETRACTION_WATCH if update.get("source") == RETRACTION_WATCH else \
        Source.CROSSREF.value
    return Notice(kind, source, _date_text(update.get("updated")), _doi(update) or None,
                  None, kind_name)


def _doi(update: Mapping[str, Any]) -> str:
    return str(update.get("DOI") or "").strip().lower()


def _name(raw: Any) -> dict[str, str] | None:
    if not isinstance(raw, Mapping):
        return None
    family = _str(raw.get("family"))
    if family:
        name = {"family": family}
        given = _str(raw.get("given"))
        if given:
            name["given"] = given
        for key in ("suffix", "non-dropping-particle", "dropping-particle"):
            value = _str(raw.get(key))
            if value:
                name[key] = value
        return name
    literal = _str(raw.get("name")) or _str(raw.get("literal"))
    return {"literal": literal} if literal else None


def _date(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, Mapping):
        return None
    parts = raw.get("date-parts")
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        return None
    clean: list[int] = []
    for value in parts[0][:3]:
        try:
            clean.append(int(value))
        except (TypeError, ValueError):
            break
    if not clean or not 1000 <= clean[0] <= 2999:
        return None
    return {"date-parts": [clean]}


def _date_text(raw: Any) -> str | None:
    date = _date(raw)
    if date is None:
        return None
    parts = date["date-parts"][0]
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return _str(value)


def _unescaped(value: str | None) -> str | None:
    return html.unescape(value) if value and "&" in value else value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return None
    return normalise_space(value) or None


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, "", [], {})}

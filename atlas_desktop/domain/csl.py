"""An entry as a CSL-JSON item: the input of citation styles and of CSL-JSON export.

Rules that matter for correct citations (each is pinned by a test against the real engine):
- Titles copied from PubMed end with a period ("… fatigue syndrome."); styles add their own,
  so one trailing period is dropped (question and exclamation marks, and an ellipsis, stay).
- Family names are passed whole ("van der Vaart"); citeproc-js separates the particle itself,
  as it does for Zotero, so "van der Vaart, R." (APA) and "Vaart, Rosalie van der" (Chicago)
  come out as they do there. Corporate authors ("ME Association") are literal names.
- For atlas entries, ``entry.url`` is the atlas's page, not the paper's, so it is not the
  item's URL; it belongs to the snapshot reference only. The user's own references keep
  their URL.
- Extra fields (volume, issue, pages, ...) are copied only when their shape is what CSL-JSON
  expects, so one odd value in a user's reference cannot break the engine for the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Any, Final

from .entry import Entry, Origin

#: Extra fields of an entry copied into CSL-JSON as text (user references carry them).
_TEXT_FIELDS: Final = frozenset(
    {
        "volume",
        "issue",
        "page",
        "number",
        "edition",
        "publisher",
        "publisher-place",
        "collection-title",
        "collection-number",
        "container-title-short",
        "title-short",
        "ISSN",
        "ISBN",
        "PMCID",
        "language",
        "abstract",
        "note",
        "genre",
        "medium",
        "event",
        "event-title",
        "event-place",
        "archive",
        "source",
        "status",
        "version",
        "chapter-number",
        "number-of-pages",
        "number-of-volumes",
    }
)
_NAME_FIELDS: Final = frozenset(
    {"editor", "translator", "container-author", "collection-editor", "director"}
)
_DATE_FIELDS: Final = frozenset({"accessed", "issued", "original-date", "event-date"})
_ALIASES: Final = {
    "pages": "page",
    "journal_issue": "issue",
    "issn": "ISSN",
    "isbn": "ISBN",
    "pmcid": "PMCID",
    "journal_abbreviation": "container-title-short",
}

#: The item types of CSL 1.0.2; anything else falls back to a journal article.
CSL_TYPES: Final = frozenset(
    (
        "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
        "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
        "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
        "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
        "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
        "personal_communication", "post", "post-weblog", "regulation", "report", "review",
        "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage"
    )
)


def clean_title(title: str | None) -> str | None:
    """The title with spaces collapsed and one trailing period dropped (styles add their own)."""
    if not title:
        return None
    text = re.sub(r"\s+", " ", title).strip()
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1].rstrip()
    return text or None


def entry_to_csl(entry: Entry) -> dict[str, Any]:
    """The CSL-JSON item for ``entry`` (id = entry id)."""
    extra = dict(entry.extra)
    csl_type = extra.get("csl_type") or extra.get("type")
    item: dict[str, Any] = {
        "id": entry.id,
        "type": csl_type if isinstance(csl_type, str) and csl_type in CSL_TYPES
        else "article-journal",
    }
    title = clean_title(entry.title)
    if title:
        item["title"] = title
    authors = [_csl_name(a.family, a.given) for a in entry.authors if a.family.strip()]
    if authors:
        item["author"] = authors
    if entry.journal:
        item["container-title"] = entry.journal
    if entry.year is not None:
        item["issued"] = {"date-parts": [[entry.year]]}
    if entry.doi:
        item["DOI"] = entry.doi
    if entry.pmid:
        item["PMID"] = entry.pmid
    if entry.origin is Origin.MINE and entry.url:
        item["URL"] = entry.url
    for key, value in extra.items():
        target = _ALIASES.get(key, key)
        if target in item and target != "issued":
            continue
        cleaned = _clean_extra(target, value)
        if cleaned is not None:
            item[target] = cleaned
    return item


def _csl_name(family: str, given: str | None) -> dict[str, str]:
    family = family.strip()
    if given and given.strip():
        return {"family": family, "given": given.strip()}
    if " " in family and _looks_corporate(family):
        return {"literal": family}
    return {"family": family}


def _clean_extra(key: str, value: Any) -> Any:
    """``value`` in the shape CSL-JSON wants for ``key``, or None to leave it out."""
    if value in (None, "", [], {}):
        return None
    if key in _TEXT_FIELDS:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return str(value)
        return value.strip() or None if isinstance(value, str) else None
    if key in _NAME_FIELDS:
        if not isinstance(value, list):
            return None
        names = [
            {k: v for k, v in n.items() if isinstance(v, str) and v.strip()}
            for n in value
            if isinstance(n, Mapping)
        ]
        names = [n for n in names if n.get("family") or n.get("literal")]
        return names or None
    if key in _DATE_FIELDS:
        return _clean_date(value)
    return None


def _clean_date(value: Any) -> dict[str, Any] | None:
    """A CSL date object whose date-parts are lists of 1-3 integers (one or two of them)."""
    if not isinstance(value, Mapping):
        return None
    out: dict[str, Any] = {}
    parts = value.get("date-parts")
    if isinstance(parts, list) and 1 <= len(parts) <= 2:
        cleaned = []
        for part in parts:
            if not isinstance(part, list) or not 1 <= len(part) <= 3:
                break
            try:
                cleaned.append([int(p) for p in part])
            except (TypeError, ValueError):
                break
        else:
            out["date-parts"] = cleaned
    for key in ("raw", "literal", "season"):
        item = value.get(key)
        if isinstance(item, int) and not isinstance(item, bool) and key == "season":
            out[key] = item  # CSL allows a number or a string: keep what the source had
        elif isinstance(item, str | int) and str(item).strip():
            out[key] = str(item).strip()
    if isinstance(value.get("circa"), bool | int | str):
        out["circa"] = value["circa"]
    return out if ("date-parts" in out or "raw" in out or "literal" in out) else None


_CORPORATE_WORDS: Final = frozenset(
    (
        "group", "society", "association", "organization", "organisation", "institute",
        "committee", "council", "collaboration", "consortium", "network", "foundation",
        "agency", "department", "ministry", "centre", "center", "board", "team", "alliance"
    )
)


def _looks_corporate(name: str) -> bool:
    """``ME Association`` or ``CFS/ME Research Collaborative``: print as written."""
    return any(word.lower().strip(",.") in _CORPORATE_WORDS for word in name.split())


def is_citable(entry: Entry) -> bool:
    """An entry with no title, no authors and no journal has nothing a citation could name
    (a style would print only "(n.d.)"), so it is refused with a reason instead."""
    return bool(entry.title or any(a.family.strip() for a in entry.authors) or entry.journal)


class Gap(StrEnum):
    """Gaps in an entry's data that show in its citation (the citation is still produced)."""

    AUTHORS_TRUNCATED = "authors_truncated"
    NO_LOCATOR = "no_locator"
    NO_TITLE = "no_title"
    NO_YEAR = "no_year"
    WITHDRAWN = "withdrawn"


_GAP_SENTENCES: Final = {
    Gap.AUTHORS_TRUNCATED: "the atlas lists only the first authors, so the citation names only "
    "them; check the full author list before publishing",
    Gap.NO_LOCATOR: "no volume or pages are recorded, so some styles print the paper as a "
    "preprint or as published online; add them from the journal if you have them",
    Gap.NO_TITLE: "no title is recorded, so the citation has none",
    Gap.NO_YEAR: "no year is recorded, so the citation says “n.d.” (no date)",
    Gap.WITHDRAWN: "the atlas has withdrawn this entry",
}


def citation_gaps(entry: Entry, *, formatted: bool = True) -> list[Gap]:
    """What a reader should check before publishing a citation of ``entry``.

    ``formatted=False`` (BibTeX, RIS, CSL-JSON) leaves out what only matters to a style.
    """
    out: list[Gap] = []
    if entry.authors_truncated:
        out.append(Gap.AUTHORS_TRUNCATED)
    extra = entry.extra
    has_locator = any(extra.get(k) not in (None, "") for k in ("volume", "page", "pages"))
    if formatted and entry.journal and not has_locator and entry.origin is Origin.ATLAS:
        out.append(Gap.NO_LOCATOR)
    if not entry.title:
        out.append(Gap.NO_TITLE)
    if formatted and entry.year is None:
        out.append(Gap.NO_YEAR)
    if entry.withdrawn:
        out.append(Gap.WITHDRAWN)
    return out


def describe_gaps(entries: Sequence[Entry], *, formatted: bool = True,
                  max_ids: int = 5, name: Callable[[Entry], str] | None = None) -> list[str]:
    """One sentence per kind of gap, naming the entries it affects (a few, then a count):
    by id (the command line's, which takes ids), or by ``name`` (the window's: first author
    and year)."""
    by_gap: dict[Gap, list[str]] = {}
    for entry in entries:
        for gap in citation_gaps(entry, formatted=formatted):
            by_gap.setdefault(gap, []).append(name(entry) if name is not None else entry.id)
    out = []
    for gap in Gap:
        ids = by_gap.get(gap)
        if not ids:
            continue
        shown = ", ".join(ids[:max_ids])
        if len(ids) > max_ids:
            shown += f" and {len(ids) - max_ids} more"
        sentence = _GAP_SENTENCES[gap]
        out.append(f"{shown}: {sentence}.")
    return out

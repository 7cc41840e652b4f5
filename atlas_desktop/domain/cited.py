"""What an entry is cited, copied and exported as, once its record is completed.

:func:`cited_entry` lays a :class:`CompletedRecord` (PubMed, Crossref, doi.org) over an
entry, so every writer (the citation engine's item, BibTeX, RIS, CSL-JSON, "copy with
evidence", the detail pane's bibliographic lines) reads one merged :class:`Entry` and none
of them needs to know about completion. The stored entry is never changed: the atlas's
values stay the atlas's, and a bundle export writes them alone.

Which value a citation uses (the choice the issue asked us to make and state):

- **What the atlas lacks, the completed record fills**: volume, issue, pages or article
  number, the journal's abbreviation (``container-title-short``: Vancouver, AMA and the NLM
  styles print it), ISSN, PMCID, the full date, the full author list where the atlas cut it
  short, the title with its markup, a DOI or PMID the entry does not have.
- **Where an atlas entry and the record disagree** (a title, the authors, the journal, the
  year: :attr:`CompletedRecord.differences`), the citation follows the record, because it is
  the publisher's or NLM's record of the paper and a citation must let a reader find it;
  the copy says so in a warning (:func:`difference_warnings`), and the window shows the
  difference with its one-click report to the atlas. The journal's full name stays the
  atlas's when the two only differ in letter case.
- **The user's own references are the user's**: the record only fills fields they lack,
  and never replaces what they wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any, Final

from .citation import RetractionWarning
from .completion import CompletedRecord, Difference, Notice, NoticeKind, plain_text, source_name
from .csl_values import clean_names, date_year, is_others
from .entry import Author, Entry, Origin, author_short

#: Completed fields laid over an entry as CSL variables in ``extra`` (when it lacks them).
_FILLED: Final = ("volume", "issue", "page", "container-title-short", "ISSN", "PMCID")
#: Filled too for books and chapters (a PubMed book article such as GeneReviews); for a
#: journal article Crossref's "editor" is the academic editor, not one a citation names.
_BOOK_FILLED: Final = ("publisher", "publisher-place")
_PERIODICAL_TYPES: Final = frozenset({"article-journal", "article-magazine",
                                      "article-newspaper", "review", "review-book"})
#: Completed fields the atlas's own values win over unless they disagree.
_NAMES: Final = {"title": "title", "authors": "author", "journal": "container-title",
                 "year": "issued"}


def cited_entry(entry: Entry, record: CompletedRecord | None) -> Entry:
    """``entry`` with its completed record laid over it (the rules in the module's text);
    the entry itself when nothing was completed."""
    if record is None or not record.fields:
        return entry
    mine = entry.origin is Origin.MINE
    differing = {d.field for d in record.differences}
    extra: dict[str, Any] = dict(entry.extra)
    changes: dict[str, Any] = {}
    for name in _FILLED:
        value = _text_value(record.value(name))
        if value is not None and _blank(extra.get(name)) and not (
                name == "page" and not _blank(extra.get("pages"))):
            extra[name] = value
    csl_type = record.value("type")
    if isinstance(csl_type, str) and _blank(extra.get("type")) and _blank(extra.get("csl_type")):
        extra["type" if mine else "csl_type"] = csl_type
    own_type = extra.get("type") if mine else (extra.get("csl_type") or extra.get("type"))
    if own_type not in _PERIODICAL_TYPES and csl_type not in _PERIODICAL_TYPES:
        for name in _BOOK_FILLED:
            value = _text_value(record.value(name))
            if value is not None and _blank(extra.get(name)):
                extra[name] = value
        editors = clean_names(record.value("editor"))
        if editors and _blank(extra.get("editor")):
            extra["editor"] = editors

    title = record.value("title")
    if isinstance(title, str) and title.strip() and (
            not entry.title or (not mine and ("title" in differing or "<" in title))):
        changes["title"] = plain_text(title)
        if "<" in title:
            extra["title_markup"] = nest_quotes(" ".join(title.split()))
        else:
            extra.pop("title_markup", None)

    names = clean_names(record.value("author"))
    if names and (not entry.authors or (not mine and "authors" in differing)):
        people = [n for n in names if not is_others(n)]
        changes["authors"] = tuple(
            Author(str(n.get("family") or n.get("literal")), _given(n)) for n in people)
        changes["authors_truncated"] = len(people) < len(names)
        if any("family" not in n or set(n) - {"family", "given"} for n in people):
            extra["author"] = people  # literal group names, particles: as the record has them
        else:
            extra.pop("author", None)

    journal = record.value("container-title")
    if isinstance(journal, str) and journal.strip() and (
            not entry.journal or (not mine and "journal" in differing)):
        changes["journal"] = journal.strip()

    issued = record.value("issued")
    year = date_year(issued)
    if year is not None and (entry.year is None or (not mine and "year" in differing)
                             or (entry.year == year and _blank(extra.get("issued")))):
        extra["issued"] = issued
        changes["year"] = year

    doi, pmid = record.value("DOI"), record.value("PMID")
    if not entry.doi and isinstance(doi, str) and doi.strip():
        changes["doi"] = doi.strip()
    if not entry.pmid and isinstance(pmid, str) and pmid.strip().isdigit():
        changes["pmid"] = pmid.strip()
    return replace(entry, extra=MappingProxyType(extra), **changes)


_TAGGED_RE: Final = re.compile(r"<(i|b|sup|sub|sc)>([^<]*)</\1>")


def nest_quotes(markup: str) -> str:
    """Quotation marks that cross a tag (PubMed's ``"<i>Blood Relationship"</i>``) moved
    outside it, so the quotation and the italics nest: citeproc-js reads straight quotes as
    markup too, and prints crossing ones as raw tags."""

    def fix(match: re.Match[str]) -> str:
        tag, inner = match.group(1), match.group(2)
        if inner.count('"') % 2 == 0:
            return match.group(0)
        if inner.endswith('"'):
            return f'<{tag}>{inner[:-1]}</{tag}>"'
        if inner.startswith('"'):
            return f'"<{tag}>{inner[1:]}</{tag}>'
        return match.group(0)

    return _TAGGED_RE.sub(fix, markup)


def difference_warnings(entry: Entry, record: CompletedRecord | None, *,
                        name: str | None = None) -> list[str]:
    """One sentence per value the citation took from the record over the atlas's own
    (none for the user's references, whose values always win, and none for an author list
    the atlas only cut short: completing it is the point). The entry is named by ``name``
    (the window's first author and year), else by its id (the command line's)."""
    if record is None or entry.origin is Origin.MINE:
        return []
    out = []
    for difference in record.differences:
        if difference.field not in _NAMES or _only_completes(entry, difference):
            continue
        source = source_name(difference.source)
        out.append(f"{name or entry.id}: the atlas gives the {_FIELD_WORDS[difference.field]} as "
                   f"{_shown(difference.atlas_value)}, {source} as "
                   f"{_shown(difference.source_value)}; the citation follows {source} "
                   "(report it to the atlas if the atlas is wrong).")
    return out


def retraction_warning(entry: Entry, record: CompletedRecord | None
                       ) -> RetractionWarning | None:
    """The warning for a retracted paper, or None. A retraction *notice* is not itself
    retracted (:attr:`CompletedRecord.notice_of`), so it gets none."""
    if record is None or not record.is_retracted:
        return None
    notices = [n for n in record.notices if n.kind is NoticeKind.RETRACTION]
    who = author_short(entry.authors, entry.authors_truncated) or (entry.title or entry.id)[:60]
    label = f"{who} ({entry.year or 'n.d.'})"
    return RetractionWarning(entry.id, label, "; ".join(describe_notice(n) for n in notices))


def describe_notice(notice: Notice) -> str:
    """``retracted on 2010-02-06 (notice doi:10.1016/…, PMID 20137807; from PubMed)``."""
    verb = {NoticeKind.RETRACTION: "retracted", NoticeKind.CORRECTION: "corrected",
            NoticeKind.CONCERN: "under an expression of concern",
            NoticeKind.UPDATE: "updated"}[notice.kind]
    when = f" on {notice.date}" if notice.date else ""
    ids = ", ".join(x for x in (f"doi:{notice.doi}" if notice.doi else "",
                                f"PMID {notice.pmid}" if notice.pmid else "") if x)
    sources = ", ".join(source_name(s) for s in notice.source.split(", ") if s)
    inside = "; ".join(x for x in (f"notice {ids}" if ids else "",
                                   f"from {sources}" if sources else "") if x)
    return f"{verb}{when}" + (f" ({inside})" if inside else "")


_FIELD_WORDS: Final = {"title": "title", "authors": "authors", "journal": "journal",
                       "year": "year"}


def _only_completes(entry: Entry, difference: Difference) -> bool:
    """An author list the atlas cut short, whose names begin the record's: not a dispute."""
    if difference.field != "authors" or not entry.authors_truncated:
        return False
    theirs = difference.source_value
    return isinstance(theirs, list) and [a.display() for a in entry.authors] == \
        theirs[:len(entry.authors)]


def _shown(value: Any) -> str:
    if isinstance(value, Sequence) and not isinstance(value, str):
        names = [str(v) for v in value]
        text = "; ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    else:
        text = str(value)
    return f"“{text[:160]}”"


def _text_value(value: Any) -> str | None:
    if isinstance(value, list):  # ISSN: print and electronic; the first is the one cited
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _given(name: Mapping[str, Any]) -> str | None:
    given = name.get("given")
    return str(given).strip() or None if given is not None else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)

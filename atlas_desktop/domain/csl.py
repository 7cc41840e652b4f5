"""An entry as ONE CSL-JSON item: what citations, "copy with evidence", the clipboard's
CSL-JSON and the CSL-JSON export are all made from (:func:`entry_to_csl`).

Rules that matter for correct citations (each is pinned by a test against the real engine):
- The user's own references are cited from the item they were imported with: every CSL
  variable they came with, the title with its markup (``<i>``, ``<sub>``,
  ``<span class="nocase">``), literal names, particles and suffixes as written, the DOI as
  the user wrote it (a short DOI stays short). A CSL-JSON item goes out as it came in, so a
  citation of it is what citeproc-js prints for the original.
- Atlas entries are cited from what the atlas says, with what PubMed, Crossref or doi.org
  completed laid over it first (:mod:`.cited`). Titles copied from PubMed end with a
  period ("… fatigue syndrome."); styles add their own, so one trailing period is dropped.
  A title the atlas does not record is cited as "[title not recorded]", so a style never
  puts the journal in the work's place. Family names are passed whole ("van der Vaart");
  citeproc-js separates the particle itself. Corporate authors ("ME Association") are
  literal names.
- A truncated author list (the atlas's "et al.", BibTeX's "and others") ends with the
  name ``{"literal": "others"}``, as pandoc writes it; the engine prints the style's
  "et al." for it (``citations/glue.js``).
- For atlas entries, ``entry.url`` is the atlas's page, not the paper's, so it is not the
  item's URL; it belongs to the snapshot reference only.
- Values are passed on only in the shape CSL-JSON expects (:mod:`.csl_values`), so one
  odd value in a user's reference cannot break the engine for the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Any, Final

from .biblatex_csl import biblatex_variables
from .csl_values import (
    CSL_TYPES,
    DATE_VARIABLES,
    NAME_VARIABLES,
    OTHERS,
    clean_date,
    clean_names,
    clean_text,
    clean_variable,
    csl_name,
    is_others,
)
from .entry import Entry, Origin

#: Extra fields of an atlas entry copied into CSL-JSON as text.
_TEXT_FIELDS: Final = frozenset(
    "volume issue page number edition publisher publisher-place collection-title "
    "collection-number container-title-short title-short ISSN ISBN PMCID language abstract "
    "note genre medium event event-title event-place archive source status version "
    "chapter-number number-of-pages number-of-volumes".split()
)
_ALIASES: Final = {
    "pages": "page",
    "journal_issue": "issue",
    "issn": "ISSN",
    "isbn": "ISBN",
    "pmcid": "PMCID",
    "journal_abbreviation": "container-title-short",
}
#: ``extra`` keys that are ours, not CSL variables: never written into an item.
OWN_KEYS: Final = frozenset({"bibtex_type", "bibtex_fields", "ris_type", "ris_fields",
                             "wos_type", "wos_accession", "title_markup", "keywords",
                             "authors_truncated", "csl_type", "labels", "citation-key", "id"})
#: What a citation says where the atlas records no title (its case kept: Chicago would
#: print "[Title Not Recorded]").
NO_TITLE: Final = '<span class="nocase">[title not recorded]</span>'


def clean_title(title: str | None) -> str | None:
    """The title with spaces collapsed and one trailing period dropped (styles add their own)."""
    if not title:
        return None
    text = re.sub(r"\s+", " ", title).strip()
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1].rstrip()
    return text or None


def entry_to_csl(entry: Entry, *, export: bool = False) -> dict[str, Any]:
    """The CSL-JSON item of ``entry``. Its id is the entry id, or with ``export`` the user's
    own citation key when the reference has one (so ``pandoc --citeproc`` finds
    ``[@Adams2001]`` in an exported file)."""
    mine = entry.origin is Origin.MINE
    extra = entry.extra
    item: dict[str, Any] = {"id": entry.id}
    if export and mine and entry.bibtex_key:
        item["id"] = entry.bibtex_key
    csl_type = extra.get("type") if mine else (extra.get("csl_type") or extra.get("type"))
    item["type"] = csl_type if isinstance(csl_type, str) and csl_type in CSL_TYPES \
        else "article-journal"
    if mine:
        for key, value in extra.items():
            if isinstance(key, str) and key not in OWN_KEYS and key != "type":
                cleaned = "" if value == "" else clean_variable(key, value)  # "" as written
                if cleaned is not None:
                    item[key] = cleaned
    else:
        _atlas_extras(item, extra)
    _core(item, entry, mine=mine)
    fields = extra.get("bibtex_fields")
    if mine and isinstance(extra.get("bibtex_type"), str):
        # biblatex's data model (subtitles, main titles, eprints...) in CSL's terms.
        biblatex_variables(item, str(extra["bibtex_type"]),
                           fields if isinstance(fields, Mapping) else {}, extra,
                           title=entry.title, journal=entry.journal)
    if entry.bibtex_key:
        item["citation-key"] = entry.bibtex_key
    return item


def _atlas_extras(item: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for key, value in extra.items():
        target = _ALIASES.get(key, key)
        if target in _TEXT_FIELDS:
            text = clean_text(value)
            if text is not None:
                item.setdefault(target, text)
        elif target in NAME_VARIABLES or target in DATE_VARIABLES:
            cleaned = clean_variable(target, value)
            if cleaned is not None:
                item[target] = cleaned


def _core(item: dict[str, Any], entry: Entry, *, mine: bool) -> None:
    """Title, names, container, date and identifiers from the entry's own fields."""
    extra = entry.extra
    markup = extra.get("title_markup")
    title = markup if isinstance(markup, str) and markup.strip() else entry.title
    if mine:
        if title:
            item["title"] = title
        elif entry.journal and "title" not in item:
            item["title"] = NO_TITLE  # else a style prints the journal as the work
    else:
        item["title"] = clean_title(title) or NO_TITLE
    names = clean_names(extra.get("author")) if isinstance(extra.get("author"), list) else None
    if names is None:
        names = [csl_name(a.family, a.given) for a in entry.authors if a.family.strip()] or None
    if names and entry.authors_truncated and not is_others(names[-1]):
        names.append(dict(OTHERS))
    if names:
        item["author"] = names
    else:
        item.pop("author", None)
    if entry.journal:
        item["container-title"] = entry.journal
    issued = clean_date(extra.get("issued"))
    if issued is not None:
        item["issued"] = issued
    elif entry.year is not None:
        item["issued"] = {"date-parts": [[entry.year]]}
    own_doi = extra.get("DOI")
    if mine and isinstance(own_doi, str) and own_doi.strip():
        item["DOI"] = own_doi.strip()  # as the user wrote it (a short DOI stays short)
    elif entry.doi:
        item["DOI"] = entry.doi
    if entry.pmid:
        item["PMID"] = entry.pmid
    if mine and entry.url:
        item["URL"] = entry.url
    elif not mine:
        item.pop("URL", None)


def is_citable(item: Mapping[str, Any]) -> bool:
    """An item with no title, no names of any kind (an editor-only book is citable: "Xxx
    (Ed.). (n.d.).") and no container has nothing a citation could name (a style would print
    only "(n.d.)"), so it is refused with a reason instead."""
    return bool(item.get("title") not in (None, "", NO_TITLE) or item.get("container-title")
                or any(item.get(name) for name in NAME_VARIABLES))


class Gap(StrEnum):
    """Gaps in an entry's data that show in its citation (the citation is still produced)."""

    AUTHORS_TRUNCATED = "authors_truncated"
    NO_LOCATOR = "no_locator"
    NO_TITLE = "no_title"
    NO_YEAR = "no_year"
    WITHDRAWN = "withdrawn"


_GAP_SENTENCES: Final = {
    Gap.AUTHORS_TRUNCATED: "only the first authors are recorded, so the citation names them "
    "and “et al.”; complete the record (atlas-desktop complete) or check the full author "
    "list before publishing",
    Gap.NO_LOCATOR: "no volume or pages are recorded, so some styles print the paper as a "
    "preprint or as published online; complete the record (atlas-desktop complete), or add "
    "them from the journal",
    Gap.NO_TITLE: "no title is recorded, so the citation says “[title not recorded]”",
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

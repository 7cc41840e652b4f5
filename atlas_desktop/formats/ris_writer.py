"""Writing entries as RIS, through rispy's writer (UTF-8, no numbering between records).

Atlas entries are written as journal articles with their DOI, the paper's DOI link as
``UR`` (the atlas page is not the paper) and the PMID as accession number (``AN``, with
``DB  - PubMed``), which :mod:`.ris` reads back as the PMID. The user's references keep their
RIS type and every tag they were imported with.

RIS has one value per line, so a line break inside a value would start a tag of its own: a
title with ``\nER  - \nTY  - JOUR`` in it forged a second record (issue 19.4). Every value
is folded to one line (any run of whitespace, Unicode line separators included, becomes one
space) and only well-formed tag names are written. The clipboard's "Copy as RIS" is this
writer too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, TextIO

import rispy

from atlas_desktop.domain.entry import Entry, Origin, page_range, recorded_locators

CSL_TO_RIS: Final = {
    "article-journal": "JOUR", "periodical": "JFULL", "article-magazine": "MGZN",
    "article-newspaper": "NEWS", "book": "BOOK", "chapter": "CHAP",
    "entry-encyclopedia": "CHAP", "paper-conference": "CONF", "report": "RPRT",
    "thesis": "THES", "webpage": "ELEC", "post-weblog": "BLOG", "manuscript": "UNPB",
    "patent": "PAT", "dataset": "DATA", "software": "COMP", "standard": "STAND",
    "personal_communication": "PCOMM", "map": "MAP", "legal_case": "CASE",
    "legislation": "STAT", "motion_picture": "VIDEO", "song": "SOUND", "pamphlet": "PAMP",
}


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without its ``1.``, ``2.`` lines between records."""

    def set_header(self, count: int) -> str:
        return ""


_TAG_RE: Final = re.compile(r"[A-Z][A-Z0-9]")
_TYPE_RE: Final = re.compile(r"[A-Z0-9]{2,8}")


def write_ris(out: TextIO, entries: Iterable[Entry]) -> int:
    writer = _Writer(skip_unknown_tags=False)
    count = 0
    for entry in entries:
        writer.format_lines(out, [_folded(_to_ris(entry))])
        out.write("\n")
        count += 1
    return count


def _fold(value: Any) -> str:
    return " ".join(str(value).split())


def _folded(record: dict[str, Any]) -> dict[str, Any]:
    """Every value of ``record`` on one line; unknown tags only when they are tag names."""
    clean: dict[str, Any] = {}
    for name, value in record.items():
        if name == "unknown_tag":
            clean[name] = {tag: [_fold(v) for v in values] for tag, values in value.items()
                           if _TAG_RE.fullmatch(tag)}
        elif isinstance(value, list):
            clean[name] = [_fold(v) for v in value]
        else:
            clean[name] = _fold(value)
    return clean


def _to_ris(entry: Entry) -> dict[str, Any]:
    extra = entry.extra
    mine = entry.origin is Origin.MINE
    ris_type = extra.get("ris_type") if mine else "JOUR"
    if not isinstance(ris_type, str) or not _TYPE_RE.fullmatch(ris_type):
        csl_type = extra.get("type") or extra.get("csl_type")
        ris_type = CSL_TO_RIS.get(csl_type, "GEN") if isinstance(csl_type, str) else "JOUR"
    record: dict[str, Any] = {"type_of_reference": ris_type}
    if entry.title:
        record["title"] = entry.title
    people = [f"{a.family}, {a.given}" if a.given else a.family for a in entry.authors]
    if people:
        record["authors"] = people
    if entry.journal:
        record["secondary_title"] = entry.journal
    if entry.year is not None:
        record["year"] = str(entry.year)
    if entry.doi:
        record["doi"] = entry.doi
    # For an atlas entry ``url`` is the atlas's page, not the paper: link the paper's DOI.
    urls = [entry.url] if mine and entry.url else []
    if not mine and entry.doi:
        urls = [f"https://doi.org/{entry.doi}"]
    if urls:
        record["urls"] = urls
    kept = entry.extra.get("ris_fields") if mine else None
    if entry.pmid and not (isinstance(kept, Mapping) and "AN" in kept):
        record["accession_number"] = entry.pmid
        if not (isinstance(kept, Mapping) and "DB" in kept):
            record["name_of_database"] = "PubMed"
    if mine:
        _reference_tags(entry, record)
    else:
        _atlas_tags(entry, record)
    return record


def _atlas_tags(entry: Entry, record: dict[str, Any]) -> None:
    """Volume, issue and pages when the catalogue has them (a catalogue update may add them)
    or a completed record gave them, with the journal's abbreviation and ISSN; an author list
    the atlas cut short is said in a note (RIS has no "et al.")."""
    extra = entry.extra
    if isinstance(extra.get("container-title-short"), str):
        record["alternate_title1"] = extra["container-title-short"]  # J2, as Zotero reads it
    if isinstance(extra.get("ISSN"), str):
        record["issn"] = extra["ISSN"]
    if entry.authors_truncated:
        record["notes"] = ["The author list is incomplete: the atlas lists only the first "
                           "authors (et al.)."]
    locators = recorded_locators(extra)
    for key, target in (("volume", "volume"), ("issue", "number")):
        if key in locators:
            record[target] = locators[key]
    if "page" in locators:
        start, _, end = (part.strip() for part in page_range(locators["page"]).partition("-"))
        record["start_page"] = start
        if end:
            record["end_page"] = end


def _reference_tags(entry: Entry, record: dict[str, Any]) -> None:
    extra = entry.extra
    for target, name in (("volume", "volume"), ("issue", "number"), ("publisher", "publisher"),
                         ("publisher-place", "place_published"), ("edition", "edition"),
                         ("language", "language"), ("collection-title", "tertiary_title"),
                         ("title-short", "short_title"), ("abstract", "abstract")):
        value = extra.get(target)
        if isinstance(value, str | int) and str(value):
            record[name] = " ".join(str(value).split())
    page = extra.get("page")
    if isinstance(page, str) and page:
        start, _, end = page.partition("-")
        record["start_page"] = start
        if end:
            record["end_page"] = end
    for key in ("ISSN", "ISBN"):
        if isinstance(extra.get(key), str):
            record["issn"] = extra[key]
    note = extra.get("note")
    if isinstance(note, str) and note:
        record["notes"] = [" ".join(p.split()) for p in note.split("\n\n") if p.strip()]
    keywords = extra.get("keywords")
    if isinstance(keywords, list):
        record["keywords"] = [str(k) for k in keywords]
    editors = extra.get("editor")
    if isinstance(editors, list):
        record["secondary_authors"] = [
            f"{p['family']}, {p['given']}" if p.get("given") else str(p.get("family"))
            for p in editors if isinstance(p, Mapping) and p.get("family")]
    parts = (extra.get("issued") or {}).get("date-parts") if isinstance(
        extra.get("issued"), Mapping) else None
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and len(parts[0]) > 1:
        first = [int(x) for x in parts[0][:3] if str(x).lstrip("-").isdigit()]
        record["date"] = "/".join(f"{n:02d}" if i else str(n) for i, n in enumerate(first)) \
            + "/" * (3 - len(first))
    kept = extra.get("ris_fields")
    if isinstance(kept, Mapping) and kept:
        record["unknown_tag"] = {str(tag): [str(v) for v in values]
                                 for tag, values in kept.items() if isinstance(values, list)}

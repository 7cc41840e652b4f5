"""The citation parts of a page: its BibTeX block, the primary citation line and the atlas
snapshot reference. They fill in what the layout's own lines did not give (full author lists,
DOI, PMID, the atlas link, the BibTeX key).

The BibTeX block is cut out of the page here, but read by the one BibTeX reader
(:func:`..bibtex.parse_bibtex`), with its LaTeX decoder and its name parser: an author list
that ends ``and others`` stays marked truncated.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Final

from atlas_desktop.domain.entry import Snapshot, normalise_doi

from ..bibtex import BibEntry, parse_bibtex
from ..bibtex_names import parse_name_list
from ..names import parse_family_given_list

_SNAPSHOT_RE: Final = re.compile(
    r"Generator\s+(?P<generator>\S+?)\s*/\s*Scanner\s+(?P<scanner>\S+?)\s*/\s*"
    r"policy\s+(?P<policy>\S+?)\.?\s+Accessed\s+(?P<accessed>\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_URL_RE: Final = re.compile(r"https?://[^\s<>\"]+")
_DOI_URL_RE: Final = re.compile(r"https?://(?:dx\.)?doi\.org/(?P<doi>10\.\S+?)[.,;]?(?:\s|$)")
_PMID_NOTE_RE: Final = re.compile(r"\bPub\s?Med(?:\s+ID)?\s*:\s*(?P<pmid>\d{1,12})", re.IGNORECASE)
_BIBTEX_START_RE: Final = re.compile(r"@[A-Za-z]+\s*[{(]")
#: How far from its start a page's BibTeX block may end (a page is a few kB).
_MAX_BLOCK_CHARS: Final = 200_000


def extract_bibtex(text: str) -> tuple[BibEntry | None, str]:
    """The page's BibTeX entry, read, and the page without its block (which may be glued to
    the next heading). None when there is no block or it cannot be read."""
    span = _block_span(text)
    if span is None:
        return None, text
    start, end = span
    rest = text[:start] + "\n" + text[end:]
    try:
        entries = parse_bibtex(text[start:end]).entries
    except Exception:  # a block the reader chokes on is left out, as a broken one is
        return None, rest
    return (entries[0] if entries else None), rest


def _block_span(text: str) -> tuple[int, int] | None:
    """Where the first ``@type{…}`` block starts and ends, by its brackets."""
    match = _BIBTEX_START_RE.search(text)
    if match is None:
        return None
    start = match.start()
    opener = text[match.end() - 1]
    closer = "}" if opener == "{" else ")"
    depth = 0
    for i in range(match.end() - 1, min(len(text), start + _MAX_BLOCK_CHARS)):
        ch = text[i]
        if ch in "{(" and (ch in (opener, "{")):
            depth += 1
        elif ch in "})" and (ch in (closer, "}")):
            depth -= 1
            if depth == 0:
                return start, i + 1
    return None


def merge_citation_parts(values: dict[str, Any], lines: list[str], bib: BibEntry | None
                         ) -> None:
    """Fill in from the BibTeX entry, the primary citation line and the snapshot line."""
    if bib is not None:
        fields = bib.fields  # decoded text, except name lists (split before decoding)
        if fields.get("title") and not values.get("title"):
            values["title"] = fields["title"]
        if fields.get("author"):
            authors, truncated = parse_name_list(fields["author"])
            if authors:
                values["authors"] = authors
                values["authors_truncated"] = truncated
        if fields.get("journal") and not values.get("journal"):
            values["journal"] = fields["journal"]
        if fields.get("year", "").strip().isdigit() and not values.get("year"):
            values["year"] = int(fields["year"].strip())
        if fields.get("doi"):
            values.setdefault("doi", normalise_doi(fields["doi"]))
        pmid = _PMID_NOTE_RE.search(fields.get("note", "")) or _PMID_NOTE_RE.search(
            "PubMed: " + fields.get("pmid", "")
        )
        if pmid:
            values.setdefault("pmid", pmid.group("pmid"))
        if fields.get("url"):
            values.setdefault("url", fields["url"])
        if not bib.generated_key:
            values["bibtex_key"] = bib.key

    # The primary citation: authors in full, the title, a DOI link.
    citation = _line_after(lines, "primary citation")
    if citation:
        _merge_citation_line(citation, values)

    for line in lines:
        snap = _SNAPSHOT_RE.search(line)
        if snap:
            values["snapshot"] = Snapshot(
                generator=snap.group("generator"),
                scanner=snap.group("scanner"),
                policy=snap.group("policy"),
                accessed=date.fromisoformat(snap.group("accessed")),
            )
            url = _URL_RE.search(line[snap.end() :])
            if url:
                values.setdefault("url", url.group(0).rstrip(".,"))
            break


def _line_after(lines: list[str], heading: str) -> str | None:
    for i, line in enumerate(lines):
        if line.lower().rstrip(":") == heading:
            for nxt in lines[i + 1 :]:
                if nxt:
                    return nxt
    return None


_CITATION_RE: Final = re.compile(
    r"^(?P<authors>.+?)\s*\((?P<year>\d{4}|n\.d\.)\)\.\s*(?P<rest>.*)$")


def _merge_citation_line(citation: str, values: dict[str, Any]) -> None:
    m = _CITATION_RE.match(citation)
    doi = _DOI_URL_RE.search(citation + " ")
    if doi:
        values.setdefault("doi", normalise_doi(doi.group("doi")))
    if m is None:
        return
    if not values.get("authors") or values.get("authors_truncated"):
        authors, truncated = parse_family_given_list(m.group("authors"))
        if authors and len(authors) >= len(values.get("authors") or []):
            values["authors"] = authors
            values["authors_truncated"] = truncated
    if m.group("year").isdigit():
        values.setdefault("year", int(m.group("year")))
    if not values.get("title"):
        rest = _DOI_URL_RE.sub(" ", m.group("rest") + " ").strip()
        journal = values.get("journal")
        if journal and f". {journal}" in rest:
            title = rest.split(f". {journal}", 1)[0]
        else:
            title = rest.split(". ", 1)[0]
        title = title.strip()
        if title:
            values["title"] = title if title.endswith((".", "?", "!")) else title + "."

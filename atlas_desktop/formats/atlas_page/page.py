"""One atlas page, whole: the layout is recognised, its reader runs, the citation parts fill
in, and an :class:`Entry` is built (or the text is refused with :class:`NotAnAtlasPage`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from atlas_desktop.domain.entry import DOI_RE, Author, Badges, Entry
from atlas_desktop.domain.slug import entry_slug, slug_from_url

from ..names import parse_family_given_list
from ..text import FormatError
from .blog import find_blog_byline, parse_blog
from .citation import extract_bibtex, merge_citation_parts
from .common import HEADINGS, header_parts
from .compact import parse_compact
from .full import merge_metadata, parse_full

#: Atlas pages are a few kB; anything far larger is not one.
MAX_PAGE_BYTES: Final = 2_000_000


class NotAnAtlasPage(FormatError):
    """The text is not an atlas page (or has nothing left to identify a paper)."""


@dataclass
class ParsedPage:
    entry: Entry
    layout: str
    warnings: list[str] = field(default_factory=list)
    #: True when the id was derived from authors/year/title rather than an atlas URL.
    derived_id: bool = False


#: Layout name -> its reader (lines, warnings) -> the values it found.
_LAYOUTS: Final[dict[str, Callable[[list[str], list[str]], dict[str, Any]]]] = {
    "full": parse_full,
    "compact": parse_compact,
    "blog": parse_blog,
}


def parse_atlas_page(text: str, *, source: str = "") -> ParsedPage:
    """Parse one atlas page. Raises :class:`NotAnAtlasPage` for anything else."""
    if not text.strip():
        raise NotAnAtlasPage("The file is empty.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace("\u00a0", " ")

    bib, text = extract_bibtex(text)
    lines = [line.strip() for line in text.split("\n")]
    warnings: list[str] = []

    layout = _detect_layout(lines)
    if layout is None:
        raise NotAnAtlasPage(
            "This does not look like an atlas page: it has no author line "
            "(authors · journal · year), no atlas sections and no title with authors."
        )
    values = _LAYOUTS[layout](lines, warnings)
    merge_citation_parts(values, lines, bib)
    merge_metadata(values, warnings)
    doi = values.get("doi")
    if doi and not DOI_RE.match(doi):
        warnings.append(f"Ignored a DOI that is not one: {doi!r}")
        values["doi"] = None
    return _build_entry(values, layout, warnings, source)


def _detect_layout(lines: list[str]) -> str | None:
    headings = {HEADINGS.get(line.lower().rstrip(":")) for line in lines if line}
    structural = headings & {
        "summary",
        "why_it_matters",
        "observed_findings",
        "inferred_conclusions",
        "remaining_questions",
        "does_not_prove",
        "tags",
        "metadata",
    }
    has_header = any(header_parts(line) for line in lines[:8] if line)
    if len(structural) >= 2 or (structural and has_header and not _first_is_header(lines)):
        return "full"
    if has_header:
        return "compact"
    if find_blog_byline(lines) is not None:
        return "blog"
    return None


def _first_is_header(lines: list[str]) -> bool:
    first = next((line for line in lines if line), "")
    return header_parts(first) is not None


def _build_entry(
    values: dict[str, Any], layout: str, warnings: list[str], source: str
) -> ParsedPage:
    authors: list[Author] = list(values.get("authors") or [])
    truncated = bool(values.get("authors_truncated"))
    if not authors and values.get("authors_text"):
        authors, truncated = parse_family_given_list(values["authors_text"])
    if truncated:
        warnings.append("The page lists only the first authors (et al.); the list is incomplete.")

    title = values.get("title")
    year = values.get("year")
    url = values.get("url")
    if not (title or url or (authors and year)):
        raise NotAnAtlasPage(
            "The page has no title, no atlas link and no authors with a year, so there is "
            "no way to tell which paper it is about."
        )

    entry_id = slug_from_url(url)
    derived = entry_id is None
    if entry_id is None:
        entry_id = entry_slug(authors[0].family if authors else None, year, title)

    extra: dict[str, Any] = {}
    if values.get("abstract"):
        extra["abstract"] = values["abstract"]
    if values.get("metadata_extra"):
        extra["metadata"] = values["metadata_extra"]

    tags = {k: tuple(v) for k, v in (values.get("tags") or {}).items() if v}
    entry = Entry(
        id=entry_id,
        title=title,
        authors=tuple(authors),
        journal=values.get("journal"),
        year=year,
        doi=values.get("doi"),
        pmid=values.get("pmid"),
        url=url,
        summary=values.get("summary"),
        why_it_matters=values.get("why_it_matters"),
        does_not_prove=values.get("does_not_prove"),
        observed_findings=tuple(values.get("observed_findings") or ()),
        inferred_conclusions=tuple(values.get("inferred_conclusions") or ()),
        remaining_questions=tuple(values.get("remaining_questions") or ()),
        badges=values.get("badges") or Badges(),
        evidence_level=values.get("evidence_level"),
        tags=MappingProxyType(tags),
        last_updated=values.get("last_updated"),
        snapshot=values.get("snapshot"),
        bibtex_key=values.get("bibtex_key"),
        extra=MappingProxyType(extra),
        authors_truncated=truncated,
    )
    return ParsedPage(entry=entry, layout=layout, warnings=warnings, derived_id=derived)

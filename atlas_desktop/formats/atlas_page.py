"""Atlas pages saved as text, in the three layouts the atlas has used.

* compact: ``authors · journal · year · DOI`` line, three prose paragraphs (summary, why it
  matters, what it does not prove), then "Primary citation", a BibTeX block and the atlas
  snapshot reference;
* full: a line of glued badge chips, the title, the author line, headed sections (Quick
  Summary … What This Study Does Not Prove), "Tags" by category and a "Metadata" list;
* blog: the paper's abstract, then one line with the title and the authors with degrees.

Any of the parts may be missing. A page that yields no way to identify a paper (no title,
no authors and year, no atlas link) is refused with :class:`NotAnAtlasPage`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final

import bibtexparser

from atlas_desktop.domain.entry import (
    DOI_RE,
    Author,
    Badges,
    Entry,
    Snapshot,
    normalise_doi,
)
from atlas_desktop.domain.slug import entry_slug, slug_from_url

from .names import (
    looks_like_person_list,
    parse_bibtex_names,
    parse_family_given_list,
    parse_names_with_degrees,
)
from .text import FormatError
from .vocabulary import classify_badges, looks_like_badge_line, split_chips, vocabulary

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


# Section headings of the full layout, mapped to our field names.
_HEADINGS: Final = {
    "quick summary": "summary",
    "summary": "summary",
    "why it matters": "why_it_matters",
    "observed findings": "observed_findings",
    "findings": "observed_findings",
    "inferred conclusions": "inferred_conclusions",
    "conclusions": "inferred_conclusions",
    "remaining questions": "remaining_questions",
    "open questions": "remaining_questions",
    "what this study does not prove": "does_not_prove",
    "what this study doesn't prove": "does_not_prove",
    "what it does not prove": "does_not_prove",
    "tags": "tags",
    "metadata": "metadata",
    "primary citation": "citation",
    "bibtex": "bibtex",
    "atlas snapshot reference": "snapshot",
}

# Lines that belong to the atlas's page furniture, not to the entry. They end a section.
_FURNITURE_RE: Final = re.compile(
    r"^(?:about the pem badge\b|the first block is for the primary paper|contribute$"
    r"|private, reviewed by a human|spotted an error|how the atlas works"
    r"|this entry was posted in|comments are closed|bookmark the permalink)",
    re.IGNORECASE,
)
_DOES_NOT_PROVE_RE: Final = re.compile(
    r"\b(?:does|do|did)\s+not\s+(?:prove|establish|demonstrate|show|mean|confirm)\b"
    r"|\bcannot\s+(?:prove|establish|tell)\b",
    re.IGNORECASE,
)
_SNAPSHOT_RE: Final = re.compile(
    r"Generator\s+(?P<generator>\S+?)\s*/\s*Scanner\s+(?P<scanner>\S+?)\s*/\s*"
    r"policy\s+(?P<policy>\S+?)\.?\s+Accessed\s+(?P<accessed>\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_URL_RE: Final = re.compile(r"https?://[^\s<>\"]+")
_DOI_URL_RE: Final = re.compile(r"https?://(?:dx\.)?doi\.org/(?P<doi>10\.\S+?)[.,;]?(?:\s|$)")
_PMID_NOTE_RE: Final = re.compile(r"\bPub\s?Med(?:\s+ID)?\s*:\s*(?P<pmid>\d{1,12})", re.IGNORECASE)
_YEAR_RE: Final = re.compile(r"^(?:1[89]|20)\d{2}$")
_BIBTEX_START_RE: Final = re.compile(r"@[A-Za-z]+\s*[{(]")


def parse_atlas_page(text: str, *, source: str = "") -> ParsedPage:
    """Parse one atlas page. Raises :class:`NotAnAtlasPage` for anything else."""
    if not text.strip():
        raise NotAnAtlasPage("The file is empty.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace("\u00a0", " ")

    bibtex_fields, bibtex_key, text = _extract_bibtex(text)
    lines = [line.strip() for line in text.split("\n")]
    warnings: list[str] = []

    layout = _detect_layout(lines)
    if layout == "full":
        values = _parse_full(lines, warnings)
    elif layout == "compact":
        values = _parse_compact(lines, warnings)
    elif layout == "blog":
        values = _parse_blog(lines, warnings)
    else:
        raise NotAnAtlasPage(
            "This does not look like an atlas page: it has no author line "
            "(authors · journal · year), no atlas sections and no title with authors."
        )

    _merge_citation_parts(values, lines, bibtex_fields, bibtex_key, warnings)
    return _build_entry(values, layout, warnings, source)


# --------------------------------------------------------------------------- layout detection


def _header_parts(line: str) -> dict[str, Any] | None:
    """``authors · journal · year [· DOI]`` -> parts, or None if the line is not one."""
    if " · " not in line:
        return None
    parts = [p.strip() for p in line.split(" · ")]
    markers = set()
    while parts and parts[-1].upper() in {"DOI", "PMID", "PUBMED"}:
        markers.add(parts.pop().upper())
    year_index = next((i for i, p in enumerate(parts) if _YEAR_RE.match(p)), None)
    if year_index is None or year_index == 0:
        return None
    authors_text = parts[0]
    if "," not in authors_text and "et al" not in authors_text:
        return None
    journal = " · ".join(parts[1:year_index]).strip() or None
    return {
        "authors_text": authors_text,
        "journal": journal,
        "year": int(parts[year_index]),
        "has_doi_marker": "DOI" in markers,
    }


def _detect_layout(lines: list[str]) -> str | None:
    headings = {_HEADINGS.get(line.lower().rstrip(":")) for line in lines if line}
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
    has_header = any(_header_parts(line) for line in lines[:8] if line)
    if len(structural) >= 2 or (structural and has_header and not _first_is_header(lines)):
        return "full"
    if has_header:
        return "compact"
    if _find_blog_byline(lines) is not None:
        return "blog"
    return None


def _first_is_header(lines: list[str]) -> bool:
    first = next((line for line in lines if line), "")
    return _header_parts(first) is not None


# --------------------------------------------------------------------------- full layout


def _parse_full(lines: list[str], warnings: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    content = [line for line in lines if line]
    header_index = next((i for i, line in enumerate(content[:8]) if _header_parts(line)), None)
    first_heading = next(
        (i for i, line in enumerate(content) if line.lower().rstrip(":") in _HEADINGS),
        len(content),
    )
    preamble = content[: header_index if header_index is not None else first_heading]

    if header_index is not None:
        values.update(_header_parts(content[header_index]) or {})
    # Preamble: an optional line of badge chips, then the title.
    title_lines: list[str] = []
    for line in preamble:
        chips = split_chips(line, vocabulary().badge_labels)
        if not title_lines and "badges" not in values and looks_like_badge_line(chips):
            values["badges"], unplaced = classify_badges(chips)
            if unplaced:
                warnings.append("Badges not recognised, kept as labels: " + ", ".join(unplaced))
        else:
            title_lines.append(line)
    if title_lines:
        values["title"] = " ".join(title_lines)

    sections = _split_sections(content[first_heading:])
    for key, body in sections.items():
        if key in {"summary", "why_it_matters", "does_not_prove"}:
            text = "\n\n".join(_strip_bullet(x) for x in body).strip()
            if text:
                values[key] = text
        elif key in {"observed_findings", "inferred_conclusions", "remaining_questions"}:
            values[key] = [_strip_bullet(x) for x in body if _strip_bullet(x)]
        elif key == "tags":
            values["tags"] = _parse_tags(body)
        elif key == "metadata":
            _parse_metadata(body, values, warnings)
    return values


def _split_sections(lines: list[str]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        key = _HEADINGS.get(line.lower().rstrip(":"))
        if key is not None:
            current = key
            sections.setdefault(key, [])
            continue
        if _FURNITURE_RE.match(line):
            current = None
            continue
        if current is not None and current not in {"citation", "bibtex", "snapshot"}:
            # The metadata list is made of "- " items only; prose after it is furniture.
            if current == "metadata" and not line.startswith(("-", "•")):
                current = None
                continue
            sections[current].append(line)
    return sections


def _strip_bullet(line: str) -> str:
    return re.sub(r"^(?:[-•*–]|\d+[.)])\s+", "", line).strip()


def _parse_tags(lines: list[str]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    vocab = vocabulary()
    for raw_line in lines:
        line = _strip_bullet(raw_line)
        category, sep, rest = line.partition(":")
        if not sep or not category.strip() or not rest.strip():
            continue
        category = category.strip()
        labels = split_chips(rest, vocab.tag_labels(category))
        existing = tags.setdefault(category, [])
        existing.extend(x for x in labels if x not in existing)
    return tags


_METADATA_KEYS: Final = {
    "pmid": "pmid",
    "pubmed id": "pmid",
    "doi": "doi",
    "review status": "review_status",
    "evidence level": "evidence_level",
    "last updated": "last_updated",
    "evidence tier": "evidence_tier",
    "confidence": "confidence",
    "study type": "study_type",
    "pem": "pem",
    "journal": "journal",
    "year": "year",
    "url": "url",
    "bibtex key": "bibtex_key",
}


def _parse_metadata(lines: list[str], values: dict[str, Any], warnings: list[str]) -> None:
    items = [_strip_bullet(x) for x in lines]
    metadata_extra: dict[str, str] = {}
    i = 0
    while i < len(items):
        item = items[i]
        key, sep, inline_value = item.partition(":")
        name = key.strip().lower()
        if sep and name in _METADATA_KEYS and inline_value.strip():
            value, step = inline_value.strip(), 1
        elif i + 1 < len(items):
            value, step = items[i + 1], 2
            name = item.strip().lower()
        else:
            break
        target = _METADATA_KEYS.get(name)
        if target is None:
            metadata_extra[item.strip()] = value
        else:
            values.setdefault("metadata", {})[target] = value
        i += step
    if metadata_extra:
        values["metadata_extra"] = metadata_extra
        warnings.append("Metadata fields kept as extra data: " + ", ".join(metadata_extra))


# --------------------------------------------------------------------------- compact layout


def _parse_compact(lines: list[str], warnings: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    content = [line for line in lines if line]
    header_index = next(i for i, line in enumerate(content) if _header_parts(line))
    values.update(_header_parts(content[header_index]) or {})
    if header_index > 0:
        preamble = content[:header_index]
        chips = split_chips(preamble[0], vocabulary().badge_labels)
        if looks_like_badge_line(chips):
            values["badges"], _ = classify_badges(chips)
            preamble = preamble[1:]
        if preamble:
            values["title"] = " ".join(preamble)

    paragraphs: list[str] = []
    for line in content[header_index + 1 :]:
        if _FURNITURE_RE.match(line) or line.lower().rstrip(":") in _HEADINGS:
            break
        paragraphs.append(line)

    caveat_index = next(
        (i for i, p in enumerate(paragraphs) if _DOES_NOT_PROVE_RE.search(_first_sentence(p))),
        None,
    )
    if caveat_index is not None:
        values["does_not_prove"] = paragraphs.pop(caveat_index)
    if paragraphs:
        values["summary"] = paragraphs[0]
    if len(paragraphs) > 1:
        values["why_it_matters"] = "\n\n".join(paragraphs[1:])
    if not paragraphs and caveat_index is None:
        warnings.append("The page has no summary paragraphs.")
    return values


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]


# --------------------------------------------------------------------------- blog layout


def _find_blog_byline(lines: list[str]) -> int | None:
    """Index of the ``Title  Given Family MD, …`` line of a blog post, or None."""
    for i, line in enumerate(lines):
        if "  " not in line or _FURNITURE_RE.match(line):
            continue
        title, _, people = line.partition("  ")
        if len(title.split()) >= 3 and looks_like_person_list(people.strip()):
            return i
    return None


def _parse_blog(lines: list[str], warnings: list[str]) -> dict[str, Any]:
    index = _find_blog_byline(lines)
    assert index is not None
    title, _, people = lines[index].partition("  ")
    values: dict[str, Any] = {
        "title": title.strip(),
        "authors": parse_names_with_degrees(people.strip()),
    }
    abstract = "\n".join(lines[:index]).strip()
    abstract = re.sub(r"\n{3,}", "\n\n", abstract)
    if abstract:
        values["abstract"] = abstract
    warnings.append(
        "Blog layout: the page carries the paper's abstract, not the atlas's plain-language "
        "sections; the abstract is kept as extra data."
    )
    return values


# --------------------------------------------------------------------------- shared parts


def _extract_bibtex(text: str) -> tuple[dict[str, str], str | None, str]:
    """Cut the BibTeX block out of the page (it may be glued to the next heading)."""
    match = _BIBTEX_START_RE.search(text)
    if match is None:
        return {}, None, text
    start = match.start()
    opener = text[match.end() - 1]
    closer = "}" if opener == "{" else ")"
    depth = 0
    end = None
    for i in range(match.end() - 1, min(len(text), start + 200_000)):
        ch = text[i]
        if ch in "{(" and (ch in (opener, "{")):
            depth += 1
        elif ch in "})" and (ch in (closer, "}")):
            depth -= 1
            if depth == 0:
                end = i + 1
                break
    if end is None:
        return {}, None, text
    block = text[start:end]
    rest = text[:start] + "\n" + text[end:]
    try:
        library = bibtexparser.parse_string(block)  # type: ignore[attr-defined]
    except Exception:  # bibtexparser raises assorted errors on broken blocks
        return {}, None, rest
    if not library.entries:
        return {}, None, rest
    bib = library.entries[0]
    fields = {k.lower(): str(f.value).strip() for k, f in bib.fields_dict.items()}
    return fields, bib.key, rest


def _merge_citation_parts(
    values: dict[str, Any],
    lines: list[str],
    bibtex: dict[str, str],
    bibtex_key: str | None,
    warnings: list[str],
) -> None:
    """Fill in from the BibTeX block, the primary citation line and the snapshot line."""
    if bibtex:
        if bibtex.get("title") and not values.get("title"):
            values["title"] = _clean_bibtex_text(bibtex["title"])
        if bibtex.get("author"):
            full = parse_bibtex_names(bibtex["author"])
            if full:
                values["authors"] = full
                values["authors_truncated"] = False
        if bibtex.get("journal") and not values.get("journal"):
            values["journal"] = _clean_bibtex_text(bibtex["journal"])
        if bibtex.get("year", "").strip().isdigit() and not values.get("year"):
            values["year"] = int(bibtex["year"].strip())
        if bibtex.get("doi"):
            values.setdefault("doi", normalise_doi(bibtex["doi"]))
        pmid = _PMID_NOTE_RE.search(bibtex.get("note", "")) or _PMID_NOTE_RE.search(
            "PubMed: " + bibtex.get("pmid", "")
        )
        if pmid:
            values.setdefault("pmid", pmid.group("pmid"))
        if bibtex.get("url"):
            values.setdefault("url", bibtex["url"])
    if bibtex_key:
        values["bibtex_key"] = bibtex_key

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

    metadata = values.get("metadata", {})
    if metadata.get("pmid") and re.fullmatch(r"\d{1,12}", metadata["pmid"].strip()):
        values.setdefault("pmid", metadata["pmid"].strip())
    if metadata.get("doi"):
        values.setdefault("doi", normalise_doi(metadata["doi"]))
    if metadata.get("url"):
        values.setdefault("url", metadata["url"])
    if metadata.get("journal"):
        values.setdefault("journal", metadata["journal"])
    if metadata.get("year", "").strip().isdigit():
        values.setdefault("year", int(metadata["year"].strip()))
    if metadata.get("evidence_level"):
        values["evidence_level"] = metadata["evidence_level"]
    if metadata.get("bibtex_key"):
        values.setdefault("bibtex_key", metadata["bibtex_key"])
    if metadata.get("last_updated"):
        parsed = parse_human_date(metadata["last_updated"])
        if parsed is None:
            warnings.append(f"Could not read the date “{metadata['last_updated']}”.")
        values["last_updated"] = parsed
    _merge_metadata_badges(values, metadata)

    doi = values.get("doi")
    if doi and not DOI_RE.match(doi):
        warnings.append(f"Ignored a DOI that is not one: {doi!r}")
        values["doi"] = None


def _merge_metadata_badges(values: dict[str, Any], metadata: dict[str, str]) -> None:
    """Metadata names some badges in words; they refine what the chip line said."""
    badges: Badges = values.get("badges") or Badges()
    changes: dict[str, Any] = {}
    if metadata.get("review_status"):
        changes["review_status"] = metadata["review_status"]
    if metadata.get("evidence_tier") and not badges.evidence_tier:
        changes["evidence_tier"] = metadata["evidence_tier"]
    if metadata.get("study_type") and not badges.study_type:
        changes["study_type"] = metadata["study_type"]
    if metadata.get("confidence") and not badges.confidence:
        changes["confidence"] = re.sub(r"\s+confidence$", "", metadata["confidence"], flags=re.I)
    if metadata.get("pem") and not badges.pem:
        pem = metadata["pem"].lower().replace("pem", "").strip().replace(" ", "_")
        if pem in {"required", "not_required", "unknown"}:
            changes["pem"] = pem
    if changes:
        values["badges"] = replace(badges, **changes)


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


def _clean_bibtex_text(text: str) -> str:
    if "\\" in text:
        try:
            # Imported here: only values with LaTeX need it, and it costs start-up time.
            from pylatexenc.latex2text import LatexNodes2Text

            text = LatexNodes2Text().latex_to_text(text)
        except Exception:  # a value pylatexenc cannot read is kept as written
            pass
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


_MONTHS: Final = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}


def parse_human_date(text: str) -> date | None:
    """``7 April 2026``, ``April 7, 2026`` or ``2026-04-07`` -> a date; None if unreadable."""
    text = text.strip().rstrip(".")
    try:
        return datetime.strptime(text[:10], "%Y-%m-%d").date()
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", text)
    if m:
        day, month_name, year = int(m.group(1)), m.group(2).lower(), int(m.group(3))
    else:
        m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text)
        if not m:
            return None
        month_name, day, year = m.group(1).lower(), int(m.group(2)), int(m.group(3))
    month = _MONTHS.get(month_name)
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


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

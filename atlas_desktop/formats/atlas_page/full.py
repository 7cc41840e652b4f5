"""The full layout: a line of glued badge chips, the title, the author line, headed sections
(Quick Summary … What This Study Does Not Prove), "Tags" by category and a "Metadata" list."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Final

from atlas_desktop.domain.entry import Badges, normalise_doi

from ..vocabulary import classify_badges, looks_like_badge_line, split_chips, vocabulary
from .common import FURNITURE_RE, HEADINGS, header_parts, strip_bullet
from .dates import parse_human_date


def parse_full(lines: list[str], warnings: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    content = [line for line in lines if line]
    header_index = next((i for i, line in enumerate(content[:8]) if header_parts(line)), None)
    first_heading = next(
        (i for i, line in enumerate(content) if line.lower().rstrip(":") in HEADINGS),
        len(content),
    )
    preamble = content[: header_index if header_index is not None else first_heading]

    if header_index is not None:
        values.update(header_parts(content[header_index]) or {})
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
            text = "\n\n".join(strip_bullet(x) for x in body).strip()
            if text:
                values[key] = text
        elif key in {"observed_findings", "inferred_conclusions", "remaining_questions"}:
            values[key] = [strip_bullet(x) for x in body if strip_bullet(x)]
        elif key == "tags":
            values["tags"] = _parse_tags(body)
        elif key == "metadata":
            _parse_metadata(body, values, warnings)
    return values


def _split_sections(lines: list[str]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        key = HEADINGS.get(line.lower().rstrip(":"))
        if key is not None:
            current = key
            sections.setdefault(key, [])
            continue
        if FURNITURE_RE.match(line):
            current = None
            continue
        if current is not None and current not in {"citation", "bibtex", "snapshot"}:
            # The metadata list is made of "- " items only; prose after it is furniture.
            if current == "metadata" and not line.startswith(("-", "•")):
                current = None
                continue
            sections[current].append(line)
    return sections


def _parse_tags(lines: list[str]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    vocab = vocabulary()
    for raw_line in lines:
        line = strip_bullet(raw_line)
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
    items = [strip_bullet(x) for x in lines]
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


def merge_metadata(values: dict[str, Any], warnings: list[str]) -> None:
    """Fill in from the "Metadata" list what the BibTeX block and the citation did not give;
    the evidence level, the date and the badges named in words always come from here."""
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

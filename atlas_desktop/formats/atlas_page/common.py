"""What the three layouts share: section headings, page furniture, the ``authors · journal ·
year`` header line and list bullets."""

from __future__ import annotations

import re
from typing import Any, Final

# Section headings of the full layout, mapped to our field names.
HEADINGS: Final = {
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
FURNITURE_RE: Final = re.compile(
    r"^(?:about the pem badge\b|the first block is for the primary paper|contribute$"
    r"|private, reviewed by a human|spotted an error|how the atlas works"
    r"|this entry was posted in|comments are closed|bookmark the permalink)",
    re.IGNORECASE,
)
_YEAR_RE: Final = re.compile(r"^(?:1[89]|20)\d{2}$")


def header_parts(line: str) -> dict[str, Any] | None:
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


def strip_bullet(line: str) -> str:
    """A list item without its bullet or number."""
    return re.sub(r"^(?:[-•*–]|\d+[.)])\s+", "", line).strip()

"""An entry as a CSL-JSON item: the input of citation styles and of CSL-JSON export.

Rules that matter for correct citations:
- Titles copied from PubMed end with a period ("… fatigue syndrome."); styles add their own,
  so one trailing period is dropped (question and exclamation marks stay).
- Family names are passed whole ("van der Vaart"); the citation processor separates the
  particle itself, as it does for Zotero, so output matches Zotero's.
- For atlas entries, ``entry.url`` is the atlas's page, not the paper's, so it is not the
  item's URL; it belongs to the snapshot reference only. The user's own references keep
  their URL.
"""

from __future__ import annotations

import re
from typing import Any, Final

from .entry import Entry, Origin

#: Extra fields of an entry copied into CSL-JSON as they are (user references carry them).
_PASS_THROUGH: Final = (
    "volume",
    "issue",
    "page",
    "number",
    "edition",
    "publisher",
    "publisher-place",
    "collection-title",
    "container-title-short",
    "ISSN",
    "ISBN",
    "PMCID",
    "language",
    "abstract",
    "note",
    "genre",
    "medium",
    "event",
    "event-place",
    "archive",
    "source",
    "version",
    "chapter-number",
    "number-of-pages",
    "accessed",
    "editor",
    "translator",
    "container-author",
    "collection-editor",
)
_PAGE_ALIASES: Final = {"pages": "page", "journal_issue": "issue", "issn": "ISSN", "isbn": "ISBN"}


def clean_title(title: str | None) -> str | None:
    if not title:
        return None
    text = re.sub(r"\s+", " ", title).strip()
    if text.endswith(".") and not text.endswith("..."):
        text = text.rstrip(".").rstrip()
    return text or None


def entry_to_csl(entry: Entry) -> dict[str, Any]:
    """The CSL-JSON item for ``entry`` (id = entry id)."""
    extra = dict(entry.extra)
    csl_type = extra.get("csl_type") or extra.get("type")
    item: dict[str, Any] = {
        "id": entry.id,
        "type": csl_type if isinstance(csl_type, str) and csl_type else "article-journal",
    }
    title = clean_title(entry.title)
    if title:
        item["title"] = title
    authors = []
    for author in entry.authors:
        if author.given:
            authors.append({"family": author.family, "given": author.given})
        else:
            authors.append({"literal": author.family} if " " in author.family.strip()
                           and author.family[:1].isupper() and _looks_corporate(author.family)
                           else {"family": author.family})
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
        target = _PAGE_ALIASES.get(key, key)
        if target in _PASS_THROUGH and value not in (None, "", []):
            item[target] = value
    if isinstance(extra.get("issued"), dict):
        item["issued"] = extra["issued"]
    return item


_CORPORATE_WORDS: Final = frozenset(
    "group society association organization organisation institute committee council "
    "collaboration consortium network foundation agency department ministry centre center "
    "board team alliance".split()
)


def _looks_corporate(name: str) -> bool:
    """``ME Association`` or ``CFS/ME Research Collaborative``: print as written."""
    return any(word.lower().strip(",.") in _CORPORATE_WORDS for word in name.split())

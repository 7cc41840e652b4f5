"""Mapping between entries and ``entries`` rows (no queries here).

Rows are built from the contract's canonical dict (``canonical_entry_dict``), the one form
both a parsed page and a bundle entry reach, so a bundle of 100,000 entries never has to
become 100,000 :class:`Entry` objects on its way into the library.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final

import orjson

from atlas_desktop.domain.entry import (
    CONTRACT_FIELDS,
    Author,
    Badges,
    Entry,
    Origin,
    Snapshot,
    entry_to_contract,
    missing_from_contract,
    untitled_label,
)

#: Columns of ``entries`` written from an entry (all but pk, withdrawn_at and timestamps).
ENTRY_COLUMNS: Final = (
    "search_key",
    "id",
    "origin",
    "year",
    "sort_title",
    "first_author",
    "pem",
    "evidence_tier",
    "confidence",
    "study_type",
    "peer_reviewed",
    "review_status",
    "missing",
    "doi_norm",
    "pmid",
    "author_count",
    "authors_truncated",
    "title",
    "journal",
    "doi",
    "url",
    "last_updated",
    "bibtex_key",
    "badges_json",
    "authors_json",
    "content_hash",
    "snapshot_json",
    "tags_json",
    "authors_text",
    "evidence_level",
    "summary",
    "why_it_matters",
    "does_not_prove",
    "findings",
    "conclusions",
    "questions",
    "tags_text",
    "extra_text",
    "extra_json",
)
#: Columns read back to build an Entry.
READ_COLUMNS: Final = ("pk", *ENTRY_COLUMNS, "withdrawn_at")

#: Extra fields whose text is worth finding with the search box.
_SEARCHABLE_EXTRA: Final = ("abstract", "keywords", "note", "booktitle", "publisher")
_CONTRACT_SET: Final = frozenset(CONTRACT_FIELDS)
_LEADING_RE: Final = re.compile(r"^[^\w]+")
_ARTICLE_RE: Final = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


ITEM_SEPARATOR: Final = "\x1e"


def join_items(items: list[str]) -> str:
    """List items as one text column; the tokenizer treats the separator as a space."""
    return ITEM_SEPARATOR.join(items)


def split_items(text: str) -> tuple[str, ...]:
    return tuple(text.split(ITEM_SEPARATOR)) if text else ()


def _dumps(value: Any) -> str:
    """Compact JSON, non-ASCII kept as is (orjson: several times faster than json)."""
    return orjson.dumps(value).decode("utf-8")


def sort_title(title: str | None, fallback: str) -> str:
    text = _LEADING_RE.sub("", title or fallback)
    return _ARTICLE_RE.sub("", text).casefold()


def _row_digest(values: tuple[Any, ...]) -> str:
    """Digest of a row's content columns: the row is a pure function of the canonical entry,
    so equal digests mean the atlas said exactly the same thing."""
    payload = "\x1f".join("\x00" if v is None else str(v) for v in values)
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


# ----- the sort key: one integer that orders entries "newest year first, then by title".
# It is also the full-text index's rowid, so FTS5, which always walks its matches in rowid
# order, hands out any query's matches already sorted, and a first page costs a few rows.
#   bits 52..62  2047 - year (year clamped to 0..2046; no year = 2047, sorts last)
#   bits 30..51  the first four characters of the sort title, in SQLite's binary order
#   bits  0..29  pk (so keys are unique, and pk = key & PK_MASK)
PK_BITS: Final = 30
PK_MASK: Final = (1 << PK_BITS) - 1
_TITLE_SHIFT: Final = PK_BITS
_YEAR_SHIFT: Final = PK_BITS + 22
_BASE: Final = 41  # 41**4 < 2**22


def _char_code(ch: str) -> int:
    """Rank of a character in SQLite's binary (UTF-8) order, bucketed into 1..40."""
    o = ord(ch)
    if o < 48:  # space and punctuation before digits
        return 1
    if o <= 57:  # 0-9
        return 2 + o - 48
    if o < 97:  # : ; < = > ? @ A-Z [ \ ] ^ _ ` (sort titles are casefolded)
        return 12
    if o <= 122:  # a-z
        return 13 + o - 97
    if o < 128:
        return 39
    return 40  # anything beyond ASCII sorts after it, as in UTF-8


def search_key(year: int | None, sort_title_value: str, pk: int) -> int:
    if not 0 < pk <= PK_MASK:
        raise ValueError(f"pk {pk} out of range for the search key")
    year_part = 2047 if year is None else 2046 - max(0, min(2046, year))
    title_part = 0
    for i in range(4):
        code = _char_code(sort_title_value[i]) if i < len(sort_title_value) else 0
        title_part = title_part * _BASE + code
    return (year_part << _YEAR_SHIFT) | (title_part << _TITLE_SHIFT) | pk


def row_from_contract(
    d: Mapping[str, Any], origin: Origin = Origin.ATLAS, *, pk: int
) -> tuple[Any, ...]:
    """The ``entries`` row (in :data:`ENTRY_COLUMNS` order) for a canonical entry dict that
    is, or will be, stored under ``pk``."""
    authors = d["authors"]
    badges = d["badges"]
    truncated = bool(d.get("authors_truncated"))
    extra = {k: v for k, v in d.items() if k not in _CONTRACT_SET and k != "authors_truncated"}
    searchable = []
    for key in _SEARCHABLE_EXTRA:
        value = extra.get(key)
        if isinstance(value, str):
            searchable.append(value)
        elif isinstance(value, list):
            searchable.extend(v for v in value if isinstance(v, str))
    title = d["title"]
    first = authors[0]["family"] if authors else ""
    if title:
        fallback = ""
    else:
        who = f"{first} et al." if len(authors) > 2 or (authors and truncated) else first
        fallback = untitled_label(who, d["year"])
    peer = badges.get("peer_reviewed")
    doi = d["doi"]
    sort_value = sort_title(title, fallback)
    head = (
        d["id"],
        origin.value,
        d["year"],
        sort_value,
        first.casefold(),
        badges.get("pem"),
        badges.get("evidence_tier"),
        badges.get("confidence"),
        badges.get("study_type"),
        None if peer is None else int(peer),
        badges.get("review_status"),
        ",".join(missing_from_contract(d)),
        doi.lower() if doi else None,
        d["pmid"],
        len(authors),
        int(truncated),
        title,
        d["journal"],
        doi,
        d["url"],
        d["last_updated"],
        d["bibtex_key"],
        _dumps(badges),
        _dumps([[a["family"], a["given"]] for a in authors]),
    )
    tail = (
        _dumps(d["snapshot"]) if d["snapshot"] is not None else None,
        _dumps(d["tags"]),
        "; ".join(f"{a['family']} {a['given']}" if a["given"] else a["family"] for a in authors),
        d["evidence_level"],
        d["summary"],
        d["why_it_matters"],
        d["does_not_prove"],
        join_items(d["observed_findings"]),
        join_items(d["inferred_conclusions"]),
        join_items(d["remaining_questions"]),
        join_items([label for labels in d["tags"].values() for label in labels]),
        " ".join(searchable) or None,
        _dumps(extra),
    )
    return (search_key(d["year"], sort_value, pk), *head, _row_digest(head + tail), *tail)


def entry_to_row(entry: Entry, *, pk: int) -> tuple[Any, ...]:
    return row_from_contract(entry_to_contract(entry), entry.origin, pk=pk)


HASH_INDEX: Final = ENTRY_COLUMNS.index("content_hash")
ID_INDEX: Final = ENTRY_COLUMNS.index("id")


def row_to_entry(row: Any) -> Entry:
    """Build an Entry from a row mapping with :data:`READ_COLUMNS`."""
    m = row._mapping if hasattr(row, "_mapping") else row
    extra = json.loads(m["extra_json"] or "{}")
    if m["authors_truncated"]:
        extra["authors_truncated"] = True
    snapshot = Snapshot.from_dict(json.loads(m["snapshot_json"])) if m["snapshot_json"] else None
    return Entry(
        id=m["id"],
        title=m["title"],
        authors=tuple(Author(f, g) for f, g in json.loads(m["authors_json"])),
        journal=m["journal"],
        year=m["year"],
        doi=m["doi"],
        pmid=m["pmid"],
        url=m["url"],
        summary=m["summary"],
        why_it_matters=m["why_it_matters"],
        does_not_prove=m["does_not_prove"],
        observed_findings=split_items(m["findings"]),
        inferred_conclusions=split_items(m["conclusions"]),
        remaining_questions=split_items(m["questions"]),
        badges=Badges.from_dict(json.loads(m["badges_json"])),
        evidence_level=m["evidence_level"],
        tags=MappingProxyType({k: tuple(v) for k, v in json.loads(m["tags_json"]).items()}),
        last_updated=date.fromisoformat(m["last_updated"]) if m["last_updated"] else None,
        snapshot=snapshot,
        bibtex_key=m["bibtex_key"],
        extra=MappingProxyType(extra),
        origin=Origin(m["origin"]),
        withdrawn=m["withdrawn_at"] is not None,
        authors_truncated=bool(m["authors_truncated"]),
    )

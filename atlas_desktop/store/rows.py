"""Mapping between entries and ``entries`` rows (no queries here).

Rows are made from the contract's canonical dict (``domain/contract.py``), the one form a
parsed page, a bundle entry and a reference file reach, so a bundle of 100,000 entries never
has to become 100,000 :class:`Entry` objects on its way into the library; and rows are read
back into that dict (:func:`row_to_contract`), from which ``domain/contract.py`` builds the
:class:`Entry`. The store therefore knows which columns hold which field, and nothing else
about an entry: no validation, no rule for "incomplete" (the ``missing`` column is
:func:`~atlas_desktop.domain.entry.missing_fields_of`'s answer).

A field without a column of its own (an unknown field, or a contract field added later that
needs no search or filter) is kept in ``extra_json`` and comes back with the rest.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any, Final

import orjson

from atlas_desktop.domain.contract import entry_from_canonical, entry_to_contract
from atlas_desktop.domain.entry import (
    CONTRACT_FIELDS,
    Entry,
    Origin,
    missing_fields_of,
    untitled_label,
)
from atlas_desktop.domain.folding import fold_for_search

#: The folded texts of the full-text index's columns (title, authors, journal, summary,
#: body, tags): see :func:`folded_index_texts`.
FOLD_COLUMNS: Final = ("fold_title", "fold_authors", "fold_journal", "fold_summary",
                       "fold_body", "fold_tags")

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
    # What the full-text index reads instead of each of its columns' text when folding
    # (``domain/folding.py``) changes that text; NULL otherwise. Derived, so not in the digest.
    *FOLD_COLUMNS,
)
#: Columns read back to build an Entry (the folded index texts are the index's alone).
READ_COLUMNS: Final = ("pk", *ENTRY_COLUMNS[:-len(FOLD_COLUMNS)], "withdrawn_at")
#: The columns a citation or a reference file needs: no prose, badges or tags.
BIBLIOGRAPHIC_COLUMNS: Final = (
    "pk", "id", "origin", "withdrawn_at", "title", "authors_json", "authors_truncated",
    "journal", "year", "doi", "pmid", "url", "bibtex_key", "extra_json",
)

#: Extra fields whose text is worth finding with the search box.
_SEARCHABLE_EXTRA: Final = ("abstract", "keywords", "note", "booktitle", "publisher")
#: Fields with columns of their own (written by :func:`row_from_contract`, read back by
#: :func:`row_to_contract`); every other field of the dict goes to ``extra_json``.
_COLUMN_FIELDS: Final = frozenset((
    "id", "title", "authors", "authors_truncated", "journal", "year", "doi", "pmid", "url",
    "summary", "why_it_matters", "does_not_prove", "observed_findings",
    "inferred_conclusions", "remaining_questions", "badges", "evidence_level", "tags",
    "last_updated", "snapshot", "bibtex_key",
))
#: Contract fields kept in ``extra_json`` (none today; a field added to the contract later
#: lands here until it needs a column). Left out when empty: the contract module writes
#: them back anyway, and a row written before the field existed keeps its digest, so the
#: next import or catalogue pull does not see every entry as changed.
_CONTRACT_IN_EXTRA: Final = frozenset(CONTRACT_FIELDS) - _COLUMN_FIELDS
_EMPTY: Final[tuple[Any, ...]] = (None, "", [], {})
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
    extra = {k: v for k, v in d.items() if k not in _COLUMN_FIELDS
             and not (k in _CONTRACT_IN_EXTRA and v in _EMPTY)}
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
        ",".join(missing_fields_of(d, origin)),
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
    return (search_key(d["year"], sort_value, pk), *head, _row_digest(head + tail), *tail,
            *folded_index_texts(head, tail))


_TITLE_AT: Final = ENTRY_COLUMNS.index("title") - 1  # in ``head`` (no search_key)
_JOURNAL_AT: Final = ENTRY_COLUMNS.index("journal") - 1


def folded_index_texts(head: tuple[Any, ...], tail: tuple[Any, ...]) -> tuple[str | None, ...]:
    """For each full-text column, its text folded for search, or None where folding leaves
    it as it is (almost always: only letters beyond ASCII fold). The ``entries_search`` view
    reads ``coalesce(fold_x, <the column's text>)``, so the text here must be exactly what
    the view would otherwise give (the expressions of ``store/migrations/fold.py``)."""
    (_snapshot, _tags, authors_text, evidence_level, summary, why, does_not_prove, findings,
     conclusions, questions, tags_text, extra_text, _extra) = tail
    body_parts = (why or "", does_not_prove or "", findings, conclusions, questions,
                  evidence_level or "", extra_text or "")
    # Almost every body is plain ASCII: then it is not even put together.
    body = "" if all(part.isascii() for part in body_parts) else " ".join(body_parts)
    out: list[str | None] = []
    for text in (head[_TITLE_AT] or "", authors_text, head[_JOURNAL_AT] or "", summary or "",
                 body, tags_text):
        folded = fold_for_search(text)
        out.append(None if folded == text else folded)
    return tuple(out)


def entry_to_row(entry: Entry, *, pk: int) -> tuple[Any, ...]:
    return row_from_contract(entry_to_contract(entry), entry.origin, pk=pk)


HASH_INDEX: Final = ENTRY_COLUMNS.index("content_hash")
ID_INDEX: Final = ENTRY_COLUMNS.index("id")


def row_to_contract(m: Mapping[Any, Any], *, whole: bool = True) -> dict[str, Any]:
    """The canonical dict a row was made from (:func:`row_from_contract` read backwards; a
    contract field kept in ``extra_json`` is absent when it was empty, which the contract
    module reads as empty).

    ``m`` maps column names to values: a whole row (:data:`READ_COLUMNS`), or with
    ``whole=False`` just its bibliographic columns (:data:`BIBLIOGRAPHIC_COLUMNS`, which
    exports and citations read without the prose); then only those fields are in the dict."""
    d: dict[str, Any] = {
        "id": m["id"],
        "title": m["title"],
        "authors": [{"family": f, "given": g} for f, g in orjson.loads(m["authors_json"])],
        "journal": m["journal"],
        "year": m["year"],
        "doi": m["doi"],
        "pmid": m["pmid"],
        "url": m["url"],
    }
    if whole:
        snapshot = m["snapshot_json"]
        d.update(
            summary=m["summary"],
            why_it_matters=m["why_it_matters"],
            does_not_prove=m["does_not_prove"],
            observed_findings=list(split_items(m["findings"])),
            inferred_conclusions=list(split_items(m["conclusions"])),
            remaining_questions=list(split_items(m["questions"])),
            badges=orjson.loads(m["badges_json"]),
            evidence_level=m["evidence_level"],
            tags=orjson.loads(m["tags_json"]),
            last_updated=m["last_updated"],
            snapshot=orjson.loads(snapshot) if snapshot else None,
        )
    d["bibtex_key"] = m["bibtex_key"]
    if m["extra_json"]:
        d.update(orjson.loads(m["extra_json"]))
    if m["authors_truncated"]:
        d["authors_truncated"] = True
    return d


def row_to_entry(m: Mapping[Any, Any], *, whole: bool = True) -> Entry:
    """The Entry of a row mapping with :data:`READ_COLUMNS` (or, with ``whole=False``,
    :data:`BIBLIOGRAPHIC_COLUMNS`), built by the contract module from the row's dict."""
    return entry_from_canonical(row_to_contract(m, whole=whole), origin=Origin(m["origin"]),
                                withdrawn=m["withdrawn_at"] is not None)

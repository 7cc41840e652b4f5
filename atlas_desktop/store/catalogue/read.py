"""Reading catalogue rows: entries by id or row key, ids, counts, and the list's display rows.

Every function takes an open :class:`~sqlalchemy.Connection`, inside the caller's
transaction. The list's rows (:func:`list_rows`, :func:`briefs`) are on the paint path and read
through the DB-API cursor of that connection.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.entry import (
    Author,
    Badges,
    Entry,
    Origin,
    author_short,
    untitled_label,
)
from atlas_desktop.domain.listing import EntryBrief, ListRow

from ..engine import sqlite_connection
from ..rows import READ_COLUMNS, row_to_entry

CHUNK: Final = 500  # SQLite's default limit on host parameters is far above this
_ALL_COLUMNS: Final = ", ".join(READ_COLUMNS)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_rows(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[int, str, str, bool]]:
    """id -> (pk, origin, content_hash, withdrawn) for the ids that exist."""
    found: dict[str, tuple[int, str, str, bool]] = {}
    if len(ids) > 5 * CHUNK:
        wanted = set(ids)
        rows = conn.exec_driver_sql(
            "SELECT id, pk, origin, content_hash, withdrawn_at IS NOT NULL FROM entries"
        )
        for entry_id, pk, origin, digest, withdrawn in rows:
            if entry_id in wanted:
                found[entry_id] = (pk, origin, digest, bool(withdrawn))
        return found
    for chunk in chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            "SELECT id, pk, origin, content_hash, withdrawn_at IS NOT NULL FROM entries "
            f"WHERE id IN ({marks})",
            tuple(chunk),
        )
        for entry_id, pk, origin, digest, withdrawn in rows:
            found[entry_id] = (pk, origin, digest, bool(withdrawn))
    return found


def get_entry(conn: Connection, entry_id: str) -> Entry | None:
    row = conn.exec_driver_sql(
        f"SELECT {_ALL_COLUMNS} FROM entries WHERE id = ?", (entry_id,)
    ).mappings().first()
    return row_to_entry(row) if row is not None else None


def get_entries(conn: Connection, ids: Sequence[str]) -> list[Entry]:
    """Entries for ``ids`` in the order given; unknown ids are skipped."""
    found = _entries_by(conn, "id", ids)
    return [found[i] for i in ids if i in found]


def get_entries_by_pk(conn: Connection, pks: Sequence[int]) -> list[Entry]:
    found = _entries_by(conn, "pk", pks)
    return [found[p] for p in pks if p in found]


def _entries_by(conn: Connection, column: str, keys: Sequence[Any]) -> dict[Any, Entry]:
    """``column`` value -> Entry for the rows whose ``column`` (id or pk) is in ``keys``."""
    found: dict[Any, Entry] = {}
    for chunk in chunks(list(keys)):
        marks = ",".join("?" * len(chunk))
        for row in conn.exec_driver_sql(
            f"SELECT {_ALL_COLUMNS} FROM entries WHERE {column} IN ({marks})", tuple(chunk)
        ).mappings():
            found[row[column]] = row_to_entry(row)
    return found


def iter_entries_by_pk(conn: Connection, pks: Sequence[int]) -> Iterator[Entry]:
    """Entries for ``pks`` in order, fetched a chunk at a time (for streaming exports)."""
    for chunk in chunks(list(pks)):
        yield from get_entries_by_pk(conn, chunk)


def pk_for_id(conn: Connection, entry_id: str) -> int | None:
    value = conn.exec_driver_sql("SELECT pk FROM entries WHERE id = ?", (entry_id,)).scalar()
    return int(value) if value is not None else None


def origin_of(conn: Connection, entry_id: str) -> str | None:
    """``'atlas'`` or ``'mine'`` for an entry of the library; None for an id it does not hold
    (a reference deleted or merged away: atlas rows are never deleted, only withdrawn)."""
    value = conn.exec_driver_sql("SELECT origin FROM entries WHERE id = ?", (entry_id,)).scalar()
    return None if value is None else str(value)


def ids_for_pks(conn: Connection, pks: Sequence[int]) -> list[str]:
    found: dict[int, str] = {}
    for chunk in chunks(list(pks)):
        marks = ",".join("?" * len(chunk))
        for pk, entry_id in conn.exec_driver_sql(
            f"SELECT pk, id FROM entries WHERE pk IN ({marks})", tuple(chunk)
        ):
            found[pk] = entry_id
    return [found[p] for p in pks if p in found]


def existing_ids(conn: Connection, ids: Iterable[str]) -> set[str]:
    return set(existing_rows(conn, list(ids)))


def all_ids(conn: Connection, *, origin: Origin | None = None) -> list[str]:
    if origin is None:
        return [r[0] for r in conn.exec_driver_sql("SELECT id FROM entries ORDER BY pk")]
    return [
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT id FROM entries WHERE origin = ? ORDER BY pk", (origin.value,)
        )
    ]


def count_entries(conn: Connection, *, include_withdrawn: bool = False) -> int:
    where = "" if include_withdrawn else " WHERE withdrawn_at IS NULL"
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM entries{where}").scalar() or 0)


# The list pane paints a few dozen rows at a time; this is the query behind each batch.
_LIST_SQL: Final = """
SELECT e.pk, e.id, e.title, e.authors_json, e.authors_truncated, e.year, e.journal,
       e.badges_json, e.origin, e.withdrawn_at IS NOT NULL, e.missing != '',
       s.starred_at IS NOT NULL, n.entry_id IS NOT NULL, s.read_at IS NOT NULL,
       EXISTS (SELECT 1 FROM reports r WHERE r.entry_id = e.id AND r.status IN
               ('queued', 'sending', 'needs_attention')),
       (SELECT a.id FROM entries a WHERE e.origin = 'mine' AND a.origin = 'atlas' AND (
            (e.doi_norm IS NOT NULL AND a.doi_norm = e.doi_norm)
            OR (e.pmid IS NOT NULL AND a.pmid = e.pmid)) LIMIT 1),
       (SELECT group_concat(DISTINCT en.kind) FROM entry_notices en
        WHERE en.entry_id = e.id)
FROM entries e
LEFT JOIN entry_state s ON s.entry_id = e.id
LEFT JOIN notes n ON n.entry_id = e.id
WHERE e.pk IN ({marks})
"""


@functools.lru_cache(maxsize=64)
def _notice_kinds(joined: str | None) -> frozenset[str]:
    return frozenset(joined.split(",")) if joined else frozenset()


def briefs(conn: Connection, pks: Sequence[int]) -> list[EntryBrief]:
    """Result lines for ``pks``, in that order, from the bibliographic columns only (86,000
    of them: ~2 s; reading full entries took ~12 s)."""
    found: dict[int, EntryBrief] = {}
    raw = sqlite_connection(conn)
    for chunk in chunks(list(pks)):
        marks = ",".join("?" * len(chunk))
        for pk, entry_id, title, authors_json, truncated, year, badges_json in raw.execute(
            "SELECT pk, id, title, authors_json, authors_truncated, year, badges_json "
            f"FROM entries WHERE pk IN ({marks})", tuple(chunk)):
            authors = tuple(Author(f, g) for f, g in json.loads(authors_json))
            display = title or untitled_label(author_short(authors, bool(truncated)), year)
            found[pk] = EntryBrief(id=entry_id, title=title, display_title=display,
                                   authors=authors, year=year,
                                   badges=_badges(badges_json))
    return [found[pk] for pk in pks if pk in found]


@functools.lru_cache(maxsize=4096)
def _badges(badges_json: str) -> Badges:
    return Badges.from_dict(json.loads(badges_json))


@functools.lru_cache(maxsize=4096)
def _pill_labels(badges_json: str) -> tuple[tuple[str, str], ...]:
    """A list of 100,000 entries has a few hundred distinct badge sets: parse each once."""
    return tuple(_badges(badges_json).short_labels())


def list_rows(conn: Connection, pks: Sequence[int]) -> dict[int, ListRow]:
    """Display rows for ``pks`` (any order; missing pks are absent from the result).

    On the list's paint path: read through the DB-API cursor (same connection and
    transaction), which costs a third of SQLAlchemy's result rows here."""
    out: dict[int, ListRow] = {}
    raw = sqlite_connection(conn)
    for chunk in chunks(list(pks)):
        sql = _LIST_SQL.format(marks=",".join("?" * len(chunk)))
        for row in raw.execute(sql, tuple(chunk)):
            (pk, entry_id, title, authors_json, truncated, year, journal, badges_json,
             origin, withdrawn, incomplete, starred, noted, read, reported, linked,
             notices) = row
            authors = [Author(f, g) for f, g in json.loads(authors_json)]
            short = author_short(authors, bool(truncated))
            display = title or untitled_label(short, year)
            out[pk] = ListRow(
                pk=pk,
                id=entry_id,
                title=title,
                display_title=display,
                authors_short=short,
                year=year,
                journal=journal,
                badges=_pill_labels(badges_json),
                origin=origin,
                withdrawn=bool(withdrawn),
                incomplete=bool(incomplete),
                starred=bool(starred),
                noted=bool(noted),
                reported=bool(reported),
                read=bool(read),
                linked_atlas_id=linked,
                notices=_notice_kinds(notices),
            )
    return out

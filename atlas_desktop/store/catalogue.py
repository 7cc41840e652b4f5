"""Catalogue rows: what the atlas says about each entry (and the user's imported references).

Every function takes an open :class:`~sqlalchemy.Connection` inside the caller's transaction,
so an import or a catalogue page is applied whole or not at all. The full-text index and the
tag index follow the ``entries`` table through triggers, in the same transaction.
"""

from __future__ import annotations

import functools
import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.entry import (
    BADGE_KEYS,
    Author,
    Badges,
    Entry,
    Origin,
    author_short,
    entry_from_canonical,
    entry_to_contract,
    untitled_label,
)
from atlas_desktop.domain.listing import EntryBrief, EntryChange, ListRow, UpsertResult

from .engine import sqlite_connection
from .rows import (
    ENTRY_COLUMNS,
    HASH_INDEX,
    ID_INDEX,
    READ_COLUMNS,
    row_from_contract,
    row_to_entry,
)

_CHUNK: Final = 500  # SQLite's default limit on host parameters is far above this
_ALL_COLUMNS: Final = ", ".join(READ_COLUMNS)
_UPDATE_SQL: Final = (
    "UPDATE entries SET "
    + ", ".join(f"{c} = ?" for c in ENTRY_COLUMNS if c != "id")
    + ", changed_at = ?, withdrawn_at = NULL WHERE pk = ?"
)
_FTS_COLS: Final = "title, authors, journal, summary, body, tags"
_TAG_NAMES_FROM_JSON: Final = (
    "INSERT OR IGNORE INTO tag_dict (category, label) "
    "SELECT DISTINCT c.key, l.value FROM entries AS e, json_each(e.tags_json) AS c, "
    "json_each(c.value) AS l WHERE {where}"
)
_TAG_KEYS_FROM_JSON: Final = (
    "INSERT OR IGNORE INTO entry_tag_keys (sk, tag) "
    "SELECT e.search_key, d.id FROM entries AS e, json_each(e.tags_json) AS c, "
    "json_each(c.value) AS l JOIN tag_dict AS d ON d.category = c.key AND d.label = l.value "
    "WHERE {where} ORDER BY 1, 2"
)


def _add_tags_from_json(conn: Connection, where: str, params: tuple[Any, ...]) -> None:
    conn.exec_driver_sql(_TAG_NAMES_FROM_JSON.format(where=where), params)
    conn.exec_driver_sql(_TAG_KEYS_FROM_JSON.format(where=where), params)


class TagIds:
    """(category, label) -> tag id, created on first use, for one write transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._ids: dict[tuple[str, str], int] = {
            (c, lab): i for i, c, lab in conn.exec_driver_sql(
                "SELECT id, category, label FROM tag_dict")
        }

    def get(self, category: str, label: str) -> int:
        key = (category, label)
        found = self._ids.get(key)
        if found is None:
            row = self._conn.exec_driver_sql(
                "INSERT INTO tag_dict (category, label) VALUES (?, ?) RETURNING id", key
            ).first()
            assert row is not None
            found = self._ids[key] = int(row[0])
        return found


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------- derived indexes
# The full-text index and the tag table are derived from ``entries`` rows. They are written
# here, in the caller's transaction: index rows are removed (with the values they were made
# from, read through the entries_search view) before a row changes and added after.


def _index_remove(conn: Connection, pks: Sequence[int]) -> None:
    for chunk in _chunks(list(pks)):
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"INSERT INTO entries_fts (entries_fts, rowid, {_FTS_COLS}) "
            f"SELECT 'delete', search_key, {_FTS_COLS} FROM entries_search "
            f"WHERE pk IN ({marks})",
            tuple(chunk),
        )
        conn.exec_driver_sql(
            "DELETE FROM entry_tag_keys WHERE sk IN "
            f"(SELECT search_key FROM entries WHERE pk IN ({marks}))",
            tuple(chunk),
        )


def _index_add(conn: Connection, pks: Sequence[int]) -> None:
    for chunk in _chunks(list(pks)):
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"INSERT INTO entries_fts (rowid, {_FTS_COLS}) "
            f"SELECT search_key, {_FTS_COLS} FROM entries_search WHERE pk IN ({marks}) "
            "ORDER BY search_key",
            tuple(chunk),
        )
        _add_tags_from_json(conn, f"e.pk IN ({marks})", tuple(chunk))


def rebuild_indexes(conn: Connection) -> None:
    """Rebuild the full-text index and tag table from the entries (repair and tests)."""
    conn.exec_driver_sql("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')")
    conn.exec_driver_sql("DELETE FROM entry_tag_keys")
    _add_tags_from_json(conn, "1", ())


def optimize_indexes(conn: Connection) -> None:
    """Merge the full-text index into one segment (after bulk imports; a few seconds)."""
    conn.exec_driver_sql("INSERT INTO entries_fts (entries_fts) VALUES ('optimize')")


def check_indexes(conn: Connection) -> None:
    """Raise if the full-text index disagrees with the entries (FTS5 integrity-check)."""
    conn.exec_driver_sql(
        "INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)")


# --------------------------------------------------------------------------- writing


def _existing(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[int, str, str, bool]]:
    """id -> (pk, origin, content_hash, withdrawn) for the ids that exist."""
    found: dict[str, tuple[int, str, str, bool]] = {}
    if len(ids) > 5 * _CHUNK:
        wanted = set(ids)
        rows = conn.exec_driver_sql(
            "SELECT id, pk, origin, content_hash, withdrawn_at IS NOT NULL FROM entries"
        )
        for entry_id, pk, origin, digest, withdrawn in rows:
            if entry_id in wanted:
                found[entry_id] = (pk, origin, digest, bool(withdrawn))
        return found
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            "SELECT id, pk, origin, content_hash, withdrawn_at IS NOT NULL FROM entries "
            f"WHERE id IN ({marks})",
            tuple(chunk),
        )
        for entry_id, pk, origin, digest, withdrawn in rows:
            found[entry_id] = (pk, origin, digest, bool(withdrawn))
    return found


def upsert_entries(
    conn: Connection, entries: Sequence[Entry], *, now: str, origin: Origin = Origin.ATLAS
) -> UpsertResult:
    """:func:`upsert_contracts` for Entry values."""
    contracts = [entry_to_contract(e) for e in entries]
    return upsert_contracts(conn, contracts, ids=[d["id"] for d in contracts], now=now,
                            origin=origin)


#: Rows per chunk of a bulk insert (indexed on a second thread while the next is prepared).
_BULK_CHUNK: Final = 10_000


def upsert_contracts(
    conn: Connection,
    entries: Iterable[Mapping[str, Any]],
    *,
    ids: Sequence[str],
    now: str,
    origin: Origin = Origin.ATLAS,
    cancelled: Callable[[], bool] | None = None,
) -> UpsertResult:
    """Insert new entries and update changed ones by id; report what happened to each.

    ``entries`` yields canonical dicts (``canonical_entry_dict``) whose ids are ``ids``, in
    the same order; it may be a generator, so validation of a large bundle overlaps with the
    writing. When an id occurs twice, the last occurrence wins. An atlas entry never replaces
    one of the user's own references (and vice versa): such ids are refused and reported. A
    withdrawn entry that arrives again is reinstated. ``cancelled`` is polled between chunks;
    when it returns True, :class:`UpsertCancelled` is raised so the caller's transaction rolls
    back.
    """
    result = UpsertResult()
    last_position = {entry_id: i for i, entry_id in enumerate(ids)}
    existing = _existing(conn, list(last_position))
    next_pk = int(conn.exec_driver_sql("SELECT coalesce(max(pk), 0) FROM entries").scalar() or 0)

    indexer = _Indexer(conn) if len(last_position) - len(existing) > _BULK_CHUNK else None
    if indexer is not None:
        # Each chunk becomes one index segment; merging them while inserting cost more than
        # the insert. They are merged after the import (Library.maintain), off the UI thread.
        conn.exec_driver_sql("INSERT INTO entries_fts (entries_fts, rank) VALUES ('automerge', 0)")
    pending_rows: list[tuple[Any, ...]] = []
    pending_tags: list[tuple[int, int]] = []
    tag_ids = TagIds(conn)
    updates: list[tuple[Any, ...]] = []
    changed: dict[int, Mapping[str, Any]] = {}

    def flush() -> None:
        nonlocal pending_rows, pending_tags
        if not pending_rows:
            return
        if cancelled is not None and cancelled():
            raise UpsertCancelled
        lo, hi = pending_rows[0][0], pending_rows[-1][0]
        if indexer is not None:
            indexer.wait()  # the connection is ours again
        _insert_rows(conn, pending_rows, pending_tags)
        if indexer is not None:
            indexer.start(lo, hi)  # indexes this chunk while we prepare the next one
        else:
            _index_range(conn, lo, hi)
        pending_rows, pending_tags = [], []

    try:
        for position, d in enumerate(entries):
            entry_id = d["id"]
            if last_position.get(entry_id) != position:
                continue  # a later occurrence of this id wins
            found = existing.get(entry_id)
            if found is None:
                next_pk += 1
                row = row_from_contract(d, origin, pk=next_pk)
                pending_rows.append((next_pk, *row, now, now))
                pending_tags.extend(
                    (row[0], tag_ids.get(category, label))
                    for category, labels in d["tags"].items()
                    for label in labels
                )
                result.new.append(entry_id)
                if len(pending_rows) >= _BULK_CHUNK:
                    flush()
                continue
            pk, old_origin, digest, withdrawn = found
            row = row_from_contract(d, origin, pk=pk)
            if old_origin != origin.value:
                owner = ("your own library" if old_origin == Origin.MINE.value
                         else "the atlas catalogue")
                result.refused.append((entry_id, f"the id is already used by {owner}"))
                continue
            if digest == row[HASH_INDEX] and not withdrawn:
                result.unchanged.append(entry_id)
                continue
            updates.append((*row[:ID_INDEX], *row[ID_INDEX + 1 :], now, pk))
            changed[pk] = d
        flush()
    finally:
        if indexer is not None:
            indexer.close()  # waits for the last chunk; re-raises its error, if any
            conn.exec_driver_sql(
                "INSERT INTO entries_fts (entries_fts, rank) VALUES ('automerge', 4)")

    if changed:
        before = {e.id: e for e in get_entries_by_pk(conn, list(changed))}
        for d in changed.values():
            result.changed.append(describe_change(before.get(d["id"]), entry_from_canonical(d)))
        _index_remove(conn, list(changed))
        conn.exec_driver_sql(_UPDATE_SQL, updates)
        _index_add(conn, list(changed))
    if cancelled is not None and cancelled():
        raise UpsertCancelled
    return result


_INSERT_PK_SQL: Final = (
    f"INSERT INTO entries (pk, {', '.join(ENTRY_COLUMNS)}, first_seen_at, changed_at) "
    f"VALUES ({', '.join('?' * (len(ENTRY_COLUMNS) + 3))})"
)


def _insert_rows(
    conn: Connection, rows: list[tuple[Any, ...]], tags: list[tuple[int, int]]
) -> None:
    conn.exec_driver_sql(_INSERT_PK_SQL, rows)
    if tags:
        tags.sort()
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO entry_tag_keys (sk, tag) VALUES (?, ?)", tags
        )


def _index_range(conn: Connection, lo: int, hi: int) -> None:
    conn.exec_driver_sql(
        # In sort-key order: FTS5 flushes its in-memory segment whenever a rowid arrives
        # below the previous one, so an unsorted insert writes a segment per row.
        f"INSERT INTO entries_fts (rowid, {_FTS_COLS}) "
        f"SELECT search_key, {_FTS_COLS} FROM entries_search WHERE pk BETWEEN ? AND ? "
        "ORDER BY search_key",
        (lo, hi),
    )


class _Indexer:
    """Builds the full-text index of one chunk on a second thread during a bulk insert.

    The index statement is a single long SQLite step, during which SQLite releases the GIL, so
    the caller validates and prepares the next chunk meanwhile. Row inserts stay on the
    caller's thread (many short steps would fight over the GIL). The connection is used by one
    thread at a time: the caller calls :meth:`wait` before touching it.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._jobs: queue.Queue[tuple[int, int] | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="atlas-fts-indexer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                if self._error is None:
                    _index_range(self._conn, *job)
            except BaseException as exc:
                self._error = exc
            finally:
                self._idle.set()

    def start(self, lo: int, hi: int) -> None:
        self._idle.clear()
        self._jobs.put((lo, hi))

    def wait(self) -> None:
        self._idle.wait()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        self._idle.wait()
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


class UpsertCancelled(Exception):
    """Raised inside the transaction so that it rolls back."""


def describe_change(before: Entry | None, after: Entry) -> EntryChange:
    if before is None:
        return EntryChange(after.id, ())
    old, new = entry_to_contract(before), entry_to_contract(after)
    fields = tuple(k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k))
    badges: dict[str, tuple[Any, Any]] = {}
    old_b, new_b = old.get("badges") or {}, new.get("badges") or {}
    for key in dict.fromkeys([*BADGE_KEYS, *old_b, *new_b]):
        if old_b.get(key) != new_b.get(key):
            badges[key] = (old_b.get(key), new_b.get(key))
    if before.withdrawn and "withdrawn" not in fields:
        fields = (*fields, "withdrawn")
    return EntryChange(after.id, fields, badges)


def withdraw_entries(conn: Connection, ids: Sequence[str], *, now: str) -> list[str]:
    """Mark atlas entries withdrawn (rows stay, so user data keeps its context)."""
    done: list[str] = []
    for chunk in _chunks(list(dict.fromkeys(ids))):
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            f"UPDATE entries SET withdrawn_at = ?, changed_at = ? WHERE id IN ({marks}) "
            "AND origin = 'atlas' AND withdrawn_at IS NULL RETURNING id",
            (now, now, *chunk),
        ).fetchall()
        done.extend(r[0] for r in rows)
    return done


def delete_entries(conn: Connection, ids: Sequence[str]) -> int:
    """Delete rows outright (used for the user's own references, never for atlas entries)."""
    count = 0
    for chunk in _chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        pks = [r[0] for r in conn.exec_driver_sql(
            f"SELECT pk FROM entries WHERE id IN ({marks}) AND origin = 'mine'", tuple(chunk))]
        if not pks:
            continue
        _index_remove(conn, pks)
        pk_marks = ",".join("?" * len(pks))
        count += conn.exec_driver_sql(
            f"DELETE FROM entries WHERE pk IN ({pk_marks})", tuple(pks)
        ).rowcount
    return count


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
    for chunk in _chunks(list(keys)):
        marks = ",".join("?" * len(chunk))
        for row in conn.exec_driver_sql(
            f"SELECT {_ALL_COLUMNS} FROM entries WHERE {column} IN ({marks})", tuple(chunk)
        ).mappings():
            found[row[column]] = row_to_entry(row)
    return found


def iter_entries_by_pk(conn: Connection, pks: Sequence[int]) -> Iterator[Entry]:
    """Entries for ``pks`` in order, fetched a chunk at a time (for streaming exports)."""
    for chunk in _chunks(list(pks)):
        yield from get_entries_by_pk(conn, chunk)


def pk_for_id(conn: Connection, entry_id: str) -> int | None:
    value = conn.exec_driver_sql("SELECT pk FROM entries WHERE id = ?", (entry_id,)).scalar()
    return int(value) if value is not None else None


def ids_for_pks(conn: Connection, pks: Sequence[int]) -> list[str]:
    found: dict[int, str] = {}
    for chunk in _chunks(list(pks)):
        marks = ",".join("?" * len(chunk))
        for pk, entry_id in conn.exec_driver_sql(
            f"SELECT pk, id FROM entries WHERE pk IN ({marks})", tuple(chunk)
        ):
            found[pk] = entry_id
    return [found[p] for p in pks if p in found]


def existing_ids(conn: Connection, ids: Iterable[str]) -> set[str]:
    return set(_existing(conn, list(ids)))


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
            OR (e.pmid IS NOT NULL AND a.pmid = e.pmid)) LIMIT 1)
FROM entries e
LEFT JOIN entry_state s ON s.entry_id = e.id
LEFT JOIN notes n ON n.entry_id = e.id
WHERE e.pk IN ({marks})
"""


def briefs(conn: Connection, pks: Sequence[int]) -> list[EntryBrief]:
    """Result lines for ``pks``, in that order, from the bibliographic columns only (86,000
    of them: ~2 s; reading full entries took ~12 s)."""
    found: dict[int, EntryBrief] = {}
    raw = sqlite_connection(conn)
    for chunk in _chunks(list(pks)):
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
    for chunk in _chunks(list(pks)):
        sql = _LIST_SQL.format(marks=",".join("?" * len(chunk)))
        for row in raw.execute(sql, tuple(chunk)):
            (pk, entry_id, title, authors_json, truncated, year, journal, badges_json,
             origin, withdrawn, incomplete, starred, noted, read, reported, linked) = row
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
            )
    return out

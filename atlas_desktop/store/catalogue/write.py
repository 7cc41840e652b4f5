"""Writing catalogue rows: the upsert of imports and catalogue pages, withdrawals, deletions.

Every function takes an open :class:`~sqlalchemy.Connection` inside the caller's transaction,
so an import or a catalogue page is applied whole or not at all. The derived indexes
(:mod:`.index`) are written in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.contract import entry_from_canonical, entry_to_contract
from atlas_desktop.domain.entry import BADGE_KEYS, Entry, Origin
from atlas_desktop.domain.listing import EntryChange, UpsertResult

from ..rows import ENTRY_COLUMNS, HASH_INDEX, ID_INDEX, row_from_contract
from .index import Indexer, index_add, index_range, index_remove
from .read import chunks, existing_rows, get_entries_by_pk

_UPDATE_SQL: Final = (
    "UPDATE entries SET "
    + ", ".join(f"{c} = ?" for c in ENTRY_COLUMNS if c != "id")
    + ", changed_at = ?, withdrawn_at = NULL WHERE pk = ?"
)


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
    existing = existing_rows(conn, list(last_position))
    next_pk = int(conn.exec_driver_sql("SELECT coalesce(max(pk), 0) FROM entries").scalar() or 0)

    indexer = Indexer(conn) if len(last_position) - len(existing) > _BULK_CHUNK else None
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
            index_range(conn, lo, hi)
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

    if changed:
        before = {e.id: e for e in get_entries_by_pk(conn, list(changed))}
        for d in changed.values():
            result.changed.append(describe_change(before.get(d["id"]), entry_from_canonical(d)))
        index_remove(conn, list(changed))
        conn.exec_driver_sql(_UPDATE_SQL, updates)
        index_add(conn, list(changed))
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
    for chunk in chunks(list(dict.fromkeys(ids))):
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
    for chunk in chunks(list(ids)):
        marks = ",".join("?" * len(chunk))
        pks = [r[0] for r in conn.exec_driver_sql(
            f"SELECT pk FROM entries WHERE id IN ({marks}) AND origin = 'mine'", tuple(chunk))]
        if not pks:
            continue
        index_remove(conn, pks)
        pk_marks = ",".join("?" * len(pks))
        count += conn.exec_driver_sql(
            f"DELETE FROM entries WHERE pk IN ({pk_marks})", tuple(pks)
        ).rowcount
    return count

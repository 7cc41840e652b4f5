"""Completed records, their notices, and what waits for a connection (migration 5).

Like the user tables these are keyed by the entry's string id, never by a catalogue row, so
catalogue updates and withdrawals leave them alone. They are never part of a bundle,
an export of the catalogue, or anything sync sends. Every function works inside the
caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import orjson
from sqlalchemy import Connection

from atlas_desktop.domain.completion import Notice, NoticeKind, SourceRecord, StoredRecord

_CHUNK: Final = 500


def _chunks(items: Sequence[str]) -> Iterable[tuple[str, ...]]:
    for start in range(0, len(items), _CHUNK):
        yield tuple(items[start:start + _CHUNK])


def records_for(conn: Connection, entry_ids: Sequence[str]) -> dict[str, list[StoredRecord]]:
    """Every source record kept for ``entry_ids``."""
    out: dict[str, list[StoredRecord]] = {}
    for chunk in _chunks(list(dict.fromkeys(entry_ids))):
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            "SELECT entry_id, source, identifier, retrieved_at, record_json "
            f"FROM completed_records WHERE entry_id IN ({marks})", chunk)
        for entry_id, source, identifier, retrieved_at, record_json in rows:
            record = SourceRecord.from_json(source, identifier, orjson.loads(record_json))
            out.setdefault(entry_id, []).append(StoredRecord(record, retrieved_at))
    return out


def any_records(conn: Connection) -> bool:
    """Whether anything was completed in this library at all."""
    return conn.exec_driver_sql("SELECT 1 FROM completed_records LIMIT 1").first() is not None


def save_record(conn: Connection, entry_id: str, record: SourceRecord, *, now: str) -> bool:
    """Keep ``record`` for the entry; False (nothing written) if the same was kept already."""
    data = orjson.dumps(record.to_json(), option=orjson.OPT_SORT_KEYS).decode()
    row = conn.exec_driver_sql(
        "SELECT identifier, record_json FROM completed_records WHERE entry_id = ? AND "
        "source = ?", (entry_id, record.source.value)).first()
    if row is not None and row[0] == record.identifier and row[1] == data:
        return False
    conn.exec_driver_sql(
        "INSERT INTO completed_records (entry_id, source, identifier, retrieved_at, "
        "record_json) VALUES (?, ?, ?, ?, ?) ON CONFLICT (entry_id, source) DO UPDATE SET "
        "identifier = excluded.identifier, retrieved_at = excluded.retrieved_at, "
        "record_json = excluded.record_json",
        (entry_id, record.source.value, record.identifier, now, data))
    return True


def set_notices(conn: Connection, entry_id: str, notices: Sequence[Notice]) -> None:
    """The entry's merged notices, as rows the search and the list can filter on."""
    conn.exec_driver_sql("DELETE FROM entry_notices WHERE entry_id = ?", (entry_id,))
    for notice in notices:
        conn.exec_driver_sql(
            "INSERT INTO entry_notices (entry_id, kind, source, date, doi, pmid) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (entry_id, notice.kind.value, notice.source, notice.date, notice.doi, notice.pmid))


def notices_of(conn: Connection, entry_id: str) -> list[Notice]:
    """The entry's notices as kept (to tell which of a new record's are new)."""
    rows = conn.exec_driver_sql(
        "SELECT kind, source, date, doi, pmid FROM entry_notices WHERE entry_id = ?",
        (entry_id,))
    return [Notice(NoticeKind(kind), source, date, doi, pmid)
            for kind, source, date, doi, pmid in rows]


def entries_with_notice(conn: Connection, kind: NoticeKind) -> set[str]:
    """Ids of the entries that have a notice of ``kind`` (``is:retracted`` and the like)."""
    rows = conn.exec_driver_sql(
        "SELECT DISTINCT entry_id FROM entry_notices WHERE kind = ?", (kind.value,))
    return {entry_id for (entry_id,) in rows}


def identifiers(conn: Connection, *, entry_ids: Sequence[str] | None = None,
                missing_only: bool = False) -> list[tuple[str, str | None, str | None]]:
    """(id, DOI, PMID) of live entries with an identifier: ``entry_ids``, or all of them
    (``missing_only``: those with nothing completed yet)."""
    select = "SELECT id, doi, pmid FROM entries WHERE withdrawn_at IS NULL AND " \
             "(doi IS NOT NULL OR pmid IS NOT NULL)"
    if entry_ids is not None:
        found: dict[str, tuple[str, str | None, str | None]] = {}
        for chunk in _chunks(list(entry_ids)):
            marks = ",".join("?" * len(chunk))
            for row in conn.exec_driver_sql(f"{select} AND id IN ({marks})", chunk):
                found[row[0]] = (row[0], row[1], row[2])
        return [found[i] for i in dict.fromkeys(entry_ids) if i in found]
    if missing_only:
        select += " AND id NOT IN (SELECT entry_id FROM completed_records)"
    return [(r[0], r[1], r[2]) for r in conn.exec_driver_sql(select + " ORDER BY pk")]


# --------------------------------------------------------------------------- waiting


def queue(conn: Connection, entry_ids: Sequence[str], *, now: str, error: str | None) -> None:
    """Entries whose lookup could not be made (offline, a busy server): tried again at the
    next connection."""
    for entry_id in dict.fromkeys(entry_ids):
        conn.exec_driver_sql(
            "INSERT INTO completion_queue (entry_id, queued_at, attempts, last_error) "
            "VALUES (?, ?, 1, ?) ON CONFLICT (entry_id) DO UPDATE SET "
            "attempts = completion_queue.attempts + 1, last_error = excluded.last_error",
            (entry_id, now, error))


def unqueue(conn: Connection, entry_ids: Sequence[str]) -> None:
    for chunk in _chunks(list(entry_ids)):
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(f"DELETE FROM completion_queue WHERE entry_id IN ({marks})", chunk)


def queued(conn: Connection) -> list[str]:
    return [r[0] for r in conn.exec_driver_sql(
        "SELECT entry_id FROM completion_queue ORDER BY queued_at, entry_id")]

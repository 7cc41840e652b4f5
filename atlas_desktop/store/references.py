"""Queries about the user's own references: duplicates, links to atlas entries, merging.

Like the rest of the store, every function works inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.entry import Entry
from atlas_desktop.domain.references import Fingerprint, normalised_name, normalised_title

from .engine import sqlite_connection
from .rows import BIBLIOGRAPHIC_COLUMNS, row_to_entry

_CHUNK: Final = 500


def reference_fingerprints(conn: Connection) -> list[Fingerprint]:
    """Fingerprints of every live reference of the user's own library (front columns only,
    so this reads no prose)."""
    rows = conn.exec_driver_sql(
        "SELECT id, doi_norm, pmid, title, year, first_author FROM entries "
        "WHERE origin = 'mine' AND withdrawn_at IS NULL ORDER BY pk"
    )
    return [
        Fingerprint(id=entry_id, doi=doi, pmid=pmid, title=normalised_title(title), year=year,
                    first_author=normalised_name(first))
        for entry_id, doi, pmid, title, year, first in rows
    ]


def atlas_links(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """For the user's references ``ids``: the atlas entry each one links to (same DOI or
    PMID), as the list pane computes it."""
    links: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = tuple(ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            "SELECT e.id, (SELECT a.id FROM entries a WHERE a.origin = 'atlas' AND ("
            "(e.doi_norm IS NOT NULL AND a.doi_norm = e.doi_norm) OR "
            "(e.pmid IS NOT NULL AND a.pmid = e.pmid)) LIMIT 1) "
            f"FROM entries e WHERE e.origin = 'mine' AND e.id IN ({marks})",
            chunk,
        )
        links.update({entry_id: atlas_id for entry_id, atlas_id in rows if atlas_id})
    return links


def move_user_data(conn: Connection, *, from_id: str, to_id: str, now: str) -> None:
    """Carry notes, stars, read marks, collections and labels of ``from_id`` over to
    ``to_id`` (merging references), then drop what ``from_id`` had.

    Notes are joined, never dropped; a star or read mark on either survives.
    """
    notes: dict[str, str] = dict(conn.exec_driver_sql(
        "SELECT entry_id, text FROM notes WHERE entry_id IN (?, ?)", (from_id, to_id)).all())
    if from_id in notes:
        text = notes[from_id]
        if to_id in notes and notes[to_id].strip() != text.strip():
            text = f"{notes[to_id]}\n\n{text}"
        elif to_id in notes:
            text = notes[to_id]
        conn.exec_driver_sql(
            "INSERT INTO notes (entry_id, text, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (entry_id) DO UPDATE SET text = excluded.text, "
            "updated_at = excluded.updated_at", (to_id, text, now, now))
    state = conn.exec_driver_sql(
        "SELECT starred_at, read_at FROM entry_state WHERE entry_id = ?", (from_id,)).first()
    if state is not None:
        conn.exec_driver_sql(
            "INSERT INTO entry_state (entry_id, starred_at, read_at) VALUES (?, ?, ?) "
            "ON CONFLICT (entry_id) DO UPDATE SET "
            "starred_at = coalesce(entry_state.starred_at, excluded.starred_at), "
            "read_at = coalesce(entry_state.read_at, excluded.read_at)",
            (to_id, state[0], state[1]))
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO collection_entries (collection_id, entry_id, added_at) "
        "SELECT collection_id, ?, added_at FROM collection_entries WHERE entry_id = ?",
        (to_id, from_id))
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO entry_labels (entry_id, label_id) "
        "SELECT ?, label_id FROM entry_labels WHERE entry_id = ?", (to_id, from_id))
    for table in ("notes", "entry_state", "collection_entries", "entry_labels"):
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE entry_id = ?", (from_id,))


def origins(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """id -> origin for the ids that exist."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = tuple(wanted[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        found.update(conn.exec_driver_sql(
            f"SELECT id, origin FROM entries WHERE id IN ({marks})", chunk).all())
    return found


_BIBLIOGRAPHIC_SQL: Final = (
    f"SELECT {', '.join(BIBLIOGRAPHIC_COLUMNS)} FROM entries WHERE {{where}}"
)


def iter_bibliographic(conn: Connection, *, pks: Sequence[int] | None = None,
                       ids: Sequence[str] | None = None) -> Iterator[Entry]:
    """Entries with only what a citation or a reference file needs (no prose, badges or
    tags), in the order of ``pks`` or ``ids``, a chunk at a time. Exports of 10,000 entries
    spent half their time building the prose they never write."""
    keys: Sequence[Any] = pks if pks is not None else (ids or [])
    column = "pk" if pks is not None else "id"
    # Plain DB-API rows made into dicts: SQLAlchemy's row mappings cost more than the dicts.
    raw = sqlite_connection(conn)
    for start in range(0, len(keys), _CHUNK):
        chunk = tuple(keys[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        rows = raw.execute(_BIBLIOGRAPHIC_SQL.format(where=f"{column} IN ({marks})"), chunk)
        by_key = {m[column]: m for m in (dict(zip(BIBLIOGRAPHIC_COLUMNS, row, strict=True))
                                         for row in rows)}
        for key in chunk:
            m = by_key.get(key)
            if m is not None:
                yield row_to_entry(m, whole=False)

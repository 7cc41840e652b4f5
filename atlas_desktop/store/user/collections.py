"""The user's collections: named, soft-deleted (so a deletion can be undone), by entry id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from atlas_desktop.domain.annotations import Collection

_COLLECTION_SQL: Final = """
SELECT c.id, c.name, c.created_at,
       (SELECT count(*) FROM collection_entries ce WHERE ce.collection_id = c.id)
FROM collections c WHERE c.deleted_at IS NULL
"""


def list_collections(conn: Connection) -> list[Collection]:
    return [
        Collection(*r)
        for r in conn.exec_driver_sql(_COLLECTION_SQL + " ORDER BY c.name COLLATE NOCASE")
    ]


def collection_by_name(conn: Connection, name: str) -> Collection | None:
    row = conn.exec_driver_sql(
        _COLLECTION_SQL + " AND c.name = ? COLLATE NOCASE", (name,)
    ).first()
    return Collection(*row) if row else None


def collection_by_id(conn: Connection, collection_id: int) -> Collection | None:
    row = conn.exec_driver_sql(_COLLECTION_SQL + " AND c.id = ?", (collection_id,)).first()
    return Collection(*row) if row else None


def create_collection(conn: Connection, name: str, *, now: str) -> Collection:
    try:
        row = conn.exec_driver_sql(
            "INSERT INTO collections (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
            (name, now, now),
        ).first()
    except IntegrityError:
        raise ValueError(f"A collection called “{name}” already exists.") from None
    assert row is not None
    return Collection(int(row[0]), name, now, 0)


def rename_collection(conn: Connection, collection_id: int, name: str, *, now: str) -> None:
    try:
        conn.exec_driver_sql(
            "UPDATE collections SET name = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
            (name, now, collection_id),
        )
    except IntegrityError:
        raise ValueError(f"A collection called “{name}” already exists.") from None


def delete_collection(conn: Connection, collection_id: int, *, now: str) -> None:
    """Soft delete: the rows stay until purged, so the deletion can be undone."""
    conn.exec_driver_sql(
        "UPDATE collections SET deleted_at = ?, updated_at = ? WHERE id = ?",
        (now, now, collection_id),
    )


def restore_collection(conn: Connection, collection_id: int, *, now: str) -> None:
    try:
        conn.exec_driver_sql(
            "UPDATE collections SET deleted_at = NULL, updated_at = ? WHERE id = ?",
            (now, collection_id),
        )
    except IntegrityError:
        raise ValueError(
            "A collection with the same name was created meanwhile; rename it first."
        ) from None


def purge_deleted_collections(conn: Connection, *, before: str) -> int:
    return conn.exec_driver_sql(
        "DELETE FROM collections WHERE deleted_at IS NOT NULL AND deleted_at < ?", (before,)
    ).rowcount


def add_to_collection(
    conn: Connection, collection_id: int, entry_ids: Sequence[str], *, now: str
) -> int:
    before = conn.exec_driver_sql(
        "SELECT count(*) FROM collection_entries WHERE collection_id = ?", (collection_id,)
    ).scalar()
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO collection_entries (collection_id, entry_id, added_at) "
        "VALUES (?, ?, ?)",
        [(collection_id, e, now) for e in entry_ids],
    )
    after = conn.exec_driver_sql(
        "SELECT count(*) FROM collection_entries WHERE collection_id = ?", (collection_id,)
    ).scalar()
    return int(after or 0) - int(before or 0)


def remove_from_collection(conn: Connection, collection_id: int, entry_ids: Sequence[str]) -> None:
    conn.exec_driver_sql(
        "DELETE FROM collection_entries WHERE collection_id = ? AND entry_id = ?",
        [(collection_id, e) for e in entry_ids],
    )


def collection_entry_ids(conn: Connection, collection_id: int) -> list[str]:
    return [
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT entry_id FROM collection_entries WHERE collection_id = ? ORDER BY added_at, "
            "entry_id",
            (collection_id,),
        )
    ]

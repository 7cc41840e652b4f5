"""Notes and per-entry state (star, read), and everything the user attached to one entry."""

from __future__ import annotations

from sqlalchemy import Connection

from atlas_desktop.domain.annotations import Label, Note, UserData

from .reports import reports_for_entry


def get_note(conn: Connection, entry_id: str) -> Note | None:
    row = conn.exec_driver_sql(
        "SELECT entry_id, text, created_at, updated_at FROM notes WHERE entry_id = ?", (entry_id,)
    ).first()
    return Note(*row) if row else None


def set_note(conn: Connection, entry_id: str, text: str, *, now: str) -> Note | None:
    """Save (or, for blank text, delete) the note of an entry."""
    if not text.strip():
        conn.exec_driver_sql("DELETE FROM notes WHERE entry_id = ?", (entry_id,))
        return None
    conn.exec_driver_sql(
        "INSERT INTO notes (entry_id, text, created_at, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (entry_id) DO UPDATE SET text = excluded.text, "
        "updated_at = excluded.updated_at",
        (entry_id, text, now, now),
    )
    return get_note(conn, entry_id)


def set_starred(conn: Connection, entry_id: str, starred: bool, *, now: str) -> None:
    conn.exec_driver_sql(
        "INSERT INTO entry_state (entry_id, starred_at) VALUES (?, ?) "
        "ON CONFLICT (entry_id) DO UPDATE SET starred_at = excluded.starred_at",
        (entry_id, now if starred else None),
    )


def set_read(conn: Connection, entry_id: str, read: bool, *, now: str) -> None:
    conn.exec_driver_sql(
        "INSERT INTO entry_state (entry_id, read_at) VALUES (?, ?) "
        "ON CONFLICT (entry_id) DO UPDATE SET read_at = excluded.read_at",
        (entry_id, now if read else None),
    )


def user_data(conn: Connection, entry_id: str) -> UserData:
    state = conn.exec_driver_sql(
        "SELECT starred_at, read_at FROM entry_state WHERE entry_id = ?", (entry_id,)
    ).first()
    labels = tuple(
        Label(*r)
        for r in conn.exec_driver_sql(
            "SELECT l.id, l.name, l.color FROM entry_labels el JOIN labels l ON l.id = el.label_id "
            "WHERE el.entry_id = ? ORDER BY l.name COLLATE NOCASE",
            (entry_id,),
        )
    )
    collections = tuple(
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT c.name FROM collection_entries ce "
            "JOIN collections c ON c.id = ce.collection_id "
            "WHERE ce.entry_id = ? AND c.deleted_at IS NULL ORDER BY c.name COLLATE NOCASE",
            (entry_id,),
        )
    )
    reports = tuple(reports_for_entry(conn, entry_id))
    return UserData(
        entry_id=entry_id,
        note=get_note(conn, entry_id),
        starred=bool(state and state[0]),
        read=bool(state and state[1]),
        labels=labels,
        collections=collections,
        reports=reports,
    )

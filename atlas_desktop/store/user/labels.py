"""The user's labels and which entries carry them."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from atlas_desktop.domain.annotations import Label


def list_labels(conn: Connection) -> list[Label]:
    return [
        Label(*r)
        for r in conn.exec_driver_sql(
            "SELECT id, name, color FROM labels ORDER BY name COLLATE NOCASE"
        )
    ]


def create_label(conn: Connection, name: str, color: str, *, now: str) -> Label:
    try:
        row = conn.exec_driver_sql(
            "INSERT INTO labels (name, color, created_at) VALUES (?, ?, ?) RETURNING id",
            (name, color, now),
        ).first()
    except IntegrityError:
        raise ValueError(f"A label called “{name}” already exists.") from None
    assert row is not None
    return Label(int(row[0]), name, color)


def label_by_name(conn: Connection, name: str) -> Label | None:
    row = conn.exec_driver_sql(
        "SELECT id, name, color FROM labels WHERE name = ? COLLATE NOCASE", (name,)
    ).first()
    return Label(*row) if row else None


def set_entry_label(conn: Connection, entry_id: str, label_id: int, on: bool) -> None:
    if on:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO entry_labels (entry_id, label_id) VALUES (?, ?)",
            (entry_id, label_id),
        )
    else:
        conn.exec_driver_sql(
            "DELETE FROM entry_labels WHERE entry_id = ? AND label_id = ?", (entry_id, label_id)
        )


def delete_label(conn: Connection, label_id: int) -> None:
    conn.exec_driver_sql("DELETE FROM labels WHERE id = ?", (label_id,))

"""User tables: notes, entry state, labels, collections, the report outbox, settings.

All keyed by the entry's string id and never joined to a catalogue row by constraint, so
catalogue updates and withdrawals leave them exactly as they were.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from atlas_desktop.domain.annotations import Collection, Label, Note, UserData
from atlas_desktop.domain.reports import CorrectionReport, ReportStatus

# --------------------------------------------------------------------------- notes and state


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
    reports = tuple(r.to_summary() for r in reports_for_entry(conn, entry_id))
    return UserData(
        entry_id=entry_id,
        note=get_note(conn, entry_id),
        starred=bool(state and state[0]),
        read=bool(state and state[1]),
        labels=labels,
        collections=collections,
        reports=reports,
    )


# --------------------------------------------------------------------------- labels


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


# --------------------------------------------------------------------------- collections

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


# --------------------------------------------------------------------------- reports

_REPORT_COLUMNS: Final = (
    "report_id, entry_id, field, body, status, attempts, last_error, next_attempt_at, "
    "created_at, sent_at, received_at, withdrawn_at, server_status, reviewer_note, "
    "status_checked_at"
)


def _report_from_row(row: Any) -> CorrectionReport:
    (report_id, entry_id, field, body, status, attempts, last_error, next_attempt_at,
     created_at, sent_at, received_at, withdrawn_at, server_status, reviewer_note,
     status_checked_at) = row
    data = json.loads(body)
    return CorrectionReport(
        report_id=report_id,
        entry_id=entry_id,
        field=field,
        problem=data.get("problem", ""),
        suggested_correction=data.get("suggested_correction"),
        contact=data.get("contact"),
        current_value=data.get("current_value"),
        entry_last_updated=data.get("entry_last_updated"),
        created_at=created_at,
        body=body,
        status=ReportStatus(status),
        attempts=attempts,
        last_error=last_error,
        next_attempt_at=next_attempt_at,
        sent_at=sent_at,
        received_at=received_at,
        withdrawn_at=withdrawn_at,
        server_status=server_status,
        reviewer_note=reviewer_note,
        status_checked_at=status_checked_at,
    )


def insert_report(conn: Connection, report: CorrectionReport, *, now: str) -> None:
    conn.exec_driver_sql(
        "INSERT INTO reports (report_id, entry_id, field, body, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (report.report_id, report.entry_id, report.field, report.body, report.status.value,
         report.created_at, now),
    )


def get_report(conn: Connection, report_id: str) -> CorrectionReport | None:
    row = conn.exec_driver_sql(
        f"SELECT {_REPORT_COLUMNS} FROM reports WHERE report_id = ?", (report_id,)
    ).first()
    return _report_from_row(row) if row else None


def list_reports(
    conn: Connection, statuses: Sequence[ReportStatus] | None = None
) -> list[CorrectionReport]:
    """Reports oldest first (the order they are sent in)."""
    if statuses:
        marks = ",".join("?" * len(statuses))
        rows = conn.exec_driver_sql(
            f"SELECT {_REPORT_COLUMNS} FROM reports WHERE status IN ({marks}) ORDER BY seq",
            tuple(s.value for s in statuses),
        )
    else:
        rows = conn.exec_driver_sql(f"SELECT {_REPORT_COLUMNS} FROM reports ORDER BY seq")
    return [_report_from_row(r) for r in rows]


def reports_for_entry(conn: Connection, entry_id: str) -> list[CorrectionReport]:
    return [
        _report_from_row(r)
        for r in conn.exec_driver_sql(
            f"SELECT {_REPORT_COLUMNS} FROM reports WHERE entry_id = ? ORDER BY seq", (entry_id,)
        )
    ]


def update_report(conn: Connection, report_id: str, *, now: str, **values: Any) -> int:
    """Set columns of one report; ``status`` values may be :class:`ReportStatus`."""
    allowed = {
        "body", "field", "status", "attempts", "last_error", "last_http_status",
        "next_attempt_at", "sent_at", "received_at", "withdrawn_at", "server_status",
        "reviewer_note", "status_checked_at",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not report columns: {sorted(unknown)}")
    params = {k: (v.value if isinstance(v, ReportStatus) else v) for k, v in values.items()}
    assignments = ", ".join(f"{k} = ?" for k in params)
    return conn.exec_driver_sql(
        f"UPDATE reports SET {assignments}, updated_at = ? WHERE report_id = ?",
        (*params.values(), now, report_id),
    ).rowcount


def count_reports(conn: Connection, statuses: Sequence[ReportStatus]) -> int:
    marks = ",".join("?" * len(statuses))
    return int(
        conn.exec_driver_sql(
            f"SELECT count(*) FROM reports WHERE status IN ({marks})",
            tuple(s.value for s in statuses),
        ).scalar()
        or 0
    )


# --------------------------------------------------------------------------- settings, meta


def get_setting(conn: Connection, key: str, default: Any = None) -> Any:
    value = conn.exec_driver_sql("SELECT value_json FROM settings WHERE key = ?", (key,)).scalar()
    return json.loads(value) if value is not None else default


def set_setting(conn: Connection, key: str, value: Any) -> None:
    if value is None:
        conn.exec_driver_sql("DELETE FROM settings WHERE key = ?", (key,))
        return
    conn.exec_driver_sql(
        "INSERT INTO settings (key, value_json) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json",
        (key, json.dumps(value, ensure_ascii=False)),
    )


def get_meta(conn: Connection, key: str) -> str | None:
    value = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (key,)).scalar()
    return str(value) if value is not None else None


def set_meta(conn: Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (key,))
        return
    conn.exec_driver_sql(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def report_http_status(conn: Connection, report_id: str) -> int | None:
    value = conn.exec_driver_sql(
        "SELECT last_http_status FROM reports WHERE report_id = ?", (report_id,)
    ).scalar()
    return int(value) if value is not None else None

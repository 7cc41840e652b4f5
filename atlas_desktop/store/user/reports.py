"""The outbox: correction reports and their delivery state."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.reports import CorrectionReport, ReportStatus

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


def report_http_status(conn: Connection, report_id: str) -> int | None:
    value = conn.exec_driver_sql(
        "SELECT last_http_status FROM reports WHERE report_id = ?", (report_id,)
    ).scalar()
    return int(value) if value is not None else None

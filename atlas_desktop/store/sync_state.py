"""What the sync service keeps: which reports are due, the claim before a send, the record
of catalogue changes, and the pull cursor.

Every function runs inside the caller's transaction. The sync service commits the claim of
a report (status ``sending``, one more attempt) *before* the request, and the outcome in a
second transaction after it, so a crash in between leaves the report ``sending``: it is then
simply sent again, and the server's idempotency key makes that harmless.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.listing import EntryChange
from atlas_desktop.domain.reports import CorrectionReport, ReportStatus
from atlas_desktop.domain.sync import FINAL_REVIEW_STATUSES, CatalogueChange, ChangeKind

from .user.reports import get_report, update_report
from .user.settings import get_meta, set_meta

CURSOR_KEY: Final = "sync.catalogue_cursor"
_SENDABLE: Final = (ReportStatus.QUEUED.value, ReportStatus.SENDING.value)

# --------------------------------------------------------------------------- reports


def due_report_ids(conn: Connection, *, due_by: str | None) -> list[str]:
    """Reports waiting to be sent, oldest first. With ``due_by``, only those whose backoff
    has passed (automatic runs); without, all of them ("Sync now")."""
    sql = "SELECT report_id FROM reports WHERE status IN (?, ?)"
    params: tuple[Any, ...] = _SENDABLE
    if due_by is not None:
        sql += " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
        params = (*params, due_by)
    return [r[0] for r in conn.exec_driver_sql(sql + " ORDER BY seq", params)]


def next_attempt_time(conn: Connection) -> str | None:
    """The earliest time a waiting report becomes due (None: one is due now or none wait)."""
    row = conn.exec_driver_sql(
        "SELECT count(*), count(next_attempt_at), min(next_attempt_at) FROM reports "
        "WHERE status IN (?, ?)", _SENDABLE).first()
    if row is None or not row[0] or row[0] != row[1]:
        return None
    return str(row[2])


def claim_report(conn: Connection, report_id: str, *, now: str) -> CorrectionReport | None:
    """Mark a waiting report ``sending`` and count the attempt; None if it no longer waits
    (withdrawn, or sent by another process meanwhile)."""
    report = get_report(conn, report_id)
    if report is None or report.status.value not in _SENDABLE:
        return None
    update_report(conn, report_id, now=now, status=ReportStatus.SENDING,
                             attempts=report.attempts + 1)
    return get_report(conn, report_id)


def reports_to_poll(
    conn: Connection, *, checked_before: str, sent_after: str, limit: int
) -> list[CorrectionReport]:
    """Sent reports whose review is not final and whose status was not checked lately,
    least recently checked first."""
    finals = ",".join("?" * len(FINAL_REVIEW_STATUSES))
    rows = conn.exec_driver_sql(
        "SELECT report_id FROM reports WHERE status = 'sent' "
        f"AND (server_status IS NULL OR server_status NOT IN ({finals})) "
        "AND (status_checked_at IS NULL OR status_checked_at < ?) "
        "AND coalesce(sent_at, created_at) >= ? "
        "ORDER BY status_checked_at IS NOT NULL, status_checked_at, seq LIMIT ?",
        (*FINAL_REVIEW_STATUSES, checked_before, sent_after, limit),
    ).fetchall()
    found = [get_report(conn, r[0]) for r in rows]
    return [r for r in found if r is not None]


def report_counts(conn: Connection) -> dict[str, int]:
    return {
        str(status): int(count)
        for status, count in conn.exec_driver_sql(
            "SELECT status, count(*) FROM reports GROUP BY status")
    }


# --------------------------------------------------------------------------- catalogue record


def get_cursor(conn: Connection) -> tuple[str | None, str | None]:
    """(server URL, cursor) of the last page applied; (None, None) before the first pull."""
    raw = get_meta(conn, CURSOR_KEY)
    if raw is None:
        return None, None
    data = json.loads(raw)
    return data.get("server"), data.get("cursor")


def set_cursor(conn: Connection, *, server_url: str, cursor: str | None) -> None:
    set_meta(conn, CURSOR_KEY, json.dumps({"server": server_url, "cursor": cursor}))


def clear_cursor(conn: Connection) -> None:
    set_meta(conn, CURSOR_KEY, None)


def record_changes(
    conn: Connection,
    *,
    run_id: str,
    pulled_at: str,
    new: Sequence[str],
    changed: Sequence[EntryChange],
    withdrawn: Sequence[str],
    titles: dict[str, str | None],
) -> list[CatalogueChange]:
    """Write what one page changed; returns the records written."""
    records = [CatalogueChange(i, ChangeKind.NEW, pulled_at, title=titles.get(i)) for i in new]
    records += [
        CatalogueChange(c.id, ChangeKind.CHANGED, pulled_at, tuple(c.fields), dict(c.badges),
                        title=titles.get(c.id))
        for c in changed
    ]
    records += [CatalogueChange(i, ChangeKind.WITHDRAWN, pulled_at, title=titles.get(i))
                for i in withdrawn]
    if records:
        conn.exec_driver_sql(
            "INSERT INTO catalogue_changes (run_id, pulled_at, entry_id, kind, title, "
            "fields_json, badges_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(run_id, r.pulled_at, r.entry_id, r.kind.value, r.title,
              json.dumps(list(r.fields)), json.dumps({k: list(v) for k, v in r.badges.items()},
                                                     ensure_ascii=False, default=str))
             for r in records],
        )
    return records


def titles_for(conn: Connection, ids: Sequence[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for entry_id, title in conn.exec_driver_sql(
                f"SELECT id, title FROM entries WHERE id IN ({marks})", tuple(chunk)):
            out[entry_id] = title
    return out


def _change_from_row(row: Any) -> CatalogueChange:
    _seq, _run, pulled_at, entry_id, kind, title, fields_json, badges_json = row
    badges = {k: (v[0], v[1]) for k, v in json.loads(badges_json).items()}
    return CatalogueChange(entry_id, ChangeKind(kind), pulled_at, tuple(json.loads(fields_json)),
                           badges, title=title)


def list_changes(
    conn: Connection, *, run_id: str | None = None, after_seq: int = 0, limit: int | None = None
) -> list[CatalogueChange]:
    return [change for _, change in list_run_changes(conn, run_id=run_id, after_seq=after_seq,
                                                     limit=limit)]


def list_run_changes(conn: Connection, *, run_id: str | None = None, after_seq: int = 0,
                     limit: int | None = None) -> list[tuple[str, CatalogueChange]]:
    """The changes recorded after ``after_seq`` (of one sync, if ``run_id``), in the order
    they were written, each with the id of the sync that recorded it."""
    sql = ("SELECT seq, run_id, pulled_at, entry_id, kind, title, fields_json, badges_json "
           "FROM catalogue_changes WHERE seq > ?")
    params: tuple[Any, ...] = (after_seq,)
    if run_id is not None:
        sql += " AND run_id = ?"
        params = (*params, run_id)
    sql += " ORDER BY seq"
    if limit is not None:
        sql += " LIMIT ?"
        params = (*params, limit)
    return [(str(r[1]), _change_from_row(r)) for r in conn.exec_driver_sql(sql, params)]


def latest_change(conn: Connection) -> tuple[int, str | None]:
    """(highest seq, its run id), (0, None) when nothing was ever recorded."""
    row = conn.exec_driver_sql(
        "SELECT seq, run_id FROM catalogue_changes ORDER BY seq DESC LIMIT 1").first()
    return (int(row[0]), str(row[1])) if row else (0, None)


def count_changes_after(conn: Connection, seq: int) -> int:
    """Changes recorded after ``seq`` as the window lists them: one per entry and sync (an
    entry sent on two pages of one sync is one change)."""
    return int(conn.exec_driver_sql(
        "SELECT count(*) FROM (SELECT DISTINCT run_id, entry_id FROM catalogue_changes "
        "WHERE seq > ?)", (seq,)).scalar() or 0)


def prune_changes(conn: Connection, *, before: str) -> int:
    """Forget change records older than ``before`` (the record is for recent news)."""
    return conn.exec_driver_sql(
        "DELETE FROM catalogue_changes WHERE pulled_at < ?", (before,)).rowcount

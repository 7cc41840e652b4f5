"""The reference server's own SQLite file: stored reports, review statuses, the catalogue.

Invariants:
- A ``report_id`` is stored once. The same id with the same body bytes is a replay; with
  other bytes it is a conflict. The check and the insert happen under one lock and in one
  transaction, so two concurrent requests for one id cannot both store it.
- Every catalogue change (a new or changed entry, a deletion) takes the next ``version``;
  a cursor names the last version a client has seen, so pages never skip or repeat a change.
"""

from __future__ import annotations

import base64
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

_SCHEMA: Final = (
    """
    CREATE TABLE IF NOT EXISTS reports (
        report_id TEXT PRIMARY KEY,
        body BLOB NOT NULL,
        received_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'received',
        reviewer_note TEXT,
        updated_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS catalogue (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL UNIQUE,
        entry_json TEXT,
        deleted INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class StoredReport:
    report_id: str
    body: bytes
    received_at: str
    status: str
    reviewer_note: str | None
    updated_at: str

    def receipt(self) -> dict[str, Any]:
        """What the server answers to a POST (201 or 200)."""
        return {"report_id": self.report_id, "status": self.status,
                "received_at": self.received_at}

    def status_object(self) -> dict[str, Any]:
        return {"report_id": self.report_id, "status": self.status,
                "reviewer_note": self.reviewer_note, "updated_at": self.updated_at}


class CursorError(ValueError):
    """A ``since`` value this server did not hand out."""


@dataclass(frozen=True, slots=True)
class CataloguePage:
    entries_json: list[str]
    deleted: list[str]
    next_cursor: str
    has_more: bool

    def to_json(self) -> bytes:
        head = '{"entries": [' + ",".join(self.entries_json) + "], "
        tail = json.dumps({"deleted": self.deleted, "next_cursor": self.next_cursor,
                           "has_more": self.has_more})
        return (head + tail[1:]).encode("utf-8")


class ServerDB:
    """Thread-safe: one connection, one lock (the server is small; correctness first)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = FULL")
        with self._lock:
            for statement in _SCHEMA:
                self._conn.execute(statement)
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()
            if row is None:
                # Cursors name this file's history; a different file refuses them.
                self._epoch = secrets.token_hex(4)
                self._conn.execute("INSERT INTO meta VALUES ('epoch', ?)", (self._epoch,))
            else:
                self._epoch = str(row[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # ------------------------------------------------------------------ reports

    def store_report(
        self, report_id: str, body: bytes
    ) -> tuple[Literal["created", "replayed", "conflict"], StoredReport | None]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                found = self._get_report(report_id)
                if found is not None:
                    self._conn.execute("COMMIT")
                    return ("replayed", found) if found.body == body else ("conflict", found)
                now = now_rfc3339()
                self._conn.execute(
                    "INSERT INTO reports (report_id, body, received_at, updated_at) "
                    "VALUES (?, ?, ?, ?)", (report_id, body, now, now))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            stored = self._get_report(report_id)
        assert stored is not None
        return "created", stored

    def _get_report(self, report_id: str) -> StoredReport | None:
        row = self._conn.execute(
            "SELECT report_id, body, received_at, status, reviewer_note, updated_at "
            "FROM reports WHERE report_id = ?", (report_id,)).fetchone()
        return StoredReport(row[0], bytes(row[1]), *row[2:]) if row else None

    def get_report(self, report_id: str) -> StoredReport | None:
        with self._lock:
            return self._get_report(report_id)

    def all_reports(self) -> list[StoredReport]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT report_id, body, received_at, status, reviewer_note, updated_at "
                "FROM reports ORDER BY rowid").fetchall()
        return [StoredReport(r[0], bytes(r[1]), *r[2:]) for r in rows]

    def set_review(self, report_id: str, status: str, note: str | None = None) -> bool:
        with self._lock:
            return self._conn.execute(
                "UPDATE reports SET status = ?, reviewer_note = ?, updated_at = ? "
                "WHERE report_id = ?", (status, note, now_rfc3339(), report_id)).rowcount == 1

    # ------------------------------------------------------------------ catalogue

    def put_entries(self, entries: Iterable[Mapping[str, Any]]) -> int:
        """Add or change entries (each takes a new version if its JSON differs)."""
        changed = 0
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                version = self._max_version()
                for entry in entries:
                    text = json.dumps(entry, ensure_ascii=False, sort_keys=False)
                    row = self._conn.execute(
                        "SELECT entry_json, deleted FROM catalogue WHERE id = ?",
                        (entry["id"],)).fetchone()
                    if row is not None and row[0] == text and not row[1]:
                        continue
                    version += 1
                    changed += 1
                    self._conn.execute(
                        "INSERT INTO catalogue (id, version, entry_json, deleted) "
                        "VALUES (?, ?, ?, 0) ON CONFLICT (id) DO UPDATE SET "
                        "version = excluded.version, entry_json = excluded.entry_json, "
                        "deleted = 0", (entry["id"], version, text))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return changed

    def delete_entries(self, ids: Iterable[str]) -> int:
        changed = 0
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                version = self._max_version()
                for entry_id in ids:
                    row = self._conn.execute(
                        "SELECT deleted FROM catalogue WHERE id = ?", (entry_id,)).fetchone()
                    if row is None or row[0]:
                        continue
                    version += 1
                    changed += 1
                    self._conn.execute(
                        "UPDATE catalogue SET version = ?, entry_json = NULL, deleted = 1 "
                        "WHERE id = ?", (version, entry_id))
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return changed

    def live_ids(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute(
                "SELECT id FROM catalogue WHERE deleted = 0 ORDER BY version")]

    def catalogue_state(self) -> dict[str, dict[str, Any] | None]:
        """Every id the catalogue ever had: its entry, or None once deleted."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, entry_json FROM catalogue ORDER BY version").fetchall()
        return {r[0]: (json.loads(r[1]) if r[1] is not None else None) for r in rows}

    def _max_version(self) -> int:
        return int(self._conn.execute(
            "SELECT coalesce(max(version), 0) FROM catalogue").fetchone()[0])

    def encode_cursor(self, version: int) -> str:
        raw = f"{self._epoch}:{version}".encode("ascii")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def decode_cursor(self, cursor: str) -> int:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            epoch, version = base64.urlsafe_b64decode(padded.encode("ascii")).decode(
                "ascii").split(":")
            number = int(version)
        except (ValueError, UnicodeError):
            raise CursorError("this cursor was not made by this server") from None
        if epoch != self._epoch or number < 0:
            raise CursorError("this cursor was not made by this server")
        return number

    def page(self, since: str | None, limit: int) -> CataloguePage:
        after = self.decode_cursor(since) if since else 0
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, version, entry_json, deleted FROM catalogue WHERE version > ? "
                "ORDER BY version LIMIT ?", (after, limit)).fetchall()
            last = rows[-1][1] if rows else after
            more = self._conn.execute(
                "SELECT EXISTS (SELECT 1 FROM catalogue WHERE version > ?)", (last,)
            ).fetchone()[0]
        return CataloguePage(
            entries_json=[r[2] for r in rows if not r[3]],
            deleted=[r[0] for r in rows if r[3]],
            next_cursor=self.encode_cursor(last),
            has_more=bool(more),
        )

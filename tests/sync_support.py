"""Helpers for the sync tests: real servers on loopback, a keyring at the process edge,
a clock the test moves, and libraries with queued reports."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from atlas_desktop.domain.contract import canonical_entry_dict, entry_to_contract
from atlas_desktop.domain.reports import ReportDraft, ReportStatus
from atlas_desktop.domain.sync import ChangeKind
from atlas_desktop.refserver import RefServer
from atlas_desktop.services.sync import SyncService
from atlas_desktop.services.sync_run import SyncOptions
from atlas_desktop.store import sync_state
from atlas_desktop.sync.retry import Backoff
from tests.conftest import SEED_IDS


def contract_entry(entry_id: str, **fields: Any) -> dict[str, Any]:
    """A small, valid catalogue entry."""
    entry: dict[str, Any] = {
        "id": entry_id,
        "title": f"A study called {entry_id}",
        "authors": [{"family": "Okafor", "given": "Ada"}],
        "journal": "Journal of Tests",
        "year": 2020,
        "summary": f"What {entry_id} found, in plain words.",
        "badges": {"pem": "required", "review_status": "Reviewed"},
        "tags": {"Symptom": ["Fatigue"]},
        "last_updated": "2026-04-07",
    }
    entry.update(fields)
    return entry


class MovableClock:
    """The sync service's clock; tests move it instead of sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = (start or datetime.now(UTC)).replace(microsecond=0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += timedelta(seconds=seconds)


def make_service(library: Any, *, clock: Callable[[], datetime] | None = None,
                 seed: int = 0, **options: Any) -> SyncService:
    defaults: dict[str, Any] = {"connect_timeout": 2.0, "read_timeout": 2.0,
                                "total_timeout": 10.0, "backoff": Backoff(base=30, cap=600)}
    defaults.update(options)
    kwargs: dict[str, Any] = {"options": SyncOptions(**defaults), "rng": random.Random(seed)}
    if clock is not None:
        kwargs["clock"] = clock
    return SyncService(library.ctx, **kwargs)


def queue_reports(library: Any, count: int, *, prefix: str = "Problem") -> list[str]:
    ids = []
    for i in range(count):
        report = library.reports.create_report(draft=ReportDraft(
            entry_id=SEED_IDS[i % len(SEED_IDS)], field="summary",
            problem=f"{prefix} {i}: the summary misstates the sample size."))
        ids.append(report.report_id)
    return ids


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in (the keyring is the process edge)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError("no such password")
        del self.store[(service, username)]


# --------------------------------------------------------------------------- scripted server


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Reply = tuple[int, dict[str, str], bytes]


@dataclass
class ScriptedServer:
    """A loopback HTTP server whose answers a test decides: an "independent server" with
    its own behaviour. ``reply(seen) -> (status, headers, body)``."""

    reply: Callable[[Seen], Reply]
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, {k.lower(): v for k, v in
                                                      self.headers.items()}, body)
                outer.seen.append(seen)
                status, headers, data = outer.reply(seen)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle  # noqa: N815

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self._thread.join()
        self.httpd.server_close()


def json_reply(status: int, data: Any, headers: dict[str, str] | None = None) -> Reply:
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(
        data).encode()


def empty_page() -> Reply:
    return json_reply(200, {"entries": [], "deleted": [], "next_cursor": "c0",
                            "has_more": False})


def posts(server: ScriptedServer) -> Iterator[Seen]:
    return (s for s in server.seen if s.method == "POST")


# --------------------------------------------------------------------------- fixtures
# Imported by the sync test modules (``from tests.sync_support import refserver, ...``).


@pytest.fixture
def refserver(tmp_path: Path) -> Iterator[RefServer]:
    with RefServer(tmp_path / "server.sqlite3") as server:
        yield server


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


# --------------------------------------------------------------------------- invariants


def assert_client_matches_server(library: Any, server: RefServer,
                                 report_ids: list[str]) -> None:
    """Every report stored exactly once, byte for byte, and marked sent; the catalogue the
    client holds is the server's (withdrawn entries kept as withdrawn rows)."""
    stored = {r.report_id: r for r in server.reports()}
    assert sorted(stored) == sorted(report_ids), "lost or unexpected reports on the server"
    assert server.counts["report created"] == len(report_ids), "a report was stored twice"
    for report_id in report_ids:
        report = library.reports.get(report_id=report_id)
        assert report.status is ReportStatus.SENT, (report_id, report.status, report.last_error)
        assert stored[report_id].body == report.body.encode("utf-8")
    state = server.db.catalogue_state()
    for entry_id, entry in state.items():
        mine = library.catalogue.get_entry(entry_id=entry_id)
        if entry is None:
            assert mine is None or mine.withdrawn, f"{entry_id} should be withdrawn"
        else:
            assert mine is not None and not mine.withdrawn, f"{entry_id} is missing"
            assert entry_to_contract(mine) == canonical_entry_dict(entry)
    with library.ctx.db.read() as conn:
        records = sync_state.list_changes(conn)
    news = [c.entry_id for c in records if c.kind is ChangeKind.NEW]
    assert len(news) == len(set(news)), "a page was applied twice"

"""The reference server: the whole atlas API v1 over a real SQLite file, with faults.

For tests (start it on a free loopback port in a thread) and for people
(``atlas-desktop serve --port P --db FILE [--bundle FILE]``).
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from atlas_desktop.formats.bundle import parse_bundle

from .db import ServerDB, StoredReport
from .faults import Fault, FaultDice, FaultPlan
from .handler import AtlasRequestHandler

#: Connections served at once; the rest wait in the listen queue (issue 19.9: one thread per
#: connection, unbounded, and a queue of 5 timed 80 of 200 clients out).
MAX_WORKERS = 32
#: The listen queue (the kernel caps it at net.core.somaxconn, 4096 on current Linux).
LISTEN_BACKLOG = 512


class AtlasHTTPServer(ThreadingHTTPServer):
    # Handler threads are joined on close; open connections are shut down first so that a
    # thread waiting on an idle keep-alive connection ends at once.
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], *, db: ServerDB, token: str | None,
                 faults: FaultPlan, base_path: str, quiet: bool,
                 max_workers: int = MAX_WORKERS) -> None:
        self.max_workers = max_workers
        self._slots = threading.BoundedSemaphore(max_workers)
        self._busy = threading.Condition()
        #: Connections being served now, and the most there ever were at once.
        self.busy = 0
        self.most_busy = 0
        #: Requests whose slot neither their thread nor the acceptor has taken back yet.
        self._unclaimed: set[int] = set()
        self.db = db
        self.token = token
        self.faults = FaultDice(faults)
        self.base_path = base_path.rstrip("/")
        self.quiet = quiet
        self.stopping = threading.Event()
        self.counts: Counter[str] = Counter()
        #: (method, request target, status; 0 when the connection was dropped), in order.
        self.log: list[tuple[str, str, int]] = []
        self._seen = threading.Condition()
        #: Faults forced on the next matching requests, before the dice are asked.
        self._forced: list[list[Any]] = []  # [fault, endpoint, let through, times]
        self._counts_lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._sockets_lock = threading.Lock()
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, AtlasRequestHandler)

    def count(self, key: str) -> None:
        with self._counts_lock:
            self.counts[key] += 1

    def answered(self, method: str, target: str, status: int) -> None:
        with self._seen:
            self.log.append((method, target, status))
            self._seen.notify_all()

    def wait_for_requests(self, count: int, timeout: float) -> bool:
        """Block until ``count`` requests were answered (or dropped) in all."""
        with self._seen:
            return self._seen.wait_for(lambda: len(self.log) >= count, timeout)

    def force(self, fault: Fault, *, times: int = 1, endpoint: str | None = None,
              after: int = 0) -> None:
        """Give this fault to ``times`` requests (to ``endpoint``: corrections, correction,
        entries; None for any), after letting ``after`` matching requests through."""
        with self._counts_lock:
            self._forced.append([fault, endpoint, after, times])

    def next_fault(self, endpoint: str) -> Fault | None:
        with self._counts_lock:
            for plan in self._forced:
                fault, wanted, skip, times = plan
                if wanted not in (None, endpoint):
                    continue
                if skip > 0:
                    plan[2] = skip - 1
                    return None
                plan[3] = times - 1
                if plan[3] <= 0:
                    self._forced.remove(plan)
                self.faults.counts[fault] += 1
                return fault  # type: ignore[no-any-return]
        return self.faults.draw()

    def pause(self, seconds: float | None = None) -> bool:
        """Wait as a slow server would; True if the server is stopping meanwhile."""
        return self.stopping.wait(self.faults.plan.slow_seconds if seconds is None else seconds)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that vanished mid-request (killed, timed out) is normal here; anything
        else is printed, as the standard server does."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            if not self.quiet:
                print(f"{client_address[0]}: connection lost ({error})", file=sys.stderr)
            return
        super().handle_error(request, client_address)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection on a thread once one of ``max_workers`` is free; until then
        accepting waits, and further clients wait in the listen queue."""
        while not self._slots.acquire(timeout=0.1):
            if self.stopping.is_set():
                self.shutdown_request(request)
                return
        with self._busy:
            self.busy += 1
            self.most_busy = max(self.most_busy, self.busy)
            self._unclaimed.add(id(request))
            self._busy.notify_all()
        try:
            super().process_request(request, client_address)
        except BaseException:
            # Ctrl-C can land while the thread is being started: the slot is released by
            # whichever side claims it first, never twice (a double release turned the
            # KeyboardInterrupt into an error the server carried on after).
            if self._claim(request):
                self._release()
            raise

    def _claim(self, request: Any) -> bool:
        with self._busy:
            if id(request) in self._unclaimed:
                self._unclaimed.discard(id(request))
                return True
            return False

    def _release(self) -> None:
        with self._busy:
            self.busy -= 1
            self._busy.notify_all()
        self._slots.release()

    def wait_until_busy(self, count: int, timeout: float) -> bool:
        """Block until ``count`` connections are being served at once."""
        with self._busy:
            return self._busy.wait_for(lambda: self.busy >= count, timeout)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        owns_slot = self._claim(request)
        with self._sockets_lock:
            self._sockets.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._sockets_lock:
                self._sockets.discard(request)
            if owns_slot:
                self._release()

    def close_connections(self) -> None:
        with self._sockets_lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class RefServer:
    """Start with :meth:`start` (or ``with RefServer(...) as server``); ``url`` is the base
    URL to give the client."""

    def __init__(
        self, db_path: Path, *, host: str = "127.0.0.1", port: int = 0,
        token: str | None = None, faults: FaultPlan | None = None, base_path: str = "",
        quiet: bool = True, max_workers: int = MAX_WORKERS,
    ) -> None:
        self.db = ServerDB(Path(db_path))
        self.httpd = AtlasHTTPServer((host, port), db=self.db, token=token,
                                     faults=faults or FaultPlan(), base_path=base_path,
                                     quiet=quiet, max_workers=max_workers)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        host = str(self.httpd.server_address[0])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}{self.httpd.base_path}"

    @property
    def counts(self) -> Counter[str]:
        return self.httpd.counts

    @property
    def fault_counts(self) -> Counter[str]:
        return self.httpd.faults.counts

    def set_faults(self, plan: FaultPlan) -> None:
        self.httpd.faults = FaultDice(plan)

    def set_token(self, token: str | None) -> None:
        self.httpd.token = token

    def force(self, fault: Fault, *, times: int = 1, endpoint: str | None = None,
              after: int = 0) -> None:
        self.httpd.force(fault, times=times, endpoint=endpoint, after=after)

    @property
    def log(self) -> list[tuple[str, str, int]]:
        return list(self.httpd.log)

    def wait_for_requests(self, count: int, timeout: float = 30.0) -> bool:
        return self.httpd.wait_for_requests(count, timeout)

    # ------------------------------------------------------------------ running

    def start(self) -> RefServer:
        # A short poll interval: stop() returns within 50 ms (tests start many servers).
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                        name="atlas-refserver", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on the calling thread until :meth:`stop` (or Ctrl-C)."""
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.stopping.set()
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.close_connections()
        self.httpd.server_close()  # joins the handler threads
        self.db.close()

    def __enter__(self) -> RefServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ content

    def load_bundle(self, path: Path) -> tuple[int, int]:
        """Make the catalogue what the bundle holds: (entries added or changed, withdrawn).
        Raises ``FormatError`` for a file that is not a valid bundle."""
        bundle = parse_bundle(Path(path).read_bytes())
        changed = self.db.put_entries(bundle.contracts)
        keep = {d["id"] for d in bundle.contracts}
        deleted = self.db.delete_entries([i for i in self.db.live_ids() if i not in keep])
        return changed, deleted

    def put_entries(self, entries: Iterable[Mapping[str, Any]]) -> int:
        return self.db.put_entries(entries)

    def delete_entries(self, ids: Iterable[str]) -> int:
        return self.db.delete_entries(ids)

    def set_review(self, report_id: str, status: str, note: str | None = None) -> bool:
        return self.db.set_review(report_id, status, note)

    def reports(self) -> list[StoredReport]:
        return self.db.all_reports()

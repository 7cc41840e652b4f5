"""The HTTP side of the reference server: routes, auth, faults, JSON answers."""

from __future__ import annotations

import contextlib
import hmac
import json
import re
import socket
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs, unquote, urlsplit

from .db import CursorError
from .faults import Fault
from .validation import MAX_REPORT_BYTES, validate_report

if TYPE_CHECKING:
    from .server import AtlasHTTPServer

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000
_LENGTH_RE: Final = re.compile(r"[0-9]{1,18}")


class AtlasRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: AtlasHTTPServer
    server_version = "atlas-refserver/1"
    #: An idle keep-alive connection is closed after this many seconds.
    timeout = 60
    # Headers and body go out in two writes; with Nagle's algorithm on, the body would wait
    # for the client's delayed ACK (40 ms per answer).
    disable_nagle_algorithm = True

    # ------------------------------------------------------------------ plumbing

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def _send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True  # the client has gone (it timed out)
        self.server.count(f"{self.command} {status}")
        self.server.answered(self.command, self.path, status)

    def _error(self, status: int, error: str, field: str | None = None,
               headers: dict[str, str] | None = None) -> None:
        self._send_json(status, {"error": error, "field": field}, headers)

    def _drop(self) -> None:
        """Close the connection without an answer: the client sees its response lost."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        self.server.count("dropped")
        self.server.answered(self.command, self.path, 0)

    def _route(self) -> tuple[str, str | None] | None:
        path = unquote(urlsplit(self.path).path)
        base = self.server.base_path
        if base and not path.startswith(base + "/"):
            return None
        path = path[len(base):]
        if path == "/v1/corrections":
            return "corrections", None
        if path.startswith("/v1/corrections/") and path.count("/") == 3:
            return "correction", path.rsplit("/", 1)[1]
        if path == "/v1/entries":
            return "entries", None
        return None

    def _authorised(self) -> bool:
        token = self.server.token
        if token is None:
            return True
        given = self.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())

    # ------------------------------------------------------------------ dispatch

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def _dispatch(self, method: str) -> None:
        body = self._read_body() if method in {"POST", "PUT", "PATCH"} else b""
        if body is None:
            return  # already answered (411/413)
        route = self._route()
        if route is None:
            self._error(404, "no such endpoint")
            return
        kind, arg = route
        allowed = {"corrections": "POST", "correction": "GET", "entries": "GET"}[kind]
        if method != allowed:
            self._error(405, f"use {allowed}", headers={"Allow": allowed})
            return
        if not self._authorised():
            self._error(401, "a valid bearer token is required",
                        headers={"WWW-Authenticate": 'Bearer realm="atlas"'})
            return
        delay = self.server.faults.plan.delay_seconds
        if delay and self.server.pause(delay):
            return
        fault = self.server.next_fault(kind)
        if fault == "fail":
            self._error(500, "injected failure")
            return
        if fault == "busy":
            plan = self.server.faults.plan
            self._error(plan.busy_status, "busy (injected)",
                        headers={"Retry-After": plan.retry_after} if plan.retry_after else None)
            return
        if fault == "slow_before" and self.server.pause():
            return
        handlers: dict[str, Callable[[], tuple[int, Any]]] = {
            "corrections": lambda: self._post_correction(body),
            "correction": lambda: self._get_correction(arg or ""),
            "entries": self._get_entries,
        }
        status, answer = handlers[kind]()
        self._finish(fault, status, answer)

    def _finish(self, fault: Fault | None, status: int, answer: Any) -> None:
        if fault == "drop":
            self._drop()
            return
        if fault == "slow_after" and self.server.pause():
            return
        self._send_json(status, answer)

    def _read_body(self) -> bytes | None:
        """The body, by an exact Content-Length of at most MAX_REPORT_BYTES. A missing,
        repeated, negative or otherwise malformed length is refused: ``rfile.read(-1)`` would
        read until the client closes (400 MB were read so, issue 19.9)."""
        lengths = self.headers.get_all("Content-Length") or []
        if self.headers.get("Transfer-Encoding") or not lengths:
            self.close_connection = True
            self._error(411, "send the body with a Content-Length")
            return None
        if len(set(lengths)) != 1 or not _LENGTH_RE.fullmatch(lengths[0].strip()):
            self.close_connection = True
            self._error(400, "Content-Length must be one whole number of bytes")
            return None
        length = int(lengths[0])
        if length > MAX_REPORT_BYTES:
            self.close_connection = True  # the unread body would garble the next request
            self._error(413, f"a report may be at most {MAX_REPORT_BYTES} bytes")
            return None
        body = self.rfile.read(length)
        if len(body) != length:  # the client closed early
            self.close_connection = True
            return None
        return body

    # ------------------------------------------------------------------ endpoints

    def _post_correction(self, body: bytes) -> tuple[int, Any]:
        content_type = self.headers.get("Content-Type", "")
        if content_type.split(";")[0].strip().lower() != "application/json":
            return 415, {"error": "the body must be application/json", "field": None}
        report_id, invalid = validate_report(body, self.headers.get("Idempotency-Key"))
        if invalid is not None:
            return invalid.status, invalid.body()
        outcome, stored = self.server.db.store_report(report_id, body)
        self.server.count(f"report {outcome}")
        if outcome == "conflict":
            return 409, {"error": "a different report with this report_id is already stored",
                         "field": "report_id"}
        assert stored is not None
        return (201 if outcome == "created" else 200), stored.receipt()

    def _get_correction(self, report_id: str) -> tuple[int, Any]:
        stored = self.server.db.get_report(report_id)
        if stored is None:
            return 404, {"error": "no such report", "field": None}
        return 200, stored.status_object()

    def _get_entries(self) -> tuple[int, Any]:
        query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        since = query.get("since", [None])[-1] or None
        limit_text = query.get("limit", [str(DEFAULT_LIMIT)])[-1]
        try:
            limit = int(limit_text)
        except ValueError:
            return 400, {"error": "limit must be a whole number", "field": "limit"}
        if limit < 1:
            return 400, {"error": "limit must be at least 1", "field": "limit"}
        try:
            page = self.server.db.page(since, min(limit, MAX_LIMIT))
        except CursorError as exc:
            return 400, {"error": str(exc), "field": "since"}
        return 200, page.to_json()

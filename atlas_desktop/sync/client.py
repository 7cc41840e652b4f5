"""The HTTP client of the atlas API: one request per call, every answer classified.

Invariants:
- Nothing here raises for anything a server or the network does: every call returns an
  :class:`~atlas_desktop.sync.outcome.Outcome` with a sentence for the user.
- TLS is verified; plain HTTP is possible only to this computer (see ``urls``).
- Redirects are never followed, and a response body is read to a size limit; each request
  has one deadline (connect, headers and body) and each run another, so a hostile or broken
  server cannot make the client hang or fill memory (``atlas_desktop.net``).
- A report body is sent byte for byte as stored, with ``Idempotency-Key`` = its report id.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote, urlsplit

import httpx

# tls_context is named here too: the TLS tests reset its cache through this module.
from atlas_desktop.net.http import Failure, HttpSession, NetError, tls_context  # noqa: F401
from atlas_desktop.net.limits import Limits

from .outcome import (
    Outcome,
    OutcomeKind,
    classify_get,
    classify_post,
    server_text,
)
from .urls import is_loopback_host, normalise_server_url

#: Catalogue pages hold up to 1,000 entries of a few kB each.
MAX_PAGE_BYTES: Final = 64 * 1024 * 1024
#: Every other answer is a small JSON object.
MAX_SMALL_BYTES: Final = 1024 * 1024
MAX_PAGE_LIMIT: Final = 1000


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ClientConfig:
    base_url: str
    user_agent: str
    token: str | None = None
    connect_timeout: float = 10.0
    #: Longest silence while waiting for (a part of) an answer.
    read_timeout: float = 30.0
    #: Longest time one request may take in all, connect to last byte (a server dripping
    #: its headers or body forever).
    total_timeout: float = 120.0
    clock: Callable[[], datetime] = utc_now
    #: One run in all (every request of this client together); 0: no limit of its own.
    run_timeout: float = 0.0
    #: Set from another thread (the window closing): the request in flight ends at once.
    cancel: threading.Event | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """One catalogue page, envelope checked; entries are validated by the caller."""

    entries: list[Any]
    deleted: list[str]
    next_cursor: str | None
    has_more: bool


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    report_id: str
    status: str
    reviewer_note: str | None
    updated_at: str | None


class AtlasClient:
    """Speaks atlas API v1 to one server. Use as a context manager (it holds connections)."""

    def __init__(self, config: ClientConfig) -> None:
        self.config = config
        self.base_url = normalise_server_url(config.base_url)
        host = urlsplit(self.base_url).hostname or ""
        headers = {"Accept": "application/json"}
        if config.token:
            headers["Authorization"] = f"Bearer {config.token}"
        self._cancel = config.cancel
        #: When the run's time is up (``time.monotonic()``); a client is made for one run.
        self._run_deadline = (time.monotonic() + config.run_timeout if config.run_timeout
                              else None)
        self._http = HttpSession(
            user_agent=config.user_agent, headers=headers,
            limits=Limits(config.connect_timeout, config.read_timeout, config.total_timeout),
            # Proxies from the environment are for the outside world, not this computer.
            trust_env=not is_loopback_host(host))

    @property
    def requests_made(self) -> int:
        """Requests attempted so far (a run that made none did not hear from the server)."""
        return self._http.requests_made

    def __enter__(self) -> AtlasClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ the three requests

    def send_report(self, *, report_id: str, body: str) -> Outcome:
        """POST one report. ``body`` is the stored request body, sent unchanged."""
        result = self._request(
            "POST", "/v1/corrections", content=body.encode("utf-8"),
            headers={"Content-Type": "application/json", "Idempotency-Key": report_id},
            limit=MAX_SMALL_BYTES,
        )
        if isinstance(result, Outcome):
            return result
        status, headers, data = result
        return classify_post(status, headers, data, now=self.config.clock(),
                             base_url=self.base_url, report_id=report_id)

    def report_status(self, *, report_id: str) -> Outcome:
        """GET the review status of a sent report; ``data`` is a :class:`ReviewStatus`."""
        result = self._request("GET", f"/v1/corrections/{quote(report_id, safe='')}",
                               limit=MAX_SMALL_BYTES)
        if isinstance(result, Outcome):
            return result
        status, headers, data = result
        outcome = classify_get(status, headers, data, now=self.config.clock(),
                               base_url=self.base_url, what="report status",
                               not_found_is_endpoint=False)
        if outcome.kind is not OutcomeKind.OK:
            return outcome
        review = _review_status(outcome.data, report_id)
        if review is None:
            return Outcome(OutcomeKind.BAD_RESPONSE,
                           "The server's report status does not follow the atlas API.", status)
        return Outcome(OutcomeKind.OK, "", status, data=review)

    def fetch_page(self, *, since: str | None, limit: int = 500) -> Outcome:
        """GET one catalogue page after ``since``; ``data`` is a :class:`Page`."""
        params: dict[str, str] = {"limit": str(max(1, min(limit, MAX_PAGE_LIMIT)))}
        if since is not None:
            params = {"since": since, **params}
        result = self._request("GET", "/v1/entries", params=params, limit=MAX_PAGE_BYTES)
        if isinstance(result, Outcome):
            return result
        status, headers, data = result
        outcome = classify_get(status, headers, data, now=self.config.clock(),
                               base_url=self.base_url, what="catalogue")
        if outcome.kind is not OutcomeKind.OK:
            return outcome
        page, problem = _page(outcome.data)
        if page is None:
            return Outcome(OutcomeKind.BAD_RESPONSE,
                           f"The server's catalogue page does not follow the atlas API "
                           f"({problem}).", status)
        return Outcome(OutcomeKind.OK, "", status, data=page)

    # ------------------------------------------------------------------ transport

    def _request(
        self, method: str, path: str, *, limit: int, params: dict[str, str] | None = None,
        content: bytes | None = None, headers: dict[str, str] | None = None,
    ) -> tuple[int, httpx.Headers, bytes] | Outcome:
        run_deadline = self._run_deadline
        if run_deadline is not None and time.monotonic() >= run_deadline:
            return self._run_too_long()
        if self._cancel is not None and self._cancel.is_set():
            return Outcome(OutcomeKind.TRANSIENT, CANCELLED_MESSAGE)
        try:
            response = self._http.request(method, self.base_url + path, limit=limit,
                                          params=params, content=content, headers=headers,
                                          deadline=run_deadline, cancel=self._cancel)
        except NetError as exc:
            if exc.kind is Failure.TIMEOUT and run_deadline is not None and (
                    time.monotonic() >= run_deadline):
                return self._run_too_long()
            return Outcome(_KINDS[exc.kind], str(exc))
        return response.status, response.headers, response.body

    def _run_too_long(self) -> Outcome:
        return Outcome(OutcomeKind.TRANSIENT,
                       f"The sync took longer than {self.config.run_timeout:g} seconds in all "
                       "and stopped; what is left waits for the next sync.")


CANCELLED_MESSAGE: Final = "The sync was stopped; nothing more was sent."

_KINDS: Final = {
    Failure.UNREACHABLE: OutcomeKind.UNREACHABLE,
    Failure.TIMEOUT: OutcomeKind.TRANSIENT,
    Failure.INTERRUPTED: OutcomeKind.TRANSIENT,
    Failure.TOO_LARGE: OutcomeKind.BAD_RESPONSE,
    Failure.CANCELLED: OutcomeKind.TRANSIENT,
    Failure.WRONG_URL: OutcomeKind.WRONG_URL,
    Failure.BAD_RESPONSE: OutcomeKind.BAD_RESPONSE,
}


def _review_status(data: Any, report_id: str) -> ReviewStatus | None:
    if not isinstance(data, dict):
        return None
    status = data.get("status")
    if not isinstance(status, str) or not status:
        return None
    if data.get("report_id") not in (None, report_id):
        return None
    note = data.get("reviewer_note")
    updated = data.get("updated_at")
    return ReviewStatus(
        report_id=report_id,
        status=server_text(status, 40),
        # The note is a person's words: keep line breaks, drop only what could mislead.
        reviewer_note=_clean_note(note) if isinstance(note, str) and note.strip() else None,
        updated_at=server_text(updated, 40) if isinstance(updated, str) else None,
    )


def _clean_note(note: str) -> str:
    lines = [server_text(line, 5000) for line in note.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()[:5000]


def _page(data: Any) -> tuple[Page | None, str]:
    if not isinstance(data, dict):
        return None, "not a JSON object"
    entries = data.get("entries", [])
    deleted = data.get("deleted", [])
    if not isinstance(entries, list):
        return None, "“entries” is not a list"
    if not isinstance(deleted, list) or not all(isinstance(d, str) for d in deleted):
        return None, "“deleted” is not a list of entry ids"
    has_more = data.get("has_more", False)
    if not isinstance(has_more, bool):
        return None, "“has_more” is not true or false"
    cursor = data.get("next_cursor")
    if cursor is not None and not isinstance(cursor, str):
        return None, "“next_cursor” is not a string"
    if has_more and not cursor:
        return None, "“has_more” is true but there is no “next_cursor”"
    return Page(entries, deleted, cursor or None, has_more), ""

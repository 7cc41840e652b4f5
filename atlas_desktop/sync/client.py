"""The HTTP client of the atlas API: one request per call, every answer classified.

Invariants:
- Nothing here raises for anything a server or the network does: every call returns an
  :class:`~atlas_desktop.sync.outcome.Outcome` with a sentence for the user.
- TLS is verified; plain HTTP is possible only to this computer (see ``urls``).
- Redirects are never followed, and a response body is read to a size limit and a total
  deadline, so a hostile or broken server cannot make the client hang or fill memory.
- A report body is sent byte for byte as stored, with ``Idempotency-Key`` = its report id.
"""

from __future__ import annotations

import functools
import os
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote, urlsplit

import certifi
import httpx

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


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """Certificates and host names verified against Mozilla's CA list (certifi, as httpx
    does), or the file named by ``SSL_CERT_FILE`` for a private authority. Built once:
    loading the CA list costs ~15 ms, on every run otherwise."""
    return ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or certifi.where())


@dataclass(frozen=True)
class ClientConfig:
    base_url: str
    user_agent: str
    token: str | None = None
    connect_timeout: float = 10.0
    #: Longest silence while waiting for (a part of) an answer.
    read_timeout: float = 30.0
    #: Longest time one request may take in all (a server dripping bytes forever).
    total_timeout: float = 120.0
    clock: Callable[[], datetime] = utc_now


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
        headers = {"User-Agent": config.user_agent, "Accept": "application/json"}
        if config.token:
            headers["Authorization"] = f"Bearer {config.token}"
        #: Requests attempted so far (a run that made none did not hear from the server).
        self.requests_made = 0
        self._http = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
            follow_redirects=False,
            verify=tls_context(),
            # Proxies from the environment are for the outside world, not this computer.
            trust_env=not is_loopback_host(host),
        )

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
        url = self.base_url + path
        self.requests_made += 1
        deadline = time.monotonic() + self.config.total_timeout
        try:
            with self._http.stream(method, url, params=params, content=content,
                                   headers=headers) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        return Outcome(
                            OutcomeKind.BAD_RESPONSE,
                            f"The server's answer was larger than {limit // (1024 * 1024)} MB; "
                            "it was not read.", response.status_code)
                    if time.monotonic() > deadline:
                        return self._too_slow()
                return response.status_code, response.headers, bytes(body)
        except httpx.ConnectTimeout:
            return Outcome(OutcomeKind.UNREACHABLE,
                           f"Could not connect to {self._host()} within "
                           f"{self.config.connect_timeout:g} seconds.")
        except httpx.ConnectError as exc:
            return self._connect_failed(exc)
        except httpx.TimeoutException:
            return self._too_slow()
        except httpx.RemoteProtocolError:
            return Outcome(OutcomeKind.TRANSIENT,
                           "The connection closed before the server answered.")
        except (httpx.ReadError, httpx.WriteError, httpx.CloseError):
            return Outcome(OutcomeKind.TRANSIENT,
                           "The connection was interrupted before the server answered.")
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            return Outcome(OutcomeKind.WRONG_URL,
                           f"{self.base_url} cannot be used as the server's address.")
        except httpx.DecodingError:
            return Outcome(OutcomeKind.BAD_RESPONSE,
                           "The server's answer could not be decoded.")
        except (httpx.TransportError, httpx.StreamError, OSError) as exc:
            return Outcome(OutcomeKind.TRANSIENT,
                           f"The request failed ({server_text(exc, 120) or type(exc).__name__}).")

    def _host(self) -> str:
        return urlsplit(self.base_url).netloc

    def _too_slow(self) -> Outcome:
        return Outcome(OutcomeKind.TRANSIENT,
                       f"The server did not answer within {self.config.read_timeout:g} seconds.")

    def _connect_failed(self, exc: httpx.ConnectError) -> Outcome:
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, ssl.SSLError):
            cause = cause.__cause__ or cause.__context__
        text = str(exc)
        if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY" in text:
            reason = getattr(cause, "verify_message", None) or "it is not trusted"
            return Outcome(
                OutcomeKind.UNREACHABLE,
                f"The certificate of {self._host()} could not be verified ({reason}); nothing "
                "was sent. Check the address, or ask the server's administrator.",
            )
        if isinstance(cause, ssl.SSLError):
            return Outcome(OutcomeKind.UNREACHABLE,
                           f"A secure connection to {self._host()} could not be set up "
                           f"({server_text(cause, 120)}); nothing was sent.")
        lowered = text.lower()
        if "name or service not known" in lowered or "nodename nor servname" in lowered or (
                "getaddrinfo" in lowered) or "temporary failure in name resolution" in lowered:
            why = "the name was not found; check the address or the network"
        elif "refused" in lowered:
            why = "the connection was refused; is the server running?"
        elif "unreachable" in lowered:
            why = "the network is unreachable"
        else:
            why = server_text(text, 120) or "no connection"
        return Outcome(OutcomeKind.UNREACHABLE, f"Could not connect to {self._host()}: {why}.")


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

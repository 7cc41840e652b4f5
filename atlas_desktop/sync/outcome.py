"""Every answer of an atlas server, sorted into what the client must do (contract section 2).

The table in the contract is the specification; :func:`classify_post` follows it row by row.
Readings of the contract where it is silent (written up in docs/sync.md):

- A 200/201 whose body is not JSON (an HTML page, say) does not come from an atlas server:
  a catch-all web server would otherwise make reports look sent. It stops the run.
- Other 2xx answers to a POST count as stored: the server took the report.
- 3xx answers are never followed (a POST must not wander): the run stops and says where
  the server pointed, so the user can fix the address.
- 408 and 425 are passing conditions (retried with backoff); any other 4xx not named in the
  table marks the report as needing attention, with the server's words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

import orjson

from .retry import parse_retry_after


class OutcomeKind(StrEnum):
    STORED = "stored"  # 201 (and other 2xx)
    REPLAYED = "replayed"  # 200 to a POST: the server already had it
    OK = "ok"  # 200 to a GET
    INVALID = "invalid"  # 400, 422
    CONFLICT = "conflict"  # 409
    TOO_LARGE = "too_large"  # 413
    REJECTED = "rejected"  # another 4xx
    NOT_FOUND = "not_found"  # GET of one report: 404 means the server does not know it
    UNAUTHORISED = "unauthorised"  # 401, 403
    WRONG_URL = "wrong_url"  # 404/405 on an endpoint, a redirect, not an atlas server
    BUSY = "busy"  # 429, 503
    TRANSIENT = "transient"  # other 5xx, timeouts, resets
    UNREACHABLE = "unreachable"  # no connection (refused, name unknown, TLS)
    BAD_RESPONSE = "bad_response"  # a 200 whose body breaks the contract


#: Outcomes after which the run stops: every further request would meet the same answer.
STOPS_RUN: Final = frozenset({
    OutcomeKind.UNAUTHORISED, OutcomeKind.WRONG_URL, OutcomeKind.BUSY,
    OutcomeKind.UNREACHABLE, OutcomeKind.BAD_RESPONSE,
})
#: Outcomes that leave a report needing the user's attention.
NEEDS_ATTENTION: Final = frozenset({
    OutcomeKind.INVALID, OutcomeKind.CONFLICT, OutcomeKind.TOO_LARGE, OutcomeKind.REJECTED,
})
#: Outcomes after which a report stays queued and is tried again later.
RETRY_LATER: Final = frozenset({
    OutcomeKind.TRANSIENT, OutcomeKind.BUSY, OutcomeKind.UNREACHABLE,
    OutcomeKind.UNAUTHORISED, OutcomeKind.WRONG_URL, OutcomeKind.BAD_RESPONSE,
})


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: OutcomeKind
    message: str
    http_status: int | None = None
    #: Seconds the server asked us to wait (``Retry-After``), when it said.
    retry_after: float | None = None
    #: The parsed JSON body of a success.
    data: Any = None
    #: The field a 400/422 names.
    field: str | None = None

    @property
    def stops_run(self) -> bool:
        return self.kind in STOPS_RUN


_TAG_RE: Final = re.compile(r"<[^>]{0,200}>")
_BIDI: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def server_text(value: Any, limit: int = 300) -> str:
    """Text from a server made safe to show: no control or direction characters, no markup,
    one line, at most ``limit`` characters. The GUI still shows it as plain text."""
    text = value if isinstance(value, str) else str(value)
    if "<" in text and ">" in text:
        text = _TAG_RE.sub(" ", text)
    cleaned = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} or ch in _BIDI else ch
        for ch in text
    )
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def parse_json(body: bytes) -> tuple[bool, Any]:
    """(True, value) for a JSON body, (False, None) otherwise."""
    try:
        # orjson: catalogue pages are megabytes; it also refuses invalid UTF-8 and
        # nesting deeper than 1024 levels with a JSONDecodeError (a ValueError).
        return True, orjson.loads(body)
    except (ValueError, RecursionError):
        return False, None


def _error_detail(body: bytes) -> tuple[str | None, str | None]:
    """The server's ``{"error", "field"}``, or a short plain text, or nothing."""
    is_json, data = parse_json(body)
    if is_json and isinstance(data, dict):
        error = data.get("error")
        field = data.get("field")
        return (server_text(error) if error not in (None, "") else None,
                server_text(field, 80) if isinstance(field, str) and field else None)
    if not is_json and body and len(body) < 2000 and not body.lstrip().startswith(b"<"):
        text = server_text(body.decode("utf-8", "replace"), 200)
        return (text or None), None
    return None, None


def _looks_like_html(body: bytes) -> bool:
    head = body[:200].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<"))


def _transient_status_message(status: int) -> str:
    if status == 500:
        return "The server had an internal error (HTTP 500)."
    if status in {502, 504}:
        return f"The server's gateway could not reach the atlas service (HTTP {status})."
    if status == 408:
        return "The server gave up waiting for the request (HTTP 408)."
    return f"The server could not handle the request just now (HTTP {status})."


def classify_common(
    status: int, headers: Any, body: bytes, *, now: datetime, base_url: str, what: str
) -> Outcome | None:
    """The rows every endpoint shares (auth, wrong address, busy, server errors).
    None for statuses the caller decides itself (2xx, 400/409/413/422, other 4xx)."""
    if 300 <= status < 400:
        location = headers.get("location")
        where = f" to {server_text(location, 200)}" if location else ""
        return Outcome(
            OutcomeKind.WRONG_URL,
            f"The server at {base_url} answered with a redirect{where} (HTTP {status}). If "
            "that is the atlas server's address, set it in the sync settings.",
            status,
        )
    if status in {401, 403}:
        detail, _ = _error_detail(body)
        reason = ("the token was not accepted" if status == 401
                  else "this token may not do that")
        return Outcome(
            OutcomeKind.UNAUTHORISED,
            f"The server refused access ({reason}, HTTP {status})"
            + (f": {detail}" if detail else "")
            + ". Check the token in the sync settings; everything stays queued.",
            status,
        )
    if status in {404, 405}:
        return Outcome(
            OutcomeKind.WRONG_URL,
            f"The server at {base_url} has no {what} (HTTP {status}); the address looks "
            "wrong. Check it in the sync settings; everything stays queued.",
            status,
        )
    if status in {429, 503}:
        wait = parse_retry_after(headers.get("retry-after"), now=now)
        busy = "is busy" if status == 503 else "asked us to slow down"
        return Outcome(OutcomeKind.BUSY, f"The server {busy} (HTTP {status}).", status,
                       retry_after=wait)
    if status >= 500 or status in {408, 425}:
        return Outcome(OutcomeKind.TRANSIENT, _transient_status_message(status), status)
    return None


def classify_post(
    status: int, headers: Any, body: bytes, *, now: datetime, base_url: str, report_id: str
) -> Outcome:
    """POST /v1/corrections: the contract's table."""
    if status in {200, 201} or 200 <= status < 300:
        is_json, data = parse_json(body)
        if body.strip() and not is_json:
            kind = "a web page" if _looks_like_html(body) else "something that is not JSON"
            return Outcome(
                OutcomeKind.WRONG_URL,
                f"The server at {base_url} answered with {kind} instead of an atlas reply "
                f"(HTTP {status}); it does not look like an atlas server. Check the address; "
                "the report stays queued.",
                status,
            )
        if isinstance(data, dict) and data.get("report_id") not in (None, report_id):
            return Outcome(
                OutcomeKind.BAD_RESPONSE,
                "The server confirmed a different report than the one sent; the report "
                "stays queued and will be sent again.",
                status,
            )
        kind_ok = OutcomeKind.REPLAYED if status == 200 else OutcomeKind.STORED
        message = ("The server already had this report." if status == 200
                   else "The server stored the report.")
        return Outcome(kind_ok, message, status, data=data if isinstance(data, dict) else {})
    common = classify_common(status, headers, body, now=now, base_url=base_url,
                             what="atlas corrections endpoint")
    if common is not None:
        return common
    detail, field = _error_detail(body)
    if status in {400, 422}:
        text = "The server found the report invalid"
        text += f": {detail}" if detail else f" (HTTP {status})"
        if field:
            text += f" (field “{field}”)"
        return Outcome(OutcomeKind.INVALID,
                       text.rstrip(".") + ". Edit the report and queue it again.",
                       status, field=field)
    if status == 409:
        return Outcome(
            OutcomeKind.CONFLICT,
            "The server already holds a different report under this report's id (HTTP 409), "
            "so it was not sent again. Withdraw it, or write a new report.",
            status,
        )
    if status == 413:
        return Outcome(
            OutcomeKind.TOO_LARGE,
            "The server says the report is too large (HTTP 413). Shorten it and queue it "
            "again.",
            status,
        )
    return Outcome(
        OutcomeKind.REJECTED,
        f"The server refused the report (HTTP {status})" + (f": {detail}" if detail else "")
        + ". It stays in the outbox until you withdraw or retry it.",
        status,
        field=field,
    )


def classify_get(
    status: int, headers: Any, body: bytes, *, now: datetime, base_url: str, what: str,
    not_found_is_endpoint: bool = True,
) -> Outcome:
    """GET requests: 200 carries JSON; the rest follows the shared rows."""
    if status == 200:
        is_json, data = parse_json(body)
        if not is_json:
            if _looks_like_html(body):
                return Outcome(
                    OutcomeKind.WRONG_URL,
                    f"The server at {base_url} answered with a web page instead of the "
                    f"{what}; it does not look like an atlas server. Check the address.",
                    status,
                )
            return Outcome(OutcomeKind.BAD_RESPONSE,
                           f"The server's answer for the {what} is not valid JSON.", status)
        return Outcome(OutcomeKind.OK, "", status, data=data)
    if status == 404 and not not_found_is_endpoint:
        return Outcome(OutcomeKind.NOT_FOUND, "The server does not know this report.", status)
    common = classify_common(status, headers, body, now=now, base_url=base_url, what=what)
    if common is not None:
        return common
    detail, field = _error_detail(body)
    return Outcome(
        OutcomeKind.REJECTED,
        f"The server refused the request for the {what} (HTTP {status})"
        + (f": {detail}" if detail else "") + ".",
        status,
        field=field,
    )

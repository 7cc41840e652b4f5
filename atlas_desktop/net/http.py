"""The one HTTP client of Atlas Desktop (sync and the online sources): rules, not protocol.

Invariants:
- TLS is verified; plain HTTP goes only to this computer, pinned to the loopback address
  its name resolved to (:mod:`.address`).
- Every request has one deadline for all of it (connect, headers, body) and may be
  cancelled from another thread; both take effect within a tenth of a second (:mod:`.guard`).
- A body is read to a size limit; more is never read.
- Redirects are followed only when asked, at most a few, and each new address passes the
  same rules.
- Nothing here raises for what a server or the network does except :class:`NetError`,
  whose ``str`` is a sentence for the user.
"""

from __future__ import annotations

import functools
import os
import ssl
import threading
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from urllib.parse import urljoin, urlsplit

import certifi
import httpx

from atlas_desktop.domain.wording import sentence

from .address import AddressError, Resolver, Target, check_target
from .guard import GuardedBackend, guarded, install_backend
from .limits import Limits

MAX_REDIRECTS: Final = 5


class Failure(StrEnum):
    UNREACHABLE = "unreachable"  # no connection: refused, name unknown, TLS
    TIMEOUT = "timeout"  # the deadline passed, or a connect/read timeout
    INTERRUPTED = "interrupted"  # the connection broke off
    TOO_LARGE = "too_large"  # the body is over the limit
    CANCELLED = "cancelled"
    WRONG_URL = "wrong_url"  # an address the rules refuse, a redirect loop
    BAD_RESPONSE = "bad_response"  # undecodable


class NetError(Exception):
    def __init__(self, kind: Failure, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """Certificates and host names verified against Mozilla's CA list (certifi, as httpx
    does), or the file named by ``SSL_CERT_FILE`` for a private authority. Built once:
    loading the CA list costs ~15 ms, on every run otherwise."""
    return ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or certifi.where())


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: httpx.Headers
    body: bytes
    #: The address that answered (after redirects), as written, never the pinned one.
    url: str


class HttpSession:
    """Connections to any number of hosts under the rules above. Use as a context manager."""

    def __init__(self, *, user_agent: str, limits: Limits | None = None,
                 headers: dict[str, str] | None = None, trust_env: bool = True,
                 resolver: Resolver | None = None) -> None:
        self.limits = limits or Limits()
        self._resolver = resolver
        #: Requests attempted so far.
        self.requests_made = 0
        self._http = httpx.Client(
            # Uncompressed answers: the size limit is then the size in memory.
            headers={"User-Agent": user_agent, "Accept-Encoding": "identity", **(headers or {})},
            timeout=httpx.Timeout(self.limits.read_timeout,
                                  connect=self.limits.connect_timeout),
            follow_redirects=False, verify=tls_context(), trust_env=trust_env)
        install_backend(self._http, GuardedBackend())

    def __enter__(self) -> HttpSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def request(
        self, method: str, url: str, *, limit: int, params: dict[str, str] | None = None,
        content: bytes | None = None, headers: dict[str, str] | None = None,
        follow_redirects: bool = False, deadline: float | None = None,
        cancel: threading.Event | None = None,
    ) -> Response:
        """One request (and its redirects, if followed) under one deadline: ``deadline``
        (monotonic) or ``total_timeout`` from now, whichever comes first."""
        own = time.monotonic() + self.limits.total_timeout
        deadline = own if deadline is None else min(deadline, own)
        with guarded(deadline, cancel) as guard:
            for _ in range(MAX_REDIRECTS + 1):
                target = self._target(url)
                try:
                    status, got, body = self._once(method, target, limit=limit, params=params,
                                                   content=content, headers=headers)
                except httpx.TimeoutException as exc:
                    if guard.tripped == "cancel":
                        raise NetError(Failure.CANCELLED, "The request was cancelled.") from None
                    if guard.tripped == "deadline" or time.monotonic() >= deadline:
                        raise NetError(Failure.TIMEOUT, _deadline_text(
                            deadline - own + self.limits.total_timeout, target.url)) from None
                    raise self._timeout(exc, target.url) from None
                except NetError:
                    raise
                except Exception as exc:
                    if guard.tripped == "cancel":
                        raise NetError(Failure.CANCELLED, "The request was cancelled.") from None
                    raise _transport_error(exc, target.url) from None
                location = got.get("location")
                if follow_redirects and status in {301, 302, 303, 307, 308} and location:
                    url = urljoin(url, location)
                    params = None  # the new address carries its own query
                    if status == 303:
                        method, content = "GET", None
                    continue
                return Response(status, got, body, url)
        raise NetError(Failure.WRONG_URL, f"{host_of(url)} redirected more than "
                                          f"{MAX_REDIRECTS} times; nothing was read.")

    def _target(self, url: str) -> Target:
        try:
            return check_target(url, resolver=self._resolver, what=host_of(url))
        except AddressError as exc:
            raise NetError(Failure.WRONG_URL, str(exc)) from None

    def _once(self, method: str, target: Target, *, limit: int,
              params: dict[str, str] | None, content: bytes | None,
              headers: dict[str, str] | None) -> tuple[int, httpx.Headers, bytes]:
        extra = dict(headers or {})
        if target.host_header:
            extra["Host"] = target.host_header
        self.requests_made += 1
        with self._http.stream(method, target.request_url, params=params, content=content,
                               headers=extra) as response:
            body = bytearray()
            # Decoded as it comes (a server may compress although asked not to), so the
            # limit holds for what is kept in memory.
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise NetError(Failure.TOO_LARGE, (
                        f"The answer from {host_of(target.url)} was larger than "
                        f"{_size(limit)}; it was not read."))
            return response.status_code, response.headers, bytes(body)

    def _timeout(self, exc: httpx.TimeoutException, url: str) -> NetError:
        if isinstance(exc, httpx.ConnectTimeout):
            return NetError(Failure.UNREACHABLE, f"Could not connect to {host_of(url)} within "
                                                 f"{self.limits.connect_timeout:g} seconds.")
        return NetError(Failure.TIMEOUT, f"The server at {host_of(url)} did not answer within "
                                         f"{self.limits.read_timeout:g} seconds.")


def _deadline_text(seconds: float, url: str) -> str:
    return (f"The server at {host_of(url)} did not answer in full within {seconds:.3g} "
            "seconds (connecting, headers and body together).")


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} kB"


def host_of(url: str) -> str:
    try:
        return urlsplit(url).netloc or url[:100]
    except ValueError:
        return url[:100]


def _transport_error(exc: Exception, url: str) -> NetError:
    host = host_of(url)
    if isinstance(exc, httpx.ConnectError):
        return _connect_failed(exc, host)
    if isinstance(exc, httpx.RemoteProtocolError):
        return NetError(Failure.INTERRUPTED, "The connection closed before the server answered.")
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return NetError(Failure.INTERRUPTED,
                        "The connection was interrupted before the server answered.")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return NetError(Failure.WRONG_URL, f"{url[:200]} cannot be used as an address.")
    if isinstance(exc, httpx.DecodingError):
        return NetError(Failure.BAD_RESPONSE, "The server's answer could not be decoded.")
    if isinstance(exc, httpx.TransportError | httpx.StreamError | OSError):
        text = " ".join(str(exc).split())[:120] or type(exc).__name__
        return NetError(Failure.INTERRUPTED, f"The request failed ({text}).")
    raise exc


def _connect_failed(exc: httpx.ConnectError, host: str) -> NetError:
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__
    text = str(exc)
    if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY" in text:
        reason = getattr(cause, "verify_message", None) or "it is not trusted"
        return NetError(Failure.UNREACHABLE, (
            f"The certificate of {host} could not be verified ({reason}); nothing was sent. "
            "Check the address, or ask the server's administrator."))
    if isinstance(cause, ssl.SSLError):
        detail = " ".join(str(cause).split())[:120]
        return NetError(Failure.UNREACHABLE, f"A secure connection to {host} could not be set "
                                             f"up ({detail}); nothing was sent.")
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or (
            "getaddrinfo" in lowered) or "temporary failure in name resolution" in lowered:
        why = "the name was not found; check the address or the network"
    elif "refused" in lowered:
        why = "the connection was refused; is the server running?"
    elif "unreachable" in lowered:
        why = "the network is unreachable"
    else:
        why = " ".join(text.split())[:120] or "no connection"
    return NetError(Failure.UNREACHABLE, sentence(f"Could not connect to {host}: {why}"))

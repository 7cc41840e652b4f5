"""One deadline for a whole request, and cancelling at once, below httpx.

httpx's timeouts bound each socket operation: a server that sends one byte of its headers
every few seconds never trips them (issue 19: one request stayed open 290 s). Here every
connect, read and write of the request running on this thread waits at most until the
request's deadline, and in slices short enough to notice a cancel (the window closing)
within a tenth of a second. The request's limits live in a thread-local :class:`Guard`,
because httpx runs the request on the calling thread and reuses connections across
requests: the guard is the request's, the stream is the connection's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import httpcore

#: How long one blocking wait lasts before the guard is looked at again.
SLICE: Final = 0.1


class GuardTripped(Exception):
    """The request's deadline passed or it was cancelled (``reason``: "deadline"/"cancel")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Guard:
    deadline: float
    cancel: threading.Event | None = None
    tripped: str | None = None

    def remaining(self) -> float:
        if self.cancel is not None and self.cancel.is_set():
            self.tripped = "cancel"
            raise GuardTripped("cancel")
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.tripped = "deadline"
            raise GuardTripped("deadline")
        return left


_local = threading.local()


@contextmanager
def guarded(deadline: float, cancel: threading.Event | None) -> Iterator[Guard]:
    """Run the block's requests (on this thread) under one deadline and cancel event."""
    guard = Guard(deadline, cancel)
    previous = getattr(_local, "guard", None)
    _local.guard = guard
    try:
        yield guard
    finally:
        _local.guard = previous


def _current() -> Guard | None:
    return getattr(_local, "guard", None)


def _bounded(timeout: float | None, guard: Guard | None) -> float | None:
    if guard is None:
        return timeout
    left = guard.remaining()
    return left if timeout is None else min(timeout, left)


class GuardedStream(httpcore.NetworkStream):
    """A connection whose reads and writes obey the current request's guard."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def _sliced(self, op: Any, timeout: float | None, exc: type[Exception]) -> Any:
        guard = _current()
        until = None if timeout is None else time.monotonic() + timeout
        while True:
            if guard is not None:
                try:
                    guard.remaining()
                except GuardTripped:
                    raise exc("the request's deadline passed or it was cancelled") from None
            wait = SLICE if guard is not None else timeout
            if until is not None:
                left = until - time.monotonic()
                if left <= 0:
                    raise exc("timed out")
                wait = left if wait is None else min(wait, left)
            if guard is not None and wait is not None:
                wait = min(wait, max(0.0, guard.deadline - time.monotonic()) or 0.001)
            try:
                return op(wait)
            except exc:
                if guard is None:
                    raise
                continue  # a slice ran out: look at the guard and the operation's own limit

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        result: bytes = self._sliced(lambda t: self._inner.read(max_bytes, t), timeout,
                                     httpcore.ReadTimeout)
        return result

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # A write is not split in slices (a partial send cannot be resumed through
        # httpcore's stream); it is bounded by the deadline instead.
        self._inner.write(buffer, _bounded(timeout, _current()))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname,
                                      _bounded(timeout, _current()))
        return GuardedStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's own synchronous backend, its streams wrapped in :class:`GuardedStream`."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        guard = _current()
        try:
            bounded = _bounded(timeout, guard)
        except GuardTripped:
            raise httpcore.ConnectTimeout("the request's deadline passed") from None
        stream = self._inner.connect_tcp(host, port, bounded, local_address, socket_options)
        return GuardedStream(stream)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None
                            ) -> httpcore.NetworkStream:
        return GuardedStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install_backend(client: Any, backend: httpcore.NetworkBackend) -> None:
    """Give every transport of an httpx client (the direct one and the proxies taken from the
    environment) ``backend``. httpx has no public way to do this; if its insides change,
    this fails loudly at start rather than leaving requests without a deadline."""
    transports = [client._transport, *client._mounts.values()]
    for transport in transports:
        if transport is None:
            continue
        pool = getattr(transport, "_pool", None)
        if pool is None or not hasattr(pool, "_network_backend"):
            raise RuntimeError("httpx's transport no longer has a connection pool with a "
                               "network backend; the request deadline cannot be installed")
        pool._network_backend = backend

"""A loopback server that writes raw bytes: for answers no well-behaved server gives."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable


class RawServer:
    """Accepts connections one at a time; ``script(conn, stop)`` writes the answer.

    ``closed_early`` is set when the client hung up while the script was still writing."""

    def __init__(self, script: Callable[[socket.socket, threading.Event], None]) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.script = script
        self.stop = threading.Event()
        self.closed_early = threading.Event()
        self.requests: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.sock.settimeout(0.05)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                self.requests.append(conn.recv(65536))
                try:
                    self.script(conn, self.stop)
                except OSError:
                    self.closed_early.set()

    def __enter__(self) -> RawServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        with contextlib.suppress(OSError):
            self.sock.close()


def drip_headers(conn: socket.socket, stop: threading.Event) -> None:
    """A status line, then one header byte every 50 ms for ever (issue 19, item 6)."""
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    while not stop.wait(0.05):
        conn.sendall(b"X")


def drip_body(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    while not stop.wait(0.05):
        conn.sendall(b" ")

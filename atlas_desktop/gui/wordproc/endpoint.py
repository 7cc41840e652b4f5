"""The local endpoint the LibreOffice extension talks to, as Zotero's plug-ins talk to Zotero.

It listens on 127.0.0.1 only, on a free port, and answers only requests that carry the
per-user secret written to ``integration.json`` in the library folder (created readable by
the user alone). When the window closes, the port and the secret leave the file and only
the command that starts Atlas Desktop on this library stays, so the extension can offer to
start it. Requests are served on their own threads: rendering never runs on the UI thread,
and the picker's wait does not block other requests.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final

from atlas_desktop.citations import CitationError
from atlas_desktop.services import Library
from atlas_desktop.services.failures import describe_failure

from .protocol import RequestError, Ui, answer

ENDPOINT_FILE: Final = "integration.json"
SECRET_HEADER: Final = "X-Atlas-Secret"
MAX_REQUEST_BYTES: Final = 32 * 1024 * 1024


class Endpoint:
    def __init__(self, library: Library, ui: Ui, *, data_dir: Path) -> None:
        self.library = library
        self.ui = ui
        self.file = Path(data_dir) / ENDPOINT_FILE
        self.secret = secrets.token_urlsafe(32)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def start(self) -> None:
        endpoint = self

        class Handler(_Handler):
            owner = endpoint

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="wordproc-endpoint",
                                        daemon=True)
        self._thread.start()
        try:
            self._write({"port": self.port, "secret": self.secret, "pid": os.getpid(),
                         "launch": self.launch_command()})
        except OSError:
            self._shutdown()
            raise

    def stop(self) -> None:
        """Stop serving (requests under way are answered first); the file keeps only the
        launch command, unless another window has written its own since."""
        self._shutdown()
        with contextlib.suppress(OSError, ValueError):
            if json.loads(self.file.read_text("utf-8")).get("secret") == self.secret:
                self._write({"launch": self.launch_command()})

    def launch_command(self) -> list[str]:
        """How the extension starts Atlas Desktop on this library."""
        program = [sys.executable] if getattr(sys, "frozen", False) else [
            sys.executable, "-m", "atlas_desktop"]
        return [*program, "--data-dir", str(self.file.parent)]

    def _shutdown(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _write(self, info: dict[str, Any]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(info, handle)
        os.replace(tmp, self.file)


class _Handler(BaseHTTPRequestHandler):
    owner: Endpoint
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return  # requests carry document text: never logged

    def do_POST(self) -> None:
        given = self.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.owner.secret.encode()):
            self._send(403, {"error": "This request did not come from Atlas Desktop's "
                                      "extension (wrong or missing secret)."})
            return
        if not self.path.startswith("/v1/"):
            self._send(404, {"error": "Unknown address."})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_REQUEST_BYTES:
            self._send(413, {"error": "The document's citations are too large to send."})
            return
        try:
            payload = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(payload, dict):
                raise ValueError
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
            self._send(400, {"error": "The request was not readable."})
            return
        try:
            result = answer(self.owner.library, self.owner.ui, self.path[4:], payload)
        except (RequestError, CitationError) as exc:
            self._send(422, {"error": str(exc)})
            return
        except Exception as exc:  # one sentence for the user; the traceback goes to the log
            failure = describe_failure(exc, paths=self.owner.library.paths)
            self._send(500, {"error": failure.message})
            return
        self._send(200, result)

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

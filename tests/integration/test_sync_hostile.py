"""Servers that break the rules: untrusted certificates, answers too big or too slow,
connections cut mid-answer, malformed pages, hostile text. The client explains, keeps every
report, and never hangs."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from atlas_desktop.domain.reports import ReportStatus
from atlas_desktop.domain.sync import SyncState
from atlas_desktop.sync import client as client_module
from atlas_desktop.sync.client import AtlasClient, ClientConfig
from atlas_desktop.sync.outcome import OutcomeKind
from tests.sync_support import ScriptedServer, empty_page, json_reply, make_service, queue_reports

RID = "2f1c7c36-8f0e-4c1e-9d7e-3a8f2f0b9e11"


def client_for(url, **kw):
    return AtlasClient(ClientConfig(base_url=url, user_agent="atlas-desktop/test", **kw))


# --------------------------------------------------------------------------- TLS


@pytest.fixture
def https_server(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            data = json.dumps({"report_id": self.headers["Idempotency-Key"]}).encode()
            self.send_response(201)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}", cert
    httpd.shutdown()
    thread.join()
    httpd.server_close()


def test_an_untrusted_certificate_is_refused_and_a_trusted_one_works(https_server,
                                                                      monkeypatch):
    url, cert = https_server
    client_module.tls_context.cache_clear()
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with client_for(url) as client:
        outcome = client.send_report(report_id=RID, body="{}")
    assert outcome.kind is OutcomeKind.UNREACHABLE and outcome.stops_run
    assert "certificate" in outcome.message and "nothing was sent" in outcome.message
    # The administrator's own authority, named the usual way, is trusted.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    client_module.tls_context.cache_clear()
    try:
        with client_for(url) as client:
            assert client.send_report(report_id=RID, body="{}").kind is OutcomeKind.STORED
    finally:
        client_module.tls_context.cache_clear()


# --------------------------------------------------------------------------- raw servers


class RawServer:
    """Accepts one connection at a time and lets the test write raw bytes to it."""

    def __init__(self, script):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.script = script
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self):
        self.sock.settimeout(0.05)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                with contextlib.suppress(OSError):
                    self.script(conn, self.stop)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.sock.close()


def test_an_answer_dripping_forever_ends_at_the_total_deadline():
    def drip(conn, stop):
        conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(0.05):
            conn.sendall(b" ")

    with RawServer(drip) as server, client_for(server.url, read_timeout=1,
                                               total_timeout=0.6) as client:
        outcome = client.send_report(report_id=RID, body="{}")
    assert outcome.kind is OutcomeKind.TRANSIENT and "did not answer" in outcome.message


def test_a_connection_cut_mid_answer_is_a_passing_failure():
    def cut(conn, stop):
        conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 500\r\n\r\n{\"report")

    with RawServer(cut) as server, client_for(server.url) as client:
        outcome = client.send_report(report_id=RID, body="{}")
    assert outcome.kind is OutcomeKind.TRANSIENT


def test_an_oversized_answer_is_not_read_and_the_report_stays_queued(seeded_library):
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    huge = b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    with ScriptedServer(lambda s: (201, {"Content-Type": "application/json"}, huge)) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
    assert result.state is SyncState.ERROR and "larger than 1 MB" in result.message
    assert library.reports.get(report_id=report_id).status is ReportStatus.QUEUED


@pytest.mark.parametrize(("page", "words"), [
    ({"entries": {}, "deleted": [], "next_cursor": "a", "has_more": False}, "not a list"),
    ({"entries": [], "deleted": [1], "next_cursor": "a", "has_more": False}, "entry ids"),
    ({"entries": [], "deleted": [], "next_cursor": None, "has_more": True}, "no “next_cursor”"),
    ({"entries": [], "deleted": [], "next_cursor": "a", "has_more": "yes"}, "true or false"),
    (["not", "an", "object"], "not a JSON object"),
])
def test_malformed_catalogue_pages_are_refused_and_change_nothing(library, page, words):
    with ScriptedServer(lambda s: json_reply(200, page)) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
    assert result.state is SyncState.ERROR and words in result.message
    assert library.catalogue.count_all() == 0


def test_hostile_server_words_are_kept_as_plain_flat_text(seeded_library):
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    evil = "<img src=x onerror=alert(1)>Bad\u202e\x07 report\n" + "!" * 1000

    def reply(seen):
        return empty_page() if seen.method == "GET" else json_reply(
            422, {"error": evil, "field": "<b>problem</b>"})

    with ScriptedServer(reply) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        service.run(explicit=True)
    error = library.reports.get(report_id=report_id).last_error
    assert "<" not in error and "\u202e" not in error and "\x07" not in error
    assert "\n" not in error and len(error) < 500
    assert error.startswith("The server found the report invalid: Bad report")

"""Issue 19.9: ``serve`` refuses a body without an exact length, keeps a realistic listen
queue, serves a bounded number of connections at once, and takes its token from a file or
the environment (``--token`` on the command line still works, with a warning).

The fixture ``serve-requests.txt`` holds the hostile request heads, one per block.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from atlas_desktop.refserver import RefServer
from tests.hostile.conftest import HOSTILE

HEADS = [block.strip("\n") for block in
         (HOSTILE / "serve-requests.txt").read_text("ascii").split("\n\n\n") if block.strip()]


@pytest.fixture
def server(tmp_path):
    with RefServer(tmp_path / "server.sqlite3") as running:
        yield running


@pytest.fixture
def four_workers(tmp_path):
    with RefServer(tmp_path / "server.sqlite3", max_workers=4) as running:
        yield running


def _status_line(sock: socket.socket) -> str:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0].decode("ascii", "replace")


@pytest.mark.parametrize("head", HEADS, ids=[
    next((line for line in h.split("\n")[::-1] if "Length" in line), "no Content-Length")
    for h in HEADS])
def test_a_body_without_one_exact_length_is_refused_at_once(server, head):
    """The client keeps its side open, as the attack did: reading "until the end" would
    wait forever (and read whatever it is sent), so only an immediate answer passes."""
    request = head.replace("\n", "\r\n").encode("ascii") + b"\r\n\r\n" + b"x" * 65536
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.sendall(request)
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        error = json.loads(answer.read())["error"]
    assert answer.status in {400, 411}, error
    assert "Content-Length" in error  # refused for its length, not judged on a body
    assert server.reports() == []


def test_connections_past_the_workers_wait_in_the_queue_and_are_all_served(four_workers):
    """Four workers, all held by idle connections; 200 more clients connect (the queue takes
    them; a queue of 5 dropped their handshakes), then all are answered once the idle ones
    go, and never more than four were served at once."""
    server = four_workers
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(4)]
    assert server.httpd.wait_until_busy(4, timeout=10)
    waiting = [socket.create_connection(("127.0.0.1", server.port), timeout=10)
               for _ in range(200)]
    for sock in waiting:
        sock.sendall(b"GET /v1/entries?limit=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    for sock in idle:
        sock.close()
    statuses = []
    for sock in waiting:
        with sock:
            statuses.append(_status_line(sock))
    assert statuses == ["HTTP/1.1 200 OK"] * 200
    assert server.httpd.most_busy == 4


def _serve(tmp_path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "atlas_desktop", "serve", "--port", "0", "--db",
         str(tmp_path / "served.sqlite3"), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})


def _stop(proc: subprocess.Popen[str], signum: int = signal.SIGINT) -> str:
    """Stop the server as a user would and return what it wrote to stderr; a server that does
    not stop is killed (never left running) and the test fails."""
    proc.send_signal(signum)
    try:
        return proc.communicate(timeout=20)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise


def _listening_url(proc: subprocess.Popen[str]) -> str:
    line = proc.stdout.readline()  # type: ignore[union-attr]
    assert "listening on http://127.0.0.1:" in line, line
    return line.split("listening on ")[1].split(" ")[0]


def _entries_status(url: str, token: str | None) -> int:
    request = urllib.request.Request(f"{url}/v1/entries?limit=1")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            json.load(answer)
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.parametrize("how", ["file", "environment"])
def test_the_token_comes_from_a_file_or_the_environment_not_argv(tmp_path, how):
    secret = "s3cret-token-from-" + how
    if how == "file":
        token_file = tmp_path / "token"
        token_file.write_text(secret + "\n")
        proc = _serve(tmp_path, "--token-file", str(token_file))
    else:
        proc = _serve(tmp_path, env={"ATLAS_REFSERVER_TOKEN": secret})
    try:
        url = _listening_url(proc)
        with open(f"/proc/{proc.pid}/cmdline", "rb") as cmdline:
            assert secret.encode() not in cmdline.read()
        assert _entries_status(url, None) == 401
        assert _entries_status(url, secret) == 200
    finally:
        err = _stop(proc)
    assert "warning" not in err


def test_a_token_on_the_command_line_still_works_but_warns(tmp_path):
    proc = _serve(tmp_path, "--token", "visible-token")
    try:
        url = _listening_url(proc)
        assert _entries_status(url, "visible-token") == 200
    finally:
        err = _stop(proc)
    assert "warning: --token puts the token in the process list" in err
    assert "--token-file" in err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_stops_cleanly_on_ctrl_c_or_kill_even_started_in_the_background(tmp_path, signum):
    """A shell's background job (`serve … &` in a script) starts with SIGINT ignored; Ctrl-C
    and a plain kill must stop the server all the same, through its clean shutdown."""
    proc = subprocess.Popen(
        ["sh", "-c", "trap '' INT; exec \"$@\"", "sh",  # as a shell starts a background job
         sys.executable, "-m", "atlas_desktop", "serve", "--port", "0", "--db",
         str(tmp_path / "served.sqlite3")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        url = _listening_url(proc)
        assert _entries_status(url, None) == 200
    finally:
        err = _stop(proc, signum)
    assert proc.returncode == 0
    assert "Stopped." in err and "Traceback" not in err


def test_an_ordinary_report_still_goes_through(server):
    body = json.dumps({"x": 1}).encode()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("POST", "/v1/corrections", body=body,
                 headers={"Content-Type": "application/json"})
    answer = conn.getresponse()
    assert answer.status in {400, 422}  # read whole and judged on its content
    conn.close()

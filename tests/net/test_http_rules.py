"""The shared HTTP layer against real loopback servers: one deadline for the whole request
(headers included), cancelling at once, size caps, redirects, and loopback decided from the
resolved address (issue 19, items 6 and 8)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from atlas_desktop.net.address import AddressError, check_target, is_loopback_ip, loopback_address
from atlas_desktop.net.http import Failure, HttpSession, Limits, NetError
from tests.net.rawserver import RawServer, drip_body, drip_headers


def session(**limits: float) -> HttpSession:
    values = {"connect_timeout": 2.0, "read_timeout": 2.0, "total_timeout": 10.0, **limits}
    return HttpSession(user_agent="atlas-desktop-test", limits=Limits(**values))


def test_headers_dripped_forever_end_at_the_request_deadline():
    # Each byte comes well within the read timeout: only a deadline on the whole request
    # (connect, headers and body) ends this, and the message names that deadline.
    with RawServer(drip_headers) as server, session(read_timeout=7, total_timeout=0.5) as http, \
            pytest.raises(NetError) as caught:
        http.request("GET", server.url + "/x", limit=1000)
    assert caught.value.kind is Failure.TIMEOUT
    assert "within 0.5 seconds" in str(caught.value)
    assert "7 seconds" not in str(caught.value)


def test_a_body_dripped_forever_ends_at_the_same_deadline():
    with RawServer(drip_body) as server, session(read_timeout=5, total_timeout=0.4) as http, \
            pytest.raises(NetError, match=r"within 0\.4 seconds") as caught:
        http.request("GET", server.url, limit=1_000_000)
    assert caught.value.kind is Failure.TIMEOUT


def test_a_deadline_given_by_the_caller_wins_when_it_is_sooner():
    import time

    with RawServer(drip_headers) as server, session(total_timeout=60) as http, \
            pytest.raises(NetError) as caught:
        http.request("GET", server.url, limit=1000, deadline=time.monotonic() + 0.3)
    assert caught.value.kind is Failure.TIMEOUT
    assert "60 seconds" not in str(caught.value)


def test_cancelling_ends_a_request_in_flight_and_the_connection_is_dropped():
    cancel = threading.Event()

    def drip_then_cancel(conn, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        cancel.set()  # the window closes while the headers drip
        while not stop.wait(0.05):
            conn.sendall(b"X-Slow: 1\r\n")

    with RawServer(drip_then_cancel) as server, session(read_timeout=30, total_timeout=60) as http, \
            pytest.raises(NetError) as caught:
        http.request("GET", server.url, limit=1000, cancel=cancel)
        assert caught.value.kind is Failure.CANCELLED
        assert server.closed_early.wait(5)  # the client hung up; it did not wait the drip out


def test_an_answer_over_the_limit_is_not_read():
    def big(conn, stop):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\n" + b"x" * 5_000_000)

    with RawServer(big) as server, session() as http, \
            pytest.raises(NetError, match="larger than 1 MB") as caught:
        http.request("GET", server.url, limit=1024 * 1024)
    assert caught.value.kind is Failure.TOO_LARGE


class _Redirects(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", "/loop")
        elif self.path == "/away":
            self.send_response(301)
            self.send_header("Location", "http://198.51.100.7/elsewhere")
        elif self.path == "/start":
            self.send_response(302)
            self.send_header("Location", "/end")
        else:
            self.send_response(200)
            body = f"host={self.headers.get('Host')}".encode()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def redirects():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirects)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_redirects_are_followed_only_when_asked_and_only_to_allowed_addresses(redirects):
    base = f"http://127.0.0.1:{redirects}"
    with session() as http:
        assert http.request("GET", base + "/start", limit=100).status == 302
        followed = http.request("GET", base + "/start", limit=100, follow_redirects=True)
        assert (followed.status, followed.url) == (200, base + "/end")
        with pytest.raises(NetError, match="redirected more than") as loop:
            http.request("GET", base + "/loop", limit=100, follow_redirects=True)
        assert loop.value.kind is Failure.WRONG_URL
        # A plain-http redirect off this computer is refused before anything is sent.
        with pytest.raises(NetError, match="not encrypted") as away:
            http.request("GET", base + "/away", limit=100, follow_redirects=True)
        assert away.value.kind is Failure.WRONG_URL


# --------------------------------------------------------------------------- loopback


@pytest.mark.parametrize(("address", "loopback"), [
    ("127.0.0.1", True), ("127.3.4.5", True), ("::1", True), ("::ffff:127.0.0.1", True),
    ("10.0.0.5", False), ("0.0.0.0", False), ("::", False), ("fe80::1", False),
    ("93.184.216.34", False), ("localhost", False),
])
def test_loopback_is_127_slash_8_and_colon_colon_1_only(address, loopback):
    assert is_loopback_ip(address) is loopback


def fake_dns(table):
    """The resolver at the process edge: a name -> addresses table (unknown names fail)."""
    def resolve(host):
        if host not in table:
            raise OSError(-2, "Name or service not known")
        return table[host]
    return resolve


def test_names_are_judged_by_what_they_resolve_to_never_by_their_spelling():
    dns = fake_dns({"localhost": ["127.0.0.1", "::1"], "evil.localhost": ["203.0.113.9"],
                    "localhost.": ["203.0.113.9"], "mixed.test": ["127.0.0.1", "203.0.113.9"],
                    "mirror.test": ["127.0.0.2"]})
    assert loopback_address("localhost", resolver=dns) == "127.0.0.1"
    assert loopback_address("mirror.test", resolver=dns) == "127.0.0.2"
    for name in ("evil.localhost", "localhost.", "mixed.test", "unknown.localhost"):
        assert loopback_address(name, resolver=dns) is None, name


@pytest.mark.parametrize("url", ["http://evil.localhost:8080/api", "http://localhost.:8080/"])
def test_names_that_only_look_local_are_judged_by_the_system_resolver(url):
    # Here (as on most machines) these names are not in the hosts file: they go to DNS,
    # which has no such name, and must not count as this computer. Where a resolver does
    # answer them with loopback addresses (systemd-resolved does for *.localhost), the
    # request is pinned to that address, so it still cannot leave the machine.
    from urllib.parse import urlsplit

    from atlas_desktop.net.address import system_resolver

    try:
        addresses = system_resolver(urlsplit(url).hostname)
    except OSError:
        addresses = []
    if addresses and all(is_loopback_ip(a) for a in addresses):
        host = f"[{addresses[0]}]" if ":" in addresses[0] else addresses[0]
        assert check_target(url).connect_url.startswith(f"http://{host}")
    else:
        with pytest.raises(AddressError, match="not encrypted"):
            check_target(url)


def test_plain_http_is_pinned_to_the_address_checked(redirects):
    # "atlas.test" resolves (once) to 127.0.0.1; the request connects there and still names
    # the host it was given, so a second lookup cannot send it elsewhere.
    dns = fake_dns({"atlas.test": ["127.0.0.1"]})
    target = check_target(f"http://atlas.test:{redirects}/end?x=1", resolver=dns)
    assert target.connect_url == f"http://127.0.0.1:{redirects}/end?x=1"
    with HttpSession(user_agent="t", resolver=dns) as http:
        response = http.request("GET", f"http://atlas.test:{redirects}/end", limit=100)
    assert response.body == f"host=atlas.test:{redirects}".encode()
    with pytest.raises(AddressError):
        check_target("http://evil.localhost/", resolver=fake_dns({"evil.localhost": ["8.8.8.8"]}))

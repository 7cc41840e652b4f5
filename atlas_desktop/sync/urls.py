"""The server address a user types, checked and normalised.

Invariant: a normalised URL is ``https://host[:port][/path]`` (or ``http://`` for a host
whose every address is on this computer), with no trailing slash, no query, no fragment
and no user name or password.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from atlas_desktop.net.address import loopback_address


class ServerUrlError(ValueError):
    """The address cannot be used; ``str`` says why, for the user."""


def is_loopback_host(host: str) -> bool:
    """Traffic that never leaves this computer: 127.0.0.0/8 and ::1, decided from the
    addresses the host resolves to, never from its name (issue 19: ``evil.localhost`` and
    ``localhost.`` went to DNS while counted as local). Requests are pinned to the address
    found (``atlas_desktop.net``)."""
    return loopback_address(host) is not None


def normalise_server_url(text: str) -> str:
    """Check an address typed by the user; return it in the form requests are built from."""
    raw = text.strip()
    if not raw:
        raise ServerUrlError("Enter the atlas server's address, such as "
                             "https://atlas.example.org/api.")
    if "://" not in raw:
        raise ServerUrlError(f"“{raw[:100]}” has no https:// at the start; write the full "
                             "address, such as https://atlas.example.org/api.")
    try:
        parts = urlsplit(raw)
        port = parts.port  # raises for a port that is not a number in range
    except ValueError:
        raise ServerUrlError(f"“{raw[:100]}” is not a web address.") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise ServerUrlError(f"The address must start with https:// (it starts with "
                             f"{scheme}://).")
    host = parts.hostname
    if not host:
        raise ServerUrlError(f"“{raw[:100]}” names no server.")
    if parts.username is not None or parts.password is not None:
        raise ServerUrlError("Leave the user name and password out of the address; put the "
                             "server's token in the token field instead.")
    if parts.query or parts.fragment:
        raise ServerUrlError("The address should end with the server's path, without ? or # "
                             "parts.")
    if any(ch.isspace() for ch in raw):
        raise ServerUrlError("The address contains spaces.")
    if scheme == "http" and not is_loopback_host(host):
        raise ServerUrlError(
            "Reports are sent only over an encrypted connection: use an https:// address. "
            "Plain http:// is accepted only for a server on this computer (localhost)."
        )
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    path = parts.path.rstrip("/")
    return f"{scheme}://{netloc}{path}"

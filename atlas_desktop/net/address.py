"""Which addresses may be spoken to in plain HTTP: this computer only, decided by address.

Invariant: a host counts as this computer only when *every* address it resolves to is in
127.0.0.0/8 or is ::1, and requests then go to that resolved address (the name is not
looked up a second time). The name itself never decides: ``evil.localhost`` or
``localhost.`` go to DNS like any other name, and whatever DNS says is what counts.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

#: host -> the addresses it resolves to (the process edge; tests may give their own).
Resolver = Callable[[str], Sequence[str]]


def system_resolver(host: str) -> list[str]:
    """The addresses the operating system gives for ``host`` (hosts file, then DNS)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_loopback_ip(text: str) -> bool:
    """127.0.0.0/8 and ::1 (also written as an IPv4-mapped IPv6 address); nothing else."""
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped
        if mapped is not None:
            return mapped in _LOOPBACK_V4
        return address == _LOOPBACK_V6
    return address in _LOOPBACK_V4


_LOOPBACK_V4 = ipaddress.ip_network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.ip_address("::1")


def loopback_address(host: str, *, resolver: Resolver | None = None) -> str | None:
    """The address to use for ``host`` if it is this computer, else None.

    An address literal is judged as it is; a name is resolved and passes only if all its
    addresses are loopback (one outside address is enough to refuse it: a resolver could
    hand out either). A name that does not resolve is not this computer.
    """
    name = host.strip().strip("[]")
    if not name:
        return None
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return name if is_loopback_ip(name) else None
    try:
        addresses = list((resolver or system_resolver)(name))
    except (OSError, UnicodeError, ValueError):
        return None
    if addresses and all(is_loopback_ip(a) for a in addresses):
        return addresses[0]
    return None


class AddressError(ValueError):
    """An address that may not be used; ``str`` says why, for the user."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where one request goes: its URL as written and, for plain HTTP, the loopback address
    it is pinned to (the request connects there and names the host in ``Host``)."""

    url: str
    host_header: str | None = None
    connect_url: str | None = None

    @property
    def request_url(self) -> str:
        return self.connect_url or self.url


def check_target(url: str, *, resolver: Resolver | None = None, what: str = "The server"
                 ) -> Target:
    """Check that ``url`` may be requested: ``https://`` anywhere, ``http://`` only to this
    computer (then pinned to its resolved address). Raises AddressError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressError(f"{what}'s address “{url[:100]}” is not a web address.") from None
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in {"http", "https"} or not host:
        raise AddressError(f"{what}'s address “{url[:100]}” is not an http(s) address.")
    if scheme == "https":
        return Target(url)
    pinned = loopback_address(host, resolver=resolver)
    if pinned is None:
        raise AddressError(
            f"{what}'s address {scheme}://{host} is not encrypted and does not lead to this "
            "computer; nothing was sent. Use an https:// address (plain http:// is only for "
            "127.0.0.1, ::1 or a name that resolves to them alone).")
    netloc = f"[{pinned}]" if ":" in pinned else pinned
    host_header = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
        host_header += f":{port}"
    rest = url.split("://", 1)[1]
    path_and_more = rest[len(parts.netloc):]
    return Target(url, host_header=host_header, connect_url=f"http://{netloc}{path_and_more}")

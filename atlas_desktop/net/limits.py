"""How long a request may take. Apart from :mod:`.http`, so that settings can name limits
without loading the HTTP client (httpx) at start-up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 10.0
    #: Longest silence while waiting for (a part of) an answer.
    read_timeout: float = 30.0
    #: Longest time one request may take in all, connect to last byte.
    total_timeout: float = 120.0

"""When to try again: the server's ``Retry-After``, or our own backoff (sync and the online
sources alike)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

#: A server asking for more than this is answered again after a day anyway: one request a
#: day to a server that still wants quiet costs nothing, while trusting a broken date (the
#: year 2100, say) would hold reports back for ever.
MAX_RETRY_AFTER: Final = 24 * 3600.0


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delay-seconds or an HTTP date.

    None when the header is absent or unreadable (the caller then backs off on its own).
    A date in the past means "now" (0).
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.replace(".", "", 1).isdigit():
        # RFC 9110 says whole seconds; a decimal is read generously rather than ignored.
        return min(float(text), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # HTTP dates are GMT
    seconds = (when - now).total_seconds()
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits between half and all of
    ``min(cap, base * factor**(n-1))`` seconds, so clients that failed together spread out
    and never retry at once."""

    # 5-10 s after the first failure (a blip), about an hour apart at most.
    base: float = 10.0
    factor: float = 2.0
    cap: float = 3600.0

    def ceiling(self, attempts: int) -> float:
        exponent = max(0, attempts - 1)
        # min() before the power would overflow for a report tried thousands of times.
        if exponent > 64:
            return self.cap
        return min(self.cap, self.base * self.factor**exponent)

    def delay(self, attempts: int, rng: random.Random) -> float:
        ceiling = self.ceiling(attempts)
        return ceiling / 2 + rng.uniform(0, ceiling / 2)

"""Background lookups make way for the window while it answers the user.

Python runs one thread at a time. Completing records parses PubMed's XML on a thread of its
own, and every 5 ms the interpreter may hand the lock back to it while the window is
searching and painting a keystroke. Measured at 10,000 entries with 1,000 records completed
again and again beside the typing (README): keystroke-to-painted-list p95 76-127 ms; with
Python's switch interval at 0.5 ms, 68 ms; with this, 17 ms (quiet: 12-16 ms).

The window says when it is busy (:func:`window_busy`, at each keystroke's search); the
lookups call :func:`give_way` between small steps (a 32 kB piece of XML, an article, a
Crossref record, a transaction of saved records) and sleep until the window is done, never
longer than a moment at a time. Callers give way only outside the library's write
transactions, so no lock is held while they wait.
"""

from __future__ import annotations

import time
from typing import Final

#: How long a keystroke keeps background work waiting (its first page and paint take
#: 5-30 ms; a burst of typing keeps renewing it).
BUSY_SECONDS: Final = 0.1
#: The longest single wait, so a lookup's deadline and Stop are never held up for long.
LONGEST_WAIT: Final = 0.05



class _Window:
    #: Until when (time.monotonic) the window is busy; a float assignment is atomic.
    busy_until = 0.0


_WINDOW: Final = _Window()


def window_busy(seconds: float = BUSY_SECONDS) -> None:
    """The window is answering the user for about ``seconds``: background work waits."""
    _WINDOW.busy_until = max(_WINDOW.busy_until, time.monotonic() + seconds)


def give_way() -> None:
    """Between two small steps of background work: let a waiting thread have Python's lock,
    and while the window is busy, wait (up to :data:`LONGEST_WAIT`)."""
    wait = _WINDOW.busy_until - time.monotonic()
    time.sleep(min(wait, LONGEST_WAIT) if wait > 0 else 0)

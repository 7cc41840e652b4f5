"""When to try again: moved to :mod:`atlas_desktop.net.retry`, shared with the online
sources; the names stay importable from here."""

from atlas_desktop.net.retry import MAX_RETRY_AFTER, Backoff, parse_retry_after

__all__ = ["MAX_RETRY_AFTER", "Backoff", "parse_retry_after"]

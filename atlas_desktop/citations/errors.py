"""Errors of the citation package. Each message is a sentence a user can act on.

Named for what happened (like the store's ``LibraryCorrupt``), not with an ``Error`` suffix.
"""

from __future__ import annotations


class CitationError(Exception):
    """Base of every expected citation failure; ``str(exc)`` is shown to the user as is."""


class EngineUnavailable(CitationError):
    """A file the citation engine needs is missing. The message says how to get it."""


class StyleNotFound(CitationError):
    """No installed style has this name and no .csl file is at this path."""


class StyleInvalid(CitationError):
    """The style file is not a CSL style the engine can use (the message says why)."""


class RenderFailed(CitationError):
    """Nothing could be rendered (every entry failed, or the engine itself broke)."""


class EngineClosed(RenderFailed):
    """The engine was closed (evicted from the cache) before this call; fetch it again."""

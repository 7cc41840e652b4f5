"""Use cases. The CLI and the GUI call these; they never open a session or write SQL."""

from atlas_desktop.store import LibraryCorrupt, LibraryLocked, LibraryTooNew, StoreError

from .library import Library, open_library

__all__ = [
    "Library",
    "LibraryCorrupt",
    "LibraryLocked",
    "LibraryTooNew",
    "StoreError",
    "open_library",
]

"""Use cases. The CLI and the GUI call these; they never open a session or write SQL."""

from atlas_desktop.store import (
    LibraryCorrupt,
    LibraryEmptyFile,
    LibraryFull,
    LibraryLocked,
    LibraryMissing,
    LibraryReadOnly,
    LibraryTooNew,
    LibraryUnreadable,
    StoreError,
)

from .library import Library, open_library

__all__ = [
    "Library",
    "LibraryCorrupt",
    "LibraryEmptyFile",
    "LibraryFull",
    "LibraryLocked",
    "LibraryMissing",
    "LibraryReadOnly",
    "LibraryTooNew",
    "LibraryUnreadable",
    "StoreError",
    "open_library",
]

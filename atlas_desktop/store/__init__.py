"""Persistence: the only package that speaks SQL (SQLAlchemy over SQLite)."""

from .database import LibraryDB
from .engine import (
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

__all__ = [
    "LibraryCorrupt",
    "LibraryDB",
    "LibraryEmptyFile",
    "LibraryFull",
    "LibraryLocked",
    "LibraryMissing",
    "LibraryReadOnly",
    "LibraryTooNew",
    "LibraryUnreadable",
    "StoreError",
]

"""Persistence: the only package that speaks SQL (SQLAlchemy over SQLite)."""

from .database import LibraryDB
from .engine import LibraryCorrupt, LibraryLocked, LibraryTooNew, StoreError

__all__ = ["LibraryCorrupt", "LibraryDB", "LibraryLocked", "LibraryTooNew", "StoreError"]

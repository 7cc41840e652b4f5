"""A schema migration: frozen SQL, and an optional Python step in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]
    #: Optional Python step run after the statements, inside the same transaction.
    after: Callable[[Connection], None] | None = field(default=None)

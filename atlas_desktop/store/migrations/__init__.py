"""Schema versions, keyed on ``PRAGMA user_version`` (calibre's way).

Each migration is frozen SQL: once released it is never edited, only followed by a new one.
Each runs in one transaction together with the ``user_version`` bump, so a failure leaves the
file exactly at the previous version. ``tests/store/test_migrations.py`` upgrades a library
made by the first release (``tests/data/library-v1.sqlite3``).

The versions live in ``early.py`` (1-4), ``completion.py`` (5) and ``fold.py`` (6-7); a new
one goes in a module of its own and is added to :data:`MIGRATIONS`.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from ..engine import LibraryTooNew, StoreError
from .base import Migration
from .completion import V5
from .early import V1, V2, V3, V4
from .fold import V6, V7

MIGRATIONS: tuple[Migration, ...] = (V1, V2, V3, V4, V5, V6, V7)
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)


def migrate(engine: Engine, *, target: int | None = None) -> list[int]:
    """Bring the file to ``target`` (default: latest). Returns the versions applied."""
    target = LATEST_VERSION if target is None else target
    applied: list[int] = []
    with engine.connect() as conn:
        version = current_version(conn)
    if version > LATEST_VERSION:
        raise LibraryTooNew(
            f"This library was written by a newer Atlas Desktop (schema {version}; this "
            f"version knows up to {LATEST_VERSION}). Update Atlas Desktop to open it."
        )
    for migration in MIGRATIONS:
        if migration.version <= version or migration.version > target:
            continue
        with engine.connect().execution_options(atlas_write=True) as conn, conn.begin():
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if current_version(conn) >= migration.version:
                continue
            if current_version(conn) != migration.version - 1:
                raise StoreError("The library's schema version changed while it was upgraded.")
            for statement in migration.statements:
                conn.exec_driver_sql(statement)
            if migration.after is not None:
                migration.after(conn)
            conn.exec_driver_sql(f"PRAGMA user_version = {migration.version}")
        applied.append(migration.version)
    return applied

"""The SQLite engine: connection pragmas, explicit transactions and the start-up check.

SQLite connections run in autocommit mode at the driver level and SQLAlchemy emits
``BEGIN`` itself (the recipe from SQLAlchemy's pysqlite notes), so a ``with store.write()``
block is exactly one SQLite transaction, DDL included. Writers use ``BEGIN IMMEDIATE`` so two
writers never deadlock on a lock upgrade.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool, QueuePool

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A library problem to show the user in words. ``str(err)`` is the sentence."""


class LibraryCorrupt(StoreError):
    pass


class LibraryLocked(StoreError):
    pass


class LibraryTooNew(StoreError):
    pass


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy's "begin" event below.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # User data (notes, reports) must survive power loss: fsync the WAL on every commit.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA temp_store = MEMORY")
        # 32 MiB page cache per connection; no memory-mapped I/O: mapped pages of an 850 MB
        # library count against the window's memory and gained little measured speed.
        cursor.execute("PRAGMA cache_size = -32768")
    finally:
        cursor.close()


def _on_begin(conn: Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("atlas_write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def create_sqlite_engine(path: Path, *, pooled: bool = True) -> Engine:
    """An engine over one library file with our pragmas on every connection."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=QueuePool if pooled else NullPool,
        **({"pool_size": 3, "max_overflow": 3} if pooled else {}),
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


#: Entries carry ~4 kB of text and FTS5 leaves are ~4 kB: larger pages keep both out of
#: overflow chains (measured: faster bulk imports and smaller files than 4 kB pages).
PAGE_SIZE = int(os.environ.get("ATLAS_PAGE_SIZE", "16384"))


def sqlite_connection(conn: Connection) -> sqlite3.Connection:
    """The DB-API connection under ``conn``, in the same transaction: for PRAGMAs, and for
    the few hot paths where SQLAlchemy's per-row result objects cost more than the query."""
    raw = conn.connection.driver_connection
    assert raw is not None
    return raw  # type: ignore[no-any-return]


def set_page_size(engine: Engine, size: int) -> None:
    """Only effective on a new, empty database file (before WAL and the first table)."""
    with engine.connect() as conn:
        raw = sqlite_connection(conn)
        raw.execute(f"PRAGMA page_size = {int(size)}")


def set_wal(engine: Engine) -> None:
    """WAL lets the window read while a writer commits; set once per database file."""
    with engine.connect() as conn:
        # Outside any transaction: SQLite refuses to change the journal mode inside one.
        raw = sqlite_connection(conn)
        mode = raw.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"The library could not switch to write-ahead logging ({mode}).")


def quick_check(engine: Engine) -> str | None:
    """None when ``PRAGMA quick_check`` passes, else the first problem it reports."""
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA quick_check(5)").fetchall()
    except DBAPIError as exc:
        return str(exc.orig)
    problems = [str(r[0]) for r in rows if str(r[0]).lower() != "ok"]
    return "; ".join(problems) if problems else None


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn driver errors that mean "the file is broken or busy" into sentences."""
    try:
        yield
    except OperationalError as exc:
        message = str(exc.orig).lower()
        if "locked" in message or "busy" in message:
            raise LibraryLocked(
                "The library is busy: another Atlas Desktop is writing to it. Try again in a "
                "moment."
            ) from exc
        if "malformed" in message or "not a database" in message:
            raise LibraryCorrupt(
                "The library file is damaged and cannot be read safely. Nothing was changed. "
                "Restore it from a backup or choose another library folder."
            ) from exc
        raise
    except DBAPIError as exc:
        message = str(exc.orig).lower()
        if "malformed" in message or "not a database" in message:
            raise LibraryCorrupt(
                "The library file is damaged or is not an Atlas Desktop library. Nothing was "
                "changed."
            ) from exc
        raise

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
from typing import Any, Final
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
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


class LibraryReadOnly(StoreError):
    """A write to a library that cannot be written (its file or folder is read-only)."""


class LibraryFull(StoreError):
    """The disk holding the library is full."""


class LibraryUnreadable(StoreError):
    """The disk or the operating system would not let SQLite open or read the file."""


class LibraryEmptyFile(StoreError):
    """``library.sqlite3`` exists but holds nothing (0 bytes): never initialised silently."""


class LibraryMissing(StoreError):
    """A command that only reads was pointed at a folder with no library in it."""


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


def create_sqlite_engine(path: Path, *, pooled: bool = True, mode: str | None = None) -> Engine:
    """An engine over one library file with our pragmas on every connection.

    ``mode`` opens the file through a URI: ``"ro"`` (read-only; SQLite still uses the
    write-ahead log and its shared-memory file) or ``"immutable"`` (read-only media: no log,
    no locks; only for a WAL library whose folder cannot change and that has no ``-wal``).
    """
    url = f"sqlite:///{path}"
    if mode is not None:
        query = "mode=ro" if mode == "ro" else "immutable=1"
        url = f"sqlite:///file:{quote(str(path))}?{query}&uri=true"
    engine = create_engine(
        url,
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


#: SQLite's messages (``sqlite3_errstr``) for each kind of storage problem. Matched on the
#: driver's message, never on SQLAlchemy's text, which carries the statement and its values
#: (a note's text, for one).
_KINDS: Final = (
    (("locked", "busy"), LibraryLocked,
     "The library is busy: another Atlas Desktop is writing to it. Try again in a moment."),
    (("malformed", "not a database"), LibraryCorrupt,
     "The library file is damaged and cannot be read safely. Nothing was changed. Restore it "
     "from a backup or choose another library folder."),
    (("readonly", "read-only"), LibraryReadOnly,
     "The library cannot be written: its file or folder is read-only. Nothing was changed."),
    (("database or disk is full", "disk is full"), LibraryFull,
     "The disk holding the library is full, so nothing could be saved; nothing was changed. "
     "Free some space and try again."),
    (("disk i/o error", "unable to open", "cannot open"), LibraryUnreadable,
     "The library file could not be read or written (the disk or the system refused: a full "
     "disk, a removed drive or a permission). Nothing was changed."),
)


def storage_error(exc: BaseException) -> StoreError:
    """The :class:`StoreError` for a driver error (the generic one if not a known kind)."""
    orig = getattr(exc, "orig", None) or exc
    message = str(orig).lower()
    for words, kind, sentence in _KINDS:
        if any(word in message for word in words):
            return kind(sentence)
    return StoreError(f"The library could not be used (SQLite said: {str(orig)[:200]}). "
                      "Nothing was changed.")


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn driver errors (SQLAlchemy's, and sqlite3's from raw connections) into
    :class:`StoreError` sentences; the driver's error stays as the cause, for the log."""
    try:
        yield
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        raise storage_error(exc) from exc

"""One library file: open it safely, then hand out read and write transactions.

Opening order matters for a damaged file: the header and ``PRAGMA quick_check`` come before
anything that writes (switching to WAL, migrations). A failed check raises
:class:`LibraryCorrupt` and nothing is written; the file is never rebuilt silently.

The check reads the whole file, so the window may open with ``check="background"``: reads
start at once and every write waits until :meth:`LibraryDB.verify` has passed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection

from .engine import (
    PAGE_SIZE,
    LibraryCorrupt,
    LibraryTooNew,
    StoreError,
    create_sqlite_engine,
    quick_check,
    set_page_size,
    set_wal,
    sqlite_connection,
    translate_errors,
)
from .migrations import LATEST_VERSION, migrate

_SQLITE_HEADER = b"SQLite format 3\x00"

CheckMode = Literal["now", "background", "skip"]


class LibraryDB:
    """Owns the engine of one library file. Thread-safe: each transaction has its own
    connection from the pool; writers serialise on SQLite's write lock."""

    def __init__(self, path: Path, *, check: CheckMode = "now") -> None:
        self.path = Path(path)
        existed = self.path.exists() and self.path.stat().st_size > 0
        if existed:
            self._check_header()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_sqlite_engine(self.path)
        self._verified = threading.Event()
        self._problem: str | None = None

        with translate_errors():
            version = self.schema_version()
            if version > LATEST_VERSION:
                raise LibraryTooNew(
                    f"This library was written by a newer Atlas Desktop (schema {version}; "
                    f"this version knows up to {LATEST_VERSION}). Update Atlas Desktop to open "
                    "it. Nothing was changed."
                )
            needs_migration = version < LATEST_VERSION
            if existed and (check == "now" or needs_migration):
                self.verify()  # raises before anything is written
            elif not existed or check == "skip":
                self._verified.set()
                if not existed:
                    set_page_size(self.engine, PAGE_SIZE)
                set_wal(self.engine)
            # check == "background": the file is already in WAL mode (we created it so);
            # verify() runs later and opens the gate for writes.
            if needs_migration:
                migrate(self.engine)

    def _check_header(self) -> None:
        with self.path.open("rb") as handle:
            header = handle.read(16)
        if header != _SQLITE_HEADER:
            raise LibraryCorrupt(
                f"{self.path} is not an Atlas Desktop library (it is not an SQLite database). "
                "Nothing was changed."
            )

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)

    def verify(self) -> None:
        """Run ``quick_check``; on failure every later write raises LibraryCorrupt."""
        problem = quick_check(self.engine)
        if problem is not None:
            self._problem = problem
            self._verified.set()
            raise LibraryCorrupt(
                "The library file failed its integrity check and was not changed "
                f"({problem[:200]}). Restore it from a backup, or open another library folder."
            )
        if not self._verified.is_set():
            set_wal(self.engine)
        self._verified.set()

    @property
    def verified(self) -> bool:
        return self._verified.is_set() and self._problem is None

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot of the library."""
        with translate_errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self, *, bulk: bool = False) -> Iterator[Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): all of it commits, or none of it.

        ``bulk`` is for large catalogue imports only (never user data): ``synchronous=NORMAL``
        (still atomic; durable at the next checkpoint), no automatic checkpoint inside the
        commit and a 64 MiB page cache. Call :meth:`checkpoint` afterwards, off the UI thread.
        """
        self._verified.wait()
        if self._problem is not None:
            raise LibraryCorrupt(
                "The library failed its integrity check, so nothing can be saved to it "
                f"({self._problem[:200]})."
            )
        with translate_errors(), self.engine.connect().execution_options(
            atlas_write=True
        ) as conn:
            raw = sqlite_connection(conn)
            if bulk:
                raw.execute("PRAGMA wal_autocheckpoint = 0")
                raw.execute("PRAGMA synchronous = NORMAL")
                # Enough for the indexes that take random inserts; every page of a bulk
                # import is written to the log once whatever the cache, and a bigger cache
                # only moves that writing into the commit and takes more fresh memory (at
                # 100k entries 512 MiB was about 1 s slower than 64 MiB; 32 MiB was as fast).
                raw.execute("PRAGMA cache_size = -65536")
            try:
                with conn.begin():
                    yield conn
            finally:
                if bulk:
                    raw.execute("PRAGMA wal_autocheckpoint = 1000")
                    raw.execute("PRAGMA synchronous = FULL")
                    raw.execute("PRAGMA cache_size = -32768")

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file (after a bulk import)."""
        with translate_errors(), self.engine.connect() as conn:
            raw = sqlite_connection(conn)
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def integrity_check(self) -> list[str]:
        with self.engine.connect() as conn:
            return [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["Connection", "LibraryCorrupt", "LibraryDB", "StoreError"]

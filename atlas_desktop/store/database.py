"""One library file: open it safely, then hand out read and write transactions.

Opening order matters for a damaged file: the header and ``PRAGMA quick_check`` come before
anything that writes (switching to WAL, migrations). A failed check raises
:class:`LibraryCorrupt` and nothing is written; the file is never rebuilt silently.

The check reads the whole file, so the window may open with ``check="background"``: reads
start at once and every write waits until :meth:`LibraryDB.verify` has passed.

A new library file is built beside its final name and linked into place only when complete,
so ``library.sqlite3`` is never an empty file of ours; an empty one found there is refused
(:class:`LibraryEmptyFile`), never initialised. A library whose file or folder cannot be
written is opened read-only (:attr:`LibraryDB.read_only` says why) and every write raises
:class:`LibraryReadOnly` before it starts. SQLite reads a read-only WAL library through its
``-wal`` and ``-shm`` files when they exist or can be made; in a folder that cannot change and
holds no ``-wal`` there is nothing to miss, so it is opened as immutable.

Every write of this process goes through one connection (the *writer*), one at a time. So
``PRAGMA data_version`` on it changes only when another program committed: that is how the
window notices a note the command line wrote, or an import of 100,000 entries
(:meth:`LibraryDB.changed_elsewhere`, issue 19.10). Checkpoints after the user's writes run
on it too (:meth:`LibraryDB.checkpoint_idle`, issue 19.13).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection

from .engine import (
    BUSY_TIMEOUT_MS,
    PAGE_SIZE,
    LibraryCorrupt,
    LibraryEmptyFile,
    LibraryLocked,
    LibraryReadOnly,
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
        if not self.path.exists():
            _create_library(self.path)
            check = "skip"  # just built by us
        elif self.path.stat().st_size == 0:
            raise LibraryEmptyFile(
                f"{self.path} is an empty file (0 bytes), not a library, so it was not opened "
                "and nothing was changed. Restore it from a backup, or delete it to start a "
                "new library in that folder.")
        self._check_header()
        #: Why the library cannot be written, as a sentence; None when it can.
        self.read_only: str | None = read_only_reason(self.path)
        mode = None
        if self.read_only is not None:
            wal = self.path.with_name(self.path.name + "-wal")
            folder_fixed = not os.access(self.path.parent, os.W_OK)
            mode = "immutable" if folder_fixed and not wal.exists() else "ro"
        self.engine = create_sqlite_engine(self.path, mode=mode)
        self._verified = threading.Event()
        self._problem: str | None = None
        # The one connection this process writes through, and who holds it.
        self._writer_lock = threading.Lock()
        self._writer: Connection | None = None
        self._data_version: int | None = None

        with translate_errors():
            version = self.schema_version()
            if version > LATEST_VERSION:
                raise LibraryTooNew(
                    f"This library was written by a newer Atlas Desktop (schema {version}; "
                    f"this version knows up to {LATEST_VERSION}). Update Atlas Desktop to open "
                    "it. Nothing was changed."
                )
            needs_migration = version < LATEST_VERSION
            if needs_migration and self.read_only is not None:
                raise LibraryReadOnly(
                    f"{self.read_only} It was written by an older Atlas Desktop and must be "
                    "updated before it can be opened, which needs writing. Nothing was changed.")
            if check == "now" or needs_migration:
                self.verify()  # raises before anything is written
            elif check == "skip":
                self._verified.set()
                if self.read_only is None:
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
        if not self._verified.is_set() and self.read_only is None:
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
        if self.read_only is not None:
            raise LibraryReadOnly(f"{self.read_only} Nothing was changed.")
        self._verified.wait()
        if self._problem is not None:
            raise LibraryCorrupt(
                "The library failed its integrity check, so nothing can be saved to it "
                f"({self._problem[:200]})."
            )
        # Another of this process's writers holds the writer: wait as SQLite would wait for
        # another program's (the busy timeout), then say it is busy.
        if not self._writer_lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise LibraryLocked(
                "The library is busy: another Atlas Desktop is writing to it. Try again in a "
                "moment.")
        try:
            with translate_errors():
                conn = self._writer_connection()
                raw = sqlite_connection(conn)
                if bulk:
                    raw.execute("PRAGMA wal_autocheckpoint = 0")
                    raw.execute("PRAGMA synchronous = NORMAL")
                    # Enough for the indexes that take random inserts; every page of a bulk
                    # import is written to the log once whatever the cache, and a bigger
                    # cache only moves that writing into the commit and takes more fresh
                    # memory (at 100k entries 512 MiB was about 1 s slower than 64 MiB;
                    # 32 MiB was as fast).
                    raw.execute("PRAGMA cache_size = -65536")
                try:
                    with conn.begin():
                        yield conn
                finally:
                    if bulk:
                        raw.execute("PRAGMA wal_autocheckpoint = 1000")
                        raw.execute("PRAGMA synchronous = FULL")
                        raw.execute("PRAGMA cache_size = -32768")
        except BaseException:
            self._drop_broken_writer()
            raise
        finally:
            self._writer_lock.release()

    def _writer_connection(self) -> Connection:
        """The writer, opened on first use (and again if a failure closed it). Call with
        the writer's lock held."""
        if self._writer is None or self._writer.closed or self._writer.invalidated:
            self._writer = self.engine.connect().execution_options(atlas_write=True)
        return self._writer

    def _drop_broken_writer(self) -> None:
        writer = self._writer
        if writer is not None and (writer.invalidated or writer.in_transaction()):
            # A failure left it unusable (or inside a transaction it could not end): the next
            # write opens a fresh one.
            self._writer = None
            with contextlib.suppress(Exception):
                writer.close()

    def changed_elsewhere(self) -> bool | None:
        """Whether another program committed to the library since the last call (False the
        first time: that sets the mark); None when this process is writing right now (ask
        again later). Cheap: SQLite reads a counter in shared memory; never waits."""
        if self.read_only is not None or not self._verified.is_set():
            return False
        if not self._writer_lock.acquire(blocking=False):
            return None
        try:
            with translate_errors():
                raw = sqlite_connection(self._writer_connection())
                version = int(raw.execute("PRAGMA data_version").fetchone()[0])
        finally:
            self._writer_lock.release()
        previous, self._data_version = self._data_version, version
        return previous is not None and version != previous

    def checkpoint_idle(self) -> bool:
        """Fold what the write-ahead log holds into the library file, without waiting for
        anyone (a passive checkpoint, on the writer); for after the user's writes, when the
        window is idle, so a day's notes do not live in the ``-wal`` alone. True when every
        frame of the log is in the file now."""
        if self.read_only is not None or not self._writer_lock.acquire(blocking=False):
            return False
        try:
            with translate_errors():
                raw = sqlite_connection(self._writer_connection())
                busy, frames, done = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            self._writer_lock.release()
        return not busy and frames == done

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file (after a bulk import)."""
        if self.read_only is not None:
            return
        with translate_errors(), self.engine.connect() as conn:
            raw = sqlite_connection(conn)
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def integrity_check(self) -> list[str]:
        with self.engine.connect() as conn:
            return [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]

    def close(self) -> None:
        with self._writer_lock:
            if self._writer is not None:
                with contextlib.suppress(Exception):
                    self._writer.close()
                self._writer = None
        self.engine.dispose()


def read_only_reason(path: Path) -> str | None:
    """Why the library at ``path`` cannot be written, or None. Uses ``access(2)``, which
    answers for read-only mounts and immutable files and folders (``chattr +i``) even as
    root, where the permission bits are not enforced."""
    folder = path.parent
    try:
        on_read_only_disk = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        on_read_only_disk = False
    if on_read_only_disk:
        return f"This library is read-only, because it is on a read-only disk ({folder})."
    if not os.access(folder, os.W_OK):
        return (f"This library is read-only, because its folder {folder} cannot be written "
                "(it is read-only or locked against changes).")
    if not os.access(path, os.W_OK):
        return (f"This library is read-only, because its file {path} cannot be written "
                "(it is read-only or locked against changes).")
    return None


def _create_library(path: Path) -> None:
    """Build a new, empty library beside ``path`` and link it into place when complete: a
    crash or a full disk on the way leaves no file at ``path`` (only a stray temporary)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}-{threading.get_ident()}")
    for leftover in (temporary, *(temporary.with_name(temporary.name + s)
                                  for s in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    try:
        engine = create_sqlite_engine(temporary)
        try:
            with translate_errors():
                set_page_size(engine, PAGE_SIZE)
                set_wal(engine)
                migrate(engine)
        finally:
            engine.dispose()  # the last connection folds the log in and removes it
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(temporary, path)
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    finally:
        for leftover in (temporary, *(temporary.with_name(temporary.name + s)
                                      for s in ("-wal", "-shm", "-journal"))):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


__all__ = ["Connection", "LibraryCorrupt", "LibraryDB", "StoreError", "read_only_reason"]

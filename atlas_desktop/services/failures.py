"""Every storage problem as one sentence and an exit code, for every face (issue 19.11).

A full disk, a disk that will not open the file, a read-only folder or file, a library locked
by another writer for longer than the busy timeout, a damaged page: each reaches the faces as
a :class:`~atlas_desktop.store.StoreError` (the store translates SQLite's errors, see
``store/engine.py``) or as an :class:`OSError` from the file system. :func:`describe_failure`
is the one place that turns any of them, and anything unexpected, into a :class:`Failure`:
a short title (a dialog's), one sentence for the user, the command line's exit code, and the
log file the full traceback was written to, which the sentence names. The command line uses
it for every command; the window can show the same sentence in a dialog.

The log is ``logs/atlas-desktop.log`` in the library folder, or, when that folder cannot be
written (the read-only case), the platform's log folder. It is local, like the library.
"""

from __future__ import annotations

import contextlib
import errno
import os
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Final

import platformdirs

from atlas_desktop.paths import APP_AUTHOR, APP_NAME, LibraryPaths
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

#: Exit codes of the command line (README, "Command line"). 1 is also bad input.
EXIT_NOTHING_CHANGED: Final = 1
#: The disk failed or is full (sysexits' EX_IOERR).
EXIT_IO: Final = 74
#: Another process holds the library; the same command may work in a moment (EX_TEMPFAIL).
EXIT_TRY_AGAIN: Final = 75
#: Not the user's input and not the disk: our own mistake (EX_SOFTWARE).
EXIT_INTERNAL: Final = 70

LOG_NAME: Final = "atlas-desktop.log"
_LOG_LIMIT: Final = 1_000_000


class FailureKind(StrEnum):
    READ_ONLY = "read-only"
    DISK_FULL = "disk-full"
    UNREADABLE = "unreadable"
    LOCKED = "locked"
    DAMAGED = "damaged"
    TOO_NEW = "too-new"
    EMPTY_FILE = "empty-file"
    MISSING = "missing"
    STORAGE = "storage"
    UNEXPECTED = "unexpected"


@dataclass(frozen=True, slots=True)
class Failure:
    kind: FailureKind
    #: A few words, for a dialog's title.
    title: str
    #: One sentence (or two) for the user, naming the log when one was written.
    message: str
    exit_code: int
    log_path: Path | None


_STORE_KINDS: Final = (
    (LibraryReadOnly, FailureKind.READ_ONLY, "The library is read-only", EXIT_NOTHING_CHANGED),
    (LibraryFull, FailureKind.DISK_FULL, "The disk is full", EXIT_IO),
    (LibraryUnreadable, FailureKind.UNREADABLE, "The library cannot be opened", EXIT_IO),
    (LibraryLocked, FailureKind.LOCKED, "The library is busy", EXIT_TRY_AGAIN),
    (LibraryCorrupt, FailureKind.DAMAGED, "The library is damaged", EXIT_NOTHING_CHANGED),
    (LibraryTooNew, FailureKind.TOO_NEW, "A newer library", EXIT_NOTHING_CHANGED),
    (LibraryEmptyFile, FailureKind.EMPTY_FILE, "The library file is empty",
     EXIT_NOTHING_CHANGED),
    (LibraryMissing, FailureKind.MISSING, "No library there", EXIT_NOTHING_CHANGED),
)
#: Failures the user caused or can see at once: no traceback is worth logging for them.
_NOT_LOGGED: Final = frozenset({FailureKind.MISSING, FailureKind.EMPTY_FILE,
                                FailureKind.TOO_NEW})


def describe_failure(exc: BaseException, *, paths: LibraryPaths | None) -> Failure:
    """The one sentence and exit code for ``exc``; its traceback goes to the log first."""
    kind, title, message, code = _classify(exc)
    if kind is FailureKind.UNREADABLE and paths is not None and _disk_full(paths.data_dir):
        # SQLite says "disk I/O error" when a full disk stops it making its shared-memory
        # file at open; the disk's free space says what it was.
        kind, title, code = FailureKind.DISK_FULL, "The disk is full", EXIT_IO
        message = (f"The disk holding the library ({paths.data_dir}) is full, so the library "
                   "could not be opened; nothing was changed. Free some space and try again.")
    log = None if kind in _NOT_LOGGED else write_log(exc, paths)
    if log is not None:
        message = f"{message} Details are in {log}."
    elif kind not in _NOT_LOGGED:
        message = f"{message} (The details could not be written to a log file.)"
    return Failure(kind=kind, title=title, message=message, exit_code=code, log_path=log)


def _classify(exc: BaseException) -> tuple[FailureKind, str, str, int]:
    if isinstance(exc, StoreError):
        for cls, kind, title, code in _STORE_KINDS:
            if isinstance(exc, cls):
                return kind, title, str(exc), code
        return FailureKind.STORAGE, "The library cannot be used", str(exc), EXIT_NOTHING_CHANGED
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return (FailureKind.DISK_FULL, "The disk is full",
                    f"The disk is full{where}, so nothing could be saved; nothing was changed. "
                    "Free some space and try again.", EXIT_IO)
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return (FailureKind.READ_ONLY, "A file cannot be written",
                    f"A file or folder cannot be written{where}: it is read-only or locked "
                    "against changes. Nothing was changed.", EXIT_NOTHING_CHANGED)
        return (FailureKind.UNREADABLE, "A file cannot be used",
                f"A file could not be read or written{where}: "
                f"{exc.strerror or type(exc).__name__}. Nothing was changed.", EXIT_IO)
    return (FailureKind.UNEXPECTED, "Something went wrong",
            "Atlas Desktop met an unexpected problem and stopped what it was doing; nothing was "
            "left half-done.", EXIT_INTERNAL)


def _disk_full(folder: Path) -> bool:
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def log_candidates(paths: LibraryPaths | None) -> list[Path]:
    """Where the log may go: the library folder's ``logs/``, else the platform's log folder."""
    found = [paths.logs_dir / LOG_NAME] if paths is not None else []
    found.append(Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)) / LOG_NAME)
    return found


def write_log(exc: BaseException, paths: LibraryPaths | None) -> Path | None:
    """Append ``exc``'s traceback, with the time, to the first log that can be written. An
    exception whose frames were let go after a worker thread kept its traceback as text
    (``__traceback_text__``, the window's runners do) is logged with that text."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    kept = getattr(exc, "__traceback_text__", None)
    text = f"--- {stamp}\n" + (kept if isinstance(kept, str) and kept else
                                "".join(traceback.format_exception(exc)))
    for path in log_candidates(paths):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_size > _LOG_LIMIT:
                    os.replace(path, path.with_name(path.name + ".1"))
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
            return path
        except OSError:
            continue
    return None

"""Opening a file given to an import: regular files only, read once, bounded in size.

A path can name a FIFO (reading it waits for a writer forever), a device (``/dev/zero`` never
ends) or a file that grows while it is read. So the file is opened without blocking, checked
with ``fstat`` on the open descriptor (no window between the check and the read), and read
up to a limit given by the caller; anything over the limit is refused with the limit in the
message, never read "until the end".
"""

from __future__ import annotations

import os
import stat
from types import TracebackType
from typing import Final

from .text import FormatError

_HEAD_BYTES: Final = 64 * 1024
_KINDS: Final = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a disk device"),
    (stat.S_ISSOCK, "a socket"),
)


def megabytes(count: int) -> str:
    """``count`` bytes for a message: ``64 MB``, ``1.5 MB``."""
    value = count / 1_000_000
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def too_large(size: int, limit: int, what: str) -> str:
    """The sentence that refuses a file of ``size`` bytes over ``limit``, naming both."""
    return (f"The file is {megabytes(size)}; {what} are read up to {megabytes(limit)}, to keep "
            "the memory an import takes bounded. Split it and import the parts.")


class InputFile:
    """A regular file open for reading. Use as a context manager."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        info = os.fstat(self._fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(self._fd)
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            if kind == "a folder":
                raise FormatError("This is a folder, not a file.")
            raise FormatError(f"This is {kind}, not a regular file; only files can be "
                              "imported.")
        self.size = info.st_size

    def __enter__(self) -> InputFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def head(self, count: int = _HEAD_BYTES) -> bytes:
        return os.pread(self._fd, count, 0)

    def check_size(self, limit: int, what: str) -> None:
        """Refuse a file over ``limit`` bytes before anything is read into memory."""
        if self.size > limit:
            raise FormatError(too_large(self.size, limit, what))

    def read(self, limit: int, what: str) -> bytes:
        """The whole file, at most ``limit`` bytes (a file that grows past it is refused).

        One read of the size ``fstat`` gave, plus one byte to see whether it grew: a single
        buffer, no copy. Only a file that grows while it is read takes the slow way."""
        self.check_size(limit, what)
        data = os.pread(self._fd, self.size + 1, 0)
        if len(data) <= self.size:
            return data
        chunks = [data]
        total = len(data)
        while total <= limit:
            chunk = os.pread(self._fd, min(limit + 1 - total, 16 * 1024 * 1024), total)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
        raise FormatError(
            f"The file grew past {megabytes(limit)} while it was read; {what} are read up to "
            f"{megabytes(limit)}. Nothing was imported from it.")

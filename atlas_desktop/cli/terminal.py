"""Text for a terminal: entry text is someone else's, so its control characters never reach it.

Catalogue text comes from a server or a bundle. Printed raw, an ``ESC ] 52`` sequence in a
title writes the user's clipboard, ``ESC ] 0`` sets the window title and ``ESC [ 2 J`` clears
the screen. Every text the command line prints goes through :func:`terminal_safe`: whole
escape sequences (CSI, OSC, DCS/SOS/PM/APC strings, the short two-byte ones, and their 8-bit
C1 forms) are removed, then every remaining C0 control except line feed and tab, DEL and
every C1 control. :func:`safe_output` installs it on ``sys.stdout`` and ``sys.stderr`` for
one command, which is the one place it happens.

Data output is exact: ``--json`` and an export to standard output write through
:func:`raw_stream` (JSON escapes C0 controls itself; the formats' own text is the user's
data, not ours to change).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final, TextIO

#: An escape sequence as a terminal reads it. A string sequence (OSC, DCS…) that is never
#: terminated ends at the line's end here, so a hostile title cannot swallow the rest of the
#: output, only its own line's remainder.
_SEQUENCE_RE: Final = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"            # CSI … final byte
    r"|\x9b[0-?]*[ -/]*[@-~]?"             # 8-bit CSI
    r"|\x1b[\]PX^_][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # their 8-bit forms
    r"|\x1b[ -/]*[0-~]?"                   # two-byte and nF sequences (ESC c, ESC ( B…)
)
#: C0 except tab and line feed, DEL, C1.
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` without escape sequences and control characters (``\\n`` and ``\\t`` kept)."""
    if not _CONTROL_RE.search(text):
        return text  # the common case, one scan
    return _CONTROL_RE.sub("", _SEQUENCE_RE.sub("", text))


class TerminalSafeStream(io.TextIOBase):
    """A text stream that cleans what is written to it and passes it on.

    ``buffer`` is the underlying stream's, so bytes written there (JSON) stay exact.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.raw_stream = stream

    def write(self, text: str) -> int:
        self.raw_stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self.raw_stream.flush()

    def isatty(self) -> bool:
        return self.raw_stream.isatty()

    def fileno(self) -> int:
        return self.raw_stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.raw_stream, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.raw_stream, "errors", None)

    @property
    def buffer(self) -> object:
        return self.raw_stream.buffer


def raw_stream(stream: TextIO) -> TextIO:
    """The stream under a :class:`TerminalSafeStream` (for exact data output)."""
    while isinstance(stream, TerminalSafeStream):
        stream = stream.raw_stream
    return stream


@contextmanager
def safe_output() -> Iterator[None]:
    """Clean everything printed to stdout and stderr while the block runs."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = TerminalSafeStream(out)
    sys.stderr = TerminalSafeStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err

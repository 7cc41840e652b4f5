"""Shared pieces of the command line: exit codes, output, opening the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

import orjson

from atlas_desktop.domain.citation import RetractionWarning
from atlas_desktop.paths import resolve_library
from atlas_desktop.services import Library, LibraryReadOnly, open_library

from .terminal import raw_stream

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
#: The output was written, and a retracted paper is among it (``--allow-retracted`` to
#: accept): distinct from a failure, so a script can tell the two apart.
EXIT_RETRACTED = 3

Handler = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """Bad input: printed on stderr, exit code 1, nothing changed."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def warn_retracted(warnings: Sequence[RetractionWarning], *, allowed: bool) -> int:
    """Each retracted paper on stderr, every time, unless ``--allow-retracted``; the exit
    code that says so."""
    if allowed or not warnings:
        return EXIT_OK
    for warning in warnings:
        print(f"atlas-desktop: warning: {warning.sentence()}", file=sys.stderr)
    print("atlas-desktop: the output was written; --allow-retracted accepts retracted papers "
          "and silences this.", file=sys.stderr)
    return EXIT_RETRACTED


def print_json(value: Any, out: TextIO | None = None) -> None:
    """JSON, indented, as UTF-8 whatever the terminal's encoding (orjson: the standard
    library's encoder took 11 s for a search result of 86,000 entries)."""
    # Exact: past the terminal cleaning every other output goes through (JSON escapes C0
    # controls itself, and a reader must get the catalogue's text as it is).
    stream = raw_stream(out or sys.stdout)
    data = orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    else:
        stream.write(data.decode("utf-8"))


def error(message: str) -> None:
    print(f"atlas-desktop: {message}", file=sys.stderr)


def open_for(args: argparse.Namespace, *, write: bool) -> Library:
    """Open the library the arguments name. Writers run the integrity check first and may
    create the library; a command that only reads never creates one. A read-only library
    refuses a writer here, before anything is done. Storage problems propagate as
    StoreError or OSError, for :func:`atlas_desktop.cli.run` to put in one sentence."""
    paths = resolve_library(getattr(args, "data_dir", None))
    library = open_library(paths, check="now" if write else "skip", create=write)
    if write and library.read_only is not None:
        reason = library.read_only
        library.close()
        raise LibraryReadOnly(f"{reason} Nothing was changed.")
    return library


def data_dir_parent() -> argparse.ArgumentParser:
    """``--data-dir`` accepted after the sub-command too (``import --data-dir X file``)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="library folder (default: $ATLAS_DESKTOP_DATA_DIR or the platform's data folder)",
    )
    return parent

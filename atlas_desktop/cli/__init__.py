"""The headless face of Atlas Desktop: the same services the window uses.

Exit codes: 0 success, 1 bad input (a message on stderr, nothing changed), 2 bad usage.
Each command module adds its sub-commands through ``register(subparsers, parent)``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from atlas_desktop import __version__
from atlas_desktop.paths import LibraryPaths, resolve_library
from atlas_desktop.services.failures import describe_failure

from . import (
    cite_cmds,
    completion_cmds,
    document_cmds,
    library_cmds,
    reference_cmds,
    sync_cmds,
    user_cmds,
)
from .common import EXIT_BAD_INPUT, EXIT_USAGE, CliError, data_dir_parent, error
from .terminal import safe_output

COMMAND_MODULES: tuple[ModuleType, ...] = (library_cmds, reference_cmds, user_cmds, cite_cmds,
                                           sync_cmds, completion_cmds, document_cmds)


def build_parser() -> argparse.ArgumentParser:
    parent = data_dir_parent()
    parser = argparse.ArgumentParser(
        prog="atlas-desktop",
        description="Atlas Desktop: read, cite, annotate and report on the ME/CFS evidence "
        "atlas, offline. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"atlas-desktop {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="library folder (default: $ATLAS_DESKTOP_DATA_DIR or the platform's data folder)",
    )
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen on a temporary library, exercise it, exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub, parent)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a parsed sub-command; turn expected failures into messages and exit codes.

    Every storage problem (read-only, full disk, locked, damaged…) and anything unexpected
    becomes one sentence and an exit code through
    :func:`~atlas_desktop.services.failures.describe_failure`; the traceback goes to the log
    file the sentence names, never to the terminal. Everything printed is cleaned of terminal
    controls (:mod:`.terminal`) except JSON and exported data, which are exact."""
    with safe_output():
        try:
            return int(args.handler(args))
        except CliError as exc:
            error(str(exc))
            return exc.code
        except KeyboardInterrupt:
            error("interrupted; nothing was left half-done")
            return 130
        except BrokenPipeError:
            return 0
        except Exception as exc:  # the one place: a sentence, and the traceback in the log
            failure = describe_failure(exc, paths=_library_paths(args))
            error(failure.message)
            return failure.exit_code


def _library_paths(args: argparse.Namespace) -> LibraryPaths | None:
    try:
        return resolve_library(getattr(args, "data_dir", None))
    except Exception:  # only used to place the log
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    return run(args)


__all__ = ["EXIT_BAD_INPUT", "EXIT_USAGE", "build_parser", "main", "run"]

"""Composition root: arguments -> library paths -> services -> the window or the CLI."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from atlas_desktop.cli import build_parser, run


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None:
        return run(args)
    # Qt is imported only when a window is wanted: the CLI starts without it.
    from atlas_desktop.gui.application import run_gui

    return run_gui(data_dir=args.data_dir, self_test=args.self_test)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

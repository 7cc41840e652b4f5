"""Opens the main window on an empty library with a given settings file and prints where it
went, as JSON: run in a child process whose offscreen screen the test chose (the screen of a
running QApplication cannot change). ``--move X,Y,W,H`` then places the window there and
closes it, which saves the settings as a user's session would."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("settings")
    parser.add_argument("library")
    parser.add_argument("--move")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtWidgets import QApplication

    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner
    from atlas_desktop.paths import LibraryPaths
    from atlas_desktop.services import open_library

    app = QApplication([])
    library = open_library(LibraryPaths(Path(args.library)))
    settings = QSettings(args.settings, QSettings.Format.IniFormat)
    window = MainWindow(library, ImmediateRunner(), settings=settings, writer=ImmediateRunner())
    window.show()
    app.processEvents()
    screen = window.screen()

    def rect(r: QRect) -> list[int]:
        return [r.x(), r.y(), r.width(), r.height()]

    print(json.dumps({
        "geometry": rect(window.geometry()), "frame": rect(window.frameGeometry()),
        "available": rect(screen.availableGeometry()), "dpr": screen.devicePixelRatio(),
        "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
        "title_width": window.table.horizontalHeader().sectionSize(0),
        "panes": window.splitter.sizes(),
        "pane_minimums": [window.splitter.widget(i).minimumSizeHint().width() for i in range(3)],
        "list_scrolls_sideways": window.table.horizontalScrollBar().isVisible(),
    }))
    if args.move:
        x, y, w, h = (int(v) for v in args.move.split(","))
        window.setGeometry(QRect(x, y, w, h))
        app.processEvents()
    window.close()
    library.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

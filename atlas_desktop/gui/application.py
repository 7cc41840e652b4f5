"""Starting the window: QApplication, the library, the background integrity check."""

from __future__ import annotations

import os
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from atlas_desktop import __version__
from atlas_desktop.paths import resolve_library
from atlas_desktop.services import StoreError, open_library

from .main_window import MainWindow
from .runner import ThreadPoolRunner


def run_gui(*, data_dir: str | None = None, self_test: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Atlas Desktop")
    app.setOrganizationName("AtlasDesktop")
    app.setApplicationVersion(__version__)
    paths = resolve_library(data_dir)
    try:
        library = open_library(paths, check="background")
    except StoreError as exc:
        QMessageBox.critical(None, "Atlas Desktop cannot open the library", str(exc))
        return 1
    runner = ThreadPoolRunner()
    window = MainWindow(library, runner)

    def on_check_failed(exc: BaseException) -> None:
        QMessageBox.critical(window, "The library is damaged", str(exc))

    runner.submit(library.verify, on_error=on_check_failed)
    window.show()
    if os.environ.get("ATLAS_DESKTOP_EXIT_WHEN_READY"):
        # Used by `make bench`: say when the first page of the list has been painted, quit.
        def ready(*_: object) -> None:
            window.table.viewport().repaint()
            print("ATLAS_READY", flush=True)
            os._exit(0)  # the benchmark measures start-up, not waiting for background work

        window.search.page_ready.connect(ready)
    if self_test:
        return 0
    code = app.exec()
    runner.wait()
    library.close()
    return int(code)

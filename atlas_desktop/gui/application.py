"""Starting the window: QApplication, the theme, the library (opened off the UI thread),
the background integrity check."""

from __future__ import annotations

import gc
import os
import sys

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from atlas_desktop import __version__
from atlas_desktop.paths import resolve_library

from .failure_dialog import FailureReporter
from .icons import app_icon
from .main_window import MainWindow
from .opening import open_or_explain
from .platform_check import window_problem
from .runner import ThreadPoolRunner
from .single_instance import SingleInstance
from .theme import apply_theme, stored_theme
from .wordproc.integration import WriterIntegration

#: The application's id on the desktop: the .desktop file's and the AppStream component's
#: name (packaging/linux/), the Flatpak's id and the macOS bundle identifier.
APP_ID = "io.github.atlasdesktop.AtlasDesktop"


def freeze_startup_objects() -> None:
    """Leave what start-up made (modules, widgets, the library's caches; they live as long as
    the window) out of Python's cycle collector. Its full passes walk every live container:
    45-60 ms on the UI thread with a 100,000-entry library open, a visible stutter every few
    dozen keystrokes; without these objects, under a millisecond. They are still freed as
    usual when their last reference goes."""
    gc.freeze()


def run_gui(*, data_dir: str | None = None, self_test: bool = False) -> int:
    if self_test:
        from .self_test import prefer_offscreen

        prefer_offscreen()
    if QApplication.instance() is None:
        # No display, or Qt's plugin for it cannot load: say so in a sentence, before Qt
        # would abort with its own diagnostics and a core dump.
        problem = window_problem()
        if problem is not None:
            print(problem, file=sys.stderr)
            return 1
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Atlas Desktop")
    app.setOrganizationName("AtlasDesktop")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    if self_test:
        # A temporary library (or --data-dir), never the single-instance lock: see self_test.
        from .self_test import run_self_test

        return run_self_test(app, data_dir=data_dir)
    paths = resolve_library(data_dir)
    instance = SingleInstance(paths.data_dir)
    if not instance.claim():
        # Another window has this library open: it was asked to come forward.
        print(f"Atlas Desktop is already open on {paths.data_dir}; that window was brought "
              "to the front.", file=sys.stderr)
        return 0
    runner = ThreadPoolRunner()
    settings = QSettings()
    apply_theme(app, stored_theme(settings))
    # Until the window is up, failures are shown by a reporter of its own (issue 19.11).
    failures = FailureReporter(paths)
    failures.install()
    opened = open_or_explain(paths, runner, failures)
    if isinstance(opened, int):
        failures.uninstall()
        instance.release()
        return opened
    library = opened
    try:
        window = MainWindow(library, runner, settings=settings)
    except Exception as exc:  # reading what the window shows failed: say so, and why
        code = failures.report_modal(exc).exit_code
        failures.uninstall()
        runner.wait()
        library.close()
        instance.release()
        return code
    failures.uninstall()
    window.failures.install()
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: apply_theme(app, stored_theme(settings)))
    instance.activation_requested.connect(lambda: bring_forward(window))
    runner.submit(library.verify, on_error=window.failures.report)
    window.show()
    freeze_startup_objects()
    if library.read_only is None:  # a sync stores what it pulls and what it sent
        window.sync.start()
    window.citations.warm_up()  # the default style's engine, so the first copy never waits
    writer = WriterIntegration(library, runner, window)
    problem = writer.start()  # LibreOffice Writer's extension talks to this window
    if problem is not None:
        window.status.show_message(problem, 15000)
    if os.environ.get("ATLAS_DESKTOP_EXIT_WHEN_READY"):
        # Used by `make bench`: say when the first page of the list has been painted, quit.
        def ready(*_: object) -> None:
            window.table.viewport().repaint()
            print(f"ATLAS_READY frozen={gc.get_freeze_count()}", flush=True)
            os._exit(0)  # the benchmark measures start-up, not waiting for background work

        window.search.page_ready.connect(ready)
    code = app.exec()
    window.failures.uninstall()
    writer.stop()
    runner.wait()
    library.close()
    instance.release()
    return int(code)


def bring_forward(window: MainWindow) -> None:
    window.showNormal() if window.isMinimized() else window.show()
    window.raise_()
    window.activateWindow()

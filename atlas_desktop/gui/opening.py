"""Opening a library for the window: on a worker thread, with a progress dialog if it takes
more than a moment. Used by the application's start and by its self-test (which is why it is
a module of its own: the two would otherwise import each other)."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QProgressDialog

from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import Library, open_library

from .failure_dialog import FailureReporter
from .runner import ThreadPoolRunner

#: Opening a library that needs an upgrade can take seconds; say so after this long.
PROGRESS_AFTER_MS = 400


def open_in_background(paths: LibraryPaths, runner: ThreadPoolRunner) -> Library:
    """Open the library on a worker thread; the window stays responsive, and a progress
    dialog appears if it takes more than a moment (an upgrade of a large library)."""
    result: dict[str, object] = {}
    loop = QEventLoop()

    def done(value: object) -> None:
        result["library"] = value
        loop.quit()

    def failed(exc: BaseException) -> None:
        result["error"] = exc
        loop.quit()

    runner.submit(lambda: open_library(paths, check="background"), done, failed)
    progress = QProgressDialog("Opening your library…", "", 0, 0)
    progress.setWindowTitle("Atlas Desktop")
    progress.setCancelButton(None)
    progress.setMinimumDuration(PROGRESS_AFTER_MS)
    progress.setAccessibleName("Opening the library")
    if "library" not in result and "error" not in result:
        loop.exec()
    progress.close()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["library"]  # type: ignore[return-value]


def open_or_explain(paths: LibraryPaths, runner: ThreadPoolRunner,
                    failures: FailureReporter) -> Library | int:
    """The library, or, when it cannot be opened (a full disk, "disk I/O error", a damaged
    or too new file, a folder that cannot be used, anything else), the exit code after a
    dialog has said why and where the details are (issue 19.11: the window died at start
    with no dialog)."""
    try:
        return open_in_background(paths, runner)
    except Exception as exc:  # every failure at open: a sentence, never a dead start
        return failures.report_modal(exc).exit_code

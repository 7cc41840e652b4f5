"""Storage failures and unexpected errors, as the window shows them (issue 19.11): a dialog
with the sentence of ``services/failures.py`` and the log that got the traceback. Never a
traceback, never nothing.

Whatever the window meets goes through one :class:`FailureReporter`: writes that failed (the
operations), searches and reads that failed, errors nobody handled (a slot's exception, a
worker's without a callback: ``sys.excepthook``), and opening the library. The reporter
writes the traceback to the log (``describe_failure`` does) and shows one dialog at a time:
the same failure again while its dialog is open is not stacked on top of it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import StoreError
from atlas_desktop.services.citations import CitationError
from atlas_desktop.services.failures import Failure, FailureKind, describe_failure

#: Errors whose own text is a sentence for the user (bad input, a refused change, a style
#: that cannot be used): the view that asked shows them where they happened.
USER_ERRORS = (ValueError, CitationError)


def is_storage_failure(exc: BaseException) -> bool:
    """The library, the disk or a file failed (``services/failures.py`` has its sentence)."""
    return isinstance(exc, StoreError | OSError)


def is_unexpected(exc: BaseException) -> bool:
    """Neither the user's error nor storage: a bug, reported with its log."""
    return not isinstance(exc, USER_ERRORS) and not is_storage_failure(exc)


class FailureReporter(QObject):
    #: A failure was shown (the :class:`Failure`, with its sentence and log).
    shown = Signal(object)

    def __init__(self, paths: LibraryPaths | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self._window = parent
        self.dialog: QMessageBox | None = None
        self._showing: FailureKind | None = None
        self._previous_hook: Callable[..., object] | None = None

    def describe(self, exc: BaseException) -> Failure:
        return describe_failure(exc, paths=self._paths)

    def report(self, exc: BaseException) -> None:
        """Log ``exc`` and show its sentence in a dialog (not modal: work goes on)."""
        failure = self.describe(exc)
        dialog = self.dialog
        if dialog is not None and dialog.isVisible() and self._showing is failure.kind:
            return  # the same trouble again: its dialog is already open
        if dialog is not None:
            dialog.close()
        self.dialog = dialog = _message_box(failure, self._window)
        self._showing = failure.kind
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.show()
        self.shown.emit(failure)

    def report_modal(self, exc: BaseException) -> Failure:
        """Log ``exc`` and show its sentence; returns when the user closed the dialog (at
        start, when there is no window yet to go on with)."""
        failure = self.describe(exc)
        self.dialog = dialog = _message_box(failure, self._window)
        self._showing = failure.kind
        self.shown.emit(failure)
        dialog.exec()
        return failure

    # ----------------------------------------------------------------- unhandled errors

    def install(self) -> None:
        """Route errors nobody handled (a slot's exception, a worker's without a callback)
        here instead of to a traceback on stderr."""
        self._previous_hook = sys.excepthook
        sys.excepthook = self.excepthook

    def uninstall(self) -> None:
        if self._previous_hook is not None and sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_hook
        self._previous_hook = None

    def excepthook(self, kind: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: as Python does
            (self._previous_hook or sys.__excepthook__)(kind, exc, tb)
            return
        exc.__traceback__ = tb
        self.report(exc)


def _message_box(failure: Failure, parent: QWidget | None) -> QMessageBox:
    icon = (QMessageBox.Icon.Critical if failure.kind is FailureKind.UNEXPECTED
            else QMessageBox.Icon.Warning)
    box = QMessageBox(icon, failure.title, failure.message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("FailureDialog")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the sentence names paths and quotes SQLite
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box

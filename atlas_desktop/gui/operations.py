"""The one way the window changes the library (in the spirit of Anki's ``CollectionOp``).

Every write the window makes is an *operation*: a call of a service run on the window's
single writer thread, so writes never wait on the UI thread (for SQLite's write lock held by
an import, a sync or another program, or for the background integrity check) and land in the
order they were asked for. Its outcome comes back on the UI thread: ``done`` with the
service's value, or ``failed`` with the exception; when the caller gives no ``failed``, the
user's own error (a name taken, an entry gone) is put in one sentence and sent with
:attr:`Operations.failed` (the window shows it in the status bar). A storage failure (the
disk, a read-only or locked library) is always sent with :attr:`Operations.failure` too, and
so is anything unexpected nobody handled: the window shows those in a dialog with the log
that got the traceback (``gui/failure_dialog.py``), never a traceback, never nothing.

What changed reaches the views through :attr:`Operations.changed`: every committed write in
the library (the window's, the sync's, an import's) sends one
:class:`~atlas_desktop.domain.changes.ChangeNotice`, on whatever thread wrote; this signal
hops it to the UI thread. A notice names the operation's ``initiator``, so a view that has
already shown its own change (a star it drew at the click) can skip it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from atlas_desktop.services import Library

from .failure_dialog import is_storage_failure, is_unexpected
from .runner import Runner

T = TypeVar("T")

def reason_of(exc: BaseException) -> str:
    """Why an operation failed, as a sentence for the user (never a traceback): the text of
    the user's own error or a storage failure is one already (``failure_dialog`` says which
    errors those are); anything else is a bug and is named, not quoted."""
    if not is_unexpected(exc) and str(exc):
        return str(exc)
    return (f"Something went wrong inside Atlas Desktop ({type(exc).__name__}); please "
            "report it.")


def failure_sentence(exc: BaseException, what: str = "The change") -> str:
    """``exc`` as one sentence for the user: ``what`` was not saved, and why."""
    reason = reason_of(exc).rstrip(".")
    return f"{what} was not saved: {reason[:1].lower()}{reason[1:]}."


def warn_in_place(parent: QWidget | None, title: str) -> Callable[[BaseException], None]:
    """An operation's ``failed``: the user's own error (a name taken, a report already
    sent) in a small dialog of its own, as plain text. A storage failure is left to the
    failure dialog the operations already raised for it (never two dialogs for one)."""

    def warn(exc: BaseException) -> None:
        if is_storage_failure(exc):
            return
        box = QMessageBox(QMessageBox.Icon.Warning, title, reason_of(exc),
                          QMessageBox.StandardButton.Ok, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the reason may quote a name or a title
        box.exec()

    return warn


class Operations(QObject):
    """Writes through one serial writer; notices of every change on the UI thread."""

    #: A :class:`ChangeNotice`, always delivered on the UI thread.
    changed = Signal(object)
    #: A sentence: an operation without its own ``failed`` callback failed.
    failed = Signal(str)
    #: The exception of a storage failure (whoever handles it too), or of an unexpected
    #: error nobody handled: the window shows a dialog with its log.
    failure = Signal(object)
    #: Every operation asked for so far has finished (landed or failed).
    idle = Signal()

    def __init__(self, library: Library, writer: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._writer = writer
        self._pending = 0
        # Called on the writing thread; a signal emitted there is queued to the UI thread.
        self._unsubscribe = library.subscribe(self.changed.emit)

    @property
    def pending(self) -> int:
        """Operations asked for and not finished yet."""
        return self._pending

    def run(
        self, fn: Callable[[], T], *, what: str = "The change", initiator: object | None = None,
        done: Callable[[T], object] | None = None,
        failed: Callable[[BaseException], object] | None = None,
    ) -> None:
        """Run ``fn`` (a service call) on the writer thread, after every operation asked
        for before it. ``initiator`` is named in the notices its writes send."""
        library = self._library

        def work() -> T:
            with library.initiated_by(initiator):
                return fn()

        def on_done(value: Any) -> None:
            try:
                if done is not None:
                    done(value)
            finally:
                self._finished()

        def on_error(exc: BaseException) -> None:
            try:
                storage = is_storage_failure(exc)
                if storage:
                    self.failure.emit(exc)
                if failed is not None:
                    failed(exc)
                elif is_unexpected(exc):
                    self.failure.emit(exc)
                elif not storage:
                    self.failed.emit(failure_sentence(exc, what))
            finally:
                self._finished()

        self._pending += 1
        self._writer.submit(work, on_done, on_error)

    def close(self) -> None:
        """Stop relaying notices (the window is closing)."""
        self._unsubscribe()

    def _finished(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.idle.emit()

"""Closing the window without losing a write, and without freezing it.

The note on screen is handed to the writer, then the window waits, with the event loop
running and a message in the status bar, until every queued operation has landed; after
``CLOSE_WAIT_MS`` the user chooses between waiting longer and closing anyway. A note whose
save failed is only given up when the user says so.
"""

from __future__ import annotations

from enum import Enum, auto

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from .operations import Operations
from .panes.note_editor import NoteEditor
from .status_bar import WindowStatusBar

#: How long closing waits for queued writes before it asks.
CLOSE_WAIT_MS = 10_000


class _State(Enum):
    OPEN = auto()
    WAITING = auto()  # for queued writes
    SETTLED = auto()  # they landed (or the user stopped waiting): close for real


class CloseGuard(QObject):
    def __init__(self, window: QWidget, ops: Operations, notes: NoteEditor,
                 status: WindowStatusBar) -> None:
        super().__init__(window)
        self._window = window
        self._ops = ops
        self._notes = notes
        self._status = status
        self._state = _State.OPEN
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(CLOSE_WAIT_MS)
        self._deadline.timeout.connect(self._on_deadline)

    def may_close(self) -> bool:
        """Call from ``closeEvent``: False means "not yet" (the window closes by itself once
        the writes have landed, or stays open if the user chose so)."""
        if self._state is _State.WAITING:
            return False
        if self._state is _State.OPEN:
            self._notes.flush()
            if self._ops.pending:
                self._wait()
                return False
        self._state = _State.OPEN
        return not self._notes.unsaved_entries or QMessageBox.warning(
            self._window, "Your note is not saved",
            "The note could not be saved. Close anyway and lose the last changes?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        ) == QMessageBox.StandardButton.Discard

    def _wait(self) -> None:
        self._state = _State.WAITING
        self._status.show_message("Saving your changes before closing…", CLOSE_WAIT_MS)
        self._status.busy.setVisible(True)
        self._ops.idle.connect(self._settle)
        self._deadline.start()

    def _settle(self) -> None:
        self._deadline.stop()
        self._ops.idle.disconnect(self._settle)
        self._state = _State.SETTLED
        self._status.busy.setVisible(False)
        self._window.close()

    def _on_deadline(self) -> None:
        answer = QMessageBox.question(
            self._window, "Still saving",
            "Your last changes are not saved yet: the library is busy (another program may "
            "be writing to it). Keep waiting? If you close now, they may be lost.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if self._state is not _State.WAITING:
            return  # the writes landed while the question was open
        if answer == QMessageBox.StandardButton.Yes:
            self._deadline.start()
        else:
            self._settle()

"""The user's note on the selected entry: saved by itself, never losing a keystroke.

Invariant: the status says "Saved" only when the text on screen is exactly the text stored.
Saves happen a moment after typing stops (in the background), when the editor loses focus,
and synchronously before the entry changes or the window closes.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from atlas_desktop.domain.annotations import Note
from atlas_desktop.services import Library

from ..runner import Runner

AUTOSAVE_MS = 700


class _Editor(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.focus_lost.emit()


class NoteEditor(QWidget):
    note_saved = Signal(str)  # entry id

    def __init__(self, library: Library, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoteEditor")
        self._library = library
        self._runner = runner
        self._entry_id: str | None = None
        self._stored = ""  # what the library holds for this entry
        self._loading = False
        title = QLabel("<b>My note</b>", self)
        self.status = QLabel("", self)
        self.status.setObjectName("NoteStatus")
        self.status.setAccessibleName("Note save status")
        head = QHBoxLayout()
        head.setContentsMargins(14, 6, 14, 0)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.status)
        self.editor = _Editor(self)
        self.editor.setObjectName("NoteText")
        self.editor.setAccessibleName("My note on this entry")
        self.editor.setPlaceholderText(
            "Your own note on this paper. Private: it stays on this computer and is never "
            "sent to the atlas. Saved as you type.")
        self.editor.setTabChangesFocus(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.editor)
        layout.setStretch(1, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self._save_in_background)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.editor.focus_lost.connect(self._save_in_background)
        self.setEnabled(False)

    @property
    def entry_id(self) -> str | None:
        return self._entry_id

    @property
    def dirty(self) -> bool:
        return self._entry_id is not None and self.editor.toPlainText() != self._stored

    def set_entry(self, entry_id: str | None, note: Note | bool | None = False) -> None:
        """Show the note of ``entry_id``, saving the current one first. Pass ``note`` when
        the caller already read it (None: the entry has no note)."""
        if entry_id == self._entry_id:
            return
        self.flush()
        self._entry_id = entry_id
        self._timer.stop()
        if note is False:
            note = self._library.annotations.get_note(entry_id=entry_id) if entry_id else None
        assert note is None or isinstance(note, Note)
        self._stored = note.text if note else ""
        self._loading = True
        self.editor.setPlainText(self._stored)  # also starts a fresh undo history
        self._loading = False
        self.setEnabled(entry_id is not None)
        self._show_saved(note)

    def flush(self) -> bool:
        """Save now, on this thread (switching entries, closing). True when nothing is
        left unsaved."""
        self._timer.stop()
        if not self.dirty:
            return True
        assert self._entry_id is not None
        text = self.editor.toPlainText()
        try:
            note = self._library.annotations.set_note(entry_id=self._entry_id, text=text)
        except Exception as exc:  # shown to the user; the text stays in the editor
            self._show_error(exc)
            return False
        self._stored = text
        self._show_saved(note)
        self.note_saved.emit(self._entry_id)
        return True

    def _on_editor_text_changed(self) -> None:
        if self._loading or self._entry_id is None:
            return
        if self.dirty:
            self.status.setText("Editing…")
            self._timer.start()
        else:
            self._timer.stop()

    def _save_in_background(self) -> None:
        if not self.dirty:
            return
        entry_id, text = self._entry_id, self.editor.toPlainText()
        assert entry_id is not None
        self.status.setText("Saving…")

        def done(note: Note | None) -> None:
            if entry_id != self._entry_id:
                return  # saved for an entry no longer shown; it was flushed anyway
            self._stored = text
            if self.editor.toPlainText() == text:
                self._show_saved(note)
            self.note_saved.emit(entry_id)

        self._runner.submit(
            lambda: self._library.annotations.set_note(entry_id=entry_id, text=text),
            done, self._show_error)

    def _show_saved(self, note: Note | None) -> None:
        if note is None:
            self.status.setText("")
            self.status.setToolTip("")
            return
        stamp = datetime.strptime(note.updated_at[:19], "%Y-%m-%dT%H:%M:%S")
        local = stamp.replace(tzinfo=UTC).astimezone()
        self.status.setText(f"Saved {local:%H:%M}")
        self.status.setToolTip(f"Saved {local:%d %B %Y, %H:%M:%S}")

    def _show_error(self, exc: BaseException) -> None:
        self.status.setText("Not saved")
        self.status.setToolTip(f"The note could not be saved: {exc}. It is still here; "
                               "keep this window open and try again.")

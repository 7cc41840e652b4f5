"""The user's note on the selected entry: saved by itself, never losing a keystroke.

Invariant: the status says "Saved" only when the text on screen is exactly the text stored.
Saves are operations (``gui/operations.py``): a moment after typing stops, when the editor
loses focus, and when the entry changes or the window closes, the text is handed to the
window's one writer thread and typing goes on. A save waiting behind a busy library (an
import, another program holding the write lock) keeps its text here until it has landed: an
entry shown again meanwhile shows that text, not the older one the library still holds. Saves
land in the order they were made. A save that failed keeps its text too ("Not saved"), and the
window asks before it closes with such a note.

Never over a newer note (issue 19.10): each save names the stored text its edit started from,
and if the note was changed elsewhere meanwhile (the command line, another window) the
service merges the two and stores the merge, which the editor then shows ("Merged"). A note
changed elsewhere while nothing is being typed is shown as soon as the window notices it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from atlas_desktop.domain.annotations import Note
from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.services import Library

from ..operations import Operations, failure_sentence
from ..plain_text import plain_label, tooltip

AUTOSAVE_MS = 700


class Unread(Enum):
    """``set_entry``'s default: the caller has not read the note, so the editor reads it."""

    NOTE = "unread"


NOTE_UNREAD = Unread.NOTE


class _Editor(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.focus_lost.emit()


class NoteEditor(QWidget):
    note_saved = Signal(str)  # entry id

    def __init__(self, library: Library, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoteEditor")
        self._library = library
        self._ops = ops
        self._entry_id: str | None = None
        self._stored = ""  # what the library holds for the shown entry
        self._stored_note: Note | None = None
        #: entry id -> the latest text handed to the writer and not confirmed stored yet.
        self._unsaved: dict[str, str] = {}
        #: entries whose latest save failed (their text stays in ``_unsaved``).
        self._failed: dict[str, str] = {}
        self._loading = False
        title = QLabel("<b>My note</b>", self)
        self.status = plain_label(QLabel("", self))
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
        self._timer.timeout.connect(self.flush)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.editor.focus_lost.connect(self.flush)
        ops.changed.connect(self._on_ops_changed)
        self.setEnabled(False)
        if library.read_only is not None:  # the note is shown, and cannot be changed
            self.editor.setReadOnly(True)
            self.editor.setPlaceholderText("No note. This library is read-only, so none can "
                                           "be written here.")
            self.status.setText("Read-only")
            self.status.setToolTip(tooltip(library.read_only))

    @property
    def entry_id(self) -> str | None:
        return self._entry_id

    @property
    def dirty(self) -> bool:
        """The text on screen is not (yet) the text stored."""
        return self._entry_id is not None and self.editor.toPlainText() != self._stored

    @property
    def unsaved_entries(self) -> list[str]:
        """Entries whose note could not be saved (their text is still held here)."""
        return list(self._failed)

    def set_entry(self, entry_id: str | None, note: Note | Unread | None = NOTE_UNREAD) -> None:
        """Show the note of ``entry_id``, handing the current one to the writer first. Pass
        ``note`` when the caller already read it (None: the entry has no note)."""
        if entry_id == self._entry_id:
            return
        self.flush()
        self._entry_id = entry_id
        self._timer.stop()
        if note is NOTE_UNREAD:
            note = self._library.annotations.get_note(entry_id=entry_id) if entry_id else None
        self._show_note(note, self._unsaved.get(entry_id or ""))
        self.setEnabled(entry_id is not None)

    def flush(self) -> None:
        """Hand the text on screen to the writer now, unless it is stored or on its way.
        Never waits: the outcome comes back as the status and :attr:`note_saved`."""
        self._timer.stop()
        entry_id, text = self._entry_id, self.editor.toPlainText()
        if entry_id is None or not self._needs_save():
            return
        # What the library will hold when this save runs (saves land in order): the text
        # of the save before it, or the stored text. The service merges if that is no longer
        # so (the note was changed elsewhere).
        base = self._stored if entry_id in self._failed else self._unsaved.get(entry_id,
                                                                               self._stored)
        self._unsaved[entry_id] = text
        self._failed.pop(entry_id, None)
        self.status.setText("Saving…")
        annotations = self._library.annotations
        self._ops.run(lambda: annotations.set_note(entry_id=entry_id, text=text, based_on=base),
                      what="The note", initiator=self,
                      done=lambda note: self._on_saved(entry_id, text, note),
                      failed=lambda exc: self._on_failed(entry_id, text, exc))

    def _needs_save(self) -> bool:
        """The text on screen is neither stored nor on its way (a failed save counts as
        not on its way)."""
        entry_id = self._entry_id
        if entry_id is None:
            return False
        text = self.editor.toPlainText()
        if entry_id in self._failed:
            return True
        return text != self._unsaved.get(entry_id, self._stored)

    # ----------------------------------------------------------------- outcomes

    def _on_saved(self, entry_id: str, text: str, note: Note | None) -> None:
        if self._unsaved.get(entry_id) == text:
            del self._unsaved[entry_id]  # else a later text is on its way
        stored = note.text if note else ""
        merged = stored != text and bool(stored or text.strip())
        if entry_id == self._entry_id:
            self._stored, self._stored_note = stored, note
            if self.editor.toPlainText() == text:
                if merged:
                    self._show_note(note, None)  # the merge, with both changes
                    self._show_merged()
                else:
                    self._show_saved(note)
            elif self._needs_save() and not self._timer.isActive():
                self._timer.start()  # the text went back to an older one meanwhile
        self.note_saved.emit(entry_id)

    def _on_failed(self, entry_id: str, text: str, exc: BaseException) -> None:
        if self._unsaved.get(entry_id) != text:
            return  # a later text is on its way; its outcome will tell
        self._failed[entry_id] = text
        if entry_id == self._entry_id:
            self._show_error(failure_sentence(exc, "The note"))

    def _on_ops_changed(self, notice: ChangeNotice) -> None:
        """Someone else changed this note (a merge moved notes onto this entry): show it,
        unless the editor holds text of its own not stored yet. Own saves are skipped."""
        entry_id = self._entry_id
        if (notice.initiator is self or entry_id is None or not notice.concerns(Changes.NOTES)
                or not notice.touches(entry_id) or self.dirty or entry_id in self._unsaved):
            return
        note = self._library.annotations.get_note(entry_id=entry_id)
        if (note.text if note else "") != self._stored:
            self._show_note(note, None)

    # ----------------------------------------------------------------- showing

    def _show_note(self, note: Note | None, unsaved: str | None) -> None:
        self._stored = note.text if note else ""
        self._stored_note = note
        self._loading = True
        # Also starts a fresh undo history.
        self.editor.setPlainText(self._stored if unsaved is None else unsaved)
        self._loading = False
        if self._entry_id in self._failed:
            self._show_error("The note was not saved; it is still here. Edit it, or click "
                              "elsewhere, to try again.")
        elif unsaved is not None and unsaved != self._stored:
            self.status.setText("Saving…")
        else:
            self._show_saved(note)

    def _on_editor_text_changed(self) -> None:
        if self._loading or self._entry_id is None:
            return
        if self._needs_save():
            self.status.setText("Editing…")
            self._timer.start()
        else:
            self._timer.stop()
            if self.dirty:
                self.status.setText("Saving…")
            else:
                self._show_saved(self._stored_note)

    def _show_saved(self, note: Note | None) -> None:
        if self._library.read_only is not None:
            self.status.setText("Read-only")
            return
        if note is None:
            self.status.setText("")
            self.status.setToolTip("")
            return
        stamp = datetime.strptime(note.updated_at[:19], "%Y-%m-%dT%H:%M:%S")
        local = stamp.replace(tzinfo=UTC).astimezone()
        self.status.setText(f"Saved {local:%H:%M}")
        self.status.setToolTip(tooltip(f"Saved {local:%d %B %Y, %H:%M:%S}"))

    def _show_merged(self) -> None:
        self.status.setText("Merged")
        self.status.setToolTip("This note was changed elsewhere (another program or window) "
                               "while you wrote; both changes are kept and saved.")

    def _show_error(self, sentence: str) -> None:
        self.status.setText("Not saved")
        self.status.setToolTip(tooltip(f"{sentence} It is still here; keep this window open "
                                       "and try again."))

"""Notes save themselves and never lose a keystroke shown as saved."""

from __future__ import annotations

from PySide6.QtCore import Qt

from atlas_desktop.gui.panes.note_editor import NoteEditor
from atlas_desktop.gui.runner import SerialRunner
from tests.gui.conftest import ops

HEINS = "heins-2013-role-therapeutic"
TWISK = "twisk-2009-review-cognitive"


def editor(qtbot, library, operations=None):
    widget = NoteEditor(library, operations or ops(library))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_typing_is_saved_after_a_pause(qtbot, seeded_library):
    notes = editor(qtbot, seeded_library)
    notes.set_entry(HEINS)
    qtbot.keyClicks(notes.editor, "Discuss at the team meeting")
    assert notes.status.text() == "Editing…"
    qtbot.waitUntil(lambda: notes.status.text().startswith("Saved"), timeout=3000)
    note = seeded_library.annotations.get_note(entry_id=HEINS)
    assert note.text == "Discuss at the team meeting"


def test_switching_entries_saves_at_once(qtbot, seeded_library):
    notes = editor(qtbot, seeded_library)
    notes.set_entry(HEINS)
    qtbot.keyClicks(notes.editor, "abc")
    notes.set_entry(TWISK)  # before the autosave timer fired
    assert seeded_library.annotations.get_note(entry_id=HEINS).text == "abc"
    assert notes.editor.toPlainText() == ""


def test_undo_works_in_the_editor(qtbot, seeded_library):
    notes = editor(qtbot, seeded_library)
    notes.set_entry(HEINS)
    qtbot.keyClicks(notes.editor, "first")
    qtbot.keyClick(notes.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert notes.editor.toPlainText() == ""


def test_saved_is_shown_only_for_the_text_on_screen(qtbot, seeded_library):
    """A background save of older text must not claim the newer text is saved."""
    writer = SerialRunner()
    notes = editor(qtbot, seeded_library, ops(seeded_library, writer))
    notes.set_entry(HEINS)
    qtbot.keyClicks(notes.editor, "one")
    with qtbot.waitSignal(notes.note_saved, timeout=5000):
        notes.flush()
        qtbot.keyClicks(notes.editor, " two")  # typed before the save's outcome arrives
    assert notes.status.text() == "Editing…"
    assert notes.dirty
    with qtbot.waitSignal(notes.note_saved, timeout=5000):
        notes.flush()
    assert notes.status.text().startswith("Saved")
    assert seeded_library.annotations.get_note(entry_id=HEINS).text == "one two"
    writer.wait()


def test_its_own_save_does_not_reload_the_note_but_another_change_does(qtbot, seeded_library):
    """The editor skips the change notice of its own save (reloading would reset the cursor
    and the undo history); a note changed elsewhere is shown when nothing is being typed."""
    notes = editor(qtbot, seeded_library)
    notes.set_entry(HEINS)
    qtbot.keyClicks(notes.editor, "mine")
    notes.flush()
    assert seeded_library.annotations.get_note(entry_id=HEINS).text == "mine"
    assert notes.editor.document().isUndoAvailable()
    assert notes.editor.textCursor().position() == len("mine")
    seeded_library.annotations.set_note(entry_id=HEINS, text="merged from another reference")
    assert notes.editor.toPlainText() == "merged from another reference"
    assert not notes.editor.document().isUndoAvailable()  # shown afresh
    assert not notes.dirty

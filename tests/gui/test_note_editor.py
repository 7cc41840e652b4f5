"""Notes save themselves and never lose a keystroke shown as saved."""

from __future__ import annotations

from PySide6.QtCore import Qt

from atlas_desktop.gui.panes.note_editor import NoteEditor
from atlas_desktop.gui.runner import ImmediateRunner, ThreadPoolRunner


def editor(qtbot, library, runner=None):
    widget = NoteEditor(library, runner or ImmediateRunner())
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_typing_is_saved_after_a_pause(qtbot, seeded_library):
    notes = editor(qtbot, seeded_library)
    notes.set_entry("heins-2013-role-therapeutic")
    qtbot.keyClicks(notes.editor, "Discuss at the team meeting")
    assert notes.status.text() == "Editing…"
    qtbot.waitUntil(lambda: notes.status.text().startswith("Saved"), timeout=3000)
    note = seeded_library.annotations.get_note(entry_id="heins-2013-role-therapeutic")
    assert note.text == "Discuss at the team meeting"


def test_switching_entries_saves_at_once(qtbot, seeded_library):
    notes = editor(qtbot, seeded_library)
    notes.set_entry("heins-2013-role-therapeutic")
    qtbot.keyClicks(notes.editor, "abc")
    notes.set_entry("twisk-2009-review-cognitive")  # before the autosave timer fired
    assert seeded_library.annotations.get_note(entry_id="heins-2013-role-therapeutic").text == "abc"
    assert notes.editor.toPlainText() == ""


def test_undo_works_in_the_editor(qtbot, seeded_library):
    notes = editor(qtbot, seeded_library)
    notes.set_entry("heins-2013-role-therapeutic")
    qtbot.keyClicks(notes.editor, "first")
    qtbot.keyClick(notes.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert notes.editor.toPlainText() == ""


def test_saved_is_shown_only_for_the_text_on_screen(qtbot, seeded_library):
    """A background save of older text must not claim the newer text is saved."""
    runner = ThreadPoolRunner()
    notes = editor(qtbot, seeded_library, runner)
    notes.set_entry("heins-2013-role-therapeutic")
    qtbot.keyClicks(notes.editor, "one")
    with qtbot.waitSignal(notes.note_saved, timeout=5000):
        notes._save_in_background()
        qtbot.keyClicks(notes.editor, " two")  # typed while the save is under way
    assert notes.status.text() in {"Editing…", "Saving…"}
    assert notes.dirty
    assert notes.flush()
    assert notes.status.text().startswith("Saved")
    assert seeded_library.annotations.get_note(
        entry_id="heins-2013-role-therapeutic").text == "one two"
    runner.wait()

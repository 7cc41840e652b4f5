"""Other programs write to the library while the window is open (issue 19.10), and the log is
folded into the file when the user's writes pause (issue 19.13). Two processes: the window
here, the real command line in a child process."""

from __future__ import annotations

import shutil
import sqlite3

from PySide6.QtCore import Qt

from atlas_desktop.domain.note_merge import BOTH_KEPT
from benchmarks.synth import write_bundle
from tests.conftest import run_cli_process
from tests.gui.conftest import entry_ids_in_list

HEINS = "heins-2013-role-therapeutic"


def show(qtbot, window, entry_id):
    window.select_entry(entry_id)
    qtbot.waitUntil(lambda: window.detail.entry is not None and window.detail.entry.id == entry_id)


def cli(window, *args):
    done = run_cli_process(*args, data_dir=window.library.paths.data_dir)
    assert done.returncode == 0, done.stderr
    return done


def test_a_note_written_by_the_command_line_shows_and_the_next_keystroke_keeps_it(
        qtbot, window):
    show(qtbot, window, HEINS)
    editor = window.detail.notes.editor
    assert editor.toPlainText() == ""
    cli(window, "note", HEINS, "Written on the command line.")
    qtbot.waitUntil(lambda: editor.toPlainText() == "Written on the command line.",
                    timeout=10_000)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " And here.")
    window.detail.notes.flush()
    qtbot.waitUntil(lambda: window.detail.notes.status.text().startswith("Saved"))
    note = window.library.annotations.get_note(entry_id=HEINS)
    assert note.text == "Written on the command line. And here."


def test_a_note_typed_while_the_command_line_wrote_is_merged_not_overwritten(qtbot, window):
    window.library.annotations.set_note(entry_id=HEINS, text="Base line.")
    show(qtbot, window, HEINS)
    notes = window.detail.notes
    qtbot.waitUntil(lambda: notes.editor.toPlainText() == "Base line.")
    notes.editor.moveCursor(notes.editor.textCursor().MoveOperation.End)
    qtbot.keyClick(notes.editor, Qt.Key.Key_Return)  # typed; not saved yet
    qtbot.keyClicks(notes.editor, "Window line.")
    cli(window, "note", HEINS, "Command-line line.\nBase line.")
    notes.flush()
    merged = "Command-line line.\nBase line.\nWindow line."
    qtbot.waitUntil(lambda: notes.editor.toPlainText() == merged, timeout=10_000)
    assert window.library.annotations.get_note(entry_id=HEINS).text == merged
    assert notes.status.text() == "Merged"
    # Both changed the same line: both texts are kept whole, the stored one first.
    notes.editor.moveCursor(notes.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(notes.editor, " More.")
    cli(window, "note", HEINS, merged + " Other.")
    notes.flush()
    both = f"{merged} Other.\n\n{BOTH_KEPT}\n{merged} More."
    qtbot.waitUntil(lambda: notes.editor.toPlainText() == both, timeout=10_000)
    assert window.library.annotations.get_note(entry_id=HEINS).text == both


def test_an_import_by_the_command_line_shows_in_the_list(qtbot, window, tmp_path):
    assert window.model.rowCount() == 5
    bundle = write_bundle(tmp_path / "bundle.json", 60, seed=3)
    with qtbot.waitSignal(window.watch.changed_elsewhere, timeout=10_000):
        cli(window, "import", str(bundle))
    qtbot.waitUntil(lambda: window.model.rowCount() == 65, timeout=10_000)
    assert "65 of 65 entries" in window.count_label.text()
    assert HEINS in entry_ids_in_list(window)


def test_the_entry_shown_is_read_again_when_another_program_changes_it(qtbot, window):
    show(qtbot, window, HEINS)
    assert not window.detail.star_button.isChecked()
    cli(window, "star", HEINS)
    qtbot.waitUntil(window.detail.star_button.isChecked, timeout=10_000)


def test_the_users_writes_reach_the_library_file_when_they_pause(qtbot, window, tmp_path):
    window.watch.set_intervals(idle_ms=300)
    show(qtbot, window, HEINS)
    qtbot.keyClicks(window.detail.notes.editor, "A note of the day.")
    with qtbot.waitSignal(window.watch.checkpointed, timeout=10_000) as folded:
        window.detail.notes.flush()
    assert folded.args == [True]  # the whole log is in the file
    # The library file alone, as if the -wal were lost: the note is in it.
    alone = tmp_path / "alone.sqlite3"
    shutil.copyfile(window.library.paths.database, alone)
    with sqlite3.connect(f"file:{alone}?immutable=1", uri=True) as conn:
        assert conn.execute("SELECT text FROM notes WHERE entry_id = ?",
                            (HEINS,)).fetchone() == ("A note of the day.",)

"""Issues 18.3 and 19.11, the window's side: a read-only library opens with a banner that
says why and no control that writes; every storage failure the window meets (at open, on a
write, on a read) shows a dialog with the sentence of ``services/failures.py`` and the log
that got the traceback. Never a traceback, never nothing.

The faults are real: ``chattr +i`` on the folder or the file (root ignores ``chmod -w``), a
4 MB tmpfs filled to its last block, a page of the file overwritten.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from tests.conftest import REPO
from tests.gui.menus import choose_from_context_menu
from tests.hostile.conftest import HOSTILE, fill_disk
from tests.hostile.test_storage_faults import HEINS, NOTE, _make_library


def _window(qtbot, library, tmp_path):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("reading/mark_read_when_shown", False)  # no timed write mid-test
    window = MainWindow(library, ImmediateRunner(), settings=settings, writer=ImmediateRunner())
    qtbot.addWidget(window)
    window.failures.install()
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def close_window():
    shown = []
    yield shown.append
    for window in shown:
        window.failures.uninstall()
        window.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shown_failure(qtbot, window) -> QMessageBox:
    qtbot.waitUntil(lambda: window.failures.dialog is not None
                    and window.failures.dialog.isVisible())
    dialog = window.failures.dialog
    assert dialog.textFormat() == Qt.TextFormat.PlainText
    return dialog


def _log_named_in(text: str) -> Path:
    assert "Details are in " in text, text
    log = Path(text.split("Details are in ", 1)[1].rstrip("."))
    assert log.is_file() and "Traceback" in log.read_text("utf-8")
    return log


# --- a read-only library (18.3) -----------------------------------------------------------


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_library_opens_with_a_banner_and_nothing_that_writes(
        qtbot, immutable, tmp_path, close_window, what):
    data_dir = tmp_path / "lib"
    database = _make_library(data_dir)
    keeper = open_library(LibraryPaths(data_dir))
    keeper.annotations.add_to_collection(name="Reading", entry_ids=[HEINS])
    keeper.close()
    before = _digest(database)
    immutable(data_dir if what == "folder" else database)
    library = open_library(LibraryPaths(data_dir), check="background", create=False)
    assert library.read_only is not None and f"because its {what}" in library.read_only
    window = _window(qtbot, library, tmp_path)
    close_window(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    window.select_entry(HEINS)
    qtbot.waitUntil(lambda: window.detail.entry is not None and window.detail.entry.id == HEINS)

    banner = window.read_only_banner
    assert banner.isVisible() and library.read_only in banner.label.text()
    a = window.commands
    for action in (a.star, a.mark_read, a.report, a.new_collection, a.new_label,
                   a.undo_delete, a.import_files, a.sync_now, a.sync_settings, a.duplicates,
                   a.add_by_identifier, a.complete_record, a.complete_all):
        assert not action.isEnabled(), action.text()
    assert not window.collections.collections_menu.menuAction().isEnabled()
    assert not window.collections.labels_menu.menuAction().isEnabled()
    detail = window.detail
    assert not detail.star_button.isEnabled() and not detail.report_button.isEnabled()
    assert "atlas-action:" not in detail.browser.toHtml()  # no "Report what is missing…"
    editor = detail.notes.editor
    assert editor.isReadOnly() and editor.toPlainText() == NOTE
    qtbot.keyClicks(editor, "typed")
    assert editor.toPlainText() == NOTE
    assert not window.welcome.sample_button.isEnabled()
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: bool(sidebar.findItems("Reading", Qt.MatchFlag.MatchRecursive)))
    assert not sidebar.findItems("New collection…", Qt.MatchFlag.MatchRecursive)
    (reading,) = sidebar.findItems("Reading", Qt.MatchFlag.MatchRecursive)
    sidebar.scrollToItem(reading)
    offered = choose_from_context_menu(sidebar.viewport(),
                                       sidebar.visualItemRect(reading).center(), "")
    assert set(offered) == {"Copy as bibliography", "Export…"}
    # The keys of the write actions do nothing; no failure, no sentence of SQL.
    window.table.setFocus()
    for key in (Qt.Key.Key_D, Qt.Key.Key_R):
        qtbot.keyClick(window.table, key, Qt.KeyboardModifier.ControlModifier)
    assert window.failures.dialog is None
    assert "SELECT" not in window.statusBar().currentMessage()
    # The dialogs that write: their write buttons are off.
    from atlas_desktop.gui.dialogs.outbox_dialog import OutboxDialog

    outbox = OutboxDialog(library, window.ops, window)
    qtbot.addWidget(outbox)
    assert not outbox.sync_button.isEnabled() and not outbox.withdraw_button.isEnabled()
    preferences = window.preferences_dialog()
    qtbot.addWidget(preferences)
    assert not preferences.style_box.isEnabled() and not preferences.locale_box.isEnabled()
    # A write that slips past anyway is refused before it starts, and said so in a dialog.
    window.ops.run(lambda: library.annotations.set_starred(entry_id=HEINS, starred=True))
    dialog = _shown_failure(qtbot, window)
    assert "This library is read-only, because its" in dialog.text()
    assert _digest(database) == before


@pytest.mark.parametrize("what", ["folder", "file"])
def test_the_window_process_starts_on_a_read_only_library_without_a_traceback(
        immutable, tmp_path, what):
    data_dir = tmp_path / "lib"
    database = _make_library(data_dir)
    immutable(data_dir if what == "folder" else database)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ATLAS_DESKTOP_EXIT_WHEN_READY": "1"}
    done = subprocess.run([sys.executable, "-m", "atlas_desktop", "--data-dir", str(data_dir)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ATLAS_READY" in done.stdout
    assert "Traceback" not in done.stderr and "sqlalchemy" not in done.stderr.lower()


# --- storage failures (19.11) -------------------------------------------------------------


def _answer_next_dialog(seen: list[str]) -> None:
    """Read and close the next modal message box (an ``exec`` that would otherwise wait)."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)


def test_a_full_disk_at_open_gives_a_dialog_not_a_dead_start(qtbot, small_disk):
    from atlas_desktop.gui.failure_dialog import FailureReporter
    from atlas_desktop.gui.opening import open_or_explain
    from atlas_desktop.gui.runner import ThreadPoolRunner

    data_dir = small_disk / "lib"
    _make_library(data_dir)
    fill_disk(small_disk)
    seen: list[str] = []
    _answer_next_dialog(seen)
    opened = open_or_explain(LibraryPaths(data_dir), ThreadPoolRunner(),
                             FailureReporter(LibraryPaths(data_dir)))
    assert opened == 74  # the command line's code for a disk that failed
    (text,) = seen
    assert "is full" in text
    assert small_disk not in _log_named_in(text).parents  # the full disk could not take it


def test_a_write_that_meets_a_full_disk_shows_the_dialog_and_keeps_the_star(
        qtbot, small_disk, tmp_path, close_window):
    data_dir = small_disk / "lib"
    _make_library(data_dir)
    library = open_library(LibraryPaths(data_dir))
    window = _window(qtbot, library, tmp_path)
    close_window(window)
    window.select_entry(HEINS)
    qtbot.waitUntil(lambda: window.detail.entry is not None and window.detail.entry.id == HEINS)
    library.annotations.set_note(entry_id=HEINS, text=NOTE)  # the log and -shm are made
    fill_disk(small_disk)
    star = window.detail.star_button
    qtbot.mouseClick(star, Qt.MouseButton.LeftButton)
    dialog = _shown_failure(qtbot, window)
    assert "full" in dialog.text()
    _log_named_in(dialog.text())
    assert not star.isChecked()  # the star went back to what the library holds
    # The same failure again while its dialog is open: not a second dialog.
    qtbot.mouseClick(star, Qt.MouseButton.LeftButton)
    assert window.failures.dialog is dialog
    window.failures.dialog.close()
    os.unlink(small_disk / "filler")
    os.unlink(small_disk / "filler-tail")
    library.close()


def test_a_damaged_page_read_by_the_window_gives_the_dialog(qtbot, tmp_path, close_window):
    data_dir = tmp_path / "lib"
    data_dir.mkdir()
    shutil.copyfile(HOSTILE / "damaged-page.sqlite3", data_dir / "library.sqlite3")
    library = open_library(LibraryPaths(data_dir), check="background", create=False)
    window = _window(qtbot, library, tmp_path)
    close_window(window)
    window.set_query("")
    window.select_entry(HEINS)  # its note lives on the damaged page
    dialog = _shown_failure(qtbot, window)
    assert "damaged" in dialog.text()
    _log_named_in(dialog.text())
    QApplication.processEvents()
    library.close()

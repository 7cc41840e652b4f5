"""File → Update a document…: the window's face of ``document update``, on a real marker
document and a damaged one."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from atlas_desktop.gui.wordproc.update_dialog import UpdateDocumentDialog
from tests.services.test_document_update import make_marker_document


def open_from_the_file_menu(window) -> UpdateDocumentDialog:
    file_menu = window.menus["file"]
    action = next(a for a in file_menu.actions() if a.text() == "&Update a document…")
    action.trigger()
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, UpdateDocumentDialog) and w.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_update_lists_the_unresolved_markers_and_writes_a_copy(qtbot, window, tmp_path):
    window.library.add_sample_library()
    source = tmp_path / "letter.docx"
    make_marker_document(source)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    dialog = open_from_the_file_menu(window)
    dialog.set_source(source)
    assert dialog.target_edit.text() == str(tmp_path / "letter (updated).docx")
    dialog.style_box.setCurrentIndex(dialog.style_box.findData("vancouver"))
    with qtbot.waitSignal(dialog.finished_update, timeout=60_000) as done:
        qtbot.mouseClick(dialog.update_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert report is not None and report.output == tmp_path / "letter (updated).docx"
    shown = dialog.result_view.toPlainText()
    assert "Wrote letter (updated).docx: 3 citations in NLM/Vancouver" in shown
    assert "1 marker could not be resolved and was left as it was" in shown
    assert "[@no-such-paper] (paragraph 2): no entry with the id or citation key" in shown
    assert "Unknown: [@no-such-paper] stays" in shown
    assert dialog.open_button.isEnabled()
    assert report.output.exists()
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    dialog.close()


def test_a_damaged_document_gets_one_sentence_and_nothing_is_written(qtbot, window, tmp_path):
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(b"PK\x03\x04 not really a document")
    dialog = open_from_the_file_menu(window)
    dialog.set_source(damaged)
    with qtbot.waitSignal(dialog.finished_update, timeout=30_000) as done:
        dialog.update_button.click()
    assert done.args[0] is None
    shown = dialog.result_view.toPlainText()
    assert shown.startswith("Nothing was written.") and "damaged.docx" in shown
    assert "Traceback" not in shown
    assert not (tmp_path / "damaged (updated).docx").exists()
    assert not dialog.open_button.isEnabled()
    dialog.close()

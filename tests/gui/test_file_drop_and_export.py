"""Dropping files on a widget and on the window, the export dialog, and the library-wide
duplicate review."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from atlas_desktop.domain.references import DuplicateDecision
from atlas_desktop.formats.bibtex import parse_bibtex
from atlas_desktop.gui.dialogs.duplicates_dialog import DuplicatesDialog
from atlas_desktop.gui.dialogs.export_dialog import ExportDialog
from atlas_desktop.gui.dialogs.import_dialog import ImportDialog
from atlas_desktop.gui.file_drop import install_file_drop
from atlas_desktop.services.exporting import ExportFormat
from tests.conftest import MENDELEY
from tests.gui.conftest import ops


def drag_events(mime: QMimeData) -> tuple[QDragEnterEvent, QDropEvent]:
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPointF(5, 5).toPoint(), actions, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    drop = QDropEvent(QPointF(5, 5), actions, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    return enter, drop


def test_dropped_files_reach_the_callback_and_other_drags_are_refused(qtbot, tmp_path):
    widget = QWidget()
    qtbot.addWidget(widget)
    received: list[list[Path]] = []
    install_file_drop(widget, received.append)
    assert widget.acceptDrops()

    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(MENDELEY)), QUrl.fromLocalFile(str(tmp_path))])
    enter, drop = drag_events(files)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, drop)
    assert received == [[MENDELEY]]  # the folder is left out

    text = QMimeData()
    text.setText("not a file")
    web = QMimeData()
    web.setUrls([QUrl("https://example.org/refs.bib")])
    for mime in (text, web):
        enter, drop = drag_events(mime)
        QApplication.sendEvent(widget, enter)
        assert not enter.isAccepted()
        QApplication.sendEvent(widget, drop)
    assert len(received) == 1


def test_files_dropped_on_the_window_are_imported_and_listed(qtbot, library, runner,
                                                             settings):
    """The main window's own drop path: a dialog imports the files on the window's writer,
    and the list shows them once the change notice arrives."""
    from atlas_desktop.gui.main_window import MainWindow

    window = MainWindow(library, runner, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.acceptDrops()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(MENDELEY))])
    enter, drop = drag_events(mime)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, drop)
    (dialog,) = window.findChildren(ImportDialog)
    assert dialog.isVisible() and dialog.paths == [MENDELEY]
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.report is not None and dialog.report.committed
    assert library.catalogue.count(text="is:mine") == 512
    qtbot.waitUntil(lambda: window.model.rowCount() == 512, timeout=10_000)
    dialog.close()
    window.close()  # waits for the writes still queued (tidying after the import)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    runner.wait()
    QCoreApplication.processEvents()  # the reads under way come back to a live window


def test_export_dialog_writes_the_selection_in_the_background(qtbot, library, runner,
                                                              tmp_path):
    library.importer.import_files(paths=[MENDELEY])
    dialog = ExportDialog(library, runner, selected_ids=["my-black2020", "my-milazzo2017"],
                          query="is:mine")
    qtbot.addWidget(dialog)
    assert dialog.scope_selected.isChecked()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(ExportFormat.BIBTEX.value))
    target = tmp_path / "chosen.bib"
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as blocker:
        dialog.export_button.click()
    assert blocker.args[0].count == 2
    assert [e.key for e in parse_bibtex(target.read_text()).entries] == ["Black2020",
                                                                         "Milazzo2017"]
    assert dialog.status.text() == f"Wrote 2 entries to {target}."

    dialog.scope_search.setChecked(True)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(ExportFormat.RIS.value))
    assert dialog.path_edit.text() == str(tmp_path / "chosen.ris")  # suffix follows format
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as blocker:
        dialog.export_button.click()
    assert blocker.args[0].count == 512


def test_export_dialog_offers_collections_once_loaded(qtbot, library, runner, tmp_path):
    library.importer.import_files(paths=[MENDELEY])
    library.annotations.add_to_collection(name="Reading", entry_ids=["my-black2020"])
    dialog = ExportDialog(library, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.scope_collection.isEnabled, timeout=10_000)
    assert not dialog.scope_selected.isEnabled()  # nothing selected
    dialog.scope_collection.setChecked(True)
    dialog.path_edit.setText(str(tmp_path / "reading.json"))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(ExportFormat.CSL_JSON.value))
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as blocker:
        dialog.export_button.click()
    assert blocker.args[0].count == 1


def test_export_dialog_without_a_file_says_so(qtbot, library, runner):
    dialog = ExportDialog(library, runner)
    qtbot.addWidget(dialog)
    dialog.export_button.click()
    assert dialog.status.text() == "Choose a file to write first."
    assert not dialog.running


def test_duplicate_review_for_the_whole_library(qtbot, library, runner):
    library.importer.import_files(paths=[MENDELEY])
    dialog = DuplicatesDialog(library, runner, ops(library, runner))
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.panel.table.rowCount() == 6, timeout=10_000)
    assert dialog.status.text().startswith("6 pairs of your references look like the same")
    titles = dialog.panel.table.item(0, 0).text()
    assert titles and not titles.startswith("my-")  # people see titles, not ids
    assert dialog.apply_button.isHidden()  # every row says "Decide later": nothing to apply
    for row in (0, 1):
        dialog.panel.set_decision(row, DuplicateDecision.KEEP_BOTH)
    with qtbot.waitSignal(dialog.decisions_applied, timeout=30_000) as blocker:
        dialog.apply_button.click()  # two pairs kept apart: too few to ask about
    assert blocker.args[0].merged == [] and blocker.args[0].kept_apart == 2
    assert dialog.panel.table.rowCount() == 4  # the others wait, as they were
    assert len(library.references.find_duplicates()) == 4
    assert library.catalogue.count(text="is:mine") == 512

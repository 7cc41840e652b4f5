"""Issue 18.1: File → Export…, Ctrl+Shift+E, the list's and the sidebar's Export… each open
the export dialog, preset to what the user was looking at (the search, the selection, the
collection being viewed). Each entry point is driven as a user drives it."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from atlas_desktop.gui.dialogs.export_dialog import ExportDialog, ExportScope
from atlas_desktop.services.exporting import ExportFormat
from tests.gui.menus import choose_from_context_menu


def _the_dialog(window) -> ExportDialog:
    (dialog,) = window.findChildren(ExportDialog)
    assert dialog.isVisible()
    return dialog


def _export(qtbot, dialog: ExportDialog, path) -> int:
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(ExportFormat.RIS.value))
    dialog.path_edit.setText(str(path))
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as blocker:
        dialog.export_button.click()
    return blocker.args[0].count


def _search(qtbot, window, text: str) -> int:
    window.set_query(text)
    expected = window.library.catalogue.search(text=text).total
    qtbot.waitUntil(lambda: window.model.rowCount() == expected)
    return expected


def _select_rows(window, rows: list[int]) -> None:
    selection = window.table.selectionModel()
    selection.clear()
    flags = (QItemSelectionModel.SelectionFlag.Select
             | QItemSelectionModel.SelectionFlag.Rows)
    for row in rows:
        selection.select(window.model.index(row, 0), flags)


def test_the_file_menu_opens_it_for_the_current_search(qtbot, window, tmp_path):
    therap = _search(qtbot, window, "therap")
    file_menu = window.menus["file"]
    (export,) = [a for a in file_menu.actions() if a.text() == "&Export…"]
    export.trigger()  # as the menu does: triggered(checked=False)
    dialog = _the_dialog(window)
    assert dialog.preset is ExportScope.SEARCH and dialog.scope_search.isChecked()
    assert dialog.scope_search.text() == "The current search result (therap)"
    assert _export(qtbot, dialog, tmp_path / "therap.ris") == therap


def test_ctrl_shift_e_opens_it_for_the_selected_entries(qtbot, window, tmp_path):
    window.activateWindow()
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    _select_rows(window, [0, 2])
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = _the_dialog(window)
    assert dialog.scope_selected.isChecked()
    assert dialog.scope_selected.text() == "The 2 selected entries"
    assert _export(qtbot, dialog, tmp_path / "two.ris") == 2


def test_the_sidebar_exports_the_collection_not_the_selected_entry(qtbot, window, tmp_path):
    library = window.library
    library.annotations.add_to_collection(
        name="Reading", entry_ids=["heins-2013-role-therapeutic", "twisk-2009-review-cognitive"])
    window.collections.refresh()
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    window.table.selectRow(0)  # an entry is selected, as it always is in a full list
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: bool(sidebar.findItems("Reading", Qt.MatchFlag.MatchRecursive)))
    (item,) = sidebar.findItems("Reading", Qt.MatchFlag.MatchRecursive)
    sidebar.scrollToItem(item)
    pos = sidebar.visualItemRect(item).center()
    offered = choose_from_context_menu(sidebar.viewport(), pos, "Export…")
    assert "Export…" in offered
    dialog = _the_dialog(window)
    qtbot.waitUntil(dialog.scope_collection.isChecked)
    assert dialog.collection_box.currentText() == "Reading"
    assert not dialog.scope_selected.isChecked()
    assert _export(qtbot, dialog, tmp_path / "reading.ris") == 2


def test_file_export_while_a_collection_is_viewed_presets_that_collection(qtbot, window):
    window.library.annotations.add_to_collection(
        name="Reading list", entry_ids=["heins-2013-role-therapeutic"])
    window.collections.refresh()
    _search(qtbot, window, 'collection:"Reading list"')
    window.table.selectRow(0)
    window.commands.export.trigger()
    dialog = _the_dialog(window)
    qtbot.waitUntil(dialog.scope_collection.isChecked)
    assert dialog.collection_box.currentText() == "Reading list"


def test_the_lists_context_menu_exports_the_selection(qtbot, window, tmp_path):
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    _select_rows(window, [1, 3, 4])
    pos = window.table.visualRect(window.model.index(3, 0)).center()
    offered = choose_from_context_menu(window.table.viewport(), pos, "Export the selection…")
    assert "Export the selection…" in offered
    dialog = _the_dialog(window)
    assert dialog.scope_selected.isChecked()
    assert dialog.scope_selected.text() == "The 3 selected entries"
    assert _export(qtbot, dialog, tmp_path / "three.ris") == 3
    QApplication.processEvents()

"""Issue 18.2: the list's column headers sort, with an indicator, in step with the Order box
both ways, and the order is remembered; columns that do not sort say so."""

from __future__ import annotations

from PySide6.QtCore import Qt

from atlas_desktop.domain.listing import SortKey
from atlas_desktop.gui.models.entry_table import Column


def _click_header(qtbot, window, column: Column) -> None:
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def _years(window) -> list[int]:
    return [window.model.list_row(r).year or 0 for r in range(window.model.rowCount())]


def _shown_in_order_of(window, key: SortKey) -> bool:
    """The list shows the library's order for ``key`` (as the command line sorts)."""
    expected = list(window.library.catalogue.search(text="", sort=key).pks)
    return list(window.model.pks()) == expected


def _indicator(window) -> tuple[int, Qt.SortOrder]:
    header = window.table.horizontalHeader()
    return header.sortIndicatorSection(), header.sortIndicatorOrder()


def test_a_header_click_sorts_and_the_order_box_follows(qtbot, window):
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    assert window.table.horizontalHeader().isSortIndicatorShown()
    _click_header(qtbot, window, Column.YEAR)
    assert window.current_sort() is SortKey.YEAR_DESC
    assert window.sort_combo.currentText() == "Newest first"
    qtbot.waitUntil(lambda: window.model.sort_key is SortKey.YEAR_DESC)
    assert _shown_in_order_of(window, SortKey.YEAR_DESC)
    assert _years(window)[:4] == sorted(_years(window)[:4], reverse=True)
    assert _indicator(window) == (Column.YEAR, Qt.SortOrder.DescendingOrder)

    _click_header(qtbot, window, Column.YEAR)  # again: oldest first
    assert window.sort_combo.currentText() == "Oldest first"
    qtbot.waitUntil(lambda: window.model.sort_key is SortKey.YEAR_ASC)
    assert _shown_in_order_of(window, SortKey.YEAR_ASC)
    assert _indicator(window) == (Column.YEAR, Qt.SortOrder.AscendingOrder)

    _click_header(qtbot, window, Column.TITLE)
    assert window.sort_combo.currentText() == "Title"
    qtbot.waitUntil(lambda: window.model.sort_key is SortKey.TITLE)
    assert _shown_in_order_of(window, SortKey.TITLE)
    assert not _shown_in_order_of(window, SortKey.YEAR_ASC)
    assert _indicator(window) == (Column.TITLE, Qt.SortOrder.AscendingOrder)


def test_the_order_box_moves_the_indicator(qtbot, window):
    combo = window.sort_combo
    combo.setCurrentIndex(combo.findText("First author"))
    assert _indicator(window) == (Column.AUTHORS, Qt.SortOrder.AscendingOrder)
    combo.setCurrentIndex(combo.findText("Newest first"))
    assert _indicator(window) == (Column.YEAR, Qt.SortOrder.DescendingOrder)
    combo.setCurrentIndex(combo.findText("Best match"))
    assert _indicator(window)[0] == -1  # no indicator: best match is no column's order


def test_columns_that_do_not_sort_say_so_and_change_nothing(qtbot, window):
    header = window.table.horizontalHeader()
    header.setSectionHidden(Column.JOURNAL, False)
    window.sort_combo.setCurrentIndex(window.sort_combo.findText("Title"))
    for column, word in ((Column.BADGES, "badges"), (Column.STATE, "your marks"),
                         (Column.JOURNAL, "journal")):
        _click_header(qtbot, window, column)
        assert window.current_sort() is SortKey.TITLE
        assert _indicator(window) == (Column.TITLE, Qt.SortOrder.AscendingOrder)
        message = window.statusBar().currentMessage()
        assert f"cannot be sorted by {word}" in message, message
        tip = window.model.headerData(column, Qt.Orientation.Horizontal,
                                      Qt.ItemDataRole.ToolTipRole)
        assert "not sorted by" in tip.replace("<br>", " ")


def test_the_order_and_its_indicator_are_remembered(qtbot, seeded_library, settings):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    first = MainWindow(seeded_library, ImmediateRunner(), settings=settings,
                       writer=ImmediateRunner())
    qtbot.addWidget(first)
    first.show()
    _click_header(qtbot, first, Column.AUTHORS)
    assert first.current_sort() is SortKey.FIRST_AUTHOR
    first.close()
    second = MainWindow(seeded_library, ImmediateRunner(), settings=settings,
                        writer=ImmediateRunner())
    qtbot.addWidget(second)
    assert second.current_sort() is SortKey.FIRST_AUTHOR
    assert second.sort_combo.currentText() == "First author"
    assert _indicator(second) == (Column.AUTHORS, Qt.SortOrder.AscendingOrder)
    second.close()

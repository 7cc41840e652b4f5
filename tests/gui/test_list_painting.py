"""The list's text cells are painted straight from the row (see gui/delegates/cells.py);
they must look exactly as Qt's standard delegate paints them from the model's roles."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyledItemDelegate, QTableView

from atlas_desktop.gui.delegates.cells import EntryTextDelegate
from atlas_desktop.gui.models.entry_table import Column, EntryTableModel
from atlas_desktop.gui.theme import dark_palette
from atlas_desktop.store import catalogue as cat

TEXT_COLUMNS = (Column.TITLE, Column.AUTHORS, Column.YEAR, Column.JOURNAL)


@pytest.fixture
def varied_library(seeded_library, tmp_path):
    """The seeds (one untitled, one without a year) plus a long title with markup in it and a
    withdrawn entry the user starred (so it stays in the list, struck out and greyed)."""
    bundle = tmp_path / "more.json"
    bundle.write_text(json.dumps({"format": "atlas-bundle", "version": 1, "entries": [
        {"id": "markup-2020", "year": 2020, "journal": "A journal with a long name indeed",
         "title": "<b>Bold</b> claims & <i>italic</i> doubts about fatigue, " * 3,
         "authors": [{"family": "Ørsted", "given": "Åse"}]}]}))
    assert seeded_library.importer.import_files(paths=[bundle]).committed
    seeded_library.annotations.set_starred(entry_id="heins-2013-role-therapeutic", starred=True)
    with seeded_library.ctx.db.write() as conn:
        cat.withdraw_entries(conn, ["heins-2013-role-therapeutic"], now="2026-11-21T00:00:00Z")
    return seeded_library


def painted(view: QTableView) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


@pytest.mark.parametrize("dark", [False, True])
def test_quick_text_cells_look_exactly_like_the_standard_ones(qtbot, varied_library, dark):
    model = EntryTableModel(lambda pks: varied_library.catalogue.list_rows(pks=pks))
    model.set_result(varied_library.catalogue.search(text=""))
    assert model.rowCount() == 6
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(30)
    view.horizontalHeader().resizeSection(Column.TITLE, 300)
    view.resize(1000, 260)
    if dark:
        view.setPalette(dark_palette())
    view.show()
    qtbot.waitExposed(view)
    view.selectRow(2)
    standard = painted(view)

    quick = EntryTextDelegate(model, view)
    for column in TEXT_COLUMNS:
        view.setItemDelegateForColumn(column, quick)
    mine = painted(view)
    assert quick._texts, "the quick path painted the cells (not QStyledItemDelegate)"
    assert mine == standard

    blank = QStyledItemDelegate(view)  # the comparison can fail: texts are in the image
    blank.paint = lambda *args: None  # type: ignore[method-assign]
    for column in TEXT_COLUMNS:
        view.setItemDelegateForColumn(column, blank)
    assert painted(view) != standard

"""The list model: ids only, rows fetched on demand, sorting asked of SQL."""

from __future__ import annotations

from PySide6.QtCore import Qt

from atlas_desktop.domain.listing import SortKey
from atlas_desktop.gui.models.entry_table import (
    BLOCK,
    ENTRY_IDS_MIME,
    Column,
    EntryTableModel,
    Role,
)


def make_model(library):
    calls: list[int] = []

    def fetch(pks):
        calls.append(len(pks))
        return library.catalogue.list_rows(pks=pks)

    return EntryTableModel(fetch), calls


def test_model_passes_qt_model_tests(qtmodeltester, seeded_library):
    model, _ = make_model(seeded_library)
    model.set_result(seeded_library.catalogue.search(text=""))
    qtmodeltester.check(model)


def test_rows_are_fetched_a_block_at_a_time(library, tmp_path):
    """A long result costs its ids only; rows come when asked for, one block per fetch."""
    import json

    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"format": "atlas-bundle", "version": 1, "entries": [
        {"id": f"e-{i}", "title": f"Entry {i}", "year": 2000 + i % 20}
        for i in range(5 * BLOCK)]}))
    assert library.importer.import_files(paths=[bundle]).committed
    big = library.catalogue.search(text="")
    model, calls = make_model(library)
    model.set_result(big)
    assert model.rowCount() == 5 * BLOCK and calls == []
    model.data(model.index(0, Column.TITLE))
    model.data(model.index(BLOCK - 1, Column.YEAR))
    assert len(calls) == 1
    model.data(model.index(3 * BLOCK, Column.TITLE))
    assert len(calls) == 2


def test_completing_a_result_keeps_the_first_page(seeded_library, qtbot):
    model, _ = make_model(seeded_library)
    full = seeded_library.catalogue.search(text="", sort=SortKey.YEAR_DESC)
    page = seeded_library.catalogue.search(text="", sort=SortKey.YEAR_DESC, limit=2)
    model.set_result(page)
    with qtbot.waitSignal(model.rowsInserted):
        assert model.complete_result(full)
    assert model.rowCount() == 5
    assert list(model.pks()) == list(full.pks)


def test_incomplete_entry_has_a_clear_fallback_title(seeded_library):
    model, _ = make_model(seeded_library)
    model.set_result(seeded_library.catalogue.search(text="author:vaart"))
    assert model.data(model.index(0, Column.TITLE)) == "Untitled — van der Vaart et al., 2019"
    assert model.data(model.index(0, Column.TITLE), Role.ROW).incomplete
    assert "incomplete" in model.data(model.index(0, Column.TITLE), 3)  # ToolTipRole


def test_header_sort_asks_for_sql_order(seeded_library, qtbot):
    model, _ = make_model(seeded_library)
    with qtbot.waitSignal(model.sort_requested) as blocker:
        model.sort(Column.YEAR, Qt.SortOrder.AscendingOrder)
    assert blocker.args == [SortKey.YEAR_ASC]
    with qtbot.waitSignal(model.sort_requested) as blocker:
        model.sort(Column.AUTHORS)
    assert blocker.args == [SortKey.FIRST_AUTHOR]


def test_dragged_rows_carry_their_ids(seeded_library):
    """Without the window's citation source a drag still carries the ids (for collections);
    with it, the source gets the dragged cells (tests/gui/test_copy_menu_and_drag.py)."""
    import json

    from PySide6.QtCore import QMimeData

    model, _ = make_model(seeded_library)
    model.set_result(seeded_library.catalogue.search(text="author:heins"))
    mime = model.mimeData([model.index(0, 0), model.index(0, 2)])
    assert json.loads(bytes(mime.data(ENTRY_IDS_MIME).data())) == ["heins-2013-role-therapeutic"]
    seen = []

    def source(indexes):
        seen.extend((i.row(), i.column()) for i in indexes)
        return QMimeData()

    model.drag_source = source
    model.mimeData([model.index(0, 0), model.index(0, 2)])
    assert seen == [(0, 0), (0, 2)]

"""Issues 18.16 and 18.24: a second click on a filter hits the same filter (its rows stay put
while the counts change), and no group is named like one of its own values."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from atlas_desktop.gui.panes.facet_sidebar import COUNT_ROLE, TOKEN_ROLE


def _item(sidebar, token: str) -> QTreeWidgetItem:
    found = [item for item in sidebar.findItems("", Qt.MatchFlag.MatchContains
                                                | Qt.MatchFlag.MatchRecursive)
             if item.data(0, TOKEN_ROLE) == token]
    assert len(found) == 1, token
    return found[0]


def _rows(sidebar) -> list[tuple[str, int | None]]:
    out = []
    for i in range(sidebar.topLevelItemCount()):
        top = sidebar.topLevelItem(i)
        out.append((top.text(0), None))
        out += [(top.child(j).text(0), top.child(j).data(0, COUNT_ROLE))
                for j in range(top.childCount())]
    return out


def test_a_second_click_on_a_filter_takes_the_same_filter_out(qtbot, window):
    window.resize(1400, 1000)
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: any(t == "2000s" for t, _ in _rows(sidebar)))
    item = _item(sidebar, "year:2000-2009")
    sidebar.scrollToItem(item)
    spot = sidebar.visualItemRect(item).center()
    labels_before = [text for text, _ in _rows(sidebar)]

    with qtbot.waitSignal(window.search.facets_ready, timeout=5000):
        qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert window.search_box.text() == "year:2000-2009"
    rows = _rows(sidebar)
    # The rows are the same rows, in the same places; a value this result lacks shows 0.
    assert [text for text, _ in rows] == labels_before
    assert dict(rows)["2010s"] == 0
    assert sidebar.itemAt(spot) is _item(sidebar, "year:2000-2009")

    with qtbot.waitSignal(window.search.facets_ready, timeout=5000):
        qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert window.search_box.text() == ""
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    assert dict(_rows(sidebar))["2010s"] == 3
    assert sidebar.itemAt(spot) is _item(sidebar, "year:2000-2009")


def test_no_group_heading_is_also_one_of_its_values(qtbot, window):
    sidebar = window.sidebar
    qtbot.waitUntil(lambda: sidebar.topLevelItemCount() > 3)
    for i in range(sidebar.topLevelItemCount()):
        top = sidebar.topLevelItem(i)
        values = {top.child(j).text(0) for j in range(top.childCount())}
        assert top.text(0) not in values, top.text(0)
    window.library.importer.import_files(paths=[_mine()])
    window.set_query("")
    qtbot.waitUntil(lambda: any(t == "My own references" for t, _ in _rows(sidebar)))
    headings = {sidebar.topLevelItem(i).text(0) for i in range(sidebar.topLevelItemCount())}
    assert "My own references" not in headings and "Library" in headings


def _mine():
    from tests.conftest import MENDELEY

    return MENDELEY

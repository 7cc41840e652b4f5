"""Issues 18.9 and 18.13: the chart's layout (year labels apart, title clear of its legend at
1024 px), its bars by keyboard, and Tab moving between the window's panes and back."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from atlas_desktop.domain.listing import Facets, FacetValue
from atlas_desktop.gui.panes.chart_layout import LABEL_GAP
from atlas_desktop.gui.panes.evidence_chart import EvidenceChart


def _facets(first: int, last: int) -> Facets:
    values = []
    for year in range(first, last + 1):
        values.append(FacetValue(f"{year}|required", "", 1 + year % 3))
        values.append(FacetValue(f"{year}|not_required", "", year % 2))
    return Facets(groups={"chart": tuple(values)})


@pytest.mark.parametrize("span", [(2015, 2020), (1990, 2025), (1900, 2025)])
@pytest.mark.parametrize("width", [260, 340, 420, 520, 640, 800, 1100, 1600])
def test_year_labels_never_collide_and_the_title_clears_the_legend(qtbot, span, width):
    chart = EvidenceChart()
    qtbot.addWidget(chart)
    chart.set_facets(_facets(*span))
    layout = chart.layout_at(width)
    labels = [rect for _, rect in layout.labels]
    assert labels, "no year is labelled"
    indexes = [i for i, _ in layout.labels]
    assert indexes[0] == 0 and indexes[-1] == len(chart.bins()) - 1  # first and last years
    for a, b in pairwise(labels):
        assert a.right() + LABEL_GAP <= b.left(), (a, b)
    assert all(r.left() >= 0 and r.right() <= width for r in labels)
    for item in layout.legend:
        assert not item.text.intersects(layout.title) and not item.swatch.intersects(
            layout.title), (width, item.words)
        assert item.swatch.left() >= 0 and item.text.right() <= width
        assert item.text.bottom() <= layout.plot.top()
    texts = [item.text for item in layout.legend]
    assert all(not a.intersects(b) for i, a in enumerate(texts) for b in texts[i + 1:])
    assert layout.plot.bottom() < min(r.top() for r in labels) + 1
    assert layout.height >= max(r.bottom() for r in labels)


def test_at_1024_px_the_chart_title_does_not_overlap_its_legend(qtbot, window):
    window.resize(1024, 740)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: bool(window.chart.bins()))
    chart = window.chart
    layout = chart.chart_layout()
    assert chart.width() < 700  # the middle pane of a 1024 px window
    for item in layout.legend:
        assert not item.text.intersects(layout.title), item.words
        assert item.text.right() <= chart.width()
    assert chart.height() >= layout.height  # the legend's rows are inside the chart


def test_the_chart_bars_are_reached_and_activated_by_keyboard(qtbot, window):
    chart = window.chart
    qtbot.waitUntil(lambda: any(b.total for b in chart.bins()))
    chart.setFocus()
    assert chart.focusPolicy() & Qt.FocusPolicy.TabFocus
    with_entries = [b for b in chart.bins() if b.total]
    assert chart.current_bin == with_entries[0]  # focus lands on the first bar
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.current_bin == with_entries[-1]
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    target = with_entries[-2]
    assert chart.current_bin == target
    assert chart.accessibleDescription().startswith(target.label())
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    token = f"year:{target.low}" if target.low == target.high else \
        f"year:{target.low}-{target.high}"
    assert window.search_box.text() == token
    qtbot.waitUntil(lambda: window.model.rowCount() == target.total)


def _focus_walk(qtbot, window, start: QWidget, *, limit: int = 120) -> list[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    seen: list[QWidget] = []
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is start:
            return seen
        seen.append(widget)
    raise AssertionError(f"Tab never came back to the search box: {seen[-10:]}")


def test_tab_walks_every_pane_from_the_search_box_and_comes_back(qtbot, window):
    window.resize(1400, 900)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: window.detail.entry is not None and bool(window.chart.bins()))
    walk = _focus_walk(qtbot, window, window.search_box)
    # The list is one stop, however many rows and cells it has.
    assert walk.count(window.table) == 1
    wanted = {
        "order": window.sort_combo, "filters": window.sidebar, "chart": window.chart,
        "list": window.table, "entry": window.detail.browser,
        "copy": window.detail.copy_button, "star": window.detail.star_button,
        "report": window.detail.report_button, "note": window.detail.notes.editor,
        "welcome": window.welcome.search_button,
    }
    missing = [name for name, widget in wanted.items() if widget not in walk]
    assert not missing, missing
    # In reading order: search, filters, chart, list, entry, note.
    order = [walk.index(wanted[n]) for n in ("filters", "chart", "list", "entry", "note")]
    assert order == sorted(order), order
    # Every visible button of the window's panes is reachable too.
    buttons = [b for b in window.centralWidget().findChildren(QAbstractButton)
               if b.isVisible() and b.isEnabled()]
    assert all(b in walk for b in buttons), [b.text() for b in buttons if b not in walk]


def test_arrows_move_inside_the_list_and_tab_leaves_it(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.table.currentIndex().row() == 1
    qtbot.keyClick(window.table, Qt.Key.Key_Tab)
    assert not window.table.hasFocus()
    assert window.table.currentIndex().row() == 1  # Tab did not change the entry

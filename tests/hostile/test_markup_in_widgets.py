"""Issue 19.1: entry text shown in a tooltip or a label is shown as plain text, and no widget
loads a resource an entry names.

``markup-in-entry-text.json`` holds two entries with markup in every displayed field (title,
authors, journal, badges, tags, the reading sections). The first names ``/dev/zero`` as an
image, as the attack did (hovering its row killed the process): what the window would hand
Qt for it is only ever inspected as strings, never rendered, so a regression fails here
instead of taking the test run down. The second holds harmless markup (bold, and an image of
a scheme nothing resolves): it is hovered for real, in the list, its badges, the filters and
the detail pane, and what the user sees must be the literal text.

The walk covers the window with each entry selected, the report dialog, the outbox and the
catalogue updates dialog: every label, every widget's tooltip, every item's tooltip and the
tooltips of the detail pane's text.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QTextBrowser,
    QToolTip,
    QWidget,
)

from atlas_desktop.domain.reports import ReportDraft
from atlas_desktop.domain.sync import CatalogueChange, CatalogueUpdate, ChangeKind
from atlas_desktop.domain.sync_changes import SyncChanges
from atlas_desktop.gui.models.entry_table import Column
from tests.hostile.conftest import HOSTILE

ATTACK = '<img src="/dev/zero">'
VISIBLE = '<b>Bold</b> <img src="atlas-canary:shown">'
RESOURCE_ID, VISIBLE_ID = "hostile-markup-resource", "hostile-markup-visible"


@pytest.fixture
def hostile_window(qtbot, library, tmp_path):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    report = library.importer.import_files(paths=[HOSTILE / "markup-in-entry-text.json"])
    assert report.committed and not report.errors
    for entry_id in (RESOURCE_ID, VISIBLE_ID):
        library.annotations.set_starred(entry_id=entry_id, starred=True)
        library.reports.create_report(draft=ReportDraft(
            entry_id=entry_id, field="title", problem="The title holds markup."))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("reading/mark_read_when_shown", False)  # no timed write mid-test
    window = MainWindow(library, ImmediateRunner(), settings=settings, writer=ImmediateRunner())
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.sidebar.expandAll()
    yield window
    QToolTip.hideText()
    window.close()


# --- what the window hands Qt, as strings -------------------------------------------------


def _texts(root: QWidget) -> Iterator[tuple[str, str, bool]]:
    """(where, text, shown as plain text) for every label, tooltip and item tooltip."""
    for widget in [root, *root.findChildren(QWidget)]:
        name = f"{type(widget).__name__} {widget.objectName()}"
        if widget.toolTip():
            yield f"{name} tooltip", widget.toolTip(), False
        if isinstance(widget, QLabel) and widget.text():
            yield (f"{name} text", widget.text(),
                   widget.textFormat() == Qt.TextFormat.PlainText)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from _item_tips(name, widget)
        if isinstance(widget, QTextBrowser):
            yield from _document_tips(name, widget.document())


def _item_tips(name: str, view: QAbstractItemView) -> Iterator[tuple[str, str, bool]]:
    model = view.model()
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(min(model.rowCount(parent), 200)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                tip = index.data(Qt.ItemDataRole.ToolTipRole)
                if tip:
                    yield f"{name} item {row},{column} tooltip", str(tip), False
            pending.append(model.index(row, 0, parent))


def _document_tips(name: str, document: QTextDocument) -> Iterator[tuple[str, str, bool]]:
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.toolTip():
                yield f"{name} text tooltip", fmt.toolTip(), False
            if fmt.isImageFormat():
                image = fmt.toImageFormat().name()
                assert image.startswith("atlas-pill:"), f"{name} shows an image {image!r}"
            it += 1
        block = block.next()


def _assert_shown_as_text(root: QWidget, marks: tuple[str, ...]) -> int:
    """Every text holding one of ``marks`` is plain text, or markup in which the mark is
    escaped (so it reads as the characters it is). Returns how many such texts there were."""
    seen = 0
    for where, text, plain in _texts(root):
        for mark in marks:
            if mark in text:
                seen += 1
                assert plain, f"{where} would be read as markup: {text[:200]!r}"
            elif QtGui.mightBeRichText(text) and _escaped(mark) in text:
                seen += 1
        # Our own markup never holds an image (badge pills are drawn, not linked).
        assert "<img" not in text.lower() or plain, f"{where}: {text[:200]!r}"
    return seen


def _escaped(mark: str) -> str:
    from atlas_desktop.gui.plain_text import escape

    return escape(mark)


def _select(qtbot, window, entry_id: str) -> None:
    window.set_query("")
    window.select_entry(entry_id)
    qtbot.waitUntil(lambda: window.detail.entry is not None
                    and window.detail.entry.id == entry_id)


def test_every_label_and_tooltip_of_the_window_shows_entry_text_as_text(qtbot,
                                                                      hostile_window):
    window = hostile_window
    for entry_id in (RESOURCE_ID, VISIBLE_ID):
        _select(qtbot, window, entry_id)
        qtbot.waitUntil(lambda: window.sidebar.topLevelItemCount() > 3)
        window.sidebar.expandAll()
        assert _assert_shown_as_text(window, (ATTACK, VISIBLE)) >= 8


def test_the_dialogs_show_entry_text_as_text(qtbot, hostile_window):
    from atlas_desktop.gui.dialogs.catalogue_changes import CatalogueChangesDialog
    from atlas_desktop.gui.dialogs.outbox_dialog import OutboxDialog
    from atlas_desktop.gui.dialogs.report_dialog import ReportDialog

    window, library = hostile_window, hostile_window.library
    for entry_id in (RESOURCE_ID, VISIBLE_ID):
        entry = library.catalogue.get_entry(entry_id=entry_id)
        report = ReportDialog(library, entry, ops=window.ops, parent=window)
        qtbot.addWidget(report)
        assert _assert_shown_as_text(report, (ATTACK, VISIBLE)) >= 1
    outbox = OutboxDialog(library, window.ops, window)
    qtbot.addWidget(outbox)
    assert _assert_shown_as_text(outbox, (ATTACK, VISIBLE)) >= 2
    update = CatalogueUpdate()
    for entry_id in (RESOURCE_ID, VISIBLE_ID):
        entry = library.catalogue.get_entry(entry_id=entry_id)
        update.add(CatalogueChange(entry_id=entry_id, kind=ChangeKind.CHANGED,
                                   pulled_at="2026-05-01T00:00:00Z", fields=("title",),
                                   title=entry.title))
    changes = CatalogueChangesDialog([SyncChanges("run-1", "2026-05-01T00:00:00Z", update)],
                                     window)
    qtbot.addWidget(changes)
    _assert_shown_as_text(changes, (ATTACK, VISIBLE))


# --- hovering the harmless markup: what the user reads ------------------------------------


def _hover(widget: QWidget, pos: QPoint) -> str:
    """Ask ``widget`` for its tooltip at ``pos``; the text the shown tooltip reads as."""
    QToolTip.hideText()
    QApplication.processEvents()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)
    text = QToolTip.text()
    assert text, f"no tooltip at {pos} of {widget}"
    if not QtGui.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def test_hovering_entry_text_reads_the_markup_literally(qtbot, hostile_window):
    window = hostile_window
    _select(qtbot, window, VISIBLE_ID)
    table = window.table
    row = window.model.row_of_pk(window.library.catalogue.pk_for_id(entry_id=VISIBLE_ID))
    assert row is not None
    table.horizontalHeader().setSectionHidden(Column.JOURNAL, False)
    table.scrollTo(window.model.index(row, 0))
    for column in (Column.TITLE, Column.AUTHORS, Column.JOURNAL):
        rect = table.visualRect(window.model.index(row, column))
        shown = _hover(table.viewport(), rect.center())
        assert VISIBLE in shown, (column, shown)
    badges = table.visualRect(window.model.index(row, Column.BADGES))
    readings = {_hover(table.viewport(), QPoint(x, badges.center().y()))
                for x in range(badges.left() + 4, badges.right(), 12)}
    assert any("<b>Bold</b>" in text for text in readings), readings

    sidebar = window.sidebar
    qtbot.waitUntil(lambda: bool(sidebar.findItems(f"Fatigue {VISIBLE}",
                                                   Qt.MatchFlag.MatchRecursive)))
    (tag,) = sidebar.findItems(f"Fatigue {VISIBLE}", Qt.MatchFlag.MatchRecursive)
    sidebar.scrollToItem(tag)
    assert VISIBLE in _hover(sidebar.viewport(), sidebar.visualItemRect(tag).center())

    browser = window.detail.browser
    found = browser.document().find(f"Fatigue {VISIBLE}")
    assert not found.isNull()
    browser.setTextCursor(found)
    browser.ensureCursorVisible()
    rect = browser.cursorRect(found)
    assert "Show entries tagged Fatigue <b>Bold</b>" in _hover(
        browser.viewport(), QPoint(rect.left() - 10, rect.center().y()))


def test_a_long_tooltip_wraps_at_a_reading_width(qtbot, hostile_window):
    """Issue 18.13: one long line was pinned at x = 0; wrapped, it stays by the pointer."""
    from atlas_desktop.gui.plain_text import TIP_LINE_CHARS, tooltip

    window = hostile_window
    words = " ".join(["therapeutic"] * 60)
    text = tooltip(words)
    lines = text.removeprefix("<qt>").removesuffix("</qt>").split("<br>")
    assert len(lines) > 5 and all(len(line) <= TIP_LINE_CHARS for line in lines)
    point = window.mapToGlobal(QPoint(300, 200))
    QToolTip.showText(point, text, window)
    label = next(w for w in QApplication.topLevelWidgets()
                 if w.objectName() == "qtooltip_label")
    assert label.isVisible()
    screen = window.screen().availableGeometry()
    assert label.width() < screen.width() * 0.75
    assert label.x() >= point.x() - 2


def test_the_quick_cite_picker_shows_entry_and_document_text_as_text(qtbot, hostile_window):
    """Writer's picker: its results' tooltips, a work the document named (its label comes
    from the document's own item data) and the preview of the citation, all as text."""
    from atlas_desktop.domain.live_citations import CiteItem
    from atlas_desktop.gui.wordproc.picker import PickedWork, QuickCitePicker

    window = hostile_window
    named = PickedWork(CiteItem(key="from-the-document", item_data={
        "id": "from-the-document", "type": "article-journal", "title": ATTACK}), label=ATTACK)
    picker = QuickCitePicker(window.library, window.runner, style="apa", locale=None,
                             works=[named], parent=window)
    qtbot.addWidget(picker)
    picker.search("title")
    assert picker.results.count() == 2
    picker.results.setCurrentRow(0)
    picker._add_item(picker.results.item(0))
    qtbot.waitUntil(lambda: picker.preview.text().startswith("Preview: "))
    assert "<img" in picker.preview.text()  # the titles' markup, as the citation reads
    assert _assert_shown_as_text(picker, (ATTACK, VISIBLE)) >= 3

"""The window's side of records completed online (issue 15): the Retracted pill in the list
and the entry, the notices with their links (opened only on a click), "completed from PubMed
on …" with each field's source, the differences from the atlas with a one-click correction
report, and the notices facet. Real widgets on a library completed against the replay
server of the recorded PubMed and Crossref answers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QApplication

from atlas_desktop.gui.badges import pill_colours
from atlas_desktop.gui.models.entry_table import Column, Role
from atlas_desktop.gui.notices import long_date
from tests.gui.conftest import entry_ids_in_list
from tests.online.replay import ReplayServer
from tests.online.support import ALL, CRYO, HCQ, PLOS, WAKEFIELD, add_entries, service

WAKEFIELD_NOTICE_DOI = "10.1016/S0140-6736(10)60175-4"


@pytest.fixture
def completed(library):
    add_entries(library, ALL)
    with ReplayServer() as server:
        service(library, server).complete()
    return library


@pytest.fixture
def window(qtbot, completed, settings):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    win = MainWindow(completed, ImmediateRunner(), settings=settings, writer=ImmediateRunner())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


class UrlCatcher(QObject):
    """Stands in for the browser: Qt hands it every https link opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser_urls():
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")
    yield catcher.opened
    QDesktopServices.unsetUrlHandler("https")


def row_of(window, entry_id):
    return entry_ids_in_list(window).index(entry_id)


def show(window, qtbot, entry_id):
    window.select_entry(entry_id)
    qtbot.waitUntil(lambda: window.detail.entry is not None
                    and window.detail.entry.id == entry_id)


def click_text(qtbot, browser, text, after=0):
    """A real mouse click on ``text`` (its first place from ``after`` on) where the detail
    pane shows it."""
    cursor = browser.document().find(text, after)
    assert not cursor.isNull(), text
    cursor.setPosition(cursor.selectionStart() + 2)
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    rect = browser.cursorRect(cursor)
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_list_shows_a_red_retracted_pill_before_the_atlas_badges(window):
    model = window.model
    pills = model.data(model.index(row_of(window, WAKEFIELD["id"]), Column.BADGES), Role.BADGES)
    assert pills[0] == ("retraction", "Retracted")
    assert pill_colours(*pills[0]).fill == "#b42318"  # red, white text
    concern = model.data(model.index(row_of(window, PLOS["id"]), Column.BADGES), Role.BADGES)
    assert concern[0] == ("concern", "Concern")
    notice = model.data(model.index(row_of(window, "wakefield-retraction-2010"),
                                    Column.BADGES), Role.BADGES)
    assert not any(kind == "retraction" for kind, _ in notice or ())
    title_tip = model.data(model.index(row_of(window, HCQ["id"]), Column.TITLE),
                           Qt.ItemDataRole.ToolTipRole)
    assert "retracted" in title_tip


def test_the_entry_names_each_notice_and_opens_its_link_only_when_clicked(
        window, qtbot, browser_urls):
    show(window, qtbot, WAKEFIELD["id"])
    text = window.detail.document().toPlainText()
    assert "Retracted. Cite it only as a retracted paper." in text
    assert "Retraction notice of 6 Feb 2010 (from PubMed and Retraction Watch)" in text
    assert "Expression of concern." in text
    assert f"doi:{WAKEFIELD_NOTICE_DOI}" in text and "PubMed 20137807" in text
    assert browser_urls == []  # showing the entry opened nothing
    click_text(qtbot, window.detail.browser, f"doi:{WAKEFIELD_NOTICE_DOI}")
    assert browser_urls == ["https://doi.org/10.1016/S0140-6736(10)60175-4"]
    click_text(qtbot, window.detail.browser, "PubMed 20137807")
    assert browser_urls[-1] == "https://pubmed.ncbi.nlm.nih.gov/20137807/"


def test_a_notice_is_not_itself_shown_as_retracted(window, qtbot):
    show(window, qtbot, "wakefield-retraction-2010")
    assert window.detail.record is not None  # it was completed...
    assert "Retracted." not in window.detail.document().toPlainText()  # ...and is no paper


def test_the_entry_says_where_each_completed_field_came_from(window, qtbot):
    show(window, qtbot, WAKEFIELD["id"])
    today = long_date(datetime.now(UTC).strftime("%Y-%m-%d"))
    text = window.detail.document().toPlainText()
    assert f"Completed from PubMed on {today} and Crossref on {today}" in text
    # Field by field: the value and its source.
    assert "Journal abbreviation\tLancet\tPubMed" in _table_text(window)
    assert "Volume\t351\tPubMed" in _table_text(window)
    assert "Pages or article\t637-41\tPubMed" in _table_text(window)
    assert "Authors\t13: Wakefield A J; Murch S H" in _table_text(window)
    # The atlas's own values stay where they were: two authors, et al.
    assert "Wakefield, A J; Murch, S H et al." in text


def test_a_difference_is_shown_and_reported_with_the_pubmed_value(window, qtbot):
    show(window, qtbot, CRYO["id"])
    text = window.detail.document().toPlainText()
    assert "it differs from the atlas in the title, year and authors" in text
    assert "The atlas: 2002" in text and "PubMed: 2001" in text
    assert window.detail.entry.year == 2002  # the atlas's value stays
    seen = {}

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "ReportDialog":
            QTimer.singleShot(20, fill_in)
            return
        seen["field"] = dialog.field
        seen["problem"] = dialog.ui.problemEdit.toPlainText()
        seen["suggestion"] = dialog.ui.suggestEdit.toPlainText()
        dialog.save_button.click()

    QTimer.singleShot(0, fill_in)
    # The second "Report to the atlas…" link is the year's (title, year, authors).
    document: QTextDocument = window.detail.document()
    first = document.find("Report to the atlas…")
    click_text(qtbot, window.detail.browser, "Report to the atlas…", first.selectionEnd())
    qtbot.waitUntil(lambda: "field" in seen)
    assert seen["field"] == "year" and seen["suggestion"] == "2001"
    assert "PubMed's record of this paper gives the year as “2001”" in seen["problem"]
    [report] = window.library.reports.list()
    assert (report.entry_id, report.field, report.suggested_correction) == (
        CRYO["id"], "year", "2001")


def test_the_users_own_references_offer_no_report_to_the_atlas(qtbot, completed, settings):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    with completed.ctx.db.write() as conn:
        conn.exec_driver_sql("UPDATE entries SET origin = 'mine' WHERE id = ?", (CRYO["id"],))
    win = MainWindow(completed, ImmediateRunner(), settings=settings, writer=ImmediateRunner())
    qtbot.addWidget(win)
    show(win, qtbot, CRYO["id"])
    text = win.detail.document().toPlainText()
    assert "The atlas: 2002" in text and "Report to the atlas" not in text
    win.close()


def sidebar_items(sidebar):
    items = {}
    for i in range(sidebar.topLevelItemCount()):
        top = sidebar.topLevelItem(i)
        for j in range(top.childCount()):
            items[(top.text(0), top.child(j).text(0))] = top.child(j)
    return items


def test_the_notices_facet_filters_the_list(window, qtbot):
    sidebar = window.sidebar
    key = ("Retractions and corrections", "Retracted")
    qtbot.waitUntil(lambda: key in sidebar_items(sidebar))  # counted after the first page
    item = sidebar_items(sidebar)[key]
    sidebar.scrollToItem(item)
    qtbot.mouseClick(sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=sidebar.visualItemRect(item).center())
    qtbot.waitUntil(lambda: window.search_box.text() == "is:retracted")
    qtbot.waitUntil(lambda: set(entry_ids_in_list(window)) == {WAKEFIELD["id"], HCQ["id"]})


def _table_text(window):
    return window.detail.document().toPlainText().replace("\n", "\t")


def test_a_collaborations_thousands_of_authors_are_shown_by_their_first_six(seeded_library):
    """The pane shows a long disagreeing author list by its first names and a count; a
    report still carries the whole value."""
    from atlas_desktop.domain.completion import Difference
    from atlas_desktop.gui.panes.completion_html import differences_table

    names = [{"family": f"Author{i}", "given": "A"} for i in range(3_000)]
    entry = seeded_library.catalogue.get_entry(entry_id="heins-2013-role-therapeutic")
    html = differences_table(entry, [Difference("authors", ["Heins"], names, "crossref")],
                             "#666", can_report=True)
    assert "Author5 A and 2994 more" in html and "Author6 A" not in html
    assert len(html) < 2_000

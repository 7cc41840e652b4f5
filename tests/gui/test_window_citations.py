"""Citing from the main window: Ctrl+Shift+C, the Cite menu, the toolbar and detail buttons,
the list's context menu, drags out of the list and a collection as a bibliography. Real
window, real engine, real clipboard."""

from __future__ import annotations

import json
from contextlib import contextmanager

from PySide6.QtCore import Qt, QTimer

from atlas_desktop.gui.clipboard import ENTRY_IDS_MIME, RTF_MIME
from atlas_desktop.gui.panes.facet_sidebar import CollectionAction

HEINS = "heins-2013-role-therapeutic"
TWISK = "twisk-2009-review-cognitive"


def select(window, *entry_ids):
    """Select these entries in the list (the first becomes the current row). Through the
    selection model, not selectRow: that one reads the keyboard modifiers, which a previous
    test's Ctrl+Shift key click can leave behind on the offscreen platform."""
    window.set_query("")
    rows = [r for r in range(window.model.rowCount())
            if window.model.list_row(r).id in entry_ids]
    assert len(rows) == len(entry_ids)
    model = window.table.selectionModel()
    flags = model.SelectionFlag
    model.setCurrentIndex(window.model.index(rows[0], 0), flags.ClearAndSelect | flags.Rows)
    for row in rows[1:]:
        model.select(window.model.index(row, 0), flags.Select | flags.Rows)
    return rows


@contextmanager
def copy_through_warnings(qtbot, window):
    """Waits for the copy to reach the clipboard. The seed pages record no volume or pages,
    so each copy first lists that beside the Copy button (issue 18.6), answered here with
    "Copy anyway" (tests/gui/test_copy_warnings.py tests the panel itself)."""
    def answer(_copy, _checks):
        QTimer.singleShot(0, window.copy_warnings.panel.copy_button.click)

    window.citations.warnings_pending.connect(answer)
    try:
        with qtbot.waitSignal(window.citations.copied):
            yield
    finally:
        window.citations.warnings_pending.disconnect(answer)


def press_ctrl_shift_c(qtbot, window, widget):
    """The key as a user presses it, with ``widget`` focused; waits for the copy."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # window shortcuts need the active window
    widget.setFocus()
    with copy_through_warnings(qtbot, window):
        qtbot.keyClick(widget, Qt.Key.Key_C,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def test_ctrl_shift_c_copies_the_selection_in_the_default_style(qtbot, window, clipboard):
    select(window, HEINS)
    press_ctrl_shift_c(qtbot, window, window.table)
    text = clipboard.text()
    assert text.startswith("Heins, M. J., Knoop, H., & Bleijenberg, G. (2013).")  # APA
    mime = clipboard.mimeData()
    assert "<i>" in mime.html() and mime.hasFormat(RTF_MIME)
    assert json.loads(bytes(mime.data(ENTRY_IDS_MIME).data())) == [HEINS]
    assert "Copied" in window.statusBar().currentMessage()


def test_the_search_box_keeps_ctrl_shift_c_for_the_citation(qtbot, window, clipboard):
    select(window, TWISK)
    press_ctrl_shift_c(qtbot, window, window.search_box)
    assert clipboard.text().startswith("Twisk")


def test_several_selected_entries_make_one_bibliography_in_style_order(qtbot, window,
                                                                       clipboard):
    select(window, TWISK, HEINS)
    with copy_through_warnings(qtbot, window):
        window.copy_default_action.trigger()
    paragraphs = [p for p in clipboard.text().splitlines() if p.strip()]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("Heins") and paragraphs[1].startswith("Twisk")  # APA


def test_the_cite_menu_is_in_the_menu_bar_and_copies_in_another_style(qtbot, window,
                                                                      clipboard):
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Cite" in titles
    assert titles.index("&Cite") < titles.index("&Sync")
    select(window, HEINS)
    window.copy_menu.rebuild()
    vancouver = next(a for a in _all_actions(window.copy_menu)
                     if a.objectName() == "Copy-vancouver-bibliography")
    with copy_through_warnings(qtbot, window):
        vancouver.trigger()
    assert clipboard.text().startswith("1. Heins MJ, Knoop H, Bleijenberg G.")


def test_the_list_context_menu_offers_the_copies(qtbot, window):
    select(window, HEINS)
    menu = window.table_context_menu()
    qtbot.addWidget(menu)
    actions = menu.actions()
    assert actions[0] is window.copy_default_action
    assert actions[1].menu() is window.copy_menu and actions[1].text() == "Copy as…"
    assert window.commands.report in actions


def test_the_detail_button_copies_the_shown_entry_only(qtbot, window, clipboard):
    select(window, HEINS, TWISK)
    window.table.setCurrentIndex(window.model.index(select(window, TWISK)[0], 0))
    qtbot.waitUntil(lambda: window.detail.entry is not None and window.detail.entry.id == TWISK)
    button = window.detail.copy_button
    assert button.isEnabled() and button.menu() is window.detail_copy_menu
    with copy_through_warnings(qtbot, window):
        button.click()
    paragraphs = [p for p in clipboard.text().splitlines() if p.strip()]
    assert len(paragraphs) == 1 and paragraphs[0].startswith("Twisk")


def test_a_drag_out_of_the_list_carries_the_formatted_citation(qtbot, window, clipboard):
    rows = select(window, HEINS)
    with copy_through_warnings(qtbot, window):
        window.copy_default_action.trigger()  # builds the engine, as the start-up warm-up does
    mime = window.model.mimeData([window.model.index(rows[0], 0),
                                  window.model.index(rows[0], 2)])
    assert mime.text().startswith("Heins, M. J., Knoop, H., & Bleijenberg, G. (2013).")
    assert "<i>" in mime.html()
    assert json.loads(bytes(mime.data(ENTRY_IDS_MIME).data())) == [HEINS]


def test_a_collection_copies_as_one_bibliography(qtbot, window, seeded_library, clipboard):
    seeded_library.annotations.add_to_collection(name="Letter to GP", entry_ids=[TWISK, HEINS])
    collection = next(c for c in seeded_library.annotations.collections()
                      if c.name == "Letter to GP")
    with copy_through_warnings(qtbot, window):
        window.sidebar.collection_action.emit(CollectionAction.COPY, collection.id)
    paragraphs = [p for p in clipboard.text().splitlines() if p.strip()]
    assert [p.split(",")[0] for p in paragraphs] == ["Heins", "Twisk"]


def test_nothing_selected_says_so_and_leaves_the_clipboard(qtbot, window, clipboard):
    clipboard.setText("what the user had")
    window.set_query("nosuchwordanywhere")
    assert window.model.rowCount() == 0
    with qtbot.waitSignal(window.citations.copy_failed) as blocker:
        window.copy_default_action.trigger()
    assert "Select one or more entries" in blocker.args[0]
    assert clipboard.text() == "what the user had"


def _all_actions(menu):
    for a in menu.actions():
        yield a
        if a.menu() is not None:
            yield from _all_actions(a.menu())


def test_the_status_bar_names_entries_by_first_author_and_year(qtbot, window, clipboard):
    """Issue 18.22: the warnings after a copy named entries by their internal ids."""
    vaart = "van-der-vaart-2019"
    select(window, vaart, TWISK)
    press_ctrl_shift_c(qtbot, window, window.table)
    message = window.statusBar().currentMessage()
    assert "Check before publishing" in message
    assert "van der Vaart et al. (2019)" in message
    assert vaart not in message and TWISK not in message


def test_double_spacing_is_a_preference_the_windows_copies_follow(qtbot, window, clipboard,
                                                                   seeded_library):
    def choose(double):
        dialog = window.preferences_dialog()
        qtbot.addWidget(dialog)
        assert dialog.double_spacing_box.isChecked() is not double
        dialog.double_spacing_box.setChecked(double)
        with qtbot.waitSignal(window.ops.changed):  # stored by the writer, not the UI thread
            dialog.accept()
        assert seeded_library.citations.double_spacing() is double

    def copied_html():
        select(window, HEINS, TWISK)
        with copy_through_warnings(qtbot, window):
            window.copy_default_action.trigger()
        return clipboard.mimeData().html(), bytes(clipboard.mimeData().data(RTF_MIME).data())

    html, rtf = copied_html()
    assert "line-height:100%" in html and b"\\sl480" not in rtf
    choose(True)
    html, rtf = copied_html()
    assert "line-height:200%" in html and rtf.count(b"\\sl480\\slmult1") == 2
    choose(False)
    html, _rtf = copied_html()
    assert "line-height:100%" in html and "line-height:200%" not in html

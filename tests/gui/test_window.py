"""The main window as a user drives it: searching, keyboard, facets, chart, remembered
settings, and the user's own layer (stars, collections with undo, labels)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from atlas_desktop.domain.listing import SortKey
from atlas_desktop.gui.panes.facet_sidebar import CollectionAction
from tests.gui.conftest import entry_ids_in_list


def test_typing_searches_and_broken_syntax_only_hints(qtbot, window):
    qtbot.keyClicks(window.search_box, "author:twisk")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    qtbot.waitUntil(lambda: window.detail.entry.id == "twisk-2009-review-cognitive")
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, '"unbalanced year:abc')
    qtbot.waitUntil(window.hint_action.isVisible)
    assert "closing quote" in window.hint_label.text()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    assert not window.hint_action.isVisible()


def test_the_list_does_not_blank_while_a_word_is_typed(qtbot, window):
    """Each keystroke searches; a new word's first letters that match nothing whole keep the
    previous words' result (with a hint) until the word is long enough to be a prefix."""
    seen: list[int] = []
    window.search.page_ready.connect(lambda result, _total: seen.append(result.total))
    window.search_box.setFocus()
    for key in "therap zq":
        qtbot.keyClicks(window.search_box, key)
        window.run_search()  # what the debounce timer does after a pause
        qtbot.waitUntil(lambda: window.model.rowCount() > 0)
    therap = window.library.catalogue.search(text="therap").total
    assert window.model.rowCount() == therap
    assert "Keep typing" in window.hint_label.text() and window.hint_action.isVisible()
    assert 0 not in seen[3:]  # from "the" on, never an empty list while typing
    qtbot.keyClicks(window.search_box, "x")  # "zqx": a prefix now, and it matches nothing
    window.run_search()
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)


def test_arrows_move_the_selection_and_the_detail_follows(qtbot, window):
    window.table.setFocus()
    qtbot.waitUntil(lambda: window.detail.entry is not None)
    assert window.detail.entry.id == entry_ids_in_list(window)[0]
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    second = entry_ids_in_list(window)[1]
    qtbot.waitUntil(lambda: window.detail.entry.id == second)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert window.detail.browser.hasFocus()


def test_ctrl_f_focuses_the_search(qtbot, window):
    window.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()


def test_facet_click_filters_and_exclusive_groups_replace(qtbot, window):
    window.toggle_token("pem:required", "pem")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.search_box.text() == "pem:required"
    window.toggle_token("year:2010-2019", "decade")
    window.toggle_token("year:2000-2009", "decade")
    assert window.search_box.text() == "pem:required year:2000-2009"
    window.toggle_token("pem:required", "pem")
    assert window.search_box.text() == "year:2000-2009"


def test_sidebar_shows_live_counts(qtbot, window):
    qtbot.waitUntil(lambda: window.sidebar.topLevelItemCount() > 3)
    items = {window.sidebar.topLevelItem(i).text(0): window.sidebar.topLevelItem(i)
             for i in range(window.sidebar.topLevelItemCount())}
    years = items["Years"]
    counts = {years.child(i).text(0): years.child(i).data(0, Qt.ItemDataRole.UserRole + 2)
              for i in range(years.childCount())}
    assert counts == {"2010s": 3, "2000s": 1}
    window.sidebar._on_item_clicked(years.child(1))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)


def test_chart_click_narrows_to_the_years(qtbot, window):
    """A real click on a bar: the list shows that bar's entries; a second click undoes it."""
    from PySide6.QtCore import QPoint

    chart = window.chart
    qtbot.waitUntil(lambda: any(b.total for b in chart.bins()))
    chart.repaint()  # lays the bars out
    middle = chart.height() // 2
    target, point = next((b, QPoint(x, middle)) for x in range(chart.width())
                         if (b := chart.bin_at(x, middle)) is not None and b.total)
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=point)
    token = f"year:{target.low}" if target.low == target.high else \
        f"year:{target.low}-{target.high}"
    assert window.search_box.text() == token
    qtbot.waitUntil(lambda: window.model.rowCount() == target.total)
    assert all(target.low <= window.model.list_row(r).year <= target.high
               for r in range(window.model.rowCount()))
    qtbot.waitUntil(lambda: window.chart.bins() == [target])  # counted for the new result
    chart.repaint()
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton,
                     pos=next(QPoint(x, middle) for x in range(chart.width())
                              if chart.bin_at(x, middle) == target))
    assert window.search_box.text() == ""
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)


def test_export_opens_for_the_current_search(qtbot, window, tmp_path):
    """File → Export… (its action passes a checked state; the dialog must get the query)."""
    from atlas_desktop.gui.dialogs.export_dialog import ExportDialog
    from atlas_desktop.services.exporting import ExportFormat

    window.set_query("therap")
    therap = window.library.catalogue.search(text="therap").total
    qtbot.waitUntil(lambda: window.model.rowCount() == therap)
    window.commands.export.trigger()
    (dialog,) = window.findChildren(ExportDialog)
    assert dialog.scope_search.text() == "The current search result (therap)"
    dialog.scope_search.setChecked(True)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(ExportFormat.RIS.value))
    dialog.path_edit.setText(str(tmp_path / "therap.ris"))
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as blocker:
        dialog.export_button.click()
    assert blocker.args[0].count == therap
    dialog.close()


def test_settings_are_remembered(qtbot, seeded_library, settings):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.models.entry_table import Column
    from atlas_desktop.gui.runner import ImmediateRunner

    first = MainWindow(seeded_library, ImmediateRunner(), settings=settings)
    qtbot.addWidget(first)
    first.show()
    width = first.minimumSizeHint().width() + 11
    assert width < 800, "the window must fit a small screen"
    first.resize(width, 533)  # the offscreen screen is 800x600
    first.set_query("therap")
    first.sort_combo.setCurrentIndex(3)  # Title
    first.table.horizontalHeader().setSectionHidden(Column.AUTHORS, True)
    first.close()
    second = MainWindow(seeded_library, ImmediateRunner(), settings=settings)
    qtbot.addWidget(second)
    assert second.search_box.text() == "therap"
    assert second.current_sort() is SortKey.TITLE
    assert second.table.horizontalHeader().isSectionHidden(Column.AUTHORS)
    assert second.size().width() == width


def test_star_shows_in_the_list_and_in_facets(qtbot, window):
    window.table.setFocus()
    entry_id = window.current_entry_id()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.library.annotations.user_data(entry_id=entry_id).starred
    qtbot.waitUntil(lambda: window.model.list_row(window.table.currentIndex().row()).starred)
    window.set_query("is:starred")
    qtbot.waitUntil(lambda: entry_ids_in_list(window) == [entry_id])


def test_collection_delete_is_confirmed_and_can_be_undone(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    lib = window.library
    collection, _ = lib.annotations.add_to_collection(
        name="Clinic talk", entry_ids=["heins-2013-role-therapeutic"])
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.sidebar.collection_action.emit(CollectionAction.DELETE, collection.id)
    assert lib.annotations.collections() == []
    assert window.commands.undo_delete.isEnabled()
    window.commands.undo_delete.trigger()
    restored = lib.annotations.collections()
    assert [c.name for c in restored] == ["Clinic talk"] and restored[0].count == 1


def test_entries_dropped_on_a_collection_are_added(qtbot, window):
    lib = window.library
    collection = lib.annotations.create_collection(name="Letters")
    window.sidebar.entries_dropped.emit(collection.id, ["twisk-2009-review-cognitive",
                                                         "heins-2013-role-therapeutic"])
    assert lib.annotations.collection_entry_ids(collection_id=collection.id) == [
        "heins-2013-role-therapeutic", "twisk-2009-review-cognitive"]


def test_status_bar_counts_entries_and_queued_reports(qtbot, window):
    from atlas_desktop.domain.reports import ReportDraft

    assert window.count_label.text() == "5 of 5 entries"
    window.library.reports.create_report(draft=ReportDraft(
        entry_id="heins-2013-role-therapeutic", field="year", problem="Wrong year."))
    qtbot.waitUntil(lambda: window.reports_label.text() == "1 report queued")
    qtbot.waitUntil(lambda: any(window.model.list_row(r).reported
                                for r in range(window.model.rowCount())))


def test_welcome_panel_can_be_dismissed_for_good(qtbot, seeded_library, settings):
    from PySide6.QtWidgets import QPushButton

    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    first = MainWindow(seeded_library, ImmediateRunner(), settings=settings)
    qtbot.addWidget(first)
    first.show()
    assert first.welcome.isVisible()
    assert not first.welcome.sample_button.isVisible()  # the library has entries
    first.welcome.findChild(QPushButton, "DismissWelcome").click()
    assert not first.welcome.isVisible()
    first.close()
    second = MainWindow(seeded_library, ImmediateRunner(), settings=settings)
    qtbot.addWidget(second)
    second.show()
    assert not second.welcome.isVisible()


def test_an_empty_library_offers_the_sample_papers(qtbot, library, settings):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    window = MainWindow(library, ImmediateRunner(), settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 0
    assert "This library is empty" in window.welcome.title.text()
    assert window.welcome.sample_button.isVisible()
    window.welcome.sample_button.click()
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)  # the change reaches the window
    assert not window.welcome.sample_button.isVisible()
    assert "This library is empty" not in window.welcome.title.text()
    assert "Added 5 sample papers" in window.statusBar().currentMessage()


def test_about_shows_the_folder_and_the_licences(qtbot, window, seeded_library):
    about = window.about_dialog()
    qtbot.addWidget(about)
    assert about.folder_label.text() == str(seeded_library.paths.data_dir)
    credits = about.credits_view.toPlainText()
    for name in ("citeproc-js", "Citation Style Language styles", "Qt and PySide6"):
        assert name in credits
    licences = about.licences_view.toPlainText()
    assert "SQLAlchemy — MIT" in licences and "Permission is hereby granted" in licences
    # The texts that must ship: citeproc-js's own licence file, the styles' licence
    # statement, and the LGPL for Qt.
    assert "Common Public Attribution License" in licences
    assert "Creative Commons Attribution-ShareAlike 3.0" in licences
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in licences


def test_preferences_store_style_language_theme_and_library_folder(
        qtbot, window, seeded_library, settings, tmp_path, monkeypatch):
    from atlas_desktop.paths import chosen_data_dir

    dialog = window.preferences_dialog()
    qtbot.addWidget(dialog)
    assert dialog.style_box.currentData() == "apa"
    assert [dialog.style_box.itemData(i) for i in range(dialog.style_box.count())] == [
        "apa", "vancouver", "ama", "harvard", "chicago"]
    dialog.style_box.setCurrentIndex(dialog.style_box.findData("vancouver"))
    dialog.locale_box.setCurrentIndex(dialog.locale_box.findData("en-GB"))
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("dark"))
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getExistingDirectory",
                        lambda *a, **k: str(tmp_path / "elsewhere"))
    dialog._on_choose_folder_clicked()
    assert "next time you start" in dialog.folder_note.text()
    with qtbot.waitSignal(dialog.theme_changed):
        dialog.accept()
    assert seeded_library.citations.default_style() == "vancouver"
    assert seeded_library.citations.locale() == "en-GB"
    assert "Vancouver" in window.detail.copy_button.toolTip()
    assert settings.value("ui/theme") == "dark"
    assert chosen_data_dir() == (tmp_path / "elsewhere").resolve()
    dialog._on_reset_folder_clicked()
    assert chosen_data_dir() is None


def test_help_opens_the_user_guide_with_its_screenshots(qtbot):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from atlas_desktop.gui.dialogs.help_dialog import HelpDialog, guide_path

    path = guide_path()
    assert path is not None and path.name == "user-guide.md"
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert text.startswith("Atlas Desktop user guide")
    for heading in ("Copying citations", "Reporting an error", "Keyboard shortcuts"):
        assert heading in text
    images = re.findall(r"!\[[^\]]*\]\((images/[^)]+)\)", path.read_text("utf-8"))
    assert len(images) >= 6
    document = dialog.browser.document()
    for name in images:
        assert (path.parent / name).is_file(), name
        image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert image is not None and not image.isNull(), f"{name} is not shown"
    # Screenshots fit the window; the contents' links lead to their sections.
    dialog.show()
    qtbot.waitExposed(dialog)
    widths = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                widths.append(fmt.toImageFormat().width())
            it += 1
        block = block.next()
    assert len(widths) == len(images)
    assert all(0 < w <= dialog.browser.viewport().width() for w in widths), widths
    bar = dialog.browser.verticalScrollBar()
    assert bar.value() == 0
    dialog.browser.setSource(QUrl("#copying-citations"))
    assert bar.value() > bar.maximum() // 4


def test_the_guide_lists_every_shortcut_of_the_window():
    from atlas_desktop.gui.dialogs.help_dialog import guide_path
    from atlas_desktop.gui.window_actions import SHORTCUTS_HELP

    guide = guide_path().read_text("utf-8")  # type: ignore[union-attr]
    missing = [key for key, _ in SHORTCUTS_HELP if f"| {key} |" not in guide]
    assert not missing, f"shortcuts missing from docs/user-guide.md: {missing}"


def test_every_listed_shortcut_is_bound_to_an_action(window):
    """The F1 list and the user guide promise these keys; each must do something here."""
    from PySide6.QtGui import QAction, QKeySequence

    from atlas_desktop.gui.window_actions import SHORTCUTS_HELP

    bound = {seq.toString(QKeySequence.SequenceFormat.PortableText)
             for action in window.findChildren(QAction) for seq in action.shortcuts()}
    handled_by_views = {"Down / Up", "Enter", "Space"}  # the list's own keys
    listed = [key for key, _ in SHORTCUTS_HELP if key not in handled_by_views]
    assert "Ctrl+Shift+C" in listed and "Ctrl+," in listed
    missing = [key for key in listed if key not in bound]
    assert not missing, f"listed but not bound: {missing}"


def test_the_guides_contents_links_scroll_to_their_section_when_clicked(qtbot):
    """Issue 18.18: a click on a contents link (not a call of setSource) scrolls there."""
    from PySide6.QtGui import QTextCursor, QTextDocument

    from atlas_desktop.gui.dialogs.help_dialog import HelpDialog

    exact = (QTextDocument.FindFlag.FindCaseSensitively
             | QTextDocument.FindFlag.FindWholeWords)

    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    browser, bar = dialog.browser, dialog.browser.verticalScrollBar()
    for title in ("Copying citations", "Keyboard shortcuts", "Sync"):
        bar.setValue(0)
        link = browser.document().find(title, 0, exact)  # the first: the contents' entry
        inside = QTextCursor(link)
        inside.setPosition(link.selectionStart() + 2)
        point = browser.cursorRect(inside).center()
        assert browser.anchorAt(point).startswith("#")
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
        qtbot.waitUntil(lambda: bar.value() > 0)
        heading = browser.cursorForPosition(browser.viewport().rect().topLeft()).block()
        assert heading.text() == title, (title, heading.text())


def test_facets_wait_for_typing_to_pause_after_a_recount_on_a_change(qtbot, window):
    """A change (a star, a note) recounts the facets at once; the keystrokes after it still
    wait FACETS_DELAY_MS before counting (QTimer.start(0) had kept 0 for good)."""
    from atlas_desktop.gui.search_controller import FACETS_DELAY_MS

    with qtbot.waitSignal(window.search.facets_ready):
        window.search.refresh_facets()
    with qtbot.waitSignal(window.search.page_ready):
        window.set_query("therapy")
    assert window.search._facets_timer.interval() == FACETS_DELAY_MS


def test_a_search_that_keeps_the_entry_leaves_the_reader_where_they_were(qtbot, window):
    """The entry shown stays current through a search that still finds it: it is not read
    and drawn again (which scrolled the reader back to its top)."""
    window.table.setFocus()
    qtbot.waitUntil(lambda: window.detail.entry is not None)
    shown = window.detail.entry
    window.resize(1000, 500)
    bar = window.detail.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    position = bar.value()
    drawn = []
    window.detail.user_data_shown.connect(drawn.append)
    window.selection.show_current()
    assert drawn == [] and bar.value() == position and window.detail.entry is shown
    # Another entry is still read and shown.
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.detail.entry.id != shown.id)
    assert len(drawn) == 1


def test_deleting_a_collection_asks_with_its_name_as_text(qtbot, window, monkeypatch):
    from PySide6.QtGui import QTextDocument
    from PySide6.QtWidgets import QMessageBox

    lib = window.library
    collection, _ = lib.annotations.add_to_collection(
        name='<img src="/dev/zero"> talk', entry_ids=["heins-2013-role-therapeutic"])
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text, *a, **k: (
        asked.append(text), QMessageBox.StandardButton.Cancel)[1])
    window.sidebar.collection_action.emit(CollectionAction.DELETE, collection.id)
    (text,) = asked
    assert text.startswith("<qt>") and "<img" not in text
    shown = QTextDocument()
    shown.setHtml(text)
    assert '“<img src="/dev/zero"> talk”' in shown.toPlainText()
    assert [c.name for c in lib.annotations.collections()] == [collection.name]

"""The main window: filters on the left, the list (with the evidence chart) in the middle, the
entry and the user's note on the right.

It lays the panes out and wires them; it does not decide how a change shows. Every write is
an operation (``operations.py``), and every view follows the change notices itself: the
list's rows, the search (results, facet counts), the detail pane (star, note), the
collections (``collections_controller.py``) and the status bar. What is selected lives in
``selection.py``; the dialogs the window opens in ``window_dialogs.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QSettings, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QResizeEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
)

from atlas_desktop.domain.listing import Facets, SearchResult, SortKey
from atlas_desktop.domain.query import filter_tokens, toggle_filter
from atlas_desktop.services import Library

from .citation_controller import CitationController, EntrySelection
from .close_guard import CloseGuard
from .collections_controller import CollectionsController
from .dialogs.about_dialog import AboutDialog
from .dialogs.export_dialog import ExportScope
from .dialogs.preferences_dialog import PreferencesDialog
from .entry_list import EntryList
from .failure_dialog import FailureReporter
from .file_drop import install_file_drop
from .icons import app_icon
from .library_watch import LibraryWatch
from .models.entry_table import EntryTableModel
from .operations import Operations, warn_in_place
from .panes.detail_pane import DetailPane
from .panes.evidence_chart import EvidenceChart
from .panes.facet_sidebar import EXCLUSIVE_GROUPS, FacetSidebar
from .panes.welcome_panel import WelcomePanel
from .read_marker import ReadMarker
from .read_only import apply_read_only
from .runner import Runner, SerialRunner
from .search_bar import SearchBar
from .search_controller import SearchController
from .selection import SelectionController
from .status_bar import WindowStatusBar
from .sync_controller import SyncController
from .window_actions import build_menus, create_actions, entry_context_menu, refresh_icons
from .window_citing import build_citing
from .window_dialogs import WindowDialogs
from .window_layout import column, main_splitter, set_central, set_tab_order
from .window_settings import RememberedParts

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QToolButton

    from .copy_menu import CopyMenu
    from .copy_warnings import CopyWarnings
    from .drag import CitationDragSource

#: Narrower than this, the window's panes save room (the entry's report button shows its icon).
COMPACT_BELOW = 1200


class MainWindow(QMainWindow):
    # Built by window_citing.build_citing:
    copy_default_action: QAction
    copy_menu: CopyMenu
    detail_copy_menu: CopyMenu
    toolbar_copy_button: QToolButton
    copy_warnings: CopyWarnings
    drag_source: CitationDragSource

    def __init__(self, library: Library, runner: Runner, *, settings: QSettings | None = None,
                 writer: Runner | None = None) -> None:
        """``runner`` runs reads (searches, counts, citations); ``writer`` the operations,
        one at a time (by default a thread of the window's own)."""
        super().__init__()
        self.library = library
        self.runner = runner
        self.settings = settings or QSettings()
        self.setObjectName("MainWindow")
        self.setWindowTitle("Atlas Desktop")
        self.setWindowIcon(app_icon())
        self._total = 0
        self.ops = Operations(library, writer or SerialRunner(self), self)
        #: Storage failures and unexpected errors: a dialog with the sentence and the log.
        self.failures = FailureReporter(library.paths, self)
        #: The window's actions (not ``actions``, which is QWidget.actions()).
        self.commands = create_actions(self)
        self.search = SearchController(library, runner, self)
        self.sync = SyncController(library.sync, runner, parent=self)
        self.citations = CitationController(library, runner, ops=self.ops, parent=self)
        self.search_bar = SearchBar(self)
        self.search_bar.addActions([self.commands.report, self.commands.outbox,
                                    self.commands.sync_now])
        self.addToolBar(self.search_bar)
        self.search_box, self.sort_combo = self.search_bar.search_box, self.search_bar.sort_combo
        self.hint_label, self.hint_action = self.search_bar.hint_label, self.search_bar.hint_action
        self._build_central()
        self.status = WindowStatusBar(self.statusBar(), library, self)
        self.count_label, self.reports_label = self.status.count_label, self.status.reports_label
        self.selection = SelectionController(library, self.ops, self.table, self.model,
                                             self.detail, self.commands, self)
        self.entry_shown = self.selection.entry_shown
        self.read_marker = ReadMarker(library, self.ops, self.settings, self)
        self.collections = CollectionsController(
            library, self.ops, runner, self.citations, self.sidebar,
            selected_ids=self.selection.selected_entry_ids,
            new_label_action=self.commands.new_label, parent=self)
        self.dialogs = WindowDialogs(self, library, runner, self.ops, self.settings,
                                     sync=self.sync, citations=self.citations,
                                     selection=self.selection, detail=self.detail,
                                     status=self.status, query=self.search_box.text)
        self.completion = self.dialogs.completion
        self._close_guard = CloseGuard(self, self.ops, self.detail.notes, self.status)
        self.menus = build_menus(self, self.commands, labels_menu=self.collections.labels_menu,
                                 collections_menu=self.collections.collections_menu)
        build_citing(self)
        self._connect()
        self._set_tab_order()
        if library.read_only is not None:
            apply_read_only(self, library.read_only)
        self._remembered = RememberedParts(
            self, self.splitter, self.detail.splitter, self.table.horizontalHeader(),
            self.search_bar, ((self.commands.show_facets, self.sidebar, "view/facets"),
                              (self.commands.show_chart, self.chart, "view/chart")))
        self._remembered.restore(self.settings)
        self.detail.set_compact(self.width() < COMPACT_BELOW)
        self.status.refresh_reports()
        self.watch = LibraryWatch(library, runner, self.ops, self)  # other programs; idle saves
        self.run_search()

    # ================================================================= building

    def _build_central(self) -> None:
        self.model = EntryTableModel(lambda pks: self.library.catalogue.list_rows(pks=pks), self)
        self.table = EntryList(self.model, self)
        self.chart = EvidenceChart(self)
        self.welcome = WelcomePanel(self)
        self.welcome.setVisible(not self.settings.value("ui/welcome_dismissed", False, type=bool))
        middle = column(self, (self.welcome, self.chart, self.table))
        self.sidebar = FacetSidebar(self)
        self.detail = DetailPane(self.library, self.ops, self)
        self.splitter = main_splitter(self, (self.sidebar, middle, self.detail))
        self.read_only_banner = set_central(self, self.splitter)

    def _set_tab_order(self) -> None:
        """Tab goes from pane to pane in reading order (search, filters, the welcome, chart,
        list, entry, note, status bar) and back to the search; arrows move inside a pane."""
        w, d, s = self.welcome, self.detail, self.status
        set_tab_order([
            self.search_box, self.sort_combo, self.toolbar_copy_button, self.sidebar,
            w.search_button, w.sample_button, w.close_button, w.never_button, self.chart,
            self.table, d.copy_button, d.star_button, d.report_button, d.browser,
            d.notes.editor, s.changes_button, s.undo_button, s.reports_label])

    def _connect(self) -> None:
        a, d, c, status = self.commands, self.dialogs, self.collections, self.status
        # Every change, whoever made it, reaches each view once; each decides what it shows.
        # (The detail pane, the collections and open dialogs listen for themselves.)
        for view in (self.model, self.search, status):
            self.ops.changed.connect(view.apply_notice)
        self.ops.failed.connect(lambda text: status.show_message(text, 10000))
        self.ops.failure.connect(self.failures.report)
        self.search.storage_failed.connect(self.failures.report)
        self.search_bar.search_requested.connect(self.run_search)
        self.search_bar.list_requested.connect(self.table.setFocus)
        self.model.sort_requested.connect(self.search_bar.set_sort)
        self.table.sort_requested.connect(self.search_bar.set_sort)
        self.search_bar.sort_changed.connect(self.table.show_sort)
        self.table.not_sortable.connect(lambda text: status.show_message(text, 8000))
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.doubleClicked.connect(lambda _i: self.detail.browser.setFocus())
        self.table.read_requested.connect(self.detail.browser.setFocus)
        self.table.scroll_requested.connect(self._scroll_detail)
        self.search.page_ready.connect(self._on_search_page_ready)
        self.search.result_completed.connect(self._on_search_result_completed)
        self.search.facets_ready.connect(self._on_search_facets_ready)
        self.search.busy_changed.connect(status.busy.setVisible)
        self.search.failed.connect(lambda msg: status.show_message(
            f"The search could not run: {msg}", 8000))
        self.selection.search_everything.connect(lambda: self.set_query(""))
        self.selection.entry_shown.connect(
            lambda entry_id: self.read_marker.entry_shown(entry_id, self.detail.user))
        a.mark_read.triggered.connect(lambda _on: self.read_marker.cancel())
        self.sidebar.token_toggled.connect(self.toggle_token)
        self.chart.years_clicked.connect(lambda low, high: self.toggle_token(
            f"year:{low}" if low == high else f"year:{low}-{high}", "decade"))
        self.detail.tag_clicked.connect(
            lambda category, label: self.toggle_token(f'tag:"{category}: {label}"', "tags"))
        self.detail.report_requested.connect(d.report_error)
        self.detail.correction_suggested.connect(d.report_difference)
        self.welcome.search_requested.connect(self.search_bar.focus)
        self.welcome.sample_requested.connect(self.add_sample_papers)
        self.welcome.dismissed_for_good.connect(
            lambda: self.settings.setValue("ui/welcome_dismissed", True))
        c.message.connect(status.show_message)
        c.undo_available.connect(status.offer_undo)
        c.undo_available.connect(
            lambda on: a.undo_delete.setEnabled(on and self.library.read_only is None))
        c.export_requested.connect(lambda name: d.open_export(collection=name))
        c.filter_gone.connect(self._on_filter_gone)
        status.undo_button.clicked.connect(c.undo_delete)
        status.reports_label.clicked.connect(d.open_outbox)
        status.changes_button.clicked.connect(d.show_catalogue_changes)
        a.undo_delete.setEnabled(False)
        # Actions' triggered(bool) would pass their checked state on: each slot takes none.
        for action, slot in (
                (a.undo_delete, c.undo_delete), (a.new_collection, c.new_collection),
                (a.new_label, c.new_label), (a.find, self.search_bar.focus),
                (a.clear_search, self.search_box.clear), (a.focus_list, self.table.setFocus),
                (a.import_files, d.import_files), (a.export, self.open_export_dialog),
                (a.export_selection, lambda: d.open_export(scope=ExportScope.SELECTED)),
                (a.update_document, d.update_document),
                (a.add_by_identifier, d.completion.add_by_identifier),
                (a.complete_record, d.completion.complete_selected),
                (a.complete_all, d.completion.complete_all),
                (a.open_folder, self._open_folder), (a.quit, self.close),
                (a.report, d.report_error), (a.outbox, d.open_outbox),
                (a.sync_now, self.sync.sync_now), (a.sync_settings, d.open_sync_settings),
                (a.catalogue_changes, d.show_catalogue_changes),
                (a.duplicates, d.find_duplicates), (a.shortcuts, d.show_shortcuts),
                (a.user_guide, d.show_user_guide), (a.preferences, d.open_preferences),
                (a.about, d.show_about)):
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
        a.show_facets.toggled.connect(self.sidebar.setVisible)
        a.show_chart.toggled.connect(self.chart.setVisible)
        self.sync.status_changed.connect(status.show_sync)
        self.sync.status_changed.connect(
            lambda overview: a.sync_now.setEnabled(
                not overview.running and self.library.read_only is None))
        self.sync.run_finished.connect(status.show_sync_result)
        install_file_drop(self, self.open_import)

    # ================================================================= searching

    def focus_search(self) -> None:
        self.search_bar.focus()

    def run_search(self) -> None:
        self.search_bar.debounce.stop()
        # The rows a screenful shows are read with the first page (and no more: each costs).
        self.search.prefetch_rows = max(8, self.table.rows_shown() + 2)
        self.search.run(self.search_box.text(), self.current_sort())

    def current_sort(self) -> SortKey:
        return self.search_bar.sort()

    def _on_search_page_ready(self, result: SearchResult, total: int) -> None:
        self._total = total
        self.welcome.set_library_empty(total == 0)
        previous = self.selection.current_entry_id()
        self.model.set_result(result, self.search.prefetched_rows)
        self.status.show_count(result, total)
        self.search_bar.show_hints(result.hints)
        self.sidebar.set_active_tokens(filter_tokens(self.search_box.text()))
        if self.model.rowCount() == 0:
            self.detail.show_empty(
                "No entries match this search." if self.search_box.text().strip() else
                "The library is empty. Use File → Import… to add atlas pages or a bundle.")
            return
        self.selection.reselect(previous)

    def _on_search_result_completed(self, result: SearchResult) -> None:
        self.model.complete_result(result)
        self.status.show_count(result, self._total)
        self.selection.result_completed()

    def _on_search_facets_ready(self, facets: Facets) -> None:
        self.sidebar.set_facets(facets)
        self.chart.set_facets(facets)

    def set_query(self, text: str) -> None:
        self.search_box.setText(text)
        self.run_search()  # now, and not again when the debounce would

    def toggle_token(self, token: str, group: str | None = None) -> None:
        """Add a filter to the search, or take it out if it is there ("" takes out every
        filter). In a group whose values exclude each other, one replaces the others."""
        self.set_query(toggle_filter(self.search_box.text(), token,
                                     exclusive=group in EXCLUSIVE_GROUPS))

    def _on_filter_gone(self, token: str) -> None:
        if token in filter_tokens(self.search_box.text()):
            self.toggle_token(token)

    # ================================================================= selection

    def current_entry_id(self) -> str | None:
        return self.selection.current_entry_id()

    def selected_entry_ids(self) -> list[str]:
        return self.selection.selected_entry_ids()

    def citation_selection(self) -> EntrySelection:
        return self.selection.citation_selection()

    def select_entry(self, entry_id: str) -> None:
        """Show ``entry_id`` in the list, clearing the search if it is not in the result."""
        self.selection.select_entry(entry_id)

    def _on_table_context_menu(self, pos: QPoint) -> None:
        menu = self.table_context_menu()
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))

    def table_context_menu(self) -> QMenu | None:
        """The list's context menu for the selection (None when nothing is selected)."""
        if not self.selected_entry_ids():
            return None
        return entry_context_menu(self, self.commands, self.copy_default_action,
                                  self.copy_menu, self.collections.collections_menu,
                                  self.collections.labels_menu, reportable=self.detail.reportable)

    def _scroll_detail(self, pages: int) -> None:
        bar = self.detail.browser.verticalScrollBar()
        bar.setValue(bar.value() + pages * bar.pageStep())

    # ================================================================= files and dialogs

    def open_import(self, paths: list[Path]) -> None:
        """Import files chosen or dropped onto the window (a dialog with progress)."""
        self.dialogs.open_import(paths)

    def open_export_dialog(self, query: str | None = None) -> None:
        """The export dialog (BibTeX, RIS, CSL-JSON, bundle) for the selection, the search
        (``query``, by default the search box's) or a collection."""
        self.dialogs.open_export(query)

    def add_sample_papers(self) -> None:
        """The five bundled sample papers, for an empty library (the welcome panel)."""
        self.ops.run(self.library.add_sample_library,
                     initiator=self, done=lambda ids: self.status.show_message(
                         f"Added {len(ids)} sample papers.", 6000),
                     failed=warn_in_place(self, "Sample papers not added"))

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.library.paths.data_dir)))

    def about_dialog(self) -> AboutDialog:
        return self.dialogs.about_dialog()

    def preferences_dialog(self) -> PreferencesDialog:
        return self.dialogs.preferences_dialog()

    # ================================================================= window manners

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.detail.set_compact(self.width() < COMPACT_BELOW)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # Our icons are drawn in the palette's text colour: draw them again.
            refresh_icons(self.commands)
            self.status.refresh_icons()
            self.chart.update()  # (the detail pane and the welcome follow by themselves)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._close_guard.may_close():
            event.ignore()
            return
        self.table.widen_for_saving()
        self._remembered.save(self.settings)
        self.watch.stop()
        self.search.stop()
        self.sync.shutdown()
        self.completion.shutdown()
        self.ops.close()
        super().closeEvent(event)

"""The main window: filters on the left, the list (with the evidence chart) in the middle, the
entry and the user's note on the right."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.annotations import LABEL_COLOURS
from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.domain.listing import Facets, SearchResult, SortKey
from atlas_desktop.domain.query import QUERY_HELP
from atlas_desktop.services import Library
from atlas_desktop.services.annotations import AnnotationError

from .citation_controller import CitationController, EntrySelection, status_message
from .copy_menu import CopyMenu, make_copy_default_action
from .delegates.badge_delegate import BadgeDelegate, StateDelegate
from .delegates.cells import EntryTextDelegate
from .dialogs.about_dialog import AboutDialog
from .dialogs.catalogue_changes import CatalogueChangesDialog
from .dialogs.duplicates_dialog import DuplicatesDialog
from .dialogs.export_dialog import ExportDialog
from .dialogs.help_dialog import HelpDialog
from .dialogs.import_dialog import ImportDialog
from .dialogs.outbox_dialog import OutboxDialog
from .dialogs.preferences_dialog import PreferencesDialog
from .dialogs.report_dialog import ReportDialog
from .dialogs.sync_settings import SyncSettingsDialog
from .drag import CitationDragSource
from .file_drop import install_file_drop
from .icons import app_icon, icon
from .models.entry_table import HEADERS, Column, EntryTableModel
from .panes.detail_pane import DetailPane
from .panes.evidence_chart import EvidenceChart
from .panes.facet_sidebar import EXCLUSIVE_GROUPS, FacetSidebar
from .panes.welcome_panel import WelcomePanel
from .runner import Runner
from .search_controller import SearchController
from .sync_controller import SyncController
from .theme import apply_theme
from .window_actions import SHORTCUTS_HELP, build_menus, create_actions

SEARCH_DEBOUNCE_MS = 120
SORT_CHOICES = (
    (SortKey.RELEVANCE, "Best match"),
    (SortKey.YEAR_DESC, "Newest first"),
    (SortKey.YEAR_ASC, "Oldest first"),
    (SortKey.TITLE, "Title"),
    (SortKey.FIRST_AUTHOR, "First author"),
)


class MainWindow(QMainWindow):
    #: Library changes arrive on whatever thread made them; this hops to the UI thread.
    changes_arrived = Signal(object)
    #: The entry pane now shows this entry (its id): after a selection settles.
    entry_shown = Signal(str)

    def __init__(self, library: Library, runner: Runner, *,
                 settings: QSettings | None = None) -> None:
        super().__init__()
        self.library = library
        self.runner = runner
        self.settings = settings or QSettings()
        self.setObjectName("MainWindow")
        self.setWindowTitle("Atlas Desktop")
        self.setWindowIcon(app_icon())
        self.resize(1400, 860)
        self._total = 0
        self._deleted_collection: tuple[int, str] | None = None
        self._select_after_search: str | None = None
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(0)
        self._detail_timer.timeout.connect(self._show_current)

        self.actions = create_actions(self)
        self.search = SearchController(library, runner, self)
        self.sync = SyncController(library.sync, runner, parent=self)
        self.citations = CitationController(library, runner, parent=self)
        self._build_search_bar()
        self._build_central()
        self.labels_menu = QMenu("&Labels", self)
        self.collections_menu = QMenu("Add to &collection", self)
        self.labels_menu.aboutToShow.connect(self._fill_labels_menu)
        self.collections_menu.aboutToShow.connect(self._fill_collections_menu)
        self.menus = build_menus(self, self.actions, labels_menu=self.labels_menu,
                                 collections_menu=self.collections_menu)
        self._build_citing()
        self._build_status_bar()
        self._connect()
        self._restore_settings()
        self.changes_arrived.connect(self._on_changes_arrived)
        self._unsubscribe = library.subscribe(self.changes_arrived.emit)
        self._refresh_collections()
        self._refresh_status_counts()
        self.run_search()

    # ================================================================= building

    def _build_search_bar(self) -> None:
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("SearchBox")
        self.search_box.setAccessibleName("Search the library")
        self.search_box.setPlaceholderText(
            'Search: words, "phrases", -exclude, author:, year:2010-2015, '
            'tag:"Post-Exertional Malaise", pem:required, is:starred…')
        self.search_box.setToolTip(QUERY_HELP)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.installEventFilter(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self.sort_combo = QComboBox(self)
        self.sort_combo.setObjectName("SortCombo")
        self.sort_combo.setAccessibleName("Order of the list")
        for key, label in SORT_CHOICES:
            self.sort_combo.addItem(label, key)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("SearchHint")
        self.hint_label.setStyleSheet("color: #a15c00;")
        toolbar = QToolBar("Search", self)
        toolbar.setObjectName("MainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addWidget(self.search_box)
        # A toolbar shows or hides its widgets through their actions.
        self.hint_action = toolbar.addWidget(self.hint_label)
        self.hint_action.setVisible(False)
        sort_label = QLabel(" Order: ", self)
        toolbar.addWidget(sort_label)
        toolbar.addWidget(self.sort_combo)
        toolbar.addSeparator()
        toolbar.addAction(self.actions.report)
        toolbar.addAction(self.actions.outbox)
        toolbar.addAction(self.actions.sync_now)
        self.toolbar = toolbar
        self.addToolBar(toolbar)

    def _build_central(self) -> None:
        self.model = EntryTableModel(lambda pks: self.library.catalogue.list_rows(pks=pks), self)
        self.table = QTableView(self)
        self.table.setObjectName("EntryTable")
        self.table.setAccessibleName("Entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        text_delegate = EntryTextDelegate(self.model, self.table)
        for column in (Column.TITLE, Column.AUTHORS, Column.YEAR, Column.JOURNAL):
            self.table.setItemDelegateForColumn(column, text_delegate)
        self.table.setItemDelegateForColumn(Column.BADGES, BadgeDelegate(self.table))
        self.table.setItemDelegateForColumn(Column.STATE, StateDelegate(self.table))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.installEventFilter(self)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.AUTHORS, 130), (Column.YEAR, 52), (Column.JOURNAL, 170),
                              (Column.BADGES, 250), (Column.STATE, 64)):
            header.resizeSection(column, width)
        header.setMinimumSectionSize(40)
        header.setSectionHidden(Column.JOURNAL, True)  # View → Columns shows it
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu)

        self.chart = EvidenceChart(self)
        self.welcome = WelcomePanel(self)
        self.welcome.setVisible(not self.settings.value("ui/welcome_dismissed", False, type=bool))
        self.welcome.search_requested.connect(self.focus_search)
        self.welcome.sample_requested.connect(self.add_sample_papers)
        self.welcome.dismissed_for_good.connect(
            lambda: self.settings.setValue("ui/welcome_dismissed", True))
        middle = QWidget(self)
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(0)
        middle_layout.addWidget(self.welcome)
        middle_layout.addWidget(self.chart)
        middle_layout.addWidget(self.table)

        self.sidebar = FacetSidebar(self)
        self.detail = DetailPane(self.library, self.runner, self)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("MainSplitter")
        splitter.addWidget(self.sidebar)
        splitter.addWidget(middle)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([210, 760, 470])
        splitter.setCollapsible(1, False)
        self.splitter = splitter
        self.setCentralWidget(splitter)

    def _build_citing(self) -> None:
        """Copying citations: Ctrl+Shift+C anywhere in the window, the Cite menu, the
        toolbar's and the detail pane's Copy buttons, the list's context menu, and drags."""
        self.copy_default_action = make_copy_default_action(
            self, self.citations, self.citation_selection)
        self.copy_default_action.setIcon(icon("copy"))
        self.copy_default_action.setText("Copy citation")
        self.copy_default_action.setToolTip(
            "Copy the selected entries' references in your default style (Ctrl+Shift+C)")
        self.addAction(self.copy_default_action)
        self.copy_menu = CopyMenu(self.citations, self.citation_selection, self, title="&Cite",
                                  build_now=False)
        self.menuBar().insertMenu(self.menus["reports"].menuAction(), self.copy_menu)
        self.menus["cite"] = self.copy_menu

        copy_button = QToolButton(self)
        copy_button.setObjectName("ToolbarCopyButton")
        copy_button.setDefaultAction(self.copy_default_action)
        copy_button.setMenu(self.copy_menu)
        copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        copy_button.setAccessibleName("Copy citation")
        self.toolbar.insertWidget(self.actions.report, copy_button)

        # The detail pane's button copies the entry it shows (whatever else is selected).
        self.detail_copy_menu = CopyMenu(self.citations, self.detail_selection, self,
                                         title="Copy", build_now=False)
        button = self.detail.copy_button
        button.setMenu(self.detail_copy_menu)
        button.clicked.connect(
            lambda: self.citations.copy(self.detail_selection(), CopyKind.BIBLIOGRAPHY))

        self._drag_source = CitationDragSource(self.citations, parent=self)
        self.model.drag_source = self._drag_source.mime_data
        self.citations.copied.connect(
            lambda copy: self.statusBar().showMessage(status_message(copy), 10000))
        self.citations.copy_failed.connect(
            lambda message: self.statusBar().showMessage(message, 10000))
        # The style's name once its engine is built (in the background), not at start-up.
        self.citations.style_ready.connect(lambda _spec: self._show_default_style())
        self.citations.default_style_changed.connect(lambda _spec: self._show_default_style())
        self._show_default_style(known=False)

    def _show_default_style(self, *, known: bool = True) -> None:
        info = self.citations.default_style_info() if known else None
        name = info.title if info else "your default style"
        self.detail.copy_button.setToolTip(f"Copy this entry's reference in {name}; "
                                           "the arrow offers every other format")

    def citation_selection(self) -> EntrySelection:
        """The list's selected rows in list order (the current row if none is selected)."""
        return EntrySelection(pks=tuple(p for r in self._selected_rows()
                                        if (p := self.model.pk_at(r)) is not None))

    def detail_selection(self) -> EntrySelection:
        entry = self.detail.entry
        return EntrySelection(entry_ids=(entry.id,)) if entry is not None else EntrySelection()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.busy = QProgressBar(self)
        self.busy.setObjectName("BusyIndicator")
        self.busy.setAccessibleName("Working")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(12)
        self.busy.setVisible(False)
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setVisible(False)
        self.undo_button.clicked.connect(self._undo_delete_collection)
        self.reports_label = QPushButton(self)
        self.reports_label.setObjectName("QueuedReports")
        self.reports_label.setFlat(True)
        self.reports_label.setIcon(icon("outbox"))
        self.reports_label.setAccessibleName("Queued correction reports")
        self.reports_label.clicked.connect(self.open_outbox)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("CountLabel")
        self.count_label.setAccessibleName("Entries shown")
        self.sync_label = QLabel(self)
        self.sync_label.setObjectName("SyncStatus")
        self.sync_label.setAccessibleName("Sync status")
        self.sync_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote a server
        self.changes_button = QPushButton(self)
        self.changes_button.setObjectName("CatalogueUpdates")
        self.changes_button.setFlat(True)
        self.changes_button.setVisible(False)
        self.changes_button.clicked.connect(self.show_catalogue_changes)
        bar.addWidget(self.sync_label, 1)
        bar.addPermanentWidget(self.changes_button)
        bar.addPermanentWidget(self.undo_button)
        bar.addPermanentWidget(self.busy)
        bar.addPermanentWidget(self.reports_label)
        bar.addPermanentWidget(self.count_label)

    def _connect(self) -> None:
        a = self.actions
        self.search_box.textChanged.connect(lambda _t: self._debounce.start())
        self._debounce.timeout.connect(self.run_search)
        self.sort_combo.currentIndexChanged.connect(self._on_sort_combo_changed)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.doubleClicked.connect(lambda _i: self.detail.browser.setFocus())
        self.search.page_ready.connect(self._on_search_page_ready)
        self.search.result_completed.connect(self._on_search_result_completed)
        self.search.facets_ready.connect(self._on_search_facets_ready)
        self.search.busy_changed.connect(self.busy.setVisible)
        self.search.failed.connect(lambda msg: self.statusBar().showMessage(
            f"The search could not run: {msg}", 8000))
        self.sidebar.token_toggled.connect(self._on_sidebar_token_toggled)
        self.sidebar.entries_dropped.connect(self._on_sidebar_entries_dropped)
        self.sidebar.collection_action.connect(self._on_sidebar_collection_action)
        self.chart.years_clicked.connect(self._on_chart_years_clicked)
        self.detail.tag_clicked.connect(self._on_detail_tag_clicked)
        self.detail.report_requested.connect(self.report_error)
        self.detail.star_toggled.connect(self._on_detail_star_toggled)
        self.detail.notes.note_saved.connect(lambda _id: self._refresh_rows())
        a.find.triggered.connect(self.focus_search)
        a.clear_search.triggered.connect(self.search_box.clear)
        a.focus_list.triggered.connect(self.table.setFocus)
        a.import_files.triggered.connect(self.import_files)
        a.export.triggered.connect(self.export_bundle)
        a.open_folder.triggered.connect(lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(self.library.paths.data_dir))))
        a.quit.triggered.connect(self.close)
        a.star.triggered.connect(self._on_star_action)
        a.mark_read.triggered.connect(self._on_read_action)
        a.report.triggered.connect(lambda: self.report_error(""))
        a.outbox.triggered.connect(self.open_outbox)
        a.new_collection.triggered.connect(self.new_collection)
        a.undo_delete.triggered.connect(self._undo_delete_collection)
        a.undo_delete.setEnabled(False)
        a.new_label.triggered.connect(self.new_label)
        a.sync_now.triggered.connect(self.sync.sync_now)
        a.sync_settings.triggered.connect(self.open_sync_settings)
        a.catalogue_changes.triggered.connect(self.show_catalogue_changes)
        a.duplicates.triggered.connect(self.find_duplicates)
        self.sync.status_changed.connect(self._on_sync_status_changed)
        self.sync.catalogue_updated.connect(self._on_sync_catalogue_updated)
        install_file_drop(self, self.open_import)
        a.show_facets.toggled.connect(self.sidebar.setVisible)
        a.show_chart.toggled.connect(self.chart.setVisible)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        a.user_guide.triggered.connect(lambda: HelpDialog(self).exec())
        a.preferences.triggered.connect(self.open_preferences)
        a.about.triggered.connect(self.show_about)

    # ================================================================= searching

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def run_search(self) -> None:
        self._debounce.stop()
        # The rows a screenful shows are read with the first page (and no more: each costs).
        shown = self.table.viewport().height() // max(1, self.table.verticalHeader()
                                                      .defaultSectionSize())
        self.search.prefetch_rows = max(8, shown + 2)
        self.search.run(self.search_box.text(), self.current_sort())

    def current_sort(self) -> SortKey:
        return SortKey(self.sort_combo.currentData())

    def _on_search_page_ready(self, result: SearchResult, total: int) -> None:
        self._total = total
        self.welcome.set_library_empty(total == 0)
        selected = self.current_entry_id()
        self.model.set_result(result, self.search.prefetched_rows)
        self._update_count(result)
        self._show_hints(result.hints)
        self.sidebar.set_active_tokens(active_tokens(self.search_box.text()))
        if self.model.rowCount() == 0:
            self.detail.show_empty(
                "No entries match this search." if self.search_box.text().strip() else
                "The library is empty. Use File → Import… to add atlas pages or a bundle.")
            return
        wanted = self._select_after_search or selected
        self._select_after_search = None
        row = self.model.row_of_pk(self._pk_of(wanted)) if wanted else None
        self.table.selectRow(row if row is not None else 0)
        self.table.scrollTo(self.model.index(row or 0, 0))

    def _on_search_result_completed(self, result: SearchResult) -> None:
        self.model.complete_result(result)
        self._update_count(result)

    def _on_search_facets_ready(self, facets: Facets) -> None:
        self.sidebar.set_facets(facets)
        self.chart.set_facets(facets)

    def _update_count(self, result: SearchResult) -> None:
        shown = f"{result.total:,}" if result.complete else f"{len(result.pks):,}+"
        noun = "entry" if self._total == 1 else "entries"
        self.count_label.setText(f"{shown} of {self._total:,} {noun}")

    def _show_hints(self, hints: tuple[str, ...]) -> None:
        self.hint_action.setVisible(bool(hints))
        self.hint_label.setText(" ".join(hints))
        self.hint_label.setToolTip(" ".join(hints))

    def _on_sort_combo_changed(self) -> None:
        self.run_search()

    def _on_model_sort_requested(self, key: SortKey) -> None:
        for i in range(self.sort_combo.count()):
            if SortKey(self.sort_combo.itemData(i)) is key:
                self.sort_combo.setCurrentIndex(i)  # runs the search
                return

    def set_query(self, text: str) -> None:
        self.search_box.setText(text)
        self.run_search()

    def toggle_token(self, token: str, group: str | None = None) -> None:
        """Add a filter token to the search, or take it out if it is there. In a group whose
        values exclude each other, picking one replaces the others."""
        text = self.search_box.text()
        if not token:  # "All entries"
            self.set_query(" ".join(t for t in tokens_of(text) if not is_filter_token(t)))
            return
        tokens = tokens_of(text)
        if token in tokens:
            tokens = [t for t in tokens if t != token]
        else:
            if group in EXCLUSIVE_GROUPS:
                prefix = token.split(":", 1)[0] + ":"
                tokens = [t for t in tokens if not t.startswith(prefix)]
            tokens.append(token)
        self.set_query(" ".join(tokens))

    def _on_sidebar_token_toggled(self, token: str, group: str) -> None:
        self.toggle_token(token, group)

    def _on_chart_years_clicked(self, low: int, high: int) -> None:
        token = f"year:{low}" if low == high else f"year:{low}-{high}"
        self.toggle_token(token, "decade")

    def _on_detail_tag_clicked(self, category: str, label: str) -> None:
        self.toggle_token(f'tag:"{category}: {label}"', "tags")

    # ================================================================= selection

    def current_entry_id(self) -> str | None:
        index = self.table.currentIndex()
        row = self.model.list_row(index.row()) if index.isValid() else None
        return row.id if row else None

    def selected_entry_ids(self) -> list[str]:
        return [r.id for r in (self.model.list_row(row) for row in self._selected_rows())
                if r is not None]

    def _selected_rows(self) -> list[int]:
        """The selected rows in list order; the current row when none is selected."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return rows

    def _refresh_rows(self) -> None:
        self.search.invalidate_rows()
        self.model.refresh_rows()

    def _pk_of(self, entry_id: str | None) -> int | None:
        return self.library.catalogue.pk_for_id(entry_id=entry_id) if entry_id else None

    def _on_current_row_changed(self, current: object, _previous: object) -> None:
        # One event-loop turn later: the list paints first, then the detail follows (and a
        # quick run of arrow keys only renders the row it stops on).
        self._detail_timer.start()

    def _show_current(self) -> None:
        index = self.table.currentIndex()
        pk = self.model.pk_at(index.row()) if index.isValid() else None
        if pk is None:
            return
        found = self.library.catalogue.entry_with_user(pk=pk)
        if found is None:
            return
        entry, user = found
        self.detail.show_entry(entry, user)
        self.actions.star.setChecked(user.starred)
        self.actions.mark_read.setChecked(user.read)
        self.actions.mark_read.setText("Mark as un&read" if user.read else "Mark as &read")
        self.entry_shown.emit(entry.id)

    # ================================================================= the user's layer

    def _on_star_action(self, on: bool) -> None:
        for entry_id in self.selected_entry_ids():
            self.library.annotations.set_starred(entry_id=entry_id, starred=on)

    def _on_detail_star_toggled(self, on: bool) -> None:
        if self.detail.entry is not None:
            self.library.annotations.set_starred(entry_id=self.detail.entry.id, starred=on)

    def _on_read_action(self, on: bool) -> None:
        self.library.annotations.set_read(entry_ids=self.selected_entry_ids(), read=on)

    def report_error(self, field: str = "") -> None:
        entry = self.detail.entry
        if entry is None:
            return
        dialog = ReportDialog(self.library, entry, field=field or _first_missing(entry),
                              parent=self)
        if dialog.exec() and dialog.report is not None:
            self.statusBar().showMessage(
                "Report saved to the outbox; it will be sent at the next sync.", 6000)
            self.sync.sync_soon()

    def open_outbox(self) -> None:
        dialog = OutboxDialog(self.library, self, overview=self.sync.overview)
        dialog.sync_requested.connect(self.sync.sync_now)
        self.sync.status_changed.connect(dialog.set_overview)
        dialog.exec()
        self.sync.status_changed.disconnect(dialog.set_overview)

    # ================================================================= sync

    def open_sync_settings(self) -> None:
        dialog = SyncSettingsDialog(self.library.sync, self.runner, parent=self)
        dialog.settings_saved.connect(self.sync.refresh_status)
        dialog.settings_saved.connect(self.sync.sync_now)
        dialog.exec()

    def _on_sync_status_changed(self, overview: object) -> None:
        self.sync_label.setText(overview.status_line())  # type: ignore[attr-defined]
        self.sync_label.setToolTip(getattr(overview, "message", "") or "")
        self.actions.sync_now.setEnabled(not getattr(overview, "running", False))
        unseen = int(getattr(overview, "unseen_changes", 0) or 0)
        self.changes_button.setVisible(unseen > 0)
        self.changes_button.setText(f"{unseen} catalogue update{'s' if unseen != 1 else ''}")
        self._refresh_status_counts()

    def _on_sync_catalogue_updated(self, update: object) -> None:
        self.statusBar().showMessage(getattr(update, "summary", lambda: "Catalogue updated")(),
                                     10000)

    def show_catalogue_changes(self) -> None:
        dialog = CatalogueChangesDialog(self.library.sync.unseen_changes(), self)
        dialog.entry_activated.connect(self.select_entry)
        dialog.exec()
        self.library.sync.mark_changes_seen()
        self.sync.refresh_status()

    def select_entry(self, entry_id: str) -> None:
        """Show ``entry_id`` in the list, clearing the search if it is not in the result."""
        pk = self._pk_of(entry_id)
        if pk is None:
            return
        row = self.model.row_of_pk(pk)
        if row is None:
            self.search_box.blockSignals(True)
            self.search_box.setText("")
            self.search_box.blockSignals(False)
            self._select_after_search = entry_id
            self.run_search()
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def new_collection(self, entry_ids: list[str] | None = None) -> None:
        name, ok = QInputDialog.getText(self, "New collection", "Name of the collection:")
        if not ok or not name.strip():
            return
        try:
            if entry_ids:
                self.library.annotations.add_to_collection(name=name, entry_ids=entry_ids)
            else:
                self.library.annotations.create_collection(name=name)
        except AnnotationError as exc:
            QMessageBox.warning(self, "Collection not created", str(exc))

    def _fill_collections_menu(self) -> None:
        menu = self.collections_menu
        menu.clear()
        ids = self.selected_entry_ids()
        for collection in self.library.annotations.collections():
            action = menu.addAction(icon("folder"), f"{collection.name} ({collection.count})")
            action.triggered.connect(
                lambda _c=False, cid=collection.id: self._add_to_collection(cid, ids))
        menu.addSeparator()
        menu.addAction(icon("folder-plus"), "New collection with the selection…",
                       lambda: self.new_collection(ids))

    def _add_to_collection(self, collection_id: int, entry_ids: list[str]) -> None:
        added = self.library.annotations.add_to_collection_id(
            collection_id=collection_id, entry_ids=entry_ids)
        self.statusBar().showMessage(f"{added} entr{'y' if added == 1 else 'ies'} added.", 4000)

    def _on_sidebar_entries_dropped(self, collection_id: int, entry_ids: list[str]) -> None:
        self._add_to_collection(collection_id, entry_ids)

    def _on_sidebar_collection_action(self, action: str, collection_id: int) -> None:
        collections = {c.id: c for c in self.library.annotations.collections()}
        collection = collections.get(collection_id)
        if action == "new":
            self.new_collection()
        elif collection is None:
            return
        elif action == "rename":
            name, ok = QInputDialog.getText(self, "Rename collection", "New name:",
                                            text=collection.name)
            if ok and name.strip():
                try:
                    self.library.annotations.rename_collection(collection_id=collection_id,
                                                               name=name)
                except AnnotationError as exc:
                    QMessageBox.warning(self, "Not renamed", str(exc))
        elif action == "delete":
            answer = QMessageBox.question(
                self, "Delete collection?",
                f"Delete the collection “{collection.name}”? The {collection.count} "
                "entries in it stay in the library. You can undo this.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Yes:
                self.library.annotations.delete_collection(collection_id=collection_id)
                self._deleted_collection = (collection_id, collection.name)
                self.actions.undo_delete.setEnabled(True)
                self.undo_button.setVisible(True)
                self.statusBar().showMessage(f"Collection “{collection.name}” deleted.", 10000)
                # The button as context: a window closed meanwhile takes the timer with it.
                QTimer.singleShot(10000, self.undo_button,
                                  lambda: self.undo_button.setVisible(False))
                if f'collection:"{collection.name}"' in self.search_box.text():
                    self.toggle_token(f'collection:"{collection.name}"', "collections")
        elif action == "export":
            self.export_bundle(query=f'collection:"{collection.name}"')
        elif action == "copy":
            catalogue, query = self.library.catalogue, f'collection:"{collection.name}"'
            self.runner.submit(
                lambda: tuple(catalogue.search(text=query).pks),
                lambda pks: self.citations.copy(EntrySelection(pks=pks), CopyKind.BIBLIOGRAPHY))

    def _undo_delete_collection(self) -> None:
        if self._deleted_collection is None:
            return
        collection_id, name = self._deleted_collection
        try:
            self.library.annotations.restore_collection(collection_id=collection_id)
        except AnnotationError as exc:
            QMessageBox.warning(self, "Cannot undo", str(exc))
            return
        self._deleted_collection = None
        self.actions.undo_delete.setEnabled(False)
        self.undo_button.setVisible(False)
        self.statusBar().showMessage(f"Collection “{name}” restored.", 4000)

    def _fill_labels_menu(self) -> None:
        menu = self.labels_menu
        menu.clear()
        ids = self.selected_entry_ids()
        current = {label.id for label in self.library.annotations.user_data(
            entry_id=ids[0]).labels} if ids else set()
        for label in self.library.annotations.labels():
            action = QAction(f"{label.name} ({label.color_name})", menu)
            action.setIcon(_colour_icon(label.color))
            action.setCheckable(True)
            action.setChecked(label.id in current)
            action.toggled.connect(lambda on, lid=label.id: self.library.annotations.set_label(
                entry_ids=ids, label_id=lid, on=on))
            menu.addAction(action)
        if menu.actions():
            menu.addSeparator()
        menu.addAction(self.actions.new_label)

    def new_label(self) -> None:
        name, ok = QInputDialog.getText(self, "New label", "Name of the label:")
        if not ok or not name.strip():
            return
        colours = list(LABEL_COLOURS.items())
        choice, ok = QInputDialog.getItem(self, "New label", "Colour:",
                                          [n for _, n in colours], 0, False)
        if not ok:
            return
        colour = next(c for c, n in colours if n == choice)
        try:
            label = self.library.annotations.create_label(name=name, color=colour)
        except AnnotationError as exc:
            QMessageBox.warning(self, "Label not created", str(exc))
            return
        ids = self.selected_entry_ids()
        if ids:
            self.library.annotations.set_label(entry_ids=ids, label_id=label.id, on=True)

    # ================================================================= files

    def import_files(self) -> None:
        dialog = ImportDialog.choose_and_start(self.library, self.runner, self)
        if dialog is not None:
            self._watch_import(dialog)

    def open_import(self, paths: list[Path]) -> None:
        """Import files chosen or dropped onto the window (a dialog with progress)."""
        self._watch_import(ImportDialog.open_for(self.library, self.runner, paths, self))

    def _watch_import(self, dialog: ImportDialog) -> None:
        dialog.import_finished.connect(lambda _r: self.run_search())
        dialog.duplicates_resolved.connect(lambda _o: self.run_search())

    def export_bundle(self, query: str | None = None) -> None:
        dialog = ExportDialog(self.library, self.runner,
                              selected_ids=self.selected_entry_ids(),
                              query=self.search_box.text() if query is None else query,
                              parent=self)
        dialog.show()

    def add_sample_papers(self) -> None:
        """The five bundled sample papers, for an empty library (the welcome panel)."""
        def added(ids: object) -> None:
            self.statusBar().showMessage(f"Added {len(ids)} sample papers.", 6000)  # type: ignore[arg-type]

        self.runner.submit(self.library.add_sample_library, added, lambda exc: (
            QMessageBox.warning(self, "Sample papers not added", str(exc))))

    def find_duplicates(self) -> None:
        dialog = DuplicatesDialog(self.library, self.runner, self)
        dialog.decisions_applied.connect(lambda _o: self.run_search())
        dialog.show()
        dialog.start()

    # ================================================================= changes

    def _on_changes_arrived(self, notice: ChangeNotice) -> None:
        changes = notice.kinds
        if changes & Changes.CATALOGUE:
            # The search below replaces the rows; repainting the old ones first is wasted.
            self.search.invalidate_rows()
            self.model.drop_cached_rows()
            self.run_search()
        if changes & (Changes.NOTES | Changes.STATE | Changes.REPORTS | Changes.LABELS
                      | Changes.COLLECTIONS):
            self._refresh_rows()
            self.search.refresh_facets()
            if self.detail.entry is not None and not self.detail.notes.dirty:
                user = self.library.annotations.user_data(entry_id=self.detail.entry.id)
                self.actions.star.setChecked(user.starred)
                self.actions.mark_read.setChecked(user.read)
                self.detail.star_button.blockSignals(True)
                self.detail.star_button.setChecked(user.starred)
                self.detail.star_button.setText("Starred" if user.starred else "Star")
                self.detail.star_button.setIcon(icon("star-filled" if user.starred else "star"))
                self.detail.star_button.blockSignals(False)
        if changes & Changes.COLLECTIONS:
            self._refresh_collections()
        if changes & Changes.REPORTS:
            self._refresh_status_counts()
            if self.search_box.text().find("is:reported") >= 0:
                self.run_search()
        if changes & (Changes.STATE | Changes.NOTES | Changes.COLLECTIONS | Changes.LABELS) \
                and any(t.startswith(("is:", "collection:", "label:"))
                        for t in tokens_of(self.search_box.text())):
            self.run_search()

    def _refresh_collections(self) -> None:
        self.sidebar.set_collections(self.library.annotations.collections())

    def _refresh_status_counts(self) -> None:
        unsent = self.library.reports.count_unsent()
        self.reports_label.setVisible(True)
        self.reports_label.setText(f"{unsent} report{'s' if unsent != 1 else ''} queued"
                                   if unsent else "Outbox empty")
        self.reports_label.setToolTip("Open the outbox of correction reports")

    # ================================================================= window manners

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_box:
                if key == Qt.Key.Key_Escape:
                    if self.search_box.text():
                        self.search_box.clear()
                    else:
                        self.table.setFocus()
                    return True
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.run_search()
                    self.table.setFocus()
                    return True
            elif watched is self.table:
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.detail.browser.setFocus()
                    return True
                if key == Qt.Key.Key_Space:
                    bar = self.detail.browser.verticalScrollBar()
                    step = bar.pageStep()
                    bar.setValue(bar.value() + (-step if event.modifiers()
                                                & Qt.KeyboardModifier.ShiftModifier else step))
                    return True
        return super().eventFilter(watched, event)

    def _on_table_context_menu(self, pos: object) -> None:
        menu = self.table_context_menu()
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))  # type: ignore[arg-type]

    def table_context_menu(self) -> QMenu | None:
        """The list's context menu for the selection (None when nothing is selected)."""
        if not self.selected_entry_ids():
            return None
        menu = QMenu(self)
        menu.addAction(self.copy_default_action)
        copy_more = menu.addMenu(self.copy_menu)
        copy_more.setText("Copy as…")
        menu.addSeparator()
        menu.addAction(self.actions.star)
        menu.addAction(self.actions.mark_read)
        menu.addMenu(self.collections_menu)
        menu.addMenu(self.labels_menu)
        menu.addSeparator()
        menu.addAction(self.actions.report)
        return menu

    def _on_header_menu(self, pos: object) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for column in Column:
            if column is Column.TITLE:
                continue
            action = menu.addAction(HEADERS[column])
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: header.setSectionHidden(c, not on))
        menu.exec(header.mapToGlobal(pos))  # type: ignore[arg-type]

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
                       for k, v in SHORTCUTS_HELP)
        QMessageBox.information(self, "Keyboard shortcuts",
                                f"<table cellspacing='6'>{rows}</table>")

    def show_about(self) -> None:
        self.about_dialog().exec()

    def about_dialog(self) -> AboutDialog:
        return AboutDialog(self.library.paths.data_dir, self,
                           notices=self.library.citations.licence_notices())

    def open_preferences(self) -> None:
        self.preferences_dialog().exec()

    def preferences_dialog(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.library, self.runner, self.settings, self)
        dialog.theme_changed.connect(self._on_theme_changed)
        dialog.sync_settings_saved.connect(self.sync.refresh_status)
        dialog.sync_settings_saved.connect(self.sync.sync_now)
        dialog.default_style_chosen.connect(self.citations.set_default_style)
        dialog.locale_chosen.connect(lambda tag: self.citations.set_locale(tag or None))
        return dialog

    def _on_theme_changed(self, theme: str) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)  # type: ignore[arg-type]

    def _restore_settings(self) -> None:
        s = self.settings
        if (geometry := s.value("window/geometry")) is not None:
            self.restoreGeometry(QByteArray(geometry))
        if (state := s.value("window/state")) is not None:
            self.restoreState(QByteArray(state))
        if (sizes := s.value("window/splitter")) is not None:
            self.splitter.restoreState(QByteArray(sizes))
        if (detail := s.value("window/detail_splitter")) is not None:
            self.detail.splitter.restoreState(QByteArray(detail))
        if (header := s.value("list/header")) is not None:
            self.table.horizontalHeader().restoreState(QByteArray(header))
        sort = s.value("list/sort", SortKey.RELEVANCE.value)
        for i in range(self.sort_combo.count()):
            if self.sort_combo.itemData(i) == sort:
                self.sort_combo.blockSignals(True)
                self.sort_combo.setCurrentIndex(i)
                self.sort_combo.blockSignals(False)
        self.actions.show_facets.setChecked(s.value("view/facets", True, type=bool))
        self.actions.show_chart.setChecked(s.value("view/chart", True, type=bool))
        self.sidebar.setVisible(self.actions.show_facets.isChecked())
        self.chart.setVisible(self.actions.show_chart.isChecked())
        query = s.value("search/last_query", "", type=str)
        self.search_box.blockSignals(True)
        self.search_box.setText(query)
        self.search_box.blockSignals(False)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/detail_splitter", self.detail.splitter.saveState())
        s.setValue("list/header", self.table.horizontalHeader().saveState())
        s.setValue("list/sort", self.current_sort().value)
        s.setValue("view/facets", self.actions.show_facets.isChecked())
        s.setValue("view/chart", self.actions.show_chart.isChecked())
        s.setValue("search/last_query", self.search_box.text())
        s.sync()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # Our icons are drawn in the palette's text colour: draw them again.
            a = self.actions
            for action, name in ((a.find, "search"), (a.clear_search, "clear"),
                                 (a.import_files, "import"), (a.export, "export"),
                                 (a.open_folder, "folder"), (a.star, "star"),
                                 (a.mark_read, "read"), (a.report, "flag"), (a.outbox, "outbox"),
                                 (a.new_collection, "folder-plus"), (a.new_label, "tag"),
                                 (a.show_chart, "chart"), (a.shortcuts, "help")):
                action.setIcon(icon(name))
            self.reports_label.setIcon(icon("outbox"))
            self.detail.report_button.setIcon(icon("flag"))
            if self.detail.entry is not None:
                self._show_current()
            self.chart.update()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.detail.notes.flush():
            answer = QMessageBox.warning(
                self, "Your note is not saved",
                "The note could not be saved. Close anyway and lose the last changes?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.save_settings()
        self.sync.shutdown()
        self._unsubscribe()
        super().closeEvent(event)


# ===================================================================== query tokens

_TOKEN_RE = re.compile(r'-?[A-Za-z_]+:"[^"]*"|-?"[^"]*"|\S+')


def tokens_of(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def is_filter_token(token: str) -> bool:
    return bool(re.match(r"^-?[A-Za-z_]+:", token))


def active_tokens(text: str) -> set[str]:
    return {t for t in tokens_of(text) if is_filter_token(t)}


def _first_missing(entry: object) -> str:
    missing = entry.missing_fields()  # type: ignore[attr-defined]
    for field in ("title", "authors", "journal", "year", "doi", "pmid", "summary"):
        if field in missing:
            return field
    return ""


def _colour_icon(colour: str) -> object:
    from PySide6.QtGui import QColor, QIcon, QPixmap

    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)

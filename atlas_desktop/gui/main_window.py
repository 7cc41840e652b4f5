"""The main window: search box, the list of entries, and the detail pane."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QToolBar,
)

from atlas_desktop.domain.listing import SearchResult, SortKey
from atlas_desktop.domain.query import QUERY_HELP
from atlas_desktop.services import Library

from .models.entry_table import Column, EntryTableModel
from .panes.detail_pane import DetailPane
from .runner import Runner

SEARCH_DEBOUNCE_MS = 120
#: Rows fetched at once per keystroke; the rest of a long result follows in the background.
FIRST_PAGE = 300


class MainWindow(QMainWindow):
    def __init__(self, library: Library, runner: Runner) -> None:
        super().__init__()
        self.library = library
        self.runner = runner
        self.setObjectName("MainWindow")
        self.setWindowTitle(f"Atlas Desktop — {library.paths.data_dir.name}")
        self.resize(1280, 800)
        self._sort = SortKey.RELEVANCE
        self._total = 0
        self._search_seq = 0

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("SearchBox")
        self.search_box.setAccessibleName("Search the library")
        self.search_box.setPlaceholderText('Search: words, "phrases", -exclude, author:, year:2010-2015…')
        self.search_box.setToolTip(QUERY_HELP)
        self.search_box.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self._debounce.start())

        toolbar = QToolBar("Search", self)
        toolbar.setObjectName("SearchToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.search_box)
        self.addToolBar(toolbar)

        self.model = EntryTableModel(lambda pks: self.library.catalogue.list_rows(pks=pks), self)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.table = QTableView(self)
        self.table.setObjectName("EntryTable")
        self.table.setAccessibleName("Entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((Column.AUTHORS, 150), (Column.YEAR, 56), (Column.JOURNAL, 180),
                           (Column.BADGES, 220), (Column.STATE, 90)):
            header.resizeSection(col, width)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

        self.detail = DetailPane(self)
        self.detail.tag_clicked.connect(self._on_detail_tag_clicked)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("MainSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)

        self.count_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.count_label)

        find = QAction("Find", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        self.addAction(find)

        self.run_search()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def run_search(self) -> None:
        """Show the first page of the result at once, then the rest, both off the UI thread.
        A result that arrives after a newer search started is dropped."""
        self._search_seq += 1
        seq, text, sort = self._search_seq, self.search_box.text(), self._sort
        catalogue = self.library.catalogue

        def first_page() -> tuple[SearchResult, int]:
            return (catalogue.search(text=text, sort=sort, limit=FIRST_PAGE, exact_total=False),
                    catalogue.count_all())

        def on_first_page(value: tuple[SearchResult, int]) -> None:
            if seq != self._search_seq:
                return
            result, self._total = value
            self.apply_result(result)
            if not result.complete:
                self.runner.submit(lambda: catalogue.search(text=text, sort=sort),
                                   lambda full: self._on_full_result(seq, full))

        self.runner.submit(first_page, on_first_page, self._on_search_failed)

    def _on_full_result(self, seq: int, result: SearchResult) -> None:
        if seq != self._search_seq:
            return
        self.model.complete_result(result)
        self._update_count(result)

    def _on_search_failed(self, exc: BaseException) -> None:
        self.statusBar().showMessage(f"The search could not run: {exc}", 8000)

    def _update_count(self, result: SearchResult) -> None:
        shown = f"{result.total:,}" if result.complete else f"{len(result.pks):,}+"
        self.count_label.setText(f"{shown} of {self._total:,} entries")

    def apply_result(self, result: SearchResult) -> None:
        self.model.set_result(result)
        self._update_count(result)
        if result.hints:
            self.statusBar().showMessage(" ".join(result.hints), 6000)
        if self.model.rowCount() == 0:
            self.detail.show_empty("No entries match this search." if self.search_box.text()
                                   else "The library is empty. Import atlas pages or a bundle.")
        else:
            self.table.selectRow(0)

    def _on_model_sort_requested(self, key: SortKey) -> None:
        self._sort = key
        self.run_search()

    def _on_table_selection_changed(self, *_: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else rows[0].row()
        pk = self.model.pk_at(row)
        if pk is None:
            return
        entries = self.library.catalogue.get_entries_by_pk(pks=[pk])
        if entries:
            user = self.library.annotations.user_data(entry_id=entries[0].id)
            self.detail.show_entry(entries[0], user)

    def _on_detail_tag_clicked(self, category: str, label: str) -> None:
        del category
        self.search_box.setText(f'tag:"{label}"')
        self.run_search()

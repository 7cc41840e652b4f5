"""What is selected in the list, and what follows from it: the entry the detail pane shows,
the selection a copy or an action works on, and the Star and Read actions' state.

Starring or marking the selection read is an operation (``gui/operations.py``); the list's
rows and the detail pane follow the change notice, and the actions follow the detail pane.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QObject, QTimer, Signal
from PySide6.QtWidgets import QTableView

from atlas_desktop.domain.annotations import UserData
from atlas_desktop.services import Library

from .citation_controller import EntrySelection
from .models.entry_table import EntryTableModel
from .operations import Operations
from .panes.detail_pane import DetailPane
from .window_actions import WindowActions


class SelectionController(QObject):
    #: The detail pane now shows this entry (its id): after a selection settles.
    entry_shown = Signal(str)
    #: The entry to select is not in the result: the window shows everything, and the entry
    #: is selected when that result arrives.
    search_everything = Signal()

    def __init__(self, library: Library, ops: Operations, table: QTableView,
                 model: EntryTableModel, detail: DetailPane, actions: WindowActions,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._ops = ops
        self._table = table
        self._model = model
        self._detail = detail
        self._actions = actions
        self._after_search: str | None = None
        #: Entries to select once they are in the result (select_entries).
        self._wanted: list[str] = []
        self._wanted_seen = False
        # One event-loop turn after the current row changes, the detail follows: the list
        # paints first, and a quick run of arrow keys only renders the row it stops on.
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(0)
        self._detail_timer.timeout.connect(self.show_current)
        table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        detail.user_data_shown.connect(self._on_detail_user_data_shown)
        actions.star.triggered.connect(self._on_star_triggered)
        actions.mark_read.triggered.connect(self._on_mark_read_triggered)

    # ----------------------------------------------------------------- reading

    def current_entry_id(self) -> str | None:
        index = self._table.currentIndex()
        row = self._model.list_row(index.row()) if index.isValid() else None
        return row.id if row else None

    def selected_rows(self) -> list[int]:
        """The selected rows in list order; the current row when none is selected."""
        rows = sorted({i.row() for i in self._table.selectionModel().selectedRows()})
        if not rows and self._table.currentIndex().isValid():
            rows = [self._table.currentIndex().row()]
        return rows

    def selected_entry_ids(self) -> list[str]:
        return [r.id for r in (self._model.list_row(row) for row in self.selected_rows())
                if r is not None]

    def citation_selection(self) -> EntrySelection:
        """The list's selected rows in list order (the current row if none is selected)."""
        return EntrySelection(pks=tuple(p for r in self.selected_rows()
                                        if (p := self._model.pk_at(r)) is not None))

    def detail_selection(self) -> EntrySelection:
        entry = self._detail.entry
        return EntrySelection(entry_ids=(entry.id,)) if entry is not None else EntrySelection()

    # ----------------------------------------------------------------- selecting

    def select_entry(self, entry_id: str) -> None:
        """Show ``entry_id`` in the list, asking for the whole library if it is not in the
        result."""
        pk = self._library.catalogue.pk_for_id(entry_id=entry_id)
        if pk is None:
            return
        row = self._model.row_of_pk(pk)
        if row is None:
            self._after_search = entry_id
            self.search_everything.emit()
            return
        self._select_row(row)

    def select_entries(self, entry_ids: list[str]) -> None:
        """Select these entries (references just added), asking for the whole library if
        they are not all in the result; those beyond its first page are selected when the
        rest of it arrives (:meth:`result_completed`)."""
        self._wanted, self._wanted_seen = list(entry_ids), False
        if not self._select_wanted():
            self.search_everything.emit()

    def result_completed(self) -> None:
        """The rest of a long result arrived: select the entries still wanted."""
        if self._wanted:
            self._select_wanted()
            self._wanted = []

    def _select_wanted(self) -> bool:
        """Select those of the wanted entries that are in the result; True (and nothing is
        wanted any more) when all of them were."""
        catalogue = self._library.catalogue
        rows = [self._model.row_of_pk(pk) if pk is not None else None
                for pk in (catalogue.pk_for_id(entry_id=i) for i in self._wanted)]
        found = sorted(r for r in rows if r is not None)
        if found:
            selection = QItemSelection()
            for row in found:
                selection.select(self._model.index(row, 0),
                                 self._model.index(row, self._model.columnCount() - 1))
            flags = QItemSelectionModel.SelectionFlag
            model = self._table.selectionModel()
            model.setCurrentIndex(self._model.index(found[0], 0), flags.NoUpdate)
            model.select(selection, flags.ClearAndSelect | flags.Rows)
            self._table.scrollTo(self._model.index(found[0], 0))
        if len(found) == len(self._wanted):
            self._wanted = []
            return True
        return False

    def reselect(self, previous: str | None) -> None:
        """After a new result: the entry asked for, else the one selected before, else the
        first row."""
        if self._wanted and not self._wanted_seen:
            # The search asked for by select_entries: its rest may hold the others.
            self._wanted_seen = True
            self._select_wanted()
            return
        self._wanted = []
        wanted = self._after_search or previous
        self._after_search = None
        pk = self._library.catalogue.pk_for_id(entry_id=wanted) if wanted else None
        row = self._model.row_of_pk(pk) if pk is not None else None
        self._select_row(row or 0)

    def _select_row(self, row: int) -> None:
        self._table.selectRow(row)
        self._table.scrollTo(self._model.index(row, 0))

    def _on_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._detail_timer.start()

    def show_current(self) -> None:
        index = self._table.currentIndex()
        pk = self._model.pk_at(index.row()) if index.isValid() else None
        if pk is None:
            return
        shown, row = self._detail.entry, self._model.list_row(index.row())
        if shown is not None and row is not None and row.id == shown.id:
            # Already shown (a search that kept it, another program's change): the pane
            # follows the notices itself; reading it again would lose the reader's place.
            return
        found = self._library.catalogue.entry_with_user(pk=pk)
        if found is None:
            return
        entry, user = found
        self._detail.show_entry(entry, user)
        # Reports are offered for atlas entries only (the user's own references are private).
        self._actions.report.setEnabled(self._detail.reportable)
        self.entry_shown.emit(entry.id)

    # ----------------------------------------------------------------- the user's marks

    def _on_detail_user_data_shown(self, user: UserData) -> None:
        self._actions.star.setChecked(user.starred)
        self._actions.mark_read.setChecked(user.read)
        self._actions.mark_read.setText("Mark as un&read" if user.read else "Mark as &read")

    def _on_star_triggered(self, on: bool) -> None:
        ids, annotations = self.selected_entry_ids(), self._library.annotations

        def star() -> None:
            for entry_id in ids:
                annotations.set_starred(entry_id=entry_id, starred=on)

        self._ops.run(star, what="The star", initiator=self)

    def _on_mark_read_triggered(self, on: bool) -> None:
        ids, annotations = self.selected_entry_ids(), self._library.annotations
        self._ops.run(lambda: annotations.set_read(entry_ids=ids, read=on),
                      what="The read mark", initiator=self)

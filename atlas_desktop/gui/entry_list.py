"""The list pane's view: a table over :class:`EntryTableModel` with its delegates, columns
and keys (Enter reads the entry, Space scrolls it while the list keeps the focus).

Its header sorts: a click on Title, First author or Year asks for that order (the Order box
follows, and the search runs in it); the header's indicator shows the order whichever way it
was chosen. Tab leaves the list (arrows move inside it): the window's panes are reached by
Tab, not every cell of every row."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from atlas_desktop.domain.listing import SortKey

from .delegates.badge_delegate import BadgeDelegate, StateDelegate
from .delegates.cells import EntryTextDelegate
from .models.entry_table import (
    HEADERS,
    INDICATOR_FOR_SORT,
    NOT_SORTABLE,
    Column,
    EntryTableModel,
    sort_for_header_click,
)

#: The narrowest the title column is squeezed by the badges, and the narrowest badges get.
TITLE_MIN = 150
BADGES_MIN = 110


class EntryList(QTableView):
    #: Enter: the user wants to read the entry (the detail pane takes the focus).
    read_requested = Signal()
    #: Space (+1) or Shift+Space (-1): scroll the entry by a page, the list keeps the focus.
    scroll_requested = Signal(int)
    #: A header click asks for this order (SortKey).
    sort_requested = Signal(object)
    #: A header that does not sort was clicked: the sentence says so.
    not_sortable = Signal(str)

    def __init__(self, model: EntryTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EntryTable")
        self.setAccessibleName("Entries")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(False)  # SQL sorts: see _on_header_clicked
        self.setTabKeyNavigation(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        text_delegate = EntryTextDelegate(model, self)
        for column in (Column.TITLE, Column.AUTHORS, Column.YEAR, Column.JOURNAL):
            self.setItemDelegateForColumn(column, text_delegate)
        self.setItemDelegateForColumn(Column.BADGES, BadgeDelegate(self))
        self.setItemDelegateForColumn(Column.STATE, StateDelegate(self))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)
        header.sectionClicked.connect(self._on_header_clicked)
        self._sort = SortKey.RELEVANCE
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.AUTHORS, 130), (Column.YEAR, 52), (Column.JOURNAL, 170),
                              (Column.BADGES, 250), (Column.STATE, 64)):
            header.resizeSection(column, width)
        header.setMinimumSectionSize(40)
        #: The Badges column's width when there is room (the user's, once they resize it);
        #: a narrow list (a 1024 px screen) gives it less, so the titles stay readable.
        self.badges_wanted = header.sectionSize(Column.BADGES)
        self._fitting = False
        header.sectionResized.connect(self._on_section_resized)
        header.setSectionHidden(Column.JOURNAL, True)  # View → Columns shows it
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu)

    def show_sort(self, key: SortKey) -> None:
        """Show ``key`` in the header's indicator (none for best match)."""
        self._sort = key
        column, order = INDICATOR_FOR_SORT.get(key, (-1, Qt.SortOrder.AscendingOrder))
        self.horizontalHeader().setSortIndicator(int(column), order)

    def _on_header_clicked(self, section: int) -> None:
        column = Column(section)
        key = sort_for_header_click(column, self._sort)
        if key is None:
            self.show_sort(self._sort)  # the header moved its indicator: put it back
            self.not_sortable.emit(NOT_SORTABLE.get(column, "This column does not sort."))
            return
        self.show_sort(key)
        self.sort_requested.emit(key)

    def _on_section_resized(self, section: int, _old: int, new: int) -> None:
        if section == Column.BADGES and not self._fitting:
            self.badges_wanted = new

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give the Badges column what the title can spare: the title keeps at least
        :data:`TITLE_MIN` pixels, the badges between :data:`BADGES_MIN` and their width."""
        header = self.horizontalHeader()
        others = sum(header.sectionSize(c) for c in Column
                     if c not in (Column.TITLE, Column.BADGES) and not header.isSectionHidden(c))
        room = self.viewport().width() - others - TITLE_MIN
        width = max(BADGES_MIN, min(self.badges_wanted, room))
        if width != header.sectionSize(Column.BADGES):
            self._fitting = True
            try:
                header.resizeSection(Column.BADGES, width)
            finally:
                self._fitting = False

    def widen_for_saving(self) -> None:
        """Put the Badges column back at its wanted width, so the saved layout is the user's
        and not the one a narrow moment squeezed."""
        self._fitting = True
        try:
            self.horizontalHeader().resizeSection(Column.BADGES, self.badges_wanted)
        finally:
            self._fitting = False

    def rows_shown(self) -> int:
        """How many rows a screenful shows."""
        return self.viewport().height() // max(1, self.verticalHeader().defaultSectionSize())

    def _on_header_menu(self, pos: QPoint) -> None:
        header = self.horizontalHeader()
        menu = QMenu(self)
        for column in Column:
            if column is Column.TITLE:
                continue
            action = menu.addAction(HEADERS[column])
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: header.setSectionHidden(c, not on))
        menu.exec(header.mapToGlobal(pos))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.read_requested.emit()
        elif event.key() == Qt.Key.Key_Space:
            back = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.scroll_requested.emit(-1 if back else 1)
        else:
            super().keyPressEvent(event)

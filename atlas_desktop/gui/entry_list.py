"""The list pane's view: a table over :class:`EntryTableModel` with its delegates, columns
and keys (Enter reads the entry, Space scrolls it while the list keeps the focus)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from .delegates.badge_delegate import BadgeDelegate, StateDelegate
from .delegates.cells import EntryTextDelegate
from .models.entry_table import HEADERS, Column, EntryTableModel


class EntryList(QTableView):
    #: Enter: the user wants to read the entry (the detail pane takes the focus).
    read_requested = Signal()
    #: Space (+1) or Shift+Space (-1): scroll the entry by a page, the list keeps the focus.
    scroll_requested = Signal(int)

    def __init__(self, model: EntryTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EntryTable")
        self.setAccessibleName("Entries")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSortingEnabled(False)
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
        header.setSortIndicatorShown(False)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((Column.AUTHORS, 130), (Column.YEAR, 52), (Column.JOURNAL, 170),
                              (Column.BADGES, 250), (Column.STATE, 64)):
            header.resizeSection(column, width)
        header.setMinimumSectionSize(40)
        header.setSectionHidden(Column.JOURNAL, True)  # View → Columns shows it
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu)

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

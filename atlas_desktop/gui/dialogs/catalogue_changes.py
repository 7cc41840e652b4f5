"""What the catalogue updates changed, sync by sync (issue 18.15): each sync with its date and
counts, then one row per entry with what changed, in words and in full (rows grow to hold
their text; nothing is cut off). ``sync changes`` lists the same. Papers found retracted,
corrected or under an expression of concern when records were completed online are listed
the same way, under the completion that found them (issue 15).

Invariant: every text here is plain text (titles come from a server), and no internal id is
shown, not even on hover: a row opens its entry when activated.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.sync import CatalogueChange, ChangeKind
from atlas_desktop.domain.sync_changes import SyncChanges
from atlas_desktop.domain.wording import counted

#: Role holding the entry id of a row (to open the entry when it is activated).
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_KIND_WORDS = {ChangeKind.NEW: "New", ChangeKind.CHANGED: "Changed",
               ChangeKind.WITHDRAWN: "Withdrawn"}


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped at the column's width. (QTreeView asks the delegate
    for a row's height without telling it the column's width, so word wrap alone would leave
    every row one line high and cut the rest off.)"""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if index.parent().isValid() or index.column() == 0:
            text = str(index.data() or "")
            width = self._tree.columnWidth(index.column()) - _TEXT_MARGIN
            if index.column() == 0:
                depth = 1 if index.parent().isValid() else 0
                width -= self._tree.indentation() * (depth + 1)
            bounds = option.fontMetrics.boundingRect(
                QRect(0, 0, max(40, width), 100_000), int(Qt.TextFlag.TextWordWrap), text)
            hint.setHeight(max(hint.height(), bounds.height() + 6))
        return hint


#: Room the style keeps beside a cell's text (margins, focus frame), with some to spare.
_TEXT_MARGIN = 16


class _WrappingTree(QTreeWidget):
    """Rows re-measured whenever a column's width changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(_WrappingDelegate(self))
        self.header().sectionResized.connect(lambda *_: self.doItemsLayout())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.doItemsLayout()


class CatalogueChangesDialog(QDialog):
    #: The user activated a change: show this entry (the window selects it).
    entry_activated = Signal(str)

    def __init__(self, syncs: Sequence[SyncChanges], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CatalogueChangesDialog")
        self.setWindowTitle("Catalogue updates")
        self.resize(760, 460)
        if syncs:
            entries = sum(len(s.update.new) + len(s.update.changed) + len(s.update.withdrawn)
                          for s in syncs)
            text = (f"{counted(len(syncs), 'update')} of the catalogue, newest first "
                    f"({counted(entries, 'entry')}). Double-click an entry to open it.")
        else:
            text = "No catalogue changes to show."
        self.summary_label = QLabel(text)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)
        self.tree = _WrappingTree()
        self.tree.setObjectName("CatalogueChangesTree")
        self.tree.setAccessibleName("Catalogue updates, sync by sync")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Entry", "What changed"])
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 330)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        for sync in syncs:
            self._add_sync(sync)
        self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def _add_sync(self, sync: SyncChanges) -> None:
        group = QTreeWidgetItem([sync.heading()])
        self.tree.addTopLevelItem(group)
        group.setFirstColumnSpanned(True)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        update = sync.update
        for change in (*update.new, *update.changed, *update.withdrawn):
            group.addChild(_change_item(change))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.tree.doItemsLayout()

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        entry_id = item.data(0, ENTRY_ID_ROLE)
        if isinstance(entry_id, str):
            self.entry_activated.emit(entry_id)


def _change_item(change: CatalogueChange) -> QTreeWidgetItem:
    name = change.title or "Untitled entry"
    kind = "Notice" if change.is_notice else _KIND_WORDS[change.kind]  # found online
    item = QTreeWidgetItem([f"{kind}: {name}", change.what_changed()])
    item.setData(0, ENTRY_ID_ROLE, change.entry_id)
    for column in (0, 1):
        item.setTextAlignment(column, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return item

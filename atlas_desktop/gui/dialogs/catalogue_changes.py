"""What catalogue updates changed: new entries, changed ones (badge and review-status
changes spelled out), and entries the atlas withdrew (whose notes are kept).

Invariant: every text here is plain text (titles come from a server).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.sync import CatalogueChange, CatalogueUpdate

from ..plain_text import tooltip

#: Role holding the entry id of a row (to open the entry when it is activated).
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CatalogueChangesDialog(QDialog):
    #: The user double-clicked a change: show this entry (the window selects it).
    entry_activated = Signal(str)

    def __init__(self, update: CatalogueUpdate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Catalogue updates")
        self.resize(640, 420)
        self.summary_label = QLabel(update.summary())
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        for heading, changes in (("New entries", update.new),
                                 ("Changed entries", update.changed),
                                 ("Withdrawn by the atlas", update.withdrawn)):
            if changes:
                self._add_group(f"{heading} ({len(changes)})", changes)
        self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)

    def _add_group(self, heading: str, changes: list[CatalogueChange]) -> None:
        group = QTreeWidgetItem([heading])
        self.tree.addTopLevelItem(group)
        for change in changes:
            item = QTreeWidgetItem([change.describe()])
            item.setData(0, ENTRY_ID_ROLE, change.entry_id)
            item.setToolTip(0, tooltip(change.entry_id))
            group.addChild(item)

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        entry_id = item.data(0, ENTRY_ID_ROLE)
        if isinstance(entry_id, str):
            self.entry_activated.emit(entry_id)

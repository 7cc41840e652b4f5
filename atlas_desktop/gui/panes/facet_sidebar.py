"""The facet sidebar: my library, collections, badges, years and tags, each value with its
live count for the current search. A click toggles the value's token in the search box, so
the query language stays the one description of what is shown."""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import Enum

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from atlas_desktop.domain.annotations import Collection
from atlas_desktop.domain.listing import Facets, FacetValue

from ..clipboard import ENTRY_IDS_MIME
from ..icons import icon
from ..plain_text import tooltip

TOKEN_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3
COLLECTION_ROLE = Qt.ItemDataRole.UserRole + 4
NEW_COLLECTION = "__new_collection__"

#: Groups whose values exclude each other (an entry has one of them): picking one replaces
#: the other values of the group in the query.
EXCLUSIVE_GROUPS = frozenset(
    {"pem", "evidence_tier", "confidence", "study_type", "review_status", "decade",
     "collections"}
)
SECTION_TITLES = (
    ("state", "My library"),
    ("collections", "Collections"),
    ("pem", "PEM criteria"),
    ("evidence_tier", "Evidence tier"),
    ("confidence", "Confidence"),
    ("study_type", "Study type"),
    ("review_status", "Review status"),
    ("decade", "Years"),
)
SECTION_TIPS = {
    "pem": "Whether post-exertional malaise was required to include participants",
    "evidence_tier": "Where the atlas places each kind of study on its evidence scale",
    "confidence": "How sure the atlas is of its reading of each paper",
    "collections": "Your collections. Drop entries here to add them.",
}


class CollectionAction(Enum):
    """What the user asked to do with a collection (the sidebar's item and context menu)."""

    NEW = "New collection…"
    RENAME = "Rename…"
    COPY = "Copy as bibliography"
    EXPORT = "Export…"
    DELETE = "Delete…"


class CountDelegate(QStyledItemDelegate):
    """Label on the left (elided if needed), count right-aligned and muted."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        count = index.data(COUNT_ROLE)
        if count is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = f"{count:,}"
        count_width = opt.fontMetrics.horizontalAdvance(text) + 12
        icon_width = opt.decorationSize.width() + 8 if not opt.icon.isNull() else 0
        available = max(10, opt.rect.width() - count_width - icon_width - 8)
        opt.text = opt.fontMetrics.elidedText(opt.text, Qt.TextElideMode.ElideRight, available)
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (opt.palette.ColorRole.HighlightedText if selected
                else opt.palette.ColorRole.PlaceholderText)
        painter.setPen(opt.palette.color(role))
        painter.drawText(QRect(opt.rect.right() - count_width, opt.rect.top(), count_width - 6,
                               opt.rect.height()),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()


class FacetSidebar(QTreeWidget):
    token_toggled = Signal(str, str)  # token, group
    entries_dropped = Signal(int, list)  # collection id, entry ids
    collection_action = Signal(object, int)  # CollectionAction, collection id (0 for NEW)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FacetSidebar")
        self.setAccessibleName("Filters")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setIndentation(12)
        self.setUniformRowHeights(True)
        self.setItemDelegate(CountDelegate(self))
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)
        self.itemClicked.connect(self._on_item_clicked)
        self.itemActivated.connect(self._on_item_clicked)
        self._active: set[str] = set()
        self._expanded: dict[str, bool] = {}
        self._collections: list[Collection] = []
        self._facets: Facets | None = None

    # ----------------------------------------------------------------- content

    def set_collections(self, collections: Iterable[Collection]) -> None:
        self._collections = list(collections)
        if self._facets is not None:
            self.set_facets(self._facets)

    def set_active_tokens(self, tokens: set[str]) -> None:
        if tokens == self._active:
            return
        self._active = tokens
        if self._facets is not None:
            self.set_facets(self._facets)

    def set_facets(self, facets: Facets) -> None:
        self._facets = facets
        for i in range(self.topLevelItemCount()):
            if (shown := self.topLevelItem(i)) is not None:
                self._expanded[shown.data(0, GROUP_ROLE)] = shown.isExpanded()
        self.clear()
        groups = dict(facets.groups)
        sections = list(SECTION_TITLES)
        sections += [(g, g.removeprefix("tag:")) for g in groups if g.startswith("tag:")]
        sections.append(("labels", "Labels"))
        for group, title in sections:
            if group == "collections":
                values = self._collection_values(groups.get("collections", ()))
            else:
                values = list(groups.get(group, ()))
            if not values and group not in {"state", "collections"}:
                continue
            top = QTreeWidgetItem([title])
            top.setData(0, GROUP_ROLE, group)
            font = QFont(self.font())
            font.setBold(True)
            top.setFont(0, font)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            if group in SECTION_TIPS:
                top.setToolTip(0, tooltip(SECTION_TIPS[group]))
            self.addTopLevelItem(top)
            for value in values:
                top.addChild(self._value_item(group, value))
            if group == "collections":
                new = QTreeWidgetItem(["New collection…"])
                new.setIcon(0, icon("folder-plus"))
                new.setData(0, TOKEN_ROLE, NEW_COLLECTION)
                new.setData(0, GROUP_ROLE, group)
                top.addChild(new)
            top.setExpanded(self._expanded.get(group, not group.startswith("tag:")
                                               or len(sections) < 12))

    def _collection_values(self, counted: Iterable[FacetValue]) -> list[FacetValue]:
        counts = {v.label: v.count for v in counted}
        return [FacetValue(f'collection:"{c.name}"', c.name, counts.get(c.name, 0))
                for c in self._collections]

    def _value_item(self, group: str, value: FacetValue) -> QTreeWidgetItem:
        item = QTreeWidgetItem([value.label])
        item.setData(0, TOKEN_ROLE, value.value)
        item.setData(0, GROUP_ROLE, group)
        item.setData(0, COUNT_ROLE, value.count)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                     f"{value.label}, {value.count} entries")
        active = value.value in self._active or (not value.value and not self._active)
        if group == "state" and not value.value:
            active = False
        if active:
            font = QFont(self.font())
            font.setBold(True)
            item.setFont(0, font)
            item.setIcon(0, icon("filter"))
            item.setToolTip(0, tooltip(f"Showing only “{value.label}”. Click to show all again."))
        else:
            item.setToolTip(0, tooltip(f"Show only “{value.label}” ({value.count:,})"))
        if group == "collections":
            item.setIcon(0, icon("folder") if not active else icon("filter"))
            for collection in self._collections:
                if collection.name == value.label:
                    item.setData(0, COLLECTION_ROLE, collection.id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsDropEnabled)
        return item

    # ----------------------------------------------------------------- interaction

    def _on_item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        token = item.data(0, TOKEN_ROLE)
        group = item.data(0, GROUP_ROLE)
        if token == NEW_COLLECTION:
            self.collection_action.emit(CollectionAction.NEW, 0)
        elif token is not None:
            self.token_toggled.emit(token, group)

    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        if item is None or item.data(0, COLLECTION_ROLE) is None:
            return
        collection_id = int(item.data(0, COLLECTION_ROLE))
        menu = QMenu(self)
        for action in (CollectionAction.RENAME, CollectionAction.COPY, CollectionAction.EXPORT,
                       CollectionAction.DELETE):
            menu.addAction(action.value).triggered.connect(
                lambda _checked=False, a=action: self.collection_action.emit(a, collection_id))
        menu.exec(self.viewport().mapToGlobal(pos))

    def _collection_at(self, event: QDropEvent | QDragMoveEvent) -> int | None:
        item = self.itemAt(event.position().toPoint())
        if item is None or item.data(0, COLLECTION_ROLE) is None:
            return None
        return int(item.data(0, COLLECTION_ROLE))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasFormat(ENTRY_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if event.mimeData().hasFormat(ENTRY_IDS_MIME) and self._collection_at(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        collection_id = self._collection_at(event)
        ids = entry_ids_from_mime(event.mimeData())
        if collection_id is None or not ids:
            event.ignore()
            return
        event.acceptProposedAction()
        self.entries_dropped.emit(collection_id, ids)


def entry_ids_from_mime(mime: QMimeData) -> list[str]:
    if not mime.hasFormat(ENTRY_IDS_MIME):
        return []
    try:
        ids = json.loads(bytes(mime.data(ENTRY_IDS_MIME).data()).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return []
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []

"""The facet sidebar: the library's marks, collections, badges, years and tags, each value
with its live count for the current search. A click toggles the value's token in the search
box, so the query language stays the one description of what is shown.

Rows stay where they are while filters are being chosen (issue 18.16): the counts change in
place, a value the new result lacks stays with 0 (greyed), and a value new to the list joins
the end of its group. So a second click on the same spot hits the same filter, and takes it
out again. The rows are laid out afresh, in their usual order, once no filter is chosen."""

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
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont, QIcon, QPainter
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
from atlas_desktop.domain.wording import counted

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
    ("state", "Library"),
    ("notices", "Retractions and corrections"),
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
    "notices": "Notices found in PubMed and Crossref when records were completed online",
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
        if count == 0:  # in no entry of this result: greyed, and kept in its place
            opt.palette.setColor(opt.palette.ColorRole.Text,
                                 opt.palette.color(opt.palette.ColorRole.PlaceholderText))
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
        #: A read-only library: no new collection, no renaming or deleting, no drops.
        self.read_only = False

    # ----------------------------------------------------------------- content

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.setAcceptDrops(not read_only)
        if self._facets is not None:
            self._lay_out_facets(self._facets)

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
        """Show ``facets``: afresh when no filter is chosen, else in place (see above)."""
        self._facets = facets
        groups = dict(facets.groups)
        sections = list(SECTION_TITLES)
        sections += [(g, g.removeprefix("tag:")) for g in groups if g.startswith("tag:")]
        sections.append(("labels", "Labels"))
        shown: list[tuple[str, str, list[FacetValue]]] = []
        for group, title in sections:
            if group == "collections":
                values = self._collection_values(groups.get("collections", ()))
            else:
                values = list(groups.get(group, ()))
            if values or group in {"state", "collections"}:
                shown.append((group, title, values))
        if not self._active or not self.topLevelItemCount():
            self._lay_out(shown, many=len(sections) >= 12)
        else:
            self._update(shown)

    def _lay_out_facets(self, facets: Facets) -> None:
        active, self._active = self._active, set()
        try:
            self.set_facets(facets)  # afresh
        finally:
            self._active = active

    def _tops(self) -> dict[str, QTreeWidgetItem]:
        return {top.data(0, GROUP_ROLE): top for i in range(self.topLevelItemCount())
                if (top := self.topLevelItem(i)) is not None}

    def _lay_out(self, shown: list[tuple[str, str, list[FacetValue]]], *, many: bool) -> None:
        for group, top in self._tops().items():
            self._expanded[group] = top.isExpanded()
        self.clear()
        for group, title, values in shown:
            top = self._section(group, title)
            for value in values:
                top.addChild(self._value_item(group, value))
            if group == "collections" and not self.read_only:
                top.addChild(self._new_collection_item())
            top.setExpanded(self._expanded.get(group, not group.startswith("tag:") or not many))

    def _update(self, shown: list[tuple[str, str, list[FacetValue]]]) -> None:
        """Counts and marks change on the rows as they are; rows are only ever added."""
        tops = self._tops()
        for group, title, values in shown:
            top = tops.get(group)
            if top is None:
                top = tops[group] = self._section(group, title)
                top.setExpanded(self._expanded.get(group, not group.startswith("tag:")))
            by_token = {v.value: v for v in values}
            kept: set[str] = set()
            for i in reversed(range(top.childCount())):
                item = top.child(i)
                if item is None:
                    continue
                token = item.data(0, TOKEN_ROLE)
                if token == NEW_COLLECTION:
                    continue
                value = by_token.get(token)
                if value is None and group == "collections":
                    top.takeChild(i)  # a deleted collection goes (the user's doing)
                    continue
                if value is None:
                    value = FacetValue(token, item.text(0), 0)
                self._apply_value(item, group, value)
                kept.add(token)
            new_at = top.childCount() - (1 if group == "collections" and not self.read_only
                                         else 0)
            for value in values:
                if value.value not in kept:
                    top.insertChild(new_at, self._value_item(group, value))
                    new_at += 1
        for group, top in tops.items():  # a group the result lacks: its values count 0
            if all(group != g for g, _, _ in shown):
                for i in range(top.childCount()):
                    item = top.child(i)
                    if item is not None and item.data(0, COUNT_ROLE) is not None:
                        self._apply_value(item, group, FacetValue(
                            item.data(0, TOKEN_ROLE), item.text(0), 0))

    def _section(self, group: str, title: str) -> QTreeWidgetItem:
        top = QTreeWidgetItem([title])
        top.setData(0, GROUP_ROLE, group)
        font = QFont(self.font())
        font.setBold(True)
        top.setFont(0, font)
        top.setFlags(Qt.ItemFlag.ItemIsEnabled)
        if group in SECTION_TIPS:
            top.setToolTip(0, tooltip(SECTION_TIPS[group]))
        self.addTopLevelItem(top)
        return top

    def _new_collection_item(self) -> QTreeWidgetItem:
        new = QTreeWidgetItem(["New collection…"])
        new.setIcon(0, icon("folder-plus"))
        new.setData(0, TOKEN_ROLE, NEW_COLLECTION)
        new.setData(0, GROUP_ROLE, "collections")
        return new

    def _collection_values(self, counted: Iterable[FacetValue]) -> list[FacetValue]:
        counts = {v.label: v.count for v in counted}
        return [FacetValue(f'collection:"{c.name}"', c.name, counts.get(c.name, 0))
                for c in self._collections]

    def _value_item(self, group: str, value: FacetValue) -> QTreeWidgetItem:
        item = QTreeWidgetItem([value.label])
        item.setData(0, TOKEN_ROLE, value.value)
        item.setData(0, GROUP_ROLE, group)
        self._apply_value(item, group, value)
        return item

    def _apply_value(self, item: QTreeWidgetItem, group: str, value: FacetValue) -> None:
        """The count, the chosen mark and the tooltip of a value's row."""
        item.setData(0, COUNT_ROLE, value.count)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole,
                     f"{value.label}, {counted(value.count, 'entry')}")
        active = value.value in self._active or (not value.value and not self._active)
        if group == "state" and not value.value:
            active = False
        font = QFont(self.font())
        font.setBold(active)
        item.setFont(0, font)
        item.setIcon(0, icon("filter") if active else
                     icon("folder") if group == "collections" else QIcon())
        if active:
            item.setToolTip(0, tooltip(f"Showing only “{value.label}”. Click to show all again."))
        elif value.count:
            item.setToolTip(0, tooltip(f"Show only “{value.label}” ({value.count:,})"))
        else:
            item.setToolTip(0, tooltip(f"No entry of this search is “{value.label}”."))
        if group == "collections":
            for collection in self._collections:
                if collection.name == value.label:
                    item.setData(0, COLLECTION_ROLE, collection.id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsDropEnabled)

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
        actions = ((CollectionAction.COPY, CollectionAction.EXPORT) if self.read_only else
                   (CollectionAction.RENAME, CollectionAction.COPY, CollectionAction.EXPORT,
                    CollectionAction.DELETE))
        for action in actions:
            menu.addAction(action.value).triggered.connect(
                lambda _checked=False, a=action: self.collection_action.emit(a, collection_id))
        menu.exec(self.viewport().mapToGlobal(pos))

    def _collection_at(self, event: QDropEvent | QDragMoveEvent) -> int | None:
        item = self.itemAt(event.position().toPoint())
        if item is None or item.data(0, COLLECTION_ROLE) is None:
            return None
        return int(item.data(0, COLLECTION_ROLE))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasFormat(ENTRY_IDS_MIME) and not self.read_only:
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

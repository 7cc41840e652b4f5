"""The user's collections and labels: the sidebar's collections, the "Add to collection" and
"Labels" menus, new, rename, delete (with undo), copy and export of a collection.

Every change is an operation (``gui/operations.py``); the sidebar's list of collections
follows the library's change notices, whoever made the change. What the window shows of
the outcome (a status message, the undo button) goes out through signals.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from atlas_desktop.domain.annotations import LABEL_COLOURS, Collection, Label
from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.domain.query import query_tokens
from atlas_desktop.services import Library

from .citation_controller import CitationController, EntrySelection
from .icons import icon
from .operations import Operations, warn_in_place
from .panes.facet_sidebar import CollectionAction, FacetSidebar
from .plain_text import escape
from .runner import Runner


def collection_token(collection: Collection) -> str:
    """The search filter that shows a collection."""
    return f'collection:"{collection.name}"'


def viewed_collection(query: str) -> str | None:
    """The collection a search shows when it is that collection's filter alone (the sidebar's
    click on a collection), else None."""
    tokens = query_tokens(query)
    if len(tokens) != 1 or not tokens[0].startswith("collection:"):
        return None
    name = tokens[0].removeprefix("collection:")
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1]
    return name or None


class CollectionsController(QObject):
    #: A sentence for the status bar, and how long to show it (ms).
    message = Signal(str, int)
    #: A deleted collection can (True) or can no longer (False) be restored.
    undo_available = Signal(bool)
    #: Show the export dialog for this collection (its name).
    export_requested = Signal(str)
    #: This filter names a collection that is gone: take it out of the search.
    filter_gone = Signal(str)

    def __init__(self, library: Library, ops: Operations, runner: Runner,
                 citations: CitationController, sidebar: FacetSidebar, *,
                 selected_ids: Callable[[], list[str]], new_label_action: QAction,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self._library = library
        self._ops = ops
        self._runner = runner
        self._citations = citations
        self._sidebar = sidebar
        self._selected_ids = selected_ids
        self._new_label_action = new_label_action
        self._window = parent
        self._deleted: Collection | None = None
        self.collections_menu = QMenu("Add to &collection", parent)
        self.labels_menu = QMenu("&Labels", parent)
        self.collections_menu.aboutToShow.connect(self._fill_collections_menu)
        self.labels_menu.aboutToShow.connect(self._fill_labels_menu)
        sidebar.collection_action.connect(self._on_sidebar_collection_action)
        sidebar.entries_dropped.connect(self._on_sidebar_entries_dropped)
        ops.changed.connect(self._on_ops_changed)
        self.refresh()

    def refresh(self) -> None:
        self._sidebar.set_collections(self._library.annotations.collections())

    def _on_ops_changed(self, notice: ChangeNotice) -> None:
        if notice.concerns(Changes.COLLECTIONS):
            self.refresh()

    # ----------------------------------------------------------------- collections

    def new_collection(self, entry_ids: list[str] | None = None) -> None:
        name, ok = QInputDialog.getText(self._window, "New collection", "Name of the collection:")
        if not ok or not name.strip():
            return
        annotations = self._library.annotations
        if entry_ids:
            ids = list(entry_ids)
            self._ops.run(lambda: annotations.add_to_collection(name=name, entry_ids=ids),
                          initiator=self, failed=self._warn("Collection not created"))
        else:
            self._ops.run(lambda: annotations.create_collection(name=name),
                          initiator=self, failed=self._warn("Collection not created"))

    def add_to_collection(self, collection_id: int, entry_ids: list[str]) -> None:
        annotations = self._library.annotations

        def added(count: int) -> None:
            self.message.emit(f"{count} entr{'y' if count == 1 else 'ies'} added.", 4000)

        self._ops.run(lambda: annotations.add_to_collection_id(
            collection_id=collection_id, entry_ids=entry_ids),
            what="The addition to the collection", initiator=self, done=added)

    def _on_sidebar_entries_dropped(self, collection_id: int, entry_ids: list[str]) -> None:
        self.add_to_collection(collection_id, entry_ids)

    def _on_sidebar_collection_action(self, action: CollectionAction,
                                      collection_id: int) -> None:
        if action is CollectionAction.NEW:
            self.new_collection()
            return
        collection = next((c for c in self._library.annotations.collections()
                           if c.id == collection_id), None)
        if collection is None:
            return
        {CollectionAction.RENAME: self.rename, CollectionAction.DELETE: self.delete,
         CollectionAction.EXPORT: self.export, CollectionAction.COPY: self.copy}[action](
            collection)

    def rename(self, collection: Collection) -> None:
        name, ok = QInputDialog.getText(self._window, "Rename collection", "New name:",
                                        text=collection.name)
        if ok and name.strip():
            annotations = self._library.annotations
            self._ops.run(lambda: annotations.rename_collection(
                collection_id=collection.id, name=name),
                initiator=self, failed=self._warn("Not renamed"))

    def delete(self, collection: Collection) -> None:
        answer = QMessageBox.question(
            self._window, "Delete collection?",
            # <qt>: rich text Qt does not guess at; the user's name for it escaped.
            f"<qt>Delete the collection “{escape(collection.name)}”? The {collection.count} "
            "entries in it stay in the library. You can undo this.</qt>",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return

        def deleted(_: None) -> None:
            self._deleted = collection
            self.undo_available.emit(True)
            self.message.emit(f"Collection “{collection.name}” deleted.", 10000)
            self.filter_gone.emit(collection_token(collection))

        annotations = self._library.annotations
        self._ops.run(lambda: annotations.delete_collection(collection_id=collection.id),
                      what="The deletion of the collection", initiator=self, done=deleted)

    def undo_delete(self) -> None:
        collection = self._deleted
        if collection is None:
            return

        def restored(_: None) -> None:
            self._deleted = None
            self.undo_available.emit(False)
            self.message.emit(f"Collection “{collection.name}” restored.", 4000)

        annotations = self._library.annotations
        self._ops.run(lambda: annotations.restore_collection(collection_id=collection.id),
                      initiator=self, done=restored, failed=self._warn("Cannot undo"))

    def export(self, collection: Collection) -> None:
        self.export_requested.emit(collection.name)

    def copy(self, collection: Collection) -> None:
        """The collection's references in the default style, in the list's order."""
        catalogue, query = self._library.catalogue, collection_token(collection)
        self._runner.submit(
            lambda: tuple(catalogue.search(text=query).pks),
            lambda pks: self._citations.copy(EntrySelection(pks=pks), CopyKind.BIBLIOGRAPHY))

    def _fill_collections_menu(self) -> None:
        menu = self.collections_menu
        menu.clear()
        ids = self._selected_ids()
        for collection in self._library.annotations.collections():
            action = menu.addAction(icon("folder"), f"{collection.name} ({collection.count})")
            action.triggered.connect(
                lambda _checked=False, cid=collection.id: self.add_to_collection(cid, ids))
        menu.addSeparator()
        menu.addAction(icon("folder-plus"), "New collection with the selection…",
                       lambda: self.new_collection(ids))

    # ----------------------------------------------------------------- labels

    def _fill_labels_menu(self) -> None:
        menu = self.labels_menu
        menu.clear()
        ids = self._selected_ids()
        annotations = self._library.annotations
        current = {label.id for label in annotations.user_data(entry_id=ids[0]).labels} \
            if ids else set()
        for label in annotations.labels():
            action = QAction(f"{label.name} ({label.color_name})", menu)
            action.setIcon(_colour_icon(label.color))
            action.setCheckable(True)
            action.setChecked(label.id in current)
            action.toggled.connect(
                lambda on, lid=label.id: self.set_label(ids, lid, on=on))
            menu.addAction(action)
        if menu.actions():
            menu.addSeparator()
        menu.addAction(self._new_label_action)

    def set_label(self, entry_ids: list[str], label_id: int, *, on: bool) -> None:
        annotations = self._library.annotations
        self._ops.run(lambda: annotations.set_label(entry_ids=entry_ids, label_id=label_id,
                                                    on=on),
                      what="The label", initiator=self)

    def new_label(self) -> None:
        """Ask for a name and a colour; the selected entries get the new label."""
        name, ok = QInputDialog.getText(self._window, "New label", "Name of the label:")
        if not ok or not name.strip():
            return
        colours = list(LABEL_COLOURS.items())
        choice, ok = QInputDialog.getItem(self._window, "New label", "Colour:",
                                          [n for _, n in colours], 0, False)
        if not ok:
            return
        colour = next(c for c, n in colours if n == choice)
        ids = self._selected_ids()

        def created(label: Label) -> None:
            if ids:
                self.set_label(ids, label.id, on=True)

        annotations = self._library.annotations
        self._ops.run(lambda: annotations.create_label(name=name, color=colour),
                      initiator=self, done=created, failed=self._warn("Label not created"))

    def _warn(self, title: str) -> Callable[[BaseException], None]:
        return warn_in_place(self._window, title)


def _colour_icon(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)

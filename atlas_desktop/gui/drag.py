"""Dragging entries out of the list drops their citation (in the default style).

Qt asks for a drag's data synchronously, on the UI thread, when the drag starts. With the
default style's engine already built (the window warms it at start) that takes a few
milliseconds. If it is not built yet, or the drag holds more than ``DRAG_RENDER_LIMIT``
entries, the drag carries a plain one-line reference per entry instead of waiting, and the
engine build is started so the next drag is formatted.

Wiring (the entry list's model): ``mimeTypes()`` returns ``source.mime_types()`` and
``mimeData(indexes)`` returns ``source.mime_data(indexes)``; the view needs
``setDragEnabled(True)`` and ``setDragDropMode(QAbstractItemView.DragOnly)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from PySide6.QtCore import QMimeData, QModelIndex, QObject, QPersistentModelIndex

from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.services.citations import CitationError

from .citation_controller import CitationController, EntrySelection
from .clipboard import ENTRY_IDS_MIME, RTF_MIME, mime_data_for
from .models.entry_table import Role

#: Above this many entries a drag carries plain references (rendering would stall the UI).
DRAG_RENDER_LIMIT: Final = 100


class CitationDragSource(QObject):
    def __init__(self, controller: CitationController, *, pk_role: int = Role.PK,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._pk_role = pk_role

    @staticmethod
    def mime_types() -> list[str]:
        return ["text/plain", "text/html", RTF_MIME, ENTRY_IDS_MIME]

    def mime_data(self, indexes: Iterable[QModelIndex | QPersistentModelIndex]) -> QMimeData:
        """The drag payload for the rows of ``indexes`` (any columns), in row order."""
        rows: dict[int, int] = {}
        for index in indexes:
            pk = index.data(self._pk_role)
            if isinstance(pk, int):
                rows.setdefault(index.row(), pk)
        pks = tuple(rows[r] for r in sorted(rows))
        return self.mime_data_for(EntrySelection(pks=pks))

    def mime_data_for(self, selection: EntrySelection) -> QMimeData:
        controller = self._controller
        service = controller.library.citations
        ids = controller.entry_ids_now(selection)
        if len(ids) <= DRAG_RENDER_LIMIT and service.is_ready():
            try:
                copy = service.copy(entry_ids=ids, kind=CopyKind.BIBLIOGRAPHY)
            except CitationError:
                copy = None
            if copy is not None and not copy.is_empty:
                return mime_data_for(copy.content, entry_ids=copy.entry_ids)
        service.prefetch()
        return mime_data_for(service.quick_reference(entry_ids=ids), entry_ids=ids)

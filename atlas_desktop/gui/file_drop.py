"""Files dropped onto a widget (the main window) start an import.

:func:`install_file_drop` makes a widget accept drags that carry local files and calls back
with their paths when they are dropped; anything else (text, web links) is refused at the
drag, so the cursor shows it will not be accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget


def local_files(mime: QMimeData | None) -> list[Path]:
    """The local files a drag carries (folders and remote links left out)."""
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if not p.is_dir()]


class FileDropFilter(QObject):
    """Event filter giving a widget file drops; emits ``files_dropped`` with the paths."""

    files_dropped = Signal(list)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if local_files(event.mimeData()):
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = local_files(event.mimeData())
            if not paths:
                event.ignore()
                return True
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
            return True
        return super().eventFilter(watched, event)


def install_file_drop(widget: QWidget, on_files: Callable[[list[Path]], None]) -> FileDropFilter:
    """Let ``widget`` take dropped files; ``on_files`` gets their paths (on the UI thread).

    Keep the returned filter alive as long as the widget (it is parented to it).
    """
    drop = FileDropFilter(widget)
    drop.files_dropped.connect(on_files)
    widget.setAcceptDrops(True)
    widget.installEventFilter(drop)
    return drop

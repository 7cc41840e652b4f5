"""Reading an entry marks it read (issue 18.26): once the detail pane has shown an unread
entry for a few seconds without interruption, the entry is marked read. Going on to another
entry first leaves it unread; so does marking it read or unread by hand meanwhile, and a
preference (Preferences → Reading) turns the whole thing off. The mark is an operation
(``gui/operations.py``), like every write of the window; a read-only library gets none.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QWidget

from atlas_desktop.domain.annotations import UserData
from atlas_desktop.services import Library

from .operations import Operations

#: Where the preference is kept (QSettings), and its default.
AUTO_READ_KEY = "reading/mark_read_when_shown"
AUTO_READ_DEFAULT = True
#: How long an entry stays shown before it counts as read.
READ_AFTER_MS = 4000


def marks_read_when_shown(settings: QSettings) -> bool:
    return bool(settings.value(AUTO_READ_KEY, AUTO_READ_DEFAULT, type=bool))


class ReadMarker(QObject):
    def __init__(self, library: Library, ops: Operations, settings: QSettings,
                 window: QWidget) -> None:
        super().__init__(window)
        self._library = library
        self._ops = ops
        self._settings = settings
        self._window = window
        self._entry_id: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(READ_AFTER_MS)
        self.timer.timeout.connect(self._on_timeout)

    def entry_shown(self, entry_id: str, user: UserData | None) -> None:
        """The detail pane now shows ``entry_id`` (with the user's data it read)."""
        self.timer.stop()
        self._entry_id = None
        if (user is not None and user.read) or self._library.read_only is not None \
                or not marks_read_when_shown(self._settings):
            return
        self._entry_id = entry_id
        self.timer.start()

    def cancel(self) -> None:
        """The user marked the entry read or unread: their choice stands."""
        self.timer.stop()
        self._entry_id = None

    def _on_timeout(self) -> None:
        entry_id, self._entry_id = self._entry_id, None
        window = self._window
        if entry_id is None or not window.isVisible() or window.isMinimized():
            return
        annotations = self._library.annotations
        self._ops.run(lambda: annotations.set_read(entry_ids=[entry_id], read=True),
                      what="The read mark", initiator=self)

"""A library that cannot be written (issue 18.3): the window opens on it, says why in a banner
above the panes, and turns off every control that would write, so nothing fails later.

Reading, searching, citing, copying and exporting to a file all work. What writes is off:
stars, read marks, notes, collections, labels, reports and the outbox's sending, imports,
sync (it stores what it pulls and what it sent), the sync settings, merging duplicates, the
sample papers, the default citation style, and completing records or adding them by
identifier (they store what PubMed and Crossref say). The panes that hold the library (the detail
pane, the note, the outbox, the preferences) see ``Library.read_only`` themselves; this
module does the window's part. A write that slips past still fails safely: the store refuses
it before it starts and the window shows the failure dialog (``failure_dialog.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from .plain_text import plain_label, tooltip
from .theme import follow_palette, theme_colours

if TYPE_CHECKING:
    from .main_window import MainWindow

#: Said after the reason, on the banner.
WHAT_STILL_WORKS = ("You can read, search, cite and export; changes (stars, notes, "
                    "collections, reports, imports and sync) are turned off.")


class ReadOnlyBanner(QFrame):
    """A strip above the panes: why the library cannot be changed, and what still works."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReadOnlyBanner")
        self.setAccessibleName("Read-only library")
        self.setAutoFillBackground(True)
        self.label = plain_label(QLabel(self))  # the reason names a path
        self.label.setObjectName("ReadOnlyReason")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label)
        follow_palette(self, self._colour)
        self.hide()

    def _colour(self) -> None:
        colours = theme_colours(self.palette())
        palette = self.palette()
        palette.setColor(palette.ColorRole.Window, colours.incomplete_fill)
        palette.setColor(palette.ColorRole.WindowText, colours.incomplete_text)
        self.setPalette(palette)

    def show_reason(self, reason: str) -> None:
        self.label.setText(f"{reason} {WHAT_STILL_WORKS}")
        self.show()


def apply_read_only(window: MainWindow, reason: str) -> None:
    """Show ``reason`` and turn off every control of ``window`` that writes."""
    window.read_only_banner.show_reason(reason)
    a = window.commands
    why = tooltip(f"{reason} Nothing can be changed.")
    for action in (a.star, a.mark_read, a.report, a.new_collection, a.new_label,
                   a.undo_delete, a.import_files, a.sync_now, a.sync_settings, a.duplicates,
                   a.add_by_identifier, a.complete_record, a.complete_all):
        action.setEnabled(False)
        action.setToolTip(why)
    for menu in (window.collections.collections_menu, window.collections.labels_menu):
        menu.menuAction().setEnabled(False)
    window.sidebar.set_read_only(True)
    window.welcome.sample_button.setEnabled(False)
    window.welcome.sample_button.setToolTip(why)

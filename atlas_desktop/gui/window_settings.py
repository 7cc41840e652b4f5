"""What the window remembers between runs: its size and panes, the list's columns and order,
which panes are shown, and the last search.

The window's size (issue 18.10): the first window is sized to the screen it opens on (at
most 1400 × 860, never more than the screen's free area: it was always 1400 × 860, so on a
1024 × 768 screen the entry pane and the status bar were off-screen). A saved size and place
is restored only if it still fits a screen as it is now (a laptop taken off its monitor, a
scale changed to 150 %); otherwise the window is sized as a first one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QWidget

from atlas_desktop.domain.listing import SortKey

from .search_bar import SearchBar

#: How the first window shares its width: filters, the list, the entry.
PANE_SHARES = (0.16, 0.54, 0.30)
#: The first window's size when the screen has room for it.
PREFERRED_SIZE = QSize(1400, 860)
#: Of the screen's free area, what the first window takes at most (room for a title bar).
SCREEN_SHARE = (0.96, 0.9)


def first_geometry(available: QRect, minimum: QSize | None = None) -> QRect:
    """Where the first window goes on a screen whose free area is ``available``: the
    preferred size or what the screen allows, centred (never below ``minimum``)."""
    minimum = minimum or QSize(0, 0)
    width = min(PREFERRED_SIZE.width(), int(available.width() * SCREEN_SHARE[0]))
    height = min(PREFERRED_SIZE.height(), int(available.height() * SCREEN_SHARE[1]))
    rect = QRect(0, 0, max(width, minimum.width()), max(height, minimum.height()))
    rect.moveCenter(available.center())
    return rect


def fits_a_screen(rect: QRect) -> bool:
    """``rect`` lies within the free area of one of the screens as they are now."""
    return any(screen.availableGeometry().contains(rect)
               for screen in QGuiApplication.screens())


def place_first_window(window: QMainWindow) -> None:
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(first_geometry(screen.availableGeometry(),
                                          window.minimumSizeHint()))


@dataclass
class RememberedParts:
    window: QMainWindow
    splitter: QSplitter
    detail_splitter: QSplitter
    header: QHeaderView
    search_bar: SearchBar
    #: (the action that shows a pane, the pane, its settings key)
    panes: tuple[tuple[QAction, QWidget, str], ...]

    def restore(self, s: QSettings) -> None:
        self._restore_geometry(s)
        if s.value("window/splitter") is None:  # the first window: shares of its width
            width = self.window.width()
            self.splitter.setSizes([int(width * share) for share in PANE_SHARES])
        for key, restore in (("window/state", self.window.restoreState),
                             ("window/splitter", self.splitter.restoreState),
                             ("window/detail_splitter", self.detail_splitter.restoreState),
                             ("list/header", self.header.restoreState)):
            if (value := s.value(key)) is not None:
                restore(QByteArray(value))
        self.search_bar.set_sort(str(s.value("list/sort", SortKey.RELEVANCE.value)),
                                 search=False)
        for action, pane, key in self.panes:
            action.setChecked(bool(s.value(key, True, type=bool)))
            pane.setVisible(action.isChecked())
        self.search_bar.set_text_quietly(str(s.value("search/last_query", "", type=str)))

    def _restore_geometry(self, s: QSettings) -> None:
        """The saved geometry if it still fits a screen, else a first window's."""
        saved, rect = s.value("window/geometry"), s.value("window/rect")
        fits = saved is not None and (
            (isinstance(rect, QRect) and fits_a_screen(rect))
            or rect is None)  # saved before the rectangle was: Qt's restoring decides
        if fits and self.window.restoreGeometry(QByteArray(saved)) and fits_a_screen(
                self.window.normalGeometry()):
            return
        place_first_window(self.window)

    def save(self, s: QSettings) -> None:
        s.setValue("window/geometry", self.window.saveGeometry())
        s.setValue("window/rect", self.window.normalGeometry())
        s.setValue("window/state", self.window.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/detail_splitter", self.detail_splitter.saveState())
        s.setValue("list/header", self.header.saveState())
        s.setValue("list/sort", self.search_bar.sort().value)
        for action, _pane, key in self.panes:
            s.setValue(key, action.isChecked())
        s.setValue("search/last_query", self.search_bar.search_box.text())
        s.sync()

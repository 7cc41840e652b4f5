"""What the window remembers between runs: its size and panes, the list's columns and order,
which panes are shown, and the last search."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QWidget

from atlas_desktop.domain.listing import SortKey

from .search_bar import SearchBar


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
        for key, restore in (("window/geometry", self.window.restoreGeometry),
                             ("window/state", self.window.restoreState),
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

    def save(self, s: QSettings) -> None:
        s.setValue("window/geometry", self.window.saveGeometry())
        s.setValue("window/state", self.window.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/detail_splitter", self.detail_splitter.saveState())
        s.setValue("list/header", self.header.saveState())
        s.setValue("list/sort", self.search_bar.sort().value)
        for action, _pane, key in self.panes:
            s.setValue(key, action.isChecked())
        s.setValue("search/last_query", self.search_bar.search_box.text())
        s.sync()

"""How the main window's panes are put together: the middle column (welcome, chart, list),
the splitter between filters, list and entry, the read-only banner above them, and the order
Tab goes through the window."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from .read_only import ReadOnlyBanner


def column(parent: QWidget, widgets: Sequence[QWidget]) -> QWidget:
    """``widgets`` stacked top to bottom, edge to edge."""
    holder = QWidget(parent)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    for widget in widgets:
        layout.addWidget(widget)
    return holder


def main_splitter(parent: QWidget, panes: Sequence[QWidget]) -> QSplitter:
    """Filters, list, entry side by side; the list never collapses, and takes most of what
    the window gains (the first window's shares are set in ``window_settings.py``)."""
    splitter = QSplitter(Qt.Orientation.Horizontal, parent)
    splitter.setObjectName("MainSplitter")
    for widget in panes:
        splitter.addWidget(widget)
    for index, stretch in enumerate((0, 3, 2)):
        splitter.setStretchFactor(index, stretch)
    splitter.setSizes([210, 760, 470])
    splitter.setCollapsible(1, False)
    return splitter


def set_central(window: QMainWindow, splitter: QSplitter) -> ReadOnlyBanner:
    """The splitter as the window's centre, under a banner shown for a read-only library."""
    central = QWidget(window)
    layout = QVBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    banner = ReadOnlyBanner(central)
    layout.addWidget(banner)
    layout.addWidget(splitter, 1)
    window.setCentralWidget(central)
    return banner


def set_tab_order(chain: Sequence[QWidget]) -> None:
    """Tab goes through ``chain`` in order (and the last leads back to the first)."""
    for first, second in pairwise(chain):
        QWidget.setTabOrder(first, second)

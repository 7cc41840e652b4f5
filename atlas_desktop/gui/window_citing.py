"""The window's ways of copying citations: Ctrl+Shift+C anywhere in the window, the Cite
menu, the toolbar's and the detail pane's Copy buttons, drags from the list, and the copy
warnings panel that holds a copy with something to read first (18.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from atlas_desktop.domain.citation import CopyKind

from .citation_controller import status_message
from .copy_menu import CopyMenu, make_copy_default_action
from .copy_warnings import CopyWarnings
from .drag import CitationDragSource
from .icons import icon
from .plain_text import tooltip

if TYPE_CHECKING:
    from .main_window import MainWindow


def build_citing(self: MainWindow) -> None:
    """Copying citations: Ctrl+Shift+C anywhere in the window, the Cite menu, the
    toolbar's and the detail pane's Copy buttons, the list's context menu, and drags."""
    self.copy_default_action = make_copy_default_action(
        self, self.citations, self.citation_selection)
    self.copy_default_action.setIcon(icon("copy"))
    self.copy_default_action.setText("Copy citation")
    self.copy_default_action.setToolTip(
        "Copy the selected entries' references in your default style (Ctrl+Shift+C)")
    self.addAction(self.copy_default_action)
    self.copy_menu = CopyMenu(self.citations, self.citation_selection, self, title="&Cite",
                              build_now=False)
    self.menuBar().insertMenu(self.menus["reports"].menuAction(), self.copy_menu)
    self.menus["cite"] = self.copy_menu
    self.toolbar_copy_button = copy_button = QToolButton(self)
    copy_button.setObjectName("ToolbarCopyButton")
    copy_button.setDefaultAction(self.copy_default_action)
    copy_button.setMenu(self.copy_menu)
    copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    copy_button.setAccessibleName("Copy citation")
    self.search_bar.insertWidget(self.commands.report, copy_button)
    # The detail pane's button copies the entry it shows (whatever else is selected).
    self.detail_copy_menu = CopyMenu(self.citations, self.selection.detail_selection, self,
                                     title="Copy", build_now=False)
    self.detail.copy_button.setMenu(self.detail_copy_menu)
    self.detail.copy_button.clicked.connect(lambda: self.citations.copy(
        self.selection.detail_selection(), CopyKind.BIBLIOGRAPHY))
    self.drag_source = CitationDragSource(self.citations, parent=self)
    self.model.drag_source = self.drag_source.mime_data
    self.copy_warnings = CopyWarnings(  # a copy to read first waits by the button (18.6)
        self, self.library, self.citations, self.ops, toolbar_button=copy_button,
        detail=self.detail, show_message=self.status.show_message)
    self.citations.copied.connect(
        lambda copy: self.status.show_message(status_message(copy), 10000))
    self.citations.copy_failed.connect(lambda text: self.status.show_message(text, 10000))
    # The style's name once its engine is built (in the background), not at start-up.
    self.citations.style_ready.connect(lambda _spec: show_default_style(self))
    self.citations.default_style_changed.connect(lambda _spec: show_default_style(self))
    show_default_style(self, known=False)



def show_default_style(self: MainWindow, *, known: bool = True) -> None:
    info = self.citations.default_style_info() if known else None
    name = info.title if info else "your default style"
    self.detail.copy_button.setToolTip(tooltip(f"Copy this entry's reference in {name}; "
                                               "the arrow offers every other format"))


"""The detail pane: everything the atlas says about the selected entry, safely rendered."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from atlas_desktop.domain.annotations import UserData
from atlas_desktop.domain.entry import Entry

from .detail_html import render_entry

SAFE_SCHEMES = {"http", "https"}


class SafeBrowser(QTextBrowser):
    """A text browser that never fetches anything: no images, no files, no network."""

    def loadResource(self, kind: int, name: QUrl) -> object:  # noqa: N802
        del kind, name
        return None


class DetailPane(QWidget):
    tag_clicked = Signal(str, str)  # category, label
    action_requested = Signal(str)  # e.g. "report-missing"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DetailPane")
        self.browser = SafeBrowser(self)
        self.browser.setObjectName("DetailBrowser")
        self.browser.setAccessibleName("Entry details")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.document().setDocumentMargin(14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.entry: Entry | None = None
        self.can_report = False
        self.show_empty()

    def show_empty(self, message: str = "Select an entry to read it here.") -> None:
        self.entry = None
        self.browser.setHtml(f"<p style='color:gray; margin:24px;'>{message}</p>")

    def show_entry(self, entry: Entry, user: UserData | None = None) -> None:
        self.entry = entry
        html = render_entry(entry, user, self.palette(), can_report=self.can_report)
        self.browser.document().setHtml(html)

    def document(self) -> QTextDocument:
        return self.browser.document()

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == "atlas-tag":
            from urllib.parse import unquote

            category, _, label = url.path().partition("/")
            self.tag_clicked.emit(unquote(category), unquote(label))
        elif scheme == "atlas-action":
            self.action_requested.emit(url.path())
        elif scheme in SAFE_SCHEMES:
            QDesktopServices.openUrl(url)

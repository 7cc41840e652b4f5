"""The user guide (docs/user-guide.md), shown in a window of its own."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QResizeEvent, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

#: Screenshots are shown at most this wide (they are taken at 1440 px).
IMAGE_MAX_WIDTH = 900


def guide_path() -> Path | None:
    """Where the guide is: next to a packaged application, or in the source tree."""
    roots = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.append(Path(bundle))
    roots.append(Path(__file__).resolve().parents[3])  # the repository (or install prefix)
    for root in roots:
        candidate = root / "docs" / "user-guide.md"
        if candidate.is_file():
            return candidate
    return None


def heading_anchor(title: str) -> str:
    """The anchor a Markdown heading gets on GitHub (``#copying-citations``), so the guide's
    table of contents works in both places."""
    slug = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return slug.replace(" ", "-")


class GuideBrowser(QTextBrowser):
    """Markdown with its screenshots scaled to the window and headings as link targets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[str, tuple[int, int]] = {}

    def doSetSource(self, name: QUrl | str, type: QTextDocument.ResourceType = (  # noqa: N802
            QTextDocument.ResourceType.UnknownResource)) -> None:
        """Every change of source comes here: ``setSource`` and a clicked link alike (Qt 6
        calls this, not the Python ``setSource``, when a link is activated; overriding
        ``setSource`` left the contents' links reloading the guide without its heading
        anchors, so they did not scroll)."""
        name = QUrl(name)
        if name.hasFragment() and (not name.path() or name.path() == self.source().path()):
            self.scrollToAnchor(name.fragment())  # a link within the guide
            return
        super().doSetSource(name, type)
        self._name_headings()
        self._fit_images()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_images()

    def _name_headings(self) -> None:
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                cursor = QTextCursor(block)
                cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
                fmt = QTextCharFormat()
                fmt.setAnchor(True)
                fmt.setAnchorNames([heading_anchor(block.text())])
                cursor.mergeCharFormat(fmt)
            block = block.next()

    def _fit_images(self) -> None:
        width = min(IMAGE_MAX_WIDTH, self.viewport().width() - 40)
        if width <= 0:
            return
        document = self.document()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image = fmt.toImageFormat()
                    natural = self._natural_size(image.name())
                    if natural is not None and natural[0] > 0:
                        scale = min(1.0, width / natural[0])
                        if abs(image.width() - natural[0] * scale) >= 1:
                            image.setWidth(natural[0] * scale)
                            image.setHeight(natural[1] * scale)
                            cursor = QTextCursor(document)
                            cursor.setPosition(fragment.position())
                            cursor.setPosition(fragment.position() + fragment.length(),
                                               QTextCursor.MoveMode.KeepAnchor)
                            cursor.setCharFormat(image)
                it += 1
            block = block.next()

    def _natural_size(self, name: str) -> tuple[int, int] | None:
        if name not in self._sizes:
            resource = self.document().resource(QTextDocument.ResourceType.ImageResource,
                                                QUrl(name))
            if resource is None or getattr(resource, "isNull", lambda: True)():
                return None
            self._sizes[name] = (resource.width(), resource.height())
        return self._sizes[name]


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HelpDialog")
        self.setWindowTitle("Atlas Desktop — User guide")
        self.resize(980, 760)
        self.browser = GuideBrowser(self)
        self.browser.setObjectName("GuideText")
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(True)
        path = guide_path()
        if path is None:
            self.browser.setPlainText(
                "The user guide was not installed with this copy of Atlas Desktop. Press F1 "
                "in the main window for the keyboard shortcuts.")
        else:
            # Markdown, with the screenshots next to it (local files only).
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.setSource(QUrl.fromLocalFile(str(path)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

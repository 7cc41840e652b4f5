"""The user guide (docs/user-guide.md), shown in a window of its own."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


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


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("HelpDialog")
        self.setWindowTitle("Atlas Desktop — User guide")
        self.resize(860, 720)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("GuideText")
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

"""About Atlas Desktop: version, where the library lives, and the software it stands on."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop import __version__

from ..icons import app_icon
from ..theme import theme_colours

LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE")


def credits() -> list[dict[str, Any]]:
    text = resources.files("atlas_desktop.data").joinpath("credits.json").read_text("utf-8")
    return list(json.loads(text)["credits"])


def licence_texts(distribution: str) -> list[tuple[str, str]]:
    """The licence files an installed Python package ships (name, text)."""
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return []
    found = []
    for file in dist.files or ():
        name = Path(str(file)).name.upper()
        if any(name.startswith(stem) for stem in LICENCE_NAMES):
            try:
                raw = Path(str(file.locate())).read_bytes()
            except OSError:
                continue
            found.append((str(file), raw.decode("utf-8", errors="replace")))
    return found


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None, *,
                 notices: Mapping[str, str] | None = None) -> None:
        """``notices``: licence texts by credit name that come from elsewhere than Python
        packages (the citation engine's, the styles')."""
        super().__init__(parent)
        self._notices = dict(notices or {})
        self.setObjectName("AboutDialog")
        self.setWindowTitle("About Atlas Desktop")
        self.resize(640, 560)
        logo = QLabel(self)
        logo.setPixmap(app_icon().pixmap(72, 72))
        title = QLabel(
            f"<h2 style='margin:0'>Atlas Desktop {html.escape(__version__)}</h2>"
            "<p>An offline-first reader for the ME/CFS evidence atlas: search the catalogue, "
            "read each paper's plain-language sections and badges, cite it, keep your own "
            "notes and report errors.</p>"
            f"<p style='color:{theme_colours(self.palette()).muted}'>Qt "
            f"{html.escape(qVersion())}, PySide6 "
            f"{html.escape(pyside_version)}</p>", self)
        title.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(title, 1)

        self.folder_label = QLabel(self)
        self.folder_label.setObjectName("DataFolder")
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setText(str(data_dir))
        open_button = QPushButton("Open folder", self)
        open_button.setAccessibleName("Open the library folder")
        open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir))))
        folder = QHBoxLayout()
        folder.addWidget(QLabel("Your library:", self))
        folder.addWidget(self.folder_label, 1)
        folder.addWidget(open_button)

        self.credits_view = QTextBrowser(self)
        self.credits_view.setObjectName("Credits")
        self.credits_view.setOpenExternalLinks(True)
        self.credits_view.setHtml(self._credits_html())
        self.licences_view = QTextBrowser(self)
        self.licences_view.setObjectName("Licences")
        self.licences_view.setPlainText(self._licences_text())
        tabs = QTabWidget(self)
        tabs.addTab(self.credits_view, "Credits")
        tabs.addTab(self.licences_view, "Licences")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(folder)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)

    @staticmethod
    def _credits_html() -> str:
        rows = "".join(
            f"<tr><td><a href='{html.escape(c['url'])}'>{html.escape(c['name'])}</a></td>"
            f"<td>{html.escape(c['role'])}</td><td>{html.escape(c['licence'])}</td></tr>"
            for c in credits())
        return ("<p>Atlas Desktop is built on the work of others, with thanks:</p>"
                "<table cellspacing='6'><tr><th align='left'>Software</th>"
                "<th align='left'>Used for</th><th align='left'>Licence</th></tr>"
                f"{rows}</table><p>The full licence texts are under Licences.</p>")

    def _licences_text(self) -> str:
        parts: list[str] = []
        for credit in credits():
            name = credit["name"]
            header = f"{name} — {credit['licence']}"
            texts: list[tuple[str, str]] = []
            if name in self._notices:
                texts.append(("", self._notices[name]))
            for file_name in credit.get("licence_files", ()):
                texts.append((file_name, shipped_licence(file_name)))
            if not texts and (dist := credit.get("distribution")):
                texts = licence_texts(dist)
            if texts:
                parts.extend(f"===== {header}{f' ({file})' if file else ''}\n\n{text.strip()}\n"
                             for file, text in texts)
            else:
                parts.append(f"===== {header}\n\nSee {credit['url']}\n")
        return "\n".join(parts)


def shipped_licence(file_name: str) -> str:
    """A licence text shipped as package data (atlas_desktop/data/licences)."""
    folder = resources.files("atlas_desktop.data").joinpath("licences")
    return folder.joinpath(file_name).read_text("utf-8")

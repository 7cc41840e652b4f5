"""Light and dark appearance: follow the system's colour scheme, or the user's choice.

Everything we draw ourselves (badge pills, the chart, icons) takes its colours from the
palette, so switching the palette is enough; icons are re-coloured on the palette change.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

Theme = Literal["system", "light", "dark"]
THEMES: tuple[tuple[Theme, str], ...] = (
    ("system", "Follow the system"),
    ("light", "Light"),
    ("dark", "Dark"),
)
#: Where the user's choice is kept (QSettings).
THEME_KEY = "ui/theme"


def stored_theme(settings: QSettings) -> Theme:
    """The user's choice, "system" when none (or one this version does not know)."""
    value = settings.value(THEME_KEY, "system", type=str)
    return next((theme for theme, _ in THEMES if theme == value), "system")


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#202326"), QColor("#16181a"), QColor("#e8eaed")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#1d2023"),
        QPalette.ColorRole.ToolTipBase: QColor("#2b2f33"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#9aa3ad"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2b2f33"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Highlight: QColor("#2f7fc1"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#7cb7ff"),
        QPalette.ColorRole.LinkVisited: QColor("#b89cff"),
        QPalette.ColorRole.Mid: QColor("#4a5057"),
        QPalette.ColorRole.Dark: QColor("#101214"),
        QPalette.ColorRole.Light: QColor("#3a3f44"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7178"))
    return p


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme: Theme = "system") -> None:
    """Fusion style with a light or dark palette (Fusion renders both faithfully)."""
    app.setStyle(QStyleFactory.create("Fusion"))
    dark = theme == "dark" or (theme == "system" and system_is_dark())
    app.setPalette(dark_palette() if dark else app.style().standardPalette())

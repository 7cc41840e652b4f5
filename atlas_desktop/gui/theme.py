"""Light and dark appearance: follow the system's colour scheme, or the user's choice.

Every colour the window shows text in comes from here: the palette's roles, and the few
named colours of :class:`ThemeColours` (muted text, hints, errors, notices, the welcome
panel's fill, tag chips). :func:`themed_pairs` lists each pair of text and background
colour the window uses; every pair reads at 4.5:1 or better (WCAG AA) in both themes, which
a test checks. What paints its own colours takes them from the palette *when it paints*, or
re-applies them when the palette changes (:func:`follow_palette`), so switching the theme
while the window is open reaches everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Literal

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

Theme = Literal["system", "light", "dark"]
THEMES: tuple[tuple[Theme, str], ...] = (
    ("system", "Follow the system"),
    ("light", "Light"),
    ("dark", "Dark"),
)
#: Where the user's choice is kept (QSettings).
THEME_KEY = "ui/theme"
#: WCAG AA for body text.
MIN_CONTRAST = 4.5

_R = QPalette.ColorRole


def stored_theme(settings: QSettings) -> Theme:
    """The user's choice, "system" when none (or one this version does not know)."""
    value = settings.value(THEME_KEY, "system", type=str)
    return next((theme for theme, _ in THEMES if theme == value), "system")


def light_palette() -> QPalette:
    """Fusion's light palette, with the two roles it leaves below 4.5:1 made darker: muted
    text (placeholders, counts, greyed titles; Fusion's is half-transparent black, 4.0:1)
    and the selection (white on Fusion's blue is 3.7:1)."""
    p = QStyleFactory.create("Fusion").standardPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        p.setColor(group, _R.PlaceholderText, QColor("#5c6670"))
        p.setColor(group, _R.Highlight, QColor("#2268a8"))
    return p


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#202326"), QColor("#16181a"), QColor("#e8eaed")
    roles = {
        _R.Window: window,
        _R.WindowText: text,
        _R.Base: base,
        _R.AlternateBase: QColor("#1d2023"),
        _R.ToolTipBase: QColor("#2b2f33"),
        _R.ToolTipText: text,
        _R.PlaceholderText: QColor("#9aa3ad"),
        _R.Text: text,
        _R.Button: QColor("#2b2f33"),
        _R.ButtonText: text,
        _R.BrightText: QColor("#ff6b6b"),
        _R.Highlight: QColor("#2468a6"),
        _R.HighlightedText: QColor("#ffffff"),
        _R.Link: QColor("#7cb7ff"),
        _R.LinkVisited: QColor("#b89cff"),
        _R.Mid: QColor("#4a5057"),
        _R.Dark: QColor("#101214"),
        _R.Light: QColor("#3a3f44"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (_R.Text, _R.WindowText, _R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b7178"))
    return p


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme: Theme = "system") -> None:
    """Fusion style with a light or dark palette (Fusion renders both faithfully)."""
    app.setStyle(QStyleFactory.create("Fusion"))
    dark = theme == "dark" or (theme == "system" and system_is_dark())
    app.setPalette(dark_palette() if dark else light_palette())


def is_dark(palette: QPalette) -> bool:
    return palette.color(_R.Window).lightness() < 128


# ----------------------------------------------------------------- named colours


@dataclass(frozen=True, slots=True)
class ThemeColours:
    """Colours beyond the palette's roles, one set per theme."""

    #: Secondary text (captions, dates, bylines) on Window and Base.
    muted: str
    #: Search hints ("Keep typing…") on the toolbar.
    warning_text: str
    #: Error sentences in dialogs.
    error_text: str
    #: The welcome panel's background (the window's text on it).
    welcome_fill: str
    #: Tag chips in the detail pane (links on it).
    chip_fill: str
    #: "What this study does not prove": the text on it, its edge.
    caution_fill: str
    caution_edge: str
    #: The withdrawn notice: text, background.
    withdrawn_text: str
    withdrawn_fill: str
    #: The incomplete-entry notice: text, background.
    incomplete_text: str
    incomplete_fill: str


_LIGHT = ThemeColours(
    muted="#56606a", warning_text="#8a4b00", error_text="#a3190f",
    welcome_fill="#eaf2fb", chip_fill="#eef2f6", caution_fill="#fff6e0", caution_edge="#d39e00",
    withdrawn_text="#7f1d1d", withdrawn_fill="#fdecec",
    incomplete_text="#7a3e00", incomplete_fill="#fff3e0")
_DARK = ThemeColours(
    muted="#9aa3ad", warning_text="#f2b766", error_text="#ff9d94",
    welcome_fill="#1c2b3a", chip_fill="#2b3540", caution_fill="#3b2f12", caution_edge="#d39e00",
    withdrawn_text="#fbdada", withdrawn_fill="#4a1d1d",
    incomplete_text="#fde7c8", incomplete_fill="#3b2a12")


def theme_colours(palette: QPalette | None = None) -> ThemeColours:
    """The named colours for ``palette`` (by default the application's)."""
    return _DARK if is_dark(palette or QGuiApplication.palette()) else _LIGHT


def themed_pairs(palette: QPalette) -> list[tuple[str, QColor, QColor]]:
    """(what, text colour, background colour) for every pair of colours the window shows
    text in under ``palette``."""
    c = theme_colours(palette)

    def role(r: QPalette.ColorRole) -> QColor:
        return palette.color(QPalette.ColorGroup.Active, r)

    pairs: list[tuple[str, QColor, QColor]] = []
    for bg_name, bg in (("window", _R.Window), ("base", _R.Base),
                        ("alternate rows", _R.AlternateBase)):
        for fg_name, fg in (("text", _R.Text), ("window text", _R.WindowText),
                            ("muted text (counts, placeholders, greyed titles, chart labels)",
                             _R.PlaceholderText), ("links", _R.Link)):
            pairs.append((f"{fg_name} on {bg_name}", role(fg), role(bg)))
        pairs.append((f"muted captions on {bg_name}", QColor(c.muted), role(bg)))
        pairs.append((f"hints on {bg_name}", QColor(c.warning_text), role(bg)))
        pairs.append((f"errors on {bg_name}", QColor(c.error_text), role(bg)))
    pairs += [
        ("buttons", role(_R.ButtonText), role(_R.Button)),
        ("selected rows", role(_R.HighlightedText), role(_R.Highlight)),
        ("tooltips", role(_R.ToolTipText), role(_R.ToolTipBase)),
        ("welcome panel", role(_R.WindowText), QColor(c.welcome_fill)),
        ("tag chips", role(_R.Link), QColor(c.chip_fill)),
        ("'does not prove' box", role(_R.Text), QColor(c.caution_fill)),
        ("withdrawn notice", QColor(c.withdrawn_text), QColor(c.withdrawn_fill)),
        ("incomplete notice", QColor(c.incomplete_text), QColor(c.incomplete_fill)),
    ]
    return pairs


def relative_luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance of an opaque colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast_ratio(text: QColor, background: QColor) -> float:
    """WCAG 2's contrast ratio of ``text`` (composited over the background if it is
    translucent, as Qt paints it) and ``background``."""
    if text.alphaF() < 1.0:
        a = text.alphaF()
        text = QColor.fromRgbF(text.redF() * a + background.redF() * (1 - a),
                               text.greenF() * a + background.greenF() * (1 - a),
                               text.blueF() * a + background.blueF() * (1 - a))
    light, dark = sorted((relative_luminance(text), relative_luminance(background)),
                         reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(ThemeColours))


# ----------------------------------------------------------------- following a change


class _PaletteFollower(QObject):
    def __init__(self, widget: QWidget, apply: Callable[[], None]) -> None:
        super().__init__(widget)
        self._apply = apply
        self._busy = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.ApplicationPaletteChange,
                            QEvent.Type.PaletteChange) and not self._busy:
            self._busy = True  # applying may change the widget's palette: one pass
            try:
                self._apply()
            finally:
                self._busy = False
        return False


def follow_palette(widget: QWidget, apply: Callable[[], None]) -> None:
    """Call ``apply`` now and whenever ``widget``'s palette changes (a theme switch)."""
    apply()
    _PaletteFollower(widget, apply)


def set_text_colour(widget: QWidget, name: str) -> None:
    """Show ``widget``'s text in the named :class:`ThemeColours` colour, following theme
    switches (its other colours stay the palette's)."""

    def apply() -> None:
        colour = QColor(getattr(theme_colours(QGuiApplication.palette()), name))
        palette = widget.palette()
        for role in (_R.WindowText, _R.Text):
            palette.setColor(role, colour)
        widget.setPalette(palette)

    follow_palette(widget, apply)

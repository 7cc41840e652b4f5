"""Issues 18.11 and 18.12: every themed pair of text and background colour reads at 4.5:1
(WCAG AA) in both themes, the widgets draw with those colours, and switching the theme while
the window is open reaches what paints its own colours (the welcome panel was 1.07:1)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from atlas_desktop.gui.badges import _LIGHT as PILL_KINDS
from atlas_desktop.gui.badges import pill_colours
from atlas_desktop.gui.theme import (
    MIN_CONTRAST,
    apply_theme,
    contrast_ratio,
    dark_palette,
    light_palette,
    theme_colours,
    themed_pairs,
)
from tests.gui.conftest import ops
from tests.sync_support import no_keyring  # noqa: F401 - a fixture

R = QPalette.ColorRole


@pytest.fixture
def app_theme(qapp):
    """Apply a theme to the application for the test; the previous look comes back after."""
    palette, style = QApplication.palette(), qapp.style().name()
    yield lambda theme: apply_theme(qapp, theme)
    qapp.setStyle(style)
    qapp.setPalette(palette)


def _ratio(fg: QColor, bg: QColor) -> float:
    return round(contrast_ratio(fg, bg), 2)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_themed_pair_reads_at_aa(theme):
    palette = light_palette() if theme == "light" else dark_palette()
    low = [(what, fg.name(), bg.name(), _ratio(fg, bg))
           for what, fg, bg in themed_pairs(palette) if contrast_ratio(fg, bg) < MIN_CONTRAST]
    assert not low, low
    names = {what for what, _, _ in themed_pairs(palette)}
    for needed in ("muted text (counts, placeholders, greyed titles, chart labels) on base",
                   "muted text (counts, placeholders, greyed titles, chart labels) on window",
                   "errors on window", "hints on window", "selected rows", "welcome panel"):
        assert needed in names
    # The badge pills: their text on their fill.
    for key in PILL_KINDS:
        kind = key.split("_")[0] if key.startswith(("pem", "confidence")) else key
        colours = pill_colours(kind, key.replace("_", " "), palette)
        assert contrast_ratio(QColor(colours.text), QColor(colours.fill)) >= MIN_CONTRAST, key


def test_the_contrast_ratio_is_wcags():
    assert _ratio(QColor("#000000"), QColor("#ffffff")) == 21.0
    assert _ratio(QColor("#767676"), QColor("#ffffff")) == 4.54
    # Fusion's half-transparent placeholder black, as painted on white: 4.0:1, below AA.
    assert _ratio(QColor(0, 0, 0, 128), QColor("#ffffff")) == 4.0


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_window_draws_with_the_themed_colours(qtbot, window, app_theme, theme):
    from atlas_desktop.gui.dialogs.sync_settings import SyncSettingsDialog

    app_theme(theme)
    QApplication.processEvents()
    checks = {
        "filter counts": (window.sidebar, R.PlaceholderText, R.Base),
        "note placeholder": (window.detail.notes.editor, R.PlaceholderText, R.Base),
        "incomplete titles": (window.table, R.PlaceholderText, R.AlternateBase),
        "chart labels and legend": (window.chart, R.PlaceholderText, R.Window),
        "search hints": (window.hint_label, R.WindowText, R.Window),
    }
    dialog = SyncSettingsDialog(window.library.sync, window.ops, parent=window)
    qtbot.addWidget(dialog)
    dialog.show_error("The address could not be used.")
    checks["sync settings error"] = (dialog.error_label, R.WindowText, R.Window)
    for what, (widget, fg, bg) in checks.items():
        palette = widget.palette()
        assert contrast_ratio(palette.color(fg), palette.color(bg)) >= MIN_CONTRAST, what
    assert dialog.error_label.palette().color(R.WindowText) == QColor(
        theme_colours(window.palette()).error_text)
    assert window.hint_label.palette().color(R.WindowText) == QColor(
        theme_colours(window.palette()).warning_text)


def test_the_sync_settings_error_does_not_overlap_the_keyring_note(qtbot, library,
                                                                  no_keyring):  # noqa: F811
    from atlas_desktop.gui.dialogs.sync_settings import SyncSettingsDialog

    dialog = SyncSettingsDialog(library.sync, ops(library))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    note = dialog.token_note
    assert "keyring" in note.text()
    qtbot.keyClicks(dialog.url_edit, "http://atlas.example.org/api")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    qtbot.waitUntil(dialog.error_label.isVisible)
    QApplication.processEvents()
    error = dialog.error_label
    assert note.height() >= note.heightForWidth(note.width())
    assert error.height() >= error.heightForWidth(error.width())
    assert not note.geometry().intersects(error.geometry())
    assert not error.geometry().intersects(dialog.buttons.geometry())


def test_switching_the_theme_while_open_reaches_what_paints_itself(qtbot, library, settings,
                                                                  app_theme):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    app_theme("light")
    window = MainWindow(library, ImmediateRunner(), settings=settings, writer=ImmediateRunner())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    welcome = window.welcome
    assert welcome.isVisible()

    def welcome_contrast() -> float:
        background = welcome.grab().toImage().pixelColor(6, 6)
        return contrast_ratio(welcome.palette().color(R.WindowText), background)

    assert welcome_contrast() >= MIN_CONTRAST
    app_theme("dark")
    QApplication.processEvents()
    assert welcome_contrast() >= MIN_CONTRAST
    # The detail pane's text carries colours: it is laid out again in the dark ones.
    dark = theme_colours(dark_palette())
    assert dark.muted in window.detail.browser.toHtml()
    app_theme("light")
    QApplication.processEvents()
    assert welcome_contrast() >= MIN_CONTRAST
    assert theme_colours(light_palette()).muted in window.detail.browser.toHtml()
    window.close()

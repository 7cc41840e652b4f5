"""The window opens on a library and lists it; typing searches; a hostile title stays text."""

from __future__ import annotations

from atlas_desktop.gui.main_window import MainWindow
from atlas_desktop.gui.runner import ImmediateRunner


def test_window_lists_the_library_and_searches(qtbot, seeded_library, tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(seeded_library, ImmediateRunner(), settings=settings)
    qtbot.addWidget(window)
    assert window.model.rowCount() == 5
    assert "5 of 5 entries" in window.count_label.text()
    qtbot.keyClicks(window.search_box, "author:twisk")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=2000)
    qtbot.waitUntil(lambda: window.detail.entry.id == "twisk-2009-review-cognitive")
    html = window.detail.document().toHtml()
    assert "What this study does not prove" in html

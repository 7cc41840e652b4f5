"""GUI test set-up shared by the tests in this folder."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _empty_clipboard_before_exit():
    """Qt's offscreen platform keeps clipboard data in a static object destroyed after Python
    has shut down; deleting a QMimeData then crashes the process (exit code 139) although
    every test passed. Real platforms (xcb, Windows, macOS) are not affected. Emptying the
    clipboard at the end of the session avoids it."""
    yield
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()

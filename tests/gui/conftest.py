"""GUI fixtures: a window on a real library, with its own settings file."""

from __future__ import annotations

import pytest


@pytest.fixture
def settings(tmp_path):
    """The window's settings. Marking an entry read after a few seconds on screen is off
    here: it would write in the middle of tests about something else, at a moment that
    depends on the machine's speed (tests/gui/test_read_when_shown.py turns it on)."""
    from PySide6.QtCore import QSettings

    from atlas_desktop.gui.read_marker import AUTO_READ_KEY

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(AUTO_READ_KEY, False)
    return settings


@pytest.fixture
def window(qtbot, seeded_library, settings):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    # Reads and writes at once on this thread: each test sees the outcome of what it did.
    win = MainWindow(seeded_library, ImmediateRunner(), settings=settings,
                     writer=ImmediateRunner())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture
def runner(qtbot):
    """A real worker-thread runner on its own pool, drained after the test."""
    from PySide6.QtCore import QThreadPool

    from atlas_desktop.gui.runner import ThreadPoolRunner

    pool = QThreadPool()
    yield ThreadPoolRunner(pool)
    pool.waitForDone(30_000)


def entry_ids_in_list(window):
    return [window.model.list_row(r).id for r in range(window.model.rowCount())]


@pytest.fixture
def clipboard(qapp):
    """The real system clipboard, emptied for the test."""
    from PySide6.QtGui import QGuiApplication

    board = QGuiApplication.clipboard()
    board.clear()
    return board


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


def ops(library, writer=None):
    """The window's operations over ``library``: each write at once on this thread, or on
    ``writer``'s (the window's own is one thread of its own)."""
    from atlas_desktop.gui.operations import Operations
    from atlas_desktop.gui.runner import ImmediateRunner

    return Operations(library, writer or ImmediateRunner())

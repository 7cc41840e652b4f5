"""Issue 18.26: reading an entry marks it read once it has been shown for a few seconds (an
operation, like every write of the window), unless the user moved on, marked it by hand, or
turned it off in the preferences."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from atlas_desktop.domain.changes import Changes
from atlas_desktop.gui.read_marker import AUTO_READ_KEY, READ_AFTER_MS, marks_read_when_shown
from tests.gui.conftest import entry_ids_in_list

SHORT_MS = 60  # the real few seconds, shortened for the test


@pytest.fixture(autouse=True)
def marking_on(settings):
    """The other GUI tests turn it off (their conftest); here it is on, as by default."""
    settings.setValue(AUTO_READ_KEY, True)


def test_it_is_on_by_default(tmp_path):
    assert marks_read_when_shown(QSettings(str(tmp_path / "new.ini"),
                                           QSettings.Format.IniFormat))


def _read(window, entry_id: str) -> bool:
    return window.library.annotations.user_data(entry_id=entry_id).read


def _show(qtbot, window, entry_id: str) -> None:
    window.select_entry(entry_id)
    qtbot.waitUntil(lambda: window.detail.entry is not None
                    and window.detail.entry.id == entry_id)


def test_an_entry_shown_for_a_while_is_marked_read_through_an_operation(qtbot, window):
    assert READ_AFTER_MS >= 2000  # "a few seconds", not a glance
    window.read_marker.timer.setInterval(SHORT_MS)
    first, second = entry_ids_in_list(window)[:2]
    _show(qtbot, window, second)  # (the first row was selected at start: move off it)
    notices = []
    window.ops.changed.connect(notices.append)
    _show(qtbot, window, first)
    assert not _read(window, first)
    qtbot.waitUntil(lambda: _read(window, first), timeout=5000)
    (notice,) = [n for n in notices if n.concerns(Changes.STATE)]
    assert notice.initiator is window.read_marker and notice.entry_ids == frozenset({first})
    qtbot.waitUntil(window.commands.mark_read.isChecked)  # the Entry menu follows


def test_moving_on_first_or_marking_by_hand_leaves_it_as_it_is(qtbot, window):
    window.read_marker.timer.setInterval(SHORT_MS)
    ids = entry_ids_in_list(window)
    _show(qtbot, window, ids[1])
    _show(qtbot, window, ids[2])  # before the first could count as read
    qtbot.waitUntil(lambda: _read(window, ids[2]), timeout=5000)
    assert not _read(window, ids[1])
    # Marked read by hand, then unread by hand, while shown: the hand wins.
    _show(qtbot, window, ids[3])
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert not _read(window, ids[3]) and not window.read_marker.timer.isActive()


def test_the_preference_turns_it_off(qtbot, window, settings):
    dialog = window.preferences_dialog()
    qtbot.addWidget(dialog)
    assert dialog.auto_read_box.isChecked()
    dialog.auto_read_box.setChecked(False)
    dialog.accept()
    assert settings.value(AUTO_READ_KEY, type=bool) is False
    window.read_marker.timer.setInterval(SHORT_MS)
    ids = entry_ids_in_list(window)
    _show(qtbot, window, ids[1])
    assert not window.read_marker.timer.isActive()
    _show(qtbot, window, ids[2])
    assert not _read(window, ids[1]) and not window.read_marker.timer.isActive()
    again = window.preferences_dialog()
    qtbot.addWidget(again)
    assert not again.auto_read_box.isChecked()

"""Issue 18.10: the first window is sized to the screen's free area, and a saved size is
restored only while it still fits. Each screen is a real (offscreen) screen of the size
asked for, in a child process: 1024 × 768, and 1920 × 1080 at 150 % (1280 × 720 logical)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QRect

from tests.conftest import REPO


def _open(tmp_path, screen: tuple[int, int, float], *, move: str | None = None) -> dict:
    width, height, dpr = screen
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{
        "name": "test", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": dpr}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    command = [sys.executable, "-m", "tests.gui.geometry_probe", str(tmp_path / "settings.ini"),
               str(tmp_path / "library")]
    if move:
        command += ["--move", move]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _inside(shown: dict) -> bool:
    return QRect(*shown["available"]).contains(QRect(*shown["frame"]))


@pytest.mark.parametrize("screen", [(1024, 768, 1.0), (1280, 720, 1.5)],
                         ids=["1024x768", "1920x1080-at-150"])
def test_the_first_window_fits_the_screen(tmp_path, screen):
    shown = _open(tmp_path, screen)
    assert shown["dpr"] == screen[2]
    assert _inside(shown), shown
    # It uses the room there is: most of a small screen.
    assert shown["geometry"][2] >= 0.9 * screen[0] and shown["geometry"][3] >= 0.8 * screen[1]
    assert shown["minimum"][0] <= screen[0] and shown["minimum"][1] <= screen[1]


def test_a_saved_size_is_restored_while_it_fits_and_not_after(tmp_path):
    big, small = (1920, 1080, 1.0), (1024, 768, 1.0)
    _open(tmp_path, big, move="100,80,1600,950")  # a session on a large screen
    again = _open(tmp_path, big)
    assert again["geometry"][2:] == [1600, 950]  # it fits: restored as it was
    on_laptop = _open(tmp_path, small)  # the same settings, a smaller screen now
    assert _inside(on_laptop), on_laptop
    assert on_laptop["geometry"][2:] != [1600, 950]
    _open(tmp_path, small, move="40,30,900,640")
    assert _open(tmp_path, small)["geometry"][2:] == [900, 640]


def test_the_window_in_this_test_run_fits_its_screen(window):
    screen = window.screen().availableGeometry()
    assert screen.contains(window.frameGeometry()), (screen, window.frameGeometry())


def test_a_narrow_list_gives_the_badges_less_room_first(qtbot, window):
    """At 1024 px the badges took the list's width and the titles shrank to a few letters
    behind a horizontal scroll bar."""
    from atlas_desktop.gui.entry_list import BADGES_MIN
    from atlas_desktop.gui.models.entry_table import Column

    header = window.table.horizontalHeader()
    wanted = window.table.badges_wanted
    assert wanted == 250  # the column's own width, whatever this small screen allowed
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: header.sectionSize(Column.BADGES) == wanted)
    window.resize(1024, 740)
    qtbot.waitUntil(lambda: header.sectionSize(Column.BADGES) < wanted)
    assert header.sectionSize(Column.BADGES) >= BADGES_MIN
    assert not window.table.horizontalScrollBar().isVisible()
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: header.sectionSize(Column.BADGES) == wanted)


def test_the_first_window_on_1024_px_gives_the_titles_room(tmp_path):
    from atlas_desktop.gui.entry_list import TITLE_MIN

    shown = _open(tmp_path, (1024, 768, 1.0))
    assert shown["title_width"] >= TITLE_MIN, shown
    assert not shown["list_scrolls_sideways"]

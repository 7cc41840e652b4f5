"""The real window in its own process: it opens a new library, paints its first page, and
has left start-up's objects out of the cycle collector by then (application.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys


def test_the_window_starts_paints_and_freezes_startup_objects(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ATLAS_DESKTOP_EXIT_WHEN_READY": "1",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    proc = subprocess.run(
        [sys.executable, "-m", "atlas_desktop", "--data-dir", str(tmp_path / "lib")],
        capture_output=True, text=True, timeout=120, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    ready = re.search(r"^ATLAS_READY frozen=(\d+)$", proc.stdout, re.MULTILINE)
    assert ready, proc.stdout
    assert int(ready.group(1)) > 10_000  # modules, widgets and the library, not a handful
    assert (tmp_path / "lib" / "library.sqlite3").is_file()  # the sample library was made

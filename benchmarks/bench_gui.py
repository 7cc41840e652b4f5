"""The window at 100k entries: start-up to an interactive list, typing, facets, selecting
rows, peak memory. Each measured in fresh processes, offscreen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from .context import BenchContext, summarise


def run(ctx: BenchContext) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for size in ctx.sizes:
        data_dir = ctx.library_dir(size)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "ATLAS_DESKTOP_EXIT_WHEN_READY": "1",
               "XDG_CONFIG_HOME": str(ctx.root / "config")}
        starts = []
        for _ in range(7):
            started = time.perf_counter()
            with subprocess.Popen([sys.executable, "-m", "atlas_desktop", "--data-dir",
                                   str(data_dir)], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True) as proc:
                assert proc.stdout is not None
                line = proc.stdout.readline()  # printed once the list is painted
                starts.append((time.perf_counter() - started) * 1000)
                assert line.startswith("ATLAS_READY"), line
                proc.wait(timeout=60)
        figures: dict[str, Any] = {"process_start_to_painted_list": summarise(starts)}
        probe = subprocess.run(
            [sys.executable, "-m", "benchmarks.gui_probe", str(data_dir),
             str(ctx.root / f"probe-{size}.ini")],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True,
            text=True, check=False, timeout=600)
        assert probe.returncode == 0, probe.stderr
        figures.update(json.loads(probe.stdout.strip().splitlines()[-1]))
        out[str(size)] = figures
    return out

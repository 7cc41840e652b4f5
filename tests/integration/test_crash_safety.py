"""Notes and reports survive a killed process: every write announced as committed is there,
nothing is half-written, and the file passes SQLite's integrity check.

A child process writes notes and reports in a loop and prints each one only after its
transaction has committed; the test kills it with SIGKILL at random moments, many times.
``ATLAS_CRASH_ROUNDS`` raises the number of kills (``make crash-test`` runs a long version).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROUNDS = int(os.environ.get("ATLAS_CRASH_ROUNDS", "14"))
ENTRY_IDS = ["heins-2013-role-therapeutic", "daniels-2011-socialization-model",
             "twisk-2009-review-cognitive", "stein-improving-therapeutic", "van-der-vaart-2019"]

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from atlas_desktop.domain.reports import ReportDraft
    from atlas_desktop.paths import LibraryPaths
    from atlas_desktop.services import open_library

    data_dir, start = Path(sys.argv[1]), int(sys.argv[2])
    ids = sys.argv[3].split(",")
    library = open_library(LibraryPaths(data_dir), check="skip")
    print("ready", flush=True)
    n = start
    while True:
        entry = ids[n % len(ids)]
        # A long note, so a torn write would show as a text without its closing marker.
        text = f"note {n} " + ("évidence " * (50 + n % 400)) + f"end {n}"
        library.annotations.set_note(entry_id=entry, text=text)
        print(f"note {entry} {n}", flush=True)
        report = library.reports.create_report(draft=ReportDraft(
            entry_id=entry, field="other", problem=f"problem {n} " + "x" * (n % 900)))
        print(f"report {report.report_id} {n}", flush=True)
        n += 1
""")


def _run_child(data_dir: Path, start: int, kill_after: float) -> list[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), str(start), ",".join(ENTRY_IDS)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    ready = proc.stdout.readline()
    assert ready.strip() == "ready", proc.stderr.read() if proc.stderr else ready
    time.sleep(kill_after)  # a random moment in the middle of writing; not a wait for a result
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return out.splitlines()


@pytest.mark.slow
def test_killed_writer_loses_nothing_it_announced(tmp_path, seeds):
    from atlas_desktop.paths import LibraryPaths
    from atlas_desktop.services import open_library

    data_dir = tmp_path / "library"
    library = open_library(LibraryPaths(data_dir))
    assert library.importer.import_files(paths=seeds).committed
    library.close()

    rng = random.Random(20261121)
    announced_notes: dict[str, int] = {}
    announced_reports: dict[str, int] = {}
    start = 0
    for _ in range(ROUNDS):
        lines = _run_child(data_dir, start, kill_after=rng.uniform(0.05, 0.6))
        for line in lines:
            kind, key, n = line.split()
            if kind == "note":
                announced_notes[key] = max(announced_notes.get(key, -1), int(n))
            else:
                announced_reports[key] = int(n)
        start += 10_000  # counters of different rounds never collide

    assert announced_reports, "the writer never got to write; the test would prove nothing"
    library = open_library(LibraryPaths(data_dir))  # runs quick_check before anything
    try:
        assert library.ctx.db.integrity_check() == ["ok"]
        for entry_id, last in announced_notes.items():
            note = library.annotations.get_note(entry_id=entry_id)
            assert note is not None
            n = int(note.text.split()[1])
            # A write may have committed after its announcement was lost: never older.
            assert n >= last
            assert note.text.endswith(f"end {n}"), "a note was half-written"
        stored = {r.report_id: r for r in library.reports.list()}
        for report_id in announced_reports:
            report = stored[report_id]
            body = json.loads(report.body)
            assert body["report_id"] == report_id
            assert body["problem"].startswith("problem ")
        assert len(stored) >= len(announced_reports)
    finally:
        library.close()

"""Randomised runs against a faulty server, and a client killed with SIGKILL mid-sync.

Whatever the faults (500s, 503 + Retry-After, answers lost after the report was stored,
answers slower than the timeout) and wherever the client dies, every queued report ends up
stored exactly once, none is lost, and the client's state matches the server's.
``SYNC_CHAOS_SEEDS`` / ``SYNC_KILL_CYCLES`` make the runs longer (``make test-sync-long``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys

import pytest

from atlas_desktop.domain.reports import ReportStatus
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.refserver import FaultPlan, RefServer
from atlas_desktop.services import open_library
from tests.sync_support import (
    MovableClock,
    assert_client_matches_server,
    contract_entry,
    make_service,
    queue_reports,
)

SEEDS = int(os.environ.get("SYNC_CHAOS_SEEDS", "10"))
KILL_CYCLES = int(os.environ.get("SYNC_KILL_CYCLES", "6"))


def _mutate_catalogue(server: RefServer, rng: random.Random, serial: list[int]) -> None:
    """What an atlas does between syncs: new entries, edits, badge changes, withdrawals."""
    live = server.db.live_ids()
    for _ in range(rng.randint(0, 4)):
        serial[0] += 1
        server.put_entries([contract_entry(f"paper-{serial[0]:04d}")])
    for entry_id in rng.sample(live, k=min(len(live), rng.randint(0, 2))):
        server.put_entries([contract_entry(entry_id, badges={
            "pem": rng.choice(["required", "not_required", "unknown"]),
            "review_status": rng.choice(["Reviewed", "Editor reviewed"])},
            summary=f"Revised {rng.random():.6f}")])
    if live and rng.random() < 0.4:
        server.delete_entries([rng.choice(live)])


@pytest.mark.parametrize("seed", range(SEEDS))
def test_randomised_faults_never_lose_or_duplicate_a_report(seeded_library, tmp_path, seed):
    rng = random.Random(seed)
    library = seeded_library
    plan = FaultPlan(fail_rate=0.15, busy_rate=0.1, retry_after=rng.choice(["0", None]),
                     drop_rate=0.15, slow_rate=0.05, slow_seconds=0.4, seed=seed)
    clock = MovableClock()
    serial = [0]
    with RefServer(tmp_path / "server.sqlite3", faults=plan) as server:
        server.put_entries(contract_entry(f"paper-{i:04d}") for i in range(rng.randint(3, 12)))
        serial[0] = 100
        service = make_service(library, clock=clock, seed=seed, read_timeout=0.15,
                               page_limit=rng.choice([2, 3, 5]))
        service.set_server_url(url=server.url)
        report_ids = queue_reports(library, rng.randint(4, 10), prefix=f"Seed {seed}")
        for round_ in range(80):
            if round_ < 6:
                if rng.random() < 0.5:
                    report_ids += queue_reports(library, rng.randint(1, 3),
                                                prefix=f"Seed {seed} round {round_}")
                _mutate_catalogue(server, rng, serial)
            result = service.run(explicit=rng.random() < 0.5)
            clock.advance(700)  # past any backoff (capped at 600 s here)
            if round_ >= 6 and result.ok and result.still_queued == 0:
                break
        else:
            pytest.fail(f"seed {seed}: still not settled: {result.message}")
        faults_seen = sum(server.fault_counts.values())
        # Faults off: one more run must find nothing left to do.
        server.set_faults(FaultPlan())
        final = service.run(explicit=True)
        assert final.ok and not final.sent and not final.replayed
        assert_client_matches_server(library, server, report_ids)
        assert faults_seen > 0  # the faults really happened


def _sync_process(data_dir, *extra, output=subprocess.DEVNULL):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "atlas_desktop", "--data-dir", str(data_dir), "sync", "--once",
         "--page-size", "2", "--timeout", "2", *extra],
        stdout=output, stderr=subprocess.PIPE, env=env)


def test_client_killed_mid_sync_loses_and_duplicates_nothing(tmp_path, seeds):
    rng = random.Random(2026)
    data_dir = tmp_path / "library"
    library = open_library(LibraryPaths(data_dir))
    library.importer.import_files(paths=seeds)
    report_ids = queue_reports(library, 6)
    plan = FaultPlan(drop_rate=0.1, fail_rate=0.05, delay_seconds=0.02, seed=7)
    with RefServer(tmp_path / "server.sqlite3", faults=plan) as server:
        server.put_entries(contract_entry(f"paper-{i:04d}") for i in range(8))
        library.sync.set_server_url(url=server.url)
        library.close()
        kills = 0
        for cycle in range(KILL_CYCLES):
            # New work each cycle, so there is always something to be killed in the middle
            # of: a few reports to send and a few catalogue pages (of two) to pull.
            library = open_library(LibraryPaths(data_dir))
            if cycle % 2 == 0:
                report_ids += queue_reports(library, 3, prefix=f"Cycle {cycle}")
            waiting = library.reports.count_unsent()
            library.close()
            changes = server.put_entries(contract_entry(f"paper-{100 + cycle * 4 + i:04d}")
                                         for i in range(4))
            changes += server.put_entries([contract_entry(f"paper-{cycle:04d}",
                                                          summary=f"Changed in {cycle}.")])
            if cycle % 3 == 2:
                changes += server.delete_entries([f"paper-{100 + cycle:04d}"])
            # Somewhere within this run's requests: its reports, then its pages.
            start = len(server.log)
            target = start + rng.randint(1, waiting + changes // 2 + 1)
            proc = _sync_process(data_dir)
            while proc.poll() is None and not server.wait_for_requests(target, timeout=0.05):
                pass
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait(timeout=30)
        assert kills >= KILL_CYCLES // 2, "the client finished before it could be killed"
        # Every client is dead (each was waited for) and the faults are off: one run settles
        # everything. Its read timeout is a generous one, since only the faulty runs needed a
        # short one and a slow answer on a busy machine is no fault.
        server.set_faults(FaultPlan())
        done = _sync_process(data_dir, "--timeout", "30", "--json", output=subprocess.PIPE)
        out, err = done.communicate(timeout=120)
        assert done.returncode == 0, err.decode()
        final = json.loads(out)
        assert final["state"] == "ok" and final["still_queued"] == 0, final
        library = open_library(LibraryPaths(data_dir))
        try:
            assert library.ctx.db.integrity_check() == ["ok"]
            assert_client_matches_server(library, server, report_ids)
            assert not library.reports.list(statuses=(ReportStatus.SENDING,))
        finally:
            library.close()

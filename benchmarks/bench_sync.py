"""Sync figures over loopback against the reference server: reports sent per second (with
the two committed transactions per report), catalogue entries pulled per second at
realistic entry sizes, and a run that finds nothing to do."""

from __future__ import annotations

import random
import time
from typing import Any

from atlas_desktop.domain.contract import canonical_entry_dict
from atlas_desktop.domain.reports import ReportDraft
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.refserver import RefServer
from atlas_desktop.services import open_library
from atlas_desktop.services.sync import SyncService
from atlas_desktop.services.sync_run import SyncOptions

from .context import BenchContext
from .synth import make_entry

REPORTS = 500
PULL_ENTRIES = 10_000


def run(ctx: BenchContext) -> dict[str, Any]:
    root = ctx.root / "sync"
    root.mkdir(exist_ok=True)
    rng = random.Random(6)
    entries = [canonical_entry_dict(make_entry(rng, i)) for i in range(PULL_ENTRIES)]
    out: dict[str, Any] = {}
    with RefServer(root / "server.sqlite3") as server:
        server.put_entries(entries)
        for limit in (500, 1000):
            library = open_library(LibraryPaths(root / f"pull-{limit}"))
            service = SyncService(library.ctx, options=SyncOptions(page_limit=limit))
            service.set_server_url(url=server.url)
            started = time.perf_counter()
            result = service.run(explicit=True)
            seconds = time.perf_counter() - started
            assert result.ok and len(result.catalogue.new) == PULL_ENTRIES, result.message
            out[f"pull_{PULL_ENTRIES}_entries_page_{limit}"] = {
                "seconds": round(seconds, 2),
                "entries_per_s": round(PULL_ENTRIES / seconds),
                "pages": result.catalogue.pages,
            }
            if limit == 1000:
                started = time.perf_counter()
                idle = service.run(explicit=True)
                out["run_with_nothing_to_do_ms"] = round(
                    (time.perf_counter() - started) * 1000, 1)
                assert idle.ok and idle.catalogue.empty
                ids = [e["id"] for e in entries[:5]]
                started = time.perf_counter()
                for i in range(REPORTS):
                    library.reports.create_report(draft=ReportDraft(
                        entry_id=ids[i % 5], field="summary",
                        problem=f"Report {i}: the summary misstates the sample size."))
                queue_seconds = time.perf_counter() - started
                started = time.perf_counter()
                sent = service.run(explicit=True)
                seconds = time.perf_counter() - started
                assert len(sent.sent) == REPORTS, sent.message
                out["send_reports"] = {
                    "reports": REPORTS,
                    "seconds": round(seconds, 2),
                    "reports_per_s": round(REPORTS / seconds),
                    "queue_one_report_ms": round(queue_seconds / REPORTS * 1000, 2),
                }
            library.close()
    return out

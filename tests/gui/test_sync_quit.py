"""Issue 19, item 6, in the window: closing while a server drips its answer ends the sync at
once, and the report stays queued, due at the next sync."""

from __future__ import annotations

from atlas_desktop.domain.reports import ReportStatus
from atlas_desktop.gui.sync_controller import SyncController
from tests.net.rawserver import RawServer, drip_headers
from tests.sync_support import make_service, queue_reports


def test_closing_during_a_dripping_answer_cancels_the_sync_at_once(qtbot, seeded_library,
                                                                   runner):
    [report_id] = queue_reports(seeded_library, 1)
    with RawServer(drip_headers) as server:
        # Each request could last a minute; nothing in it is ever silent for 30 s.
        service = make_service(seeded_library, read_timeout=30, total_timeout=60)
        service.set_server_url(url=server.url)
        controller = SyncController(service, runner, watch_network=False)
        controller.sync_now()
        qtbot.waitUntil(lambda: bool(server.requests), timeout=10_000)
        controller.shutdown()  # what closing the window does
        assert runner.wait(10_000)  # the window's quit waits for the runner: not for a minute
        assert server.closed_early.wait(5)
    report = seeded_library.reports.get(report_id=report_id)
    assert report.status is ReportStatus.QUEUED and report.next_attempt_at is None

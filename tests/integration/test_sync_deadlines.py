"""Issue 19, item 6, at the level of a sync run: a server dripping its headers cannot hold
a run, a run has its own deadline, and stopping leaves the outbox as it was."""

from __future__ import annotations

import threading

from atlas_desktop.domain.reports import ReportStatus
from atlas_desktop.domain.sync import SyncState
from tests.net.rawserver import RawServer, drip_headers
from tests.sync_support import make_service, queue_reports


def test_a_server_dripping_its_headers_ends_at_the_request_deadline(seeded_library):
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    with RawServer(drip_headers) as server:
        service = make_service(library, read_timeout=5, total_timeout=0.5)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
    report = library.reports.get(report_id=report_id)
    assert result.retry_later == [report_id]
    assert report.status is ReportStatus.QUEUED
    assert "within 0.5 seconds" in report.last_error
    assert "within 5 seconds" not in report.last_error


def test_a_run_stops_at_its_own_deadline_and_says_so(seeded_library):
    library = seeded_library
    ids = queue_reports(library, 3)
    with RawServer(drip_headers) as server:
        # Each request could take 30 s; the run as a whole may take 0.6 s.
        service = make_service(library, read_timeout=5, total_timeout=30, run_timeout=0.6)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
    assert result.state is SyncState.ERROR
    errors = {library.reports.get(report_id=i).last_error for i in ids} - {None}
    assert any("longer than 0.6 seconds in all" in e for e in errors), errors
    assert all(library.reports.get(report_id=i).status is ReportStatus.QUEUED for i in ids)
    assert len(server.requests) == 1  # after the run's deadline nothing more was sent


def test_cancelling_a_run_ends_the_request_in_flight_and_keeps_the_report_due(seeded_library):
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    cancel = threading.Event()

    def drip_then_quit(conn, stop):
        conn.sendall(b"HTTP/1.1 201 Created\r\n")
        cancel.set()  # the window closes while the answer drips
        while not stop.wait(0.05):
            conn.sendall(b"X")

    with RawServer(drip_then_quit) as server:
        service = make_service(library, read_timeout=30, total_timeout=60)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True, cancel=cancel)
        assert server.closed_early.wait(5)
    report = library.reports.get(report_id=report_id)
    assert "stopped" in result.message
    assert report.status is ReportStatus.QUEUED
    assert report.next_attempt_at is None  # due again at the next sync, no backoff

"""The sync controller: runs on a real background thread against a real loopback server,
and reports through signals on the UI thread."""

from __future__ import annotations

from PySide6.QtNetwork import QNetworkInformation

from atlas_desktop.domain.reports import ReportStatus
from atlas_desktop.domain.sync import SyncState
from atlas_desktop.gui.sync_controller import SyncController
from atlas_desktop.refserver import FaultPlan
from tests.sync_support import (
    contract_entry,
    make_service,
    queue_reports,
    refserver,  # noqa: F401 - fixture
)

Reach = QNetworkInformation.Reachability



def make_controller(library, runner, **kw):
    service = make_service(library)
    controller = SyncController(service, runner, watch_network=False, **kw)
    results, statuses = [], []
    controller.run_finished.connect(results.append)
    controller.status_changed.connect(statuses.append)
    return controller, service, results, statuses


def test_without_a_server_the_status_says_reports_wait(qtbot, seeded_library, runner):
    queue_reports(seeded_library, 2)
    controller, _, results, statuses = make_controller(seeded_library, runner)
    with qtbot.waitSignal(controller.run_finished, timeout=10_000):
        controller.start()
    controller.shutdown()
    assert statuses[0].running  # "Syncing…" while it ran
    final = statuses[-1]
    assert final.state is SyncState.NOT_CONFIGURED and not final.running
    assert final.queued == 2
    assert final.status_line() == "No atlas server set: reports wait in the outbox (2)."
    assert results[0].state is SyncState.NOT_CONFIGURED


def test_sync_now_sends_in_the_background_and_reports_the_last_good_sync(
        qtbot, seeded_library, runner, refserver):  # noqa: F811
    ids = queue_reports(seeded_library, 3)
    refserver.put_entries([contract_entry("study-new")])
    controller, service, results, statuses = make_controller(seeded_library, runner)
    service.set_server_url(url=refserver.url)
    updates = []
    controller.catalogue_updated.connect(updates.append)
    with qtbot.waitSignal(controller.run_finished, timeout=10_000):
        controller.sync_now()
    controller.shutdown()
    assert results[0].explicit and results[0].sent == ids
    final = statuses[-1]
    assert final.state is SyncState.OK and final.last_success_at is not None
    assert final.queued == 0 and final.status_line().startswith("Synced; last synced ")
    assert [c.entry_id for c in updates[0].new] == ["study-new"]
    assert {r.report_id for r in refserver.reports()} == set(ids)


def test_requests_during_a_run_make_exactly_one_more_run(qtbot, seeded_library, runner,
                                                         refserver):  # noqa: F811
    queue_reports(seeded_library, 2)
    refserver.set_faults(FaultPlan(delay_seconds=0.2))
    controller, service, results, _ = make_controller(seeded_library, runner)
    service.set_server_url(url=refserver.url)
    controller.request(explicit=False)
    assert controller.running
    controller.request(explicit=False)
    controller.sync_now()
    controller.request(explicit=False)
    qtbot.waitUntil(lambda: len(results) == 2 and not controller.running, timeout=15_000)
    controller.shutdown()
    assert [r.explicit for r in results] == [False, True]  # the explicit wish was kept
    assert controller._pending is None  # nothing else is coming


def test_the_timer_runs_automatic_syncs(qtbot, seeded_library, runner, refserver):  # noqa: F811
    controller, service, results, _ = make_controller(seeded_library, runner, interval_ms=50)
    service.set_server_url(url=refserver.url)
    controller.start()
    qtbot.waitUntil(lambda: len(results) >= 3, timeout=15_000)
    controller.shutdown()
    assert not any(r.explicit for r in results)


def test_network_coming_back_retries_at_once(qtbot, seeded_library, runner, refserver):  # noqa: F811
    [report_id] = queue_reports(seeded_library, 1)
    controller, service, results, _ = make_controller(seeded_library, runner)
    service.set_server_url(url=refserver.url)
    refserver.set_faults(FaultPlan(fail_rate=1.0))
    with qtbot.waitSignal(controller.run_finished, timeout=10_000):
        controller.request(explicit=False)
    assert results[0].retry_later == [report_id]  # now waiting for its backoff
    refserver.set_faults(FaultPlan())
    controller._on_network_reachability_changed(Reach.Disconnected)
    assert len(results) == 1  # going offline starts nothing
    with qtbot.waitSignal(controller.run_finished, timeout=10_000):
        controller._on_network_reachability_changed(Reach.Online)
    controller.shutdown()
    assert results[1].explicit and results[1].sent == [report_id]
    assert seeded_library.reports.get(report_id=report_id).status is ReportStatus.SENT


def test_after_shutdown_nothing_more_runs(qtbot, seeded_library, runner):
    controller, _, results, statuses = make_controller(seeded_library, runner)
    controller.shutdown()
    controller.sync_now()
    controller.sync_soon()
    assert not controller.running and statuses == [] and results == []


def test_watching_the_network_is_harmless_where_there_is_no_backend(qtbot, seeded_library,
                                                                     runner):
    service = make_service(seeded_library)
    controller = SyncController(service, runner, watch_network=True)
    with qtbot.waitSignal(controller.run_finished, timeout=10_000):
        controller.start()
    controller.shutdown()

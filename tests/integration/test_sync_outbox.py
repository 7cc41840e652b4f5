"""Sending the outbox over real HTTP on loopback: each row of the contract's table does what
the contract says, against the reference server and against scripted "independent" ones."""

from __future__ import annotations

import json
from datetime import timedelta
from email.utils import format_datetime

import pytest

from atlas_desktop.domain.reports import ReportStatus
from atlas_desktop.domain.sync import SyncState
from atlas_desktop.refserver import FaultPlan, RefServer
from atlas_desktop.services.sync import SyncSettingsError
from atlas_desktop.store import user as user_store
from tests.sync_support import (
    MovableClock,
    ScriptedServer,
    empty_page,
    json_reply,
    make_service,
    memory_keyring,  # noqa: F401 - fixture
    posts,
    queue_reports,
    refserver,  # noqa: F401 - fixture
)


def statuses(library, ids):
    return [library.reports.get(report_id=i).status for i in ids]


def test_reports_go_oldest_first_one_request_each_with_key_and_exact_body(seeded_library):
    library = seeded_library
    ids = queue_reports(library, 3)

    def reply(seen):
        if seen.method == "GET":
            return empty_page()
        rid = json.loads(seen.body)["report_id"]
        return json_reply(201, {"report_id": rid, "status": "received",
                                "received_at": "2026-11-21T09:31:00Z"})

    with ScriptedServer(reply) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
    sent = list(posts(server))
    assert [s.headers["idempotency-key"] for s in sent] == ids
    for seen, report_id in zip(sent, ids, strict=True):
        assert seen.path == "/v1/corrections"
        assert seen.body == library.reports.get(report_id=report_id).body.encode()
        assert seen.headers["content-type"] == "application/json"
        assert seen.headers["user-agent"].startswith("atlas-desktop/")
        assert "authorization" not in seen.headers
    assert result.ok and result.sent == ids
    report = library.reports.get(report_id=ids[0])
    assert report.status is ReportStatus.SENT and report.attempts == 1
    assert report.received_at == "2026-11-21T09:31:00Z"


def test_invalid_report_needs_attention_then_the_edit_is_sent_under_the_same_id(
        seeded_library):
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    answers = iter([
        json_reply(422, {"error": "problem must name the page", "field": "problem"}),
        json_reply(201, {"report_id": report_id}),
    ])
    with ScriptedServer(lambda s: empty_page() if s.method == "GET" else next(answers)) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        first = service.run(explicit=True)
        report = library.reports.get(report_id=report_id)
        assert report.status is ReportStatus.NEEDS_ATTENTION
        assert "problem must name the page" in report.last_error
        assert first.ok and first.needs_attention[0].http_status == 422
        # Not sent again on its own.
        service.run(explicit=True)
        assert len(list(posts(server))) == 1
        library.reports.edit_and_requeue(report_id=report_id,
                                         problem="Page 3: the sample size is 64, not 46.")
        second = service.run(explicit=True)
    bodies = [json.loads(s.body) for s in posts(server)]
    assert [b["report_id"] for b in bodies] == [report_id, report_id]
    assert bodies[1]["problem"].startswith("Page 3")
    assert second.sent == [report_id]


def test_401_stops_the_run_keeps_everything_queued_and_a_token_fixes_it(
        seeded_library, tmp_path, memory_keyring):  # noqa: F811
    library = seeded_library
    ids = queue_reports(library, 3)
    with RefServer(tmp_path / "server.sqlite3", token="s3cret") as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
        assert result.state is SyncState.REFUSED and not result.ok
        assert "token" in result.message
        assert [m for m, _, s in server.log if m == "POST"] == ["POST"]  # stopped at once
        assert statuses(library, ids) == [ReportStatus.QUEUED] * 3
        service.set_token(token="s3cret")
        assert memory_keyring.store == {("atlas-desktop", server.url): "s3cret"}
        again = service.run(explicit=True)
        assert again.ok and again.sent == ids
        assert {r.report_id for r in server.reports()} == set(ids)


def test_404_says_the_address_looks_wrong_and_sends_nothing_else(seeded_library, tmp_path):
    library = seeded_library
    ids = queue_reports(library, 2)
    with RefServer(tmp_path / "server.sqlite3", base_path="/api") as server:
        service = make_service(library)
        service.set_server_url(url=server.url.removesuffix("/api"))
        result = service.run(explicit=True)
        assert result.state is SyncState.WRONG_URL
        assert "address looks wrong" in result.message
        assert len(server.log) == 1 and server.log[0][2] == 404
        assert statuses(library, ids) == [ReportStatus.QUEUED] * 2
        service.set_server_url(url=server.url)
        assert service.run(explicit=True).sent == ids


def test_409_conflict_needs_attention_and_is_never_resent(seeded_library, refserver):  # noqa: F811
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    refserver.db.store_report(report_id, b'{"another": "body"}')
    service = make_service(library)
    service.set_server_url(url=refserver.url)
    result = service.run(explicit=True)
    report = library.reports.get(report_id=report_id)
    assert report.status is ReportStatus.NEEDS_ATTENTION and "409" in report.last_error
    assert result.ok  # the server answered; the user decides
    service.run(explicit=True)
    assert [s for m, _, s in refserver.log if m == "POST"] == [409]
    assert refserver.db.get_report(report_id).body == b'{"another": "body"}'


def test_retry_after_holds_back_even_sync_now_until_the_time_has_passed(
        seeded_library, refserver):  # noqa: F811
    library = seeded_library
    ids = queue_reports(library, 2)
    clock = MovableClock()
    refserver.set_faults(FaultPlan(busy_rate=1.0, retry_after="120"))
    service = make_service(library, clock=clock)
    service.set_server_url(url=refserver.url)
    result = service.run(explicit=True)
    assert result.state is SyncState.WAITING and result.wait_until is not None
    assert len(refserver.log) == 1  # the busy answer stopped the run
    report = library.reports.get(report_id=ids[0])
    assert report.status is ReportStatus.QUEUED and report.last_error
    clock.advance(119)
    assert service.run(explicit=True).state is SyncState.WAITING
    assert len(refserver.log) == 1  # "Sync now" did not knock
    refserver.set_faults(FaultPlan())
    clock.advance(2)
    assert service.run(explicit=True).sent == ids


def test_429_with_an_http_date_is_honoured(seeded_library, refserver):  # noqa: F811
    library = seeded_library
    queue_reports(library, 1)
    clock = MovableClock()
    date = format_datetime(clock.now + timedelta(minutes=10), usegmt=True)
    refserver.set_faults(FaultPlan(busy_rate=1.0, busy_status=429, retry_after=date))
    service = make_service(library, clock=clock)
    service.set_server_url(url=refserver.url)
    assert service.run(explicit=True).state is SyncState.WAITING
    wait = service.wait_until()
    assert wait is not None and abs((wait - clock.now).total_seconds() - 600) <= 1
    clock.advance(300)
    service.run(explicit=True)
    assert len(refserver.log) == 1


def test_transient_failures_back_off_for_automatic_runs_but_not_for_sync_now(
        seeded_library, refserver):  # noqa: F811
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    clock = MovableClock()
    refserver.set_faults(FaultPlan(fail_rate=1.0))
    service = make_service(library, clock=clock)
    service.set_server_url(url=refserver.url)
    result = service.run(explicit=True)
    assert result.state is SyncState.ERROR and result.retry_later == [report_id]
    report = library.reports.get(report_id=report_id)
    assert report.attempts == 1 and "HTTP 500" in report.last_error
    assert report.next_attempt_at > result.started_at
    posts_before = len(refserver.log)
    service.run(explicit=False)  # automatic: the backoff has not passed
    assert len([m for m, _, _ in refserver.log[posts_before:] if m == "POST"]) == 0
    service.run(explicit=True)  # "Sync now" tries at once
    assert library.reports.get(report_id=report_id).attempts == 2
    refserver.set_faults(FaultPlan())
    clock.advance(600)
    assert service.run(explicit=False).sent == [report_id]


def test_one_failing_report_does_not_block_the_others(seeded_library):
    library = seeded_library
    ids = queue_reports(library, 4)

    def reply(seen):
        if seen.method == "GET":
            return empty_page()
        rid = json.loads(seen.body)["report_id"]
        return json_reply(500, {}) if rid == ids[0] else json_reply(201, {"report_id": rid})

    with ScriptedServer(reply) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
    assert result.sent == ids[1:] and result.retry_later == [ids[0]]
    assert statuses(library, ids) == [ReportStatus.QUEUED] + [ReportStatus.SENT] * 3


def test_a_report_left_sending_by_a_crash_is_sent_again_and_stored_once(
        seeded_library, refserver):  # noqa: F811
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    report = library.reports.get(report_id=report_id)
    # The crash happened after the server stored it and before the answer was recorded.
    refserver.db.store_report(report_id, report.body.encode())
    library.sync.set_server_url(url=refserver.url)
    with library.ctx.db.write() as conn:
        user_store.update_report(conn, report_id, now="x", status=ReportStatus.SENDING,
                                 attempts=1)
    service = make_service(library)
    result = service.run(explicit=True)
    assert result.replayed == [report_id] and result.ok
    assert library.reports.get(report_id=report_id).status is ReportStatus.SENT
    assert len(refserver.reports()) == 1


def test_unreachable_server_says_so_and_keeps_reports(seeded_library, tmp_path):
    library = seeded_library
    ids = queue_reports(library, 2)
    server = RefServer(tmp_path / "s.sqlite3")
    url = server.url
    server.stop()  # nothing listens there now
    service = make_service(library)
    service.set_server_url(url=url)
    result = service.run(explicit=True)
    assert result.state is SyncState.OFFLINE
    assert "refused" in result.message
    assert statuses(library, ids) == [ReportStatus.QUEUED] * 2
    # Only the first report was tried: the others were not charged an attempt.
    assert [library.reports.get(report_id=i).attempts for i in ids] == [1, 0]


def test_a_web_page_that_answers_everything_never_makes_a_report_look_sent(seeded_library):
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    page = b"<!doctype html><title>Welcome</title><p>Our shop</p>"
    with ScriptedServer(lambda s: (200, {"Content-Type": "text/html"}, page)) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
    assert result.state is SyncState.WRONG_URL
    assert library.reports.get(report_id=report_id).status is ReportStatus.QUEUED


def test_redirects_are_not_followed(seeded_library):
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    holder = {}
    # The redirect points back at the same loopback server: following it would show up as a
    # second request (and keeps the test off the internet either way).
    with ScriptedServer(lambda s: (308, {"Location": holder["url"] + "/moved"}, b"")) as server:
        holder["url"] = server.url
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
        assert len(server.seen) == 1
    assert result.state is SyncState.WRONG_URL and "/moved" in result.message
    assert library.reports.get(report_id=report_id).status is ReportStatus.QUEUED


def test_a_server_slower_than_the_timeout_is_retried_and_stores_once(
        seeded_library, refserver):  # noqa: F811
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    refserver.set_faults(FaultPlan(slow_rate=1.0, slow_seconds=0.6))
    service = make_service(library, read_timeout=0.25)
    service.set_server_url(url=refserver.url)
    result = service.run(explicit=True)
    assert result.retry_later == [report_id]
    assert "did not answer within 0.25 seconds" in library.reports.get(
        report_id=report_id).last_error
    refserver.set_faults(FaultPlan())
    # The slow request may still be storing the report while this one arrives.
    again = service.run(explicit=True)
    assert again.sent + again.replayed == [report_id]
    refserver.wait_for_requests(3)
    assert [r.report_id for r in refserver.reports()] == [report_id]


def test_no_server_set_means_reports_wait_and_the_status_says_so(seeded_library):
    library = seeded_library
    ids = queue_reports(library, 1)
    result = library.sync.run(explicit=True)
    assert result.state is SyncState.NOT_CONFIGURED and "No atlas server" in result.message
    assert statuses(library, ids) == [ReportStatus.QUEUED]
    overview = library.sync.overview()
    assert overview.state is SyncState.NOT_CONFIGURED and overview.queued == 1
    assert "wait" in overview.status_line()


def test_review_status_is_polled_and_final_statuses_are_not_asked_again(
        seeded_library, refserver):  # noqa: F811
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    clock = MovableClock()
    service = make_service(library, clock=clock)
    service.set_server_url(url=refserver.url)
    service.run(explicit=True)
    refserver.set_review(report_id, "accepted", "Corrected on the atlas page.\nThank you.")
    service.run(explicit=True)  # too soon after sending: not polled yet
    assert library.reports.get(report_id=report_id).server_status == "received"
    clock.advance(601)
    result = service.run(explicit=True)
    report = library.reports.get(report_id=report_id)
    assert result.statuses_updated == [report_id]
    assert report.server_status == "accepted"
    assert report.reviewer_note == "Corrected on the atlas page.\nThank you."
    clock.advance(10_000)
    gets_before = sum(1 for m, p, _ in refserver.log if p.startswith("/v1/corrections/"))
    service.run(explicit=True)
    assert sum(1 for m, p, _ in refserver.log if p.startswith("/v1/corrections/")) == gets_before


def test_another_4xx_needs_attention_and_the_user_can_retry_it_unchanged(seeded_library):
    library = seeded_library
    ids = queue_reports(library, 2)
    answers = iter([json_reply(410, {"error": "corrections are closed for the holidays"}),
                    json_reply(422, {"error": "too vague", "field": "problem"}),
                    json_reply(201, {})])
    with ScriptedServer(lambda s: empty_page() if s.method == "GET" else next(answers)) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        first = service.run(explicit=True)
        assert [a.http_status for a in first.needs_attention] == [410, 422]
        assert "closed for the holidays" in library.reports.get(report_id=ids[0]).last_error
        with pytest.raises(SyncSettingsError, match="edit it"):
            service.retry_report(report_id=ids[1])
        service.retry_report(report_id=ids[0])
        second = service.run(explicit=True)
    assert second.sent == [ids[0]]
    bodies = [s.body for s in posts(server)]
    assert bodies[0] == bodies[2]  # the very same bytes
    assert library.reports.get(report_id=ids[1]).status is ReportStatus.NEEDS_ATTENTION


def test_a_conflict_cannot_be_retried(seeded_library, refserver):  # noqa: F811
    library = seeded_library
    [report_id] = queue_reports(library, 1)
    refserver.db.store_report(report_id, b"{}")
    service = make_service(library)
    service.set_server_url(url=refserver.url)
    service.run(explicit=True)
    with pytest.raises(SyncSettingsError, match="different report under this id"):
        service.retry_report(report_id=report_id)


def test_last_synced_moves_only_when_the_server_was_heard_from(seeded_library, refserver):  # noqa: F811
    library = seeded_library
    clock = MovableClock()
    service = make_service(library, clock=clock)
    service.set_server_url(url=refserver.url)
    assert service.run(explicit=True).contacted
    first = service.overview().last_success_at
    clock.advance(120)
    idle = service.run(explicit=False)  # nothing due, the pull not due either
    assert idle.ok and not idle.contacted and len(refserver.log) == 1
    assert service.overview().last_success_at == first

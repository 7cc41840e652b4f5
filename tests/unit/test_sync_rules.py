"""The client's rules that need no server: addresses, Retry-After, backoff, the contract's
response table, and what server text may reach the screen."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from atlas_desktop.domain.sync import moment_text
from atlas_desktop.sync.outcome import (
    NEEDS_ATTENTION,
    OutcomeKind,
    classify_get,
    classify_post,
    server_text,
)
from atlas_desktop.sync.retry import MAX_RETRY_AFTER, Backoff, parse_retry_after
from atlas_desktop.sync.urls import ServerUrlError, normalise_server_url

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
BASE = "https://atlas.example.org/api"
RID = "2f1c7c36-8f0e-4c1e-9d7e-3a8f2f0b9e11"


@pytest.mark.parametrize(("typed", "expected"), [
    ("https://atlas.example.org/api/", "https://atlas.example.org/api"),
    ("  HTTPS://Atlas.Example.org:8443/api ", "https://atlas.example.org:8443/api"),
    ("http://localhost:8080", "http://localhost:8080"),
    ("http://127.0.0.7:9/x/", "http://127.0.0.7:9/x"),
    ("http://[::1]:8080/api", "http://[::1]:8080/api"),
])
def test_server_addresses_are_normalised(typed, expected):
    assert normalise_server_url(typed) == expected


@pytest.mark.parametrize(("typed", "words"), [
    ("", "Enter"),
    ("atlas.example.org", "https://"),
    ("http://atlas.example.org/api", "encrypted"),
    ("http://10.0.0.5/api", "encrypted"),
    ("ftp://atlas.example.org", "must start with https"),
    ("https://user:secret@atlas.example.org", "token field"),
    ("https://atlas.example.org/api?x=1", "without ?"),
    ("https://atlas.example.org:99999", "not a web address"),
])
def test_unusable_addresses_are_refused_with_a_reason(typed, words):
    with pytest.raises(ServerUrlError, match=words):
        normalise_server_url(typed)


def test_retry_after_in_seconds_and_as_an_http_date():
    assert parse_retry_after("120", now=NOW) == 120
    assert parse_retry_after(" 0 ", now=NOW) == 0
    later = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, now=NOW) == 90
    earlier = format_datetime(NOW - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(earlier, now=NOW) == 0
    assert parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", now=NOW) == MAX_RETRY_AFTER


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1e3", "Thu, 99 Foo 2026"])
def test_unreadable_retry_after_falls_back_to_our_backoff(value):
    assert parse_retry_after(value, now=NOW) is None


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    policy = Backoff(base=30, factor=2, cap=600)
    rng = random.Random(7)
    for attempts, ceiling in [(1, 30), (2, 60), (3, 120), (5, 480), (6, 600), (5000, 600)]:
        delays = [policy.delay(attempts, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4  # jitter spreads clients out


# The contract's table, row by row (POST /v1/corrections).
@pytest.mark.parametrize(("status", "kind"), [
    (201, OutcomeKind.STORED),
    (200, OutcomeKind.REPLAYED),
    (400, OutcomeKind.INVALID),
    (422, OutcomeKind.INVALID),
    (409, OutcomeKind.CONFLICT),
    (401, OutcomeKind.UNAUTHORISED),
    (403, OutcomeKind.UNAUTHORISED),
    (404, OutcomeKind.WRONG_URL),
    (405, OutcomeKind.WRONG_URL),
    (413, OutcomeKind.TOO_LARGE),
    (429, OutcomeKind.BUSY),
    (503, OutcomeKind.BUSY),
    (500, OutcomeKind.TRANSIENT),
    (502, OutcomeKind.TRANSIENT),
    (504, OutcomeKind.TRANSIENT),
    (408, OutcomeKind.TRANSIENT),
    (418, OutcomeKind.REJECTED),
    (302, OutcomeKind.WRONG_URL),
])
def test_every_row_of_the_contract_table(status, kind):
    body = b'{"error": "problem is empty", "field": "problem"}' if status >= 400 else b""
    outcome = classify_post(status, {"retry-after": "5"}, body, now=NOW, base_url=BASE,
                            report_id=RID)
    assert outcome.kind is kind
    assert outcome.http_status == status
    assert outcome.message


def test_stop_and_attention_sets_follow_the_table():
    def kind(status):
        return classify_post(status, {}, b"", now=NOW, base_url=BASE, report_id=RID)

    assert all(kind(s).stops_run for s in (401, 403, 404, 405, 429, 503))
    assert not any(kind(s).stops_run for s in (400, 409, 413, 422, 500))
    assert {kind(s).kind for s in (400, 409, 413, 422)} <= NEEDS_ATTENTION


def test_invalid_report_carries_the_servers_words_and_field():
    outcome = classify_post(422, {}, b'{"error": "problem must not be empty", "field": '
                            b'"problem"}', now=NOW, base_url=BASE, report_id=RID)
    assert "problem must not be empty" in outcome.message
    assert outcome.field == "problem"


def test_busy_honours_retry_after_date():
    date = format_datetime(NOW + timedelta(minutes=5), usegmt=True)
    outcome = classify_post(503, {"retry-after": date}, b"", now=NOW, base_url=BASE,
                            report_id=RID)
    assert outcome.kind is OutcomeKind.BUSY and outcome.retry_after == 300


def test_a_web_page_answering_200_is_not_taken_for_a_stored_report():
    page = b"<!DOCTYPE html><html><body>Welcome to our site</body></html>"
    outcome = classify_post(200, {}, page, now=NOW, base_url=BASE, report_id=RID)
    assert outcome.kind is OutcomeKind.WRONG_URL and outcome.stops_run
    assert "does not look like an atlas server" in outcome.message


def test_a_receipt_for_another_report_is_not_a_success():
    outcome = classify_post(201, {}, b'{"report_id": "someone-else"}', now=NOW, base_url=BASE,
                            report_id=RID)
    assert outcome.kind is OutcomeKind.BAD_RESPONSE


def test_an_empty_201_from_a_minimal_server_counts_as_stored():
    assert classify_post(201, {}, b"", now=NOW, base_url=BASE,
                         report_id=RID).kind is OutcomeKind.STORED


def test_report_status_404_means_unknown_report_not_wrong_address():
    outcome = classify_get(404, {}, b"", now=NOW, base_url=BASE, what="report status",
                           not_found_is_endpoint=False)
    assert outcome.kind is OutcomeKind.NOT_FOUND and not outcome.stops_run
    outcome = classify_get(404, {}, b"", now=NOW, base_url=BASE, what="catalogue")
    assert outcome.kind is OutcomeKind.WRONG_URL and outcome.stops_run


def test_hostile_server_text_is_flattened_before_display():
    text = server_text("<script>alert(1)</script>\u202eevil\x00\nline two " + "x" * 500, 80)
    assert "<" not in text and "\u202e" not in text and "\x00" not in text
    assert "\n" not in text and len(text) <= 80
    assert text.startswith("alert(1) evil line two")


def test_times_are_shown_in_local_time_by_how_recent_they_are():
    now = datetime.now().astimezone()
    today = now.replace(hour=9, minute=5, second=0, microsecond=0)
    as_utc = today.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert moment_text(as_utc, now=now) == "09:05"
    old = datetime(2019, 3, 4, 12, 0, tzinfo=UTC)
    text = moment_text(old.strftime("%Y-%m-%dT%H:%M:%SZ"), now=now)
    assert "2019" in text and "Mar" in text
    assert moment_text(None) == "never"

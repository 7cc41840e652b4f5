"""One sync run: send the outbox, pull the catalogue, refresh review statuses.

Invariants (contract sections 2 and 3):
- Reports go oldest first, one request each, the stored body byte for byte, with
  ``Idempotency-Key``. Before each request the report is marked ``sending`` (one more
  attempt) in its own committed transaction; the answer is recorded in another. A report
  left ``sending`` by a crash is sent again; the server answers a replay with 200.
- A report about anything but an atlas entry (one of the user's own references, queued before
  such reports were refused) is never sent: it is withdrawn before it is claimed, with the
  reason as its last error, and the run says so (issue 18.4).
- A report's own failure never stops the others; answers that would be the same for every
  request (401/403, 404/405, busy, unreachable, not an atlas server) stop the run and leave
  everything queued.
- Each catalogue page is applied in one transaction together with its cursor and the
  record of what it changed, and only if the stored cursor is still the one the page was
  asked for: an interrupted pull resumes, and no page is applied twice. User data (notes,
  stars, collections, reports) is never touched.
- A pull is bounded whatever the server says (issue 19.7): a page with more entries (or
  withdrawals) than the limit asked for is refused before it is looked at; a run pulls at most
  ``max_pages`` pages; a cursor seen before in the same run, or the page cap reached with
  ``has_more`` still true, stops the pull with a message, and an automatic run then waits the
  usual pull interval before it goes on ("Sync now" goes on at once).
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.contract import EntryFormatError, canonical_entry_dict
from atlas_desktop.domain.entry import Origin
from atlas_desktop.domain.reports import CorrectionReport, ReportStatus, private_entry_reason
from atlas_desktop.domain.sync import (
    REVIEW_STATUSES,
    CatalogueUpdate,
    ReportAttention,
    SyncResult,
)
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import sync_state
from atlas_desktop.store import user as user_store
from atlas_desktop.sync.outcome import NEEDS_ATTENTION, Outcome, OutcomeKind, server_text
from atlas_desktop.sync.retry import Backoff

from .context import LibraryContext

if TYPE_CHECKING:  # the HTTP client (httpx) is imported only when a sync runs
    from atlas_desktop.sync.client import AtlasClient, Page, ReviewStatus

LAST_PULL_KEY = "sync.last_pull_at"
#: How many bad entries a refused page lists.
_MAX_LISTED = 5


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class SyncOptions:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    #: Entries per catalogue page (the contract's default; at most 1000).
    page_limit: int = 500
    backoff: Backoff = field(default_factory=Backoff)
    #: Passing failures in a row after which the rest of the outbox waits for the next run.
    max_consecutive_failures: int = 3
    #: Automatic runs pull the catalogue at most this often (seconds); "Sync now" always.
    pull_interval: float = 3600.0
    #: A sent report's review status is checked at most this often (automatic / explicit).
    status_interval: float = 6 * 3600.0
    explicit_status_interval: float = 600.0
    #: Reports sent longer ago than this are no longer polled.
    status_window_days: int = 365
    max_status_polls: int = 25
    #: Pages per run (400 pages of 500: 200,000 entries, twice the largest catalogue
    #: benchmarked); a longer pull goes on at the next run.
    max_pages: int = 400
    #: One run in all (every request of it together); what is left waits for the next run.
    run_timeout: float = 300.0


class SyncRun:
    """The steps of one run. Not reused: make one per run."""

    def __init__(
        self, ctx: LibraryContext, client: AtlasClient, *, server_url: str, explicit: bool,
        options: SyncOptions, now: datetime, clock: Callable[[], datetime], rng: random.Random,
        result: SyncResult, cancel: threading.Event | None,
    ) -> None:
        self._ctx = ctx
        self._client = client
        self._url = server_url
        self._explicit = explicit
        self._options = options
        self._started = now
        self._clock = clock
        self._rng = rng
        self.result = result
        self._cancel = cancel
        self.run_id = str(uuid.uuid4())

    def _cancelled(self) -> bool:
        return self._cancel is not None and self._cancel.is_set()

    # ------------------------------------------------------------------ the outbox

    def send_reports(self) -> Outcome | None:
        """Send every due report; return the outcome that stopped the run, if one did."""
        due_by = None if self._explicit else iso(self._started)
        with self._ctx.db.read() as conn:
            ids = sync_state.due_report_ids(conn, due_by=due_by)
        failures_in_a_row = 0
        for report_id in ids:
            if self._cancelled():
                return None
            if self._withhold_private(report_id):
                continue
            # Claiming is bookkeeping; the outcome below is what the outbox shows.
            with self._ctx.write(Changes.NONE) as conn:
                report = sync_state.claim_report(conn, report_id, now=iso(self._clock()))
            if report is None:
                continue  # withdrawn or sent elsewhere meanwhile
            outcome = self._client.send_report(report_id=report.report_id, body=report.body)
            self._record(report, outcome)
            if outcome.stops_run:
                return outcome
            if outcome.kind is OutcomeKind.TRANSIENT:
                failures_in_a_row += 1
                if failures_in_a_row >= self._options.max_consecutive_failures:
                    return Outcome(
                        OutcomeKind.TRANSIENT,
                        f"The server failed {failures_in_a_row} times in a row "
                        f"({outcome.message.rstrip('.')}); the other reports wait for the next "
                        "sync.", outcome.http_status)
            else:
                failures_in_a_row = 0
        return None

    def _withhold_private(self, report_id: str) -> bool:
        """Withdraw, unsent, a waiting report that is not about an atlas entry; True if it
        was one. An entry's origin never changes, so the read-then-write is safe."""
        with self._ctx.db.read() as conn:
            report = user_store.get_report(conn, report_id)
            if report is None or cat.origin_of(conn, report.entry_id) == Origin.ATLAS.value:
                return False
        now = iso(self._clock())
        with self._ctx.write(Changes.REPORTS, entry_ids=[report.entry_id]) as conn:
            user_store.update_report(
                conn, report_id, now=now, status=ReportStatus.WITHDRAWN, withdrawn_at=now,
                next_attempt_at=None,
                last_error="Not sent, and never will be: " + private_entry_reason(report.entry_id))
        self.result.withheld.append(report_id)
        return True

    def _record(self, report: CorrectionReport, outcome: Outcome) -> None:
        now = self._clock()
        result = self.result
        with self._ctx.write(Changes.REPORTS, entry_ids=[report.entry_id]) as conn:
            current = user_store.get_report(conn, report.report_id)
            if current is None:
                return
            if outcome.kind in {OutcomeKind.STORED, OutcomeKind.REPLAYED}:
                if current.status is not ReportStatus.SENT:
                    data = outcome.data if isinstance(outcome.data, dict) else {}
                    status = data.get("status")
                    user_store.update_report(
                        conn, report.report_id, now=iso(now), status=ReportStatus.SENT,
                        sent_at=iso(now), received_at=_received_at(data) or iso(now),
                        last_error=None, last_http_status=outcome.http_status,
                        next_attempt_at=None,
                        server_status=status if status in REVIEW_STATUSES
                        else current.server_status,
                        # The receipt is as fresh as a status check: poll after the interval.
                        status_checked_at=iso(now),
                    )
                target = result.replayed if outcome.kind is OutcomeKind.REPLAYED else result.sent
                target.append(report.report_id)
            elif current.status is not ReportStatus.SENDING:
                return  # another process recorded an answer meanwhile; keep it
            elif outcome.kind in NEEDS_ATTENTION:
                user_store.update_report(
                    conn, report.report_id, now=iso(now), status=ReportStatus.NEEDS_ATTENTION,
                    last_error=outcome.message, last_http_status=outcome.http_status,
                    next_attempt_at=None)
                result.needs_attention.append(ReportAttention(
                    report.report_id, report.entry_id, outcome.message, outcome.http_status))
            elif self._cancelled():
                # Stopped by the user (the window closing): queued as it was, due at once.
                user_store.update_report(conn, report.report_id, now=iso(now),
                                         status=ReportStatus.QUEUED, next_attempt_at=None)
                result.retry_later.append(report.report_id)
            else:
                delay = (outcome.retry_after if outcome.retry_after is not None
                         else self._options.backoff.delay(current.attempts, self._rng))
                user_store.update_report(
                    conn, report.report_id, now=iso(now), status=ReportStatus.QUEUED,
                    last_error=outcome.message, last_http_status=outcome.http_status,
                    next_attempt_at=iso(now + timedelta(seconds=delay)))
                result.retry_later.append(report.report_id)

    # ------------------------------------------------------------------ the catalogue

    def pull_due(self) -> bool:
        if self._explicit:
            return True
        with self._ctx.db.read() as conn:
            last = user_store.get_meta(conn, LAST_PULL_KEY)
            server, _ = sync_state.get_cursor(conn)
        if last is None or server != self._url:
            return True
        return last <= iso(self._started - timedelta(seconds=self._options.pull_interval))

    def pull(self) -> Outcome | None:
        """Pull pages until the server has no more; return the outcome that stopped it."""
        with self._ctx.db.read() as conn:
            server, cursor = sync_state.get_cursor(conn)
        if server != self._url:
            cursor = None  # another server's cursor means nothing here: start from the top
        update = self.result.catalogue
        limit = self._options.page_limit
        seen: set[str | None] = {cursor}
        try:
            for _ in range(self._options.max_pages):
                if self._cancelled():
                    return None
                outcome = self._client.fetch_page(since=cursor, limit=limit)
                if outcome.kind is not OutcomeKind.OK:
                    return self._pull_failed(outcome)
                page: Page = outcome.data
                if len(page.entries) > limit or len(page.deleted) > limit:
                    return Outcome(
                        OutcomeKind.BAD_RESPONSE,
                        f"The server sent a catalogue page of {len(page.entries):,} entries and "
                        f"{len(page.deleted):,} withdrawals when at most {limit:,} were asked "
                        "for. It was not applied; the update will try again at the next sync.")
                contracts, problems = _validate_entries(page)
                if problems:
                    return Outcome(
                        OutcomeKind.BAD_RESPONSE,
                        "The server sent catalogue entries that do not follow the atlas format "
                        f"({'; '.join(problems[:_MAX_LISTED])}"
                        f"{' and more' if len(problems) > _MAX_LISTED else ''}). Nothing of that "
                        "page was applied; the update will try again at the next sync.")
                next_cursor = page.next_cursor if page.next_cursor is not None else cursor
                applied = self._apply_page(cursor, next_cursor, contracts, page)
                if applied is None:
                    self.result.errors.append(
                        "Another Atlas Desktop is updating this library's catalogue at the same "
                        "time; this update left the rest to it.")
                    return None
                update.extend(applied)
                if not page.has_more:
                    return None
                if next_cursor == cursor:
                    return Outcome(OutcomeKind.BAD_RESPONSE,
                                   "The server keeps sending the same catalogue page; the "
                                   "update stopped and will try again at the next sync.")
                if next_cursor in seen:
                    return self._not_converging(
                        "The server led the catalogue update back to a page it had already "
                        "sent")
                seen.add(next_cursor)
                cursor = next_cursor
            return self._not_converging(
                f"The server still had more after {self._options.max_pages:,} catalogue pages "
                f"({self._options.max_pages * limit:,} entries) in one sync")
        finally:
            # Each page is its own transaction (written with Changes.NONE); the pull is
            # announced once, so the window searches once, not once per page.
            if not update.empty:
                self._ctx.notify(Changes.CATALOGUE, entry_ids=[
                    c.entry_id for c in (*update.new, *update.changed, *update.withdrawn)])

    def _not_converging(self, what: str) -> Outcome:
        """Stop a pull that does not end. What was applied stays, and the cursor; automatic
        runs wait the pull interval before going on, so they cannot repeat it back to back."""
        with self._ctx.db.write() as conn:
            user_store.set_meta(conn, LAST_PULL_KEY, iso(self._clock()))
        return Outcome(OutcomeKind.BAD_RESPONSE,
                       f"{what}. The update stopped there; what arrived is kept, and it goes "
                       "on at the next sync. If this happens again, the server is not working "
                       "properly.")

    def _pull_failed(self, outcome: Outcome) -> Outcome:
        if outcome.kind is OutcomeKind.REJECTED:
            return Outcome(OutcomeKind.BAD_RESPONSE,
                           outcome.message + " The catalogue update will try again at the next "
                           "sync.", outcome.http_status)
        return outcome

    def _apply_page(
        self, cursor: str | None, next_cursor: str | None, contracts: list[dict[str, object]],
        page: Page,
    ) -> CatalogueUpdate | None:
        now = iso(self._clock())
        with self._ctx.write(Changes.NONE) as conn:
            server, stored = sync_state.get_cursor(conn)
            if (stored if server == self._url else None) != cursor:
                return None  # someone else applied this page: never apply it twice
            outcome = cat.upsert_contracts(conn, contracts, ids=[str(d["id"]) for d in contracts],
                                           now=now, origin=Origin.ATLAS)
            withdrawn = cat.withdraw_entries(conn, page.deleted, now=now)
            changed_ids = [c.id for c in outcome.changed]
            titles = sync_state.titles_for(conn, [*outcome.new, *changed_ids, *withdrawn])
            records = sync_state.record_changes(
                conn, run_id=self.run_id, pulled_at=now, new=outcome.new,
                changed=outcome.changed, withdrawn=withdrawn, titles=titles)
            sync_state.set_cursor(conn, server_url=self._url, cursor=next_cursor)
            # An unfinished pull is due again at once; a finished one after the interval.
            user_store.set_meta(conn, LAST_PULL_KEY, None if page.has_more else now)
        update = CatalogueUpdate(refused=list(outcome.refused), pages=1,
                                 complete=not page.has_more)
        for record in records:
            update.add(record)
        return update

    # ------------------------------------------------------------------ review statuses

    def poll_statuses(self) -> None:
        interval = (self._options.explicit_status_interval if self._explicit
                    else self._options.status_interval)
        with self._ctx.db.read() as conn:
            reports = sync_state.reports_to_poll(
                conn, checked_before=iso(self._started - timedelta(seconds=interval)),
                sent_after=iso(self._started - timedelta(days=self._options.status_window_days)),
                limit=self._options.max_status_polls)
        changed: list[str] = []
        for report in reports:
            if self._cancelled():
                break
            outcome = self._client.report_status(report_id=report.report_id)
            now = iso(self._clock())
            values: dict[str, object] = {"status_checked_at": now}
            if outcome.kind is OutcomeKind.OK:
                review: ReviewStatus = outcome.data
                values.update(server_status=review.status, reviewer_note=review.reviewer_note)
            elif outcome.kind is OutcomeKind.NOT_FOUND:
                values.update(server_status="not_found")
            elif outcome.stops_run or outcome.kind is OutcomeKind.TRANSIENT:
                self.result.errors.append("Review statuses could not be checked: "
                                          + outcome.message)
                break
            # One notice for the whole poll (below), not one per report.
            with self._ctx.write(Changes.NONE) as conn:
                user_store.update_report(conn, report.report_id, now=now, **values)
            if outcome.kind in {OutcomeKind.OK, OutcomeKind.NOT_FOUND}:
                self.result.statuses_updated.append(report.report_id)
                changed.append(report.entry_id)
        if changed:
            self._ctx.notify(Changes.REPORTS, entry_ids=changed)


def _received_at(data: dict[str, object]) -> str | None:
    value = data.get("received_at")
    if not isinstance(value, str):
        return None
    text = server_text(value, 40)
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return text


def _validate_entries(page: Page) -> tuple[list[dict[str, object]], list[str]]:
    contracts: list[dict[str, object]] = []
    problems: list[str] = []
    for index, raw in enumerate(page.entries):
        try:
            contracts.append(canonical_entry_dict(raw))
        except EntryFormatError as exc:
            ident = raw.get("id") if isinstance(raw, dict) else None
            where = f"entry {index + 1}" + (f" “{server_text(ident, 80)}”"
                                            if isinstance(ident, str) else "")
            problems.append(f"{where}: {server_text(exc, 160)}")
    return contracts, problems

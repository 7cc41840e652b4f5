"""Sync: the server address and token, sync runs, their status, and catalogue news.

Invariants:
- No server is assumed: until the user sets an address, runs do nothing and say that
  reports wait in the outbox.
- The token lives only in the OS keyring (or, for one CLI run, in the environment); it is
  never written to the library file.
- One run at a time per library object. Two processes syncing one library at once stay
  safe: the server deduplicates reports, and a catalogue page is applied only if the stored
  cursor is still the one it was asked for.
- "Sync now" (``explicit=True``) ignores our own backoff but honours the server's
  ``Retry-After``; automatic runs wait for both.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from atlas_desktop import __version__
from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.reports import UNSENT_STATUSES, CorrectionReport, ReportStatus
from atlas_desktop.domain.sync import (
    CatalogueChange,
    CatalogueUpdate,
    SyncOverview,
    SyncResult,
    SyncState,
    moment_text,
)
from atlas_desktop.domain.sync_changes import SyncChanges, by_sync
from atlas_desktop.domain.wording import counted
from atlas_desktop.store import StoreError, sync_state
from atlas_desktop.store import user as user_store
from atlas_desktop.sync.credentials import (
    CredentialError,
    KeyringCredentials,
    KeyringInfo,
    token_problem,
)
from atlas_desktop.sync.outcome import Outcome, OutcomeKind
from atlas_desktop.sync.urls import ServerUrlError, normalise_server_url

from .context import LibraryContext
from .sync_hooks import AfterRun
from .sync_run import SyncOptions, SyncRun, iso

SERVER_URL_SETTING = "sync.server_url"
_WAIT_KEY = "sync.wait_until"
_LAST_SUCCESS_KEY = "sync.last_success_at"
_LAST_RUN_KEY = "sync.last_run_at"
_LAST_STATE_KEY = "sync.last_state"
_LAST_MESSAGE_KEY = "sync.last_message"
_SEEN_KEY = "sync.changes_seen_seq"
#: Catalogue change records older than this are forgotten.
_CHANGE_RETENTION = timedelta(days=180)

NOT_CONFIGURED_MESSAGE = (
    "No atlas server is set, so reports wait in the outbox. Set the server's address in the "
    "sync settings (or `atlas-desktop sync --server URL`), or save the outbox to a file."
)

_STOP_STATES = {
    OutcomeKind.UNAUTHORISED: SyncState.REFUSED,
    OutcomeKind.WRONG_URL: SyncState.WRONG_URL,
    OutcomeKind.BUSY: SyncState.WAITING,
    OutcomeKind.UNREACHABLE: SyncState.OFFLINE,
}


class SyncSettingsError(ValueError):
    """A setting cannot be saved; ``str`` says why, for the user."""


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class SyncService:
    def __init__(
        self, ctx: LibraryContext, *, credentials: KeyringCredentials | None = None,
        options: SyncOptions | None = None, clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self._ctx = ctx
        self.credentials = credentials or KeyringCredentials()
        self.options = options or SyncOptions()
        self._clock = clock
        self._rng = rng or random.Random()
        self._run_lock = threading.Lock()
        self._running = threading.Event()
        self.after_run = AfterRun()  # records completed online (services/sync_hooks.py)

    # ------------------------------------------------------------------ settings

    def server_url(self) -> str | None:
        with self._ctx.db.read() as conn:
            value = user_store.get_setting(conn, SERVER_URL_SETTING)
        return value if isinstance(value, str) and value else None

    def set_server_url(self, *, url: str | None) -> str | None:
        """Check and save the address (None or blank removes it). Raises SyncSettingsError."""
        normalised = check_server_url(url) if url is not None and url.strip() else None
        with self._ctx.write(Changes.SETTINGS | Changes.SYNC, entry_ids=()) as conn:
            user_store.set_setting(conn, SERVER_URL_SETTING, normalised)
        return normalised

    def keyring_info(self) -> KeyringInfo:
        return self.credentials.info()

    def has_token(self) -> bool:
        url = self.server_url()
        if url is None:
            return False
        try:
            return self.credentials.get(url) is not None
        except CredentialError:
            return False

    def set_token(self, *, token: str | None) -> None:
        """Keep the token for the current server in the keyring (None or blank removes it).
        Raises SyncSettingsError when there is no server or no usable keyring."""
        url = self.server_url()
        if url is None:
            raise SyncSettingsError("Set the server's address first; the token belongs to it.")
        try:
            if token is None or not token.strip():
                self.credentials.delete(url)
            else:
                problem = token_problem(token.strip())
                if problem is not None:
                    raise SyncSettingsError(problem)
                self.credentials.set(url, token.strip())
        except CredentialError as exc:
            raise SyncSettingsError(str(exc)) from None
        self._ctx.notify(Changes.SYNC)

    # ------------------------------------------------------------------ runs

    @property
    def running(self) -> bool:
        return self._running.is_set()

    def run(
        self, *, explicit: bool, token: str | None = None,
        cancel: threading.Event | None = None,
    ) -> SyncResult:
        """One run: send due reports, pull the catalogue, refresh review statuses.

        ``token`` overrides the keyring for this run (the CLI's environment variable).
        Never raises for network or server trouble; the result says what happened.
        """
        with self._run_lock:
            self._running.set()
            self._ctx.notify(Changes.SYNC)
            started = self._clock()
            try:
                result = self._run(explicit=explicit, token=token, cancel=cancel, now=started)
                self.after_run.run(result, explicit=explicit, cancel=cancel)
            except StoreError as exc:
                result = SyncResult(SyncState.ERROR, f"The library could not be updated: {exc}",
                                    explicit=explicit, started_at=iso(started))
                result.errors.append(result.message)
            finally:
                self._running.clear()
            result.finished_at = iso(self._clock())
            try:
                result.still_queued = self._count_waiting()
                self._remember(result)
            except StoreError as exc:
                result.errors.append(f"The outcome of this sync could not be saved: {exc}")
        self._ctx.notify(Changes.SYNC)
        return result

    def run_until_settled(
        self, *, max_wait: float, token: str | None = None,
        cancel: threading.Event | None = None,
    ) -> SyncResult:
        """An explicit run, then automatic ones while reports wait for a retry that falls
        within ``max_wait`` seconds in all (the CLI's ``sync`` without ``--once``)."""
        cancel = cancel or threading.Event()
        deadline = self._clock() + timedelta(seconds=max_wait)
        result = self.run(explicit=True, token=token, cancel=cancel)
        # Only passing trouble is waited out: an unreachable server, a refused token or a
        # wrong address will not mend themselves within a minute.
        while not cancel.is_set() and result.state in {
                SyncState.ERROR, SyncState.WAITING} and result.still_queued:
            wake = self._next_wake()
            if wake is None or wake > deadline:
                break
            cancel.wait(max(0.0, (wake - self._clock()).total_seconds()))
            if cancel.is_set():
                break
            result = result.merge(self.run(explicit=False, token=token, cancel=cancel))
        return result

    def _next_wake(self) -> datetime | None:
        with self._ctx.db.read() as conn:
            due = sync_state.next_attempt_time(conn)
            waiting = user_store.count_reports(conn, (ReportStatus.QUEUED, ReportStatus.SENDING))
        if not waiting:
            return None
        times = [self._clock() if due is None else _parse(due)]
        wait = self.wait_until()
        if wait is not None:
            times.append(wait)
        return max(times)

    def _run(self, *, explicit: bool, token: str | None, cancel: threading.Event | None,
             now: datetime) -> SyncResult:
        url = self.server_url()
        result = SyncResult(SyncState.OK, "", explicit=explicit, started_at=iso(now),
                            server_url=url)
        if url is None:
            return self._stopped(result, SyncState.NOT_CONFIGURED, NOT_CONFIGURED_MESSAGE)
        try:
            url = normalise_server_url(url)
        except ServerUrlError as exc:
            return self._stopped(result, SyncState.WRONG_URL, str(exc))
        wait = self.wait_until()
        if wait is not None and wait > now:
            result.wait_until = iso(wait)
            return self._stopped(result, SyncState.WAITING,
                                 f"The server asked us to wait until {moment_text(iso(wait))}; "
                                 "nothing is sent before then and reports stay queued.")
        if token is None:
            try:
                token = self.credentials.get(url)
            except CredentialError as exc:
                result.errors.append(str(exc))
        if token is not None and (problem := token_problem(token)) is not None:
            return self._stopped(result, SyncState.REFUSED, problem + " Nothing was sent.")
        # httpx is imported only now: every command and the window start without it.
        from atlas_desktop.sync.client import AtlasClient, ClientConfig

        config = ClientConfig(
            base_url=url, user_agent=f"atlas-desktop/{__version__}", token=token,
            connect_timeout=self.options.connect_timeout,
            read_timeout=self.options.read_timeout,
            total_timeout=self.options.total_timeout, clock=self._clock,
            run_timeout=self.options.run_timeout, cancel=cancel)
        with AtlasClient(config) as client:
            steps = SyncRun(self._ctx, client, server_url=url, explicit=explicit,
                            options=self.options, now=now, clock=self._clock, rng=self._rng,
                            result=result, cancel=cancel)
            stop = steps.send_reports()
            if stop is None and steps.pull_due() and not _is_set(cancel):
                stop = steps.pull()
            if stop is None and not _is_set(cancel):
                steps.poll_statuses()
            result.contacted = client.requests_made > 0
        return self._finish(result, stop, url, cancelled=_is_set(cancel))

    def _stopped(self, result: SyncResult, state: SyncState, message: str) -> SyncResult:
        result.state = state
        result.message = message
        result.errors.insert(0, message)
        return result

    def _finish(self, result: SyncResult, stop: Outcome | None, url: str,
                cancelled: bool) -> SyncResult:
        done = result.done_sentence()
        if stop is not None:
            state = _STOP_STATES.get(stop.kind, SyncState.ERROR)
            message = stop.message
            if stop.kind is OutcomeKind.BUSY:
                if stop.retry_after is not None:
                    until = self._clock() + timedelta(seconds=stop.retry_after)
                    self._set_wait_until(url, until)
                    result.wait_until = iso(until)
                    message += f" Nothing more is sent before {moment_text(iso(until))}."
                else:
                    message += " Reports stay queued and are tried again later."
            return self._stopped(result, state, f"{message} {done}".strip())
        if cancelled:
            return self._stopped(result, SyncState.ERROR,
                                 f"The sync was stopped before it finished. {done}".strip())
        if result.retry_later:
            return self._stopped(
                result, SyncState.ERROR,
                f"{counted(len(result.retry_later), 'report')} could not be sent for now and "
                f"will be tried again. {done}".strip())
        result.state = SyncState.OK
        result.message = done or "Everything is up to date."
        return result

    def _remember(self, result: SyncResult) -> None:
        # The run's end is announced once, by run(), after the count of waiting reports.
        with self._ctx.write(Changes.NONE) as conn:
            user_store.set_meta(conn, _LAST_RUN_KEY, result.finished_at)
            user_store.set_meta(conn, _LAST_STATE_KEY, result.state.value)
            user_store.set_meta(conn, _LAST_MESSAGE_KEY, result.message)
            # "Last synced" means the server was heard from and all went well, not merely
            # that an automatic run found nothing due.
            if result.ok and result.contacted:
                user_store.set_meta(conn, _LAST_SUCCESS_KEY, result.finished_at)
            if result.finished_at:
                sync_state.prune_changes(
                    conn, before=iso(_parse(result.finished_at) - _CHANGE_RETENTION))

    def _count_waiting(self) -> int:
        with self._ctx.db.read() as conn:
            return user_store.count_reports(conn, (ReportStatus.QUEUED, ReportStatus.SENDING))

    # ------------------------------------------------------------------ Retry-After

    def wait_until(self) -> datetime | None:
        """When the current server said we may send again (Retry-After), if still ahead."""
        url = self.server_url()
        with self._ctx.db.read() as conn:
            raw = user_store.get_meta(conn, _WAIT_KEY)
        if raw is None or url is None:
            return None
        data = json.loads(raw)
        if data.get("server") != url:
            return None
        until = _parse(data["until"])
        return until if until > self._clock() else None

    def _set_wait_until(self, url: str, until: datetime) -> None:
        with self._ctx.write(Changes.NONE) as conn:
            user_store.set_meta(conn, _WAIT_KEY, json.dumps({"server": url, "until": iso(until)}))

    # ------------------------------------------------------------------ status and news

    def overview(self) -> SyncOverview:
        url = self.server_url()
        with self._ctx.db.read() as conn:
            counts = sync_state.report_counts(conn)
            meta = {k: user_store.get_meta(conn, k) for k in (
                _LAST_SUCCESS_KEY, _LAST_RUN_KEY, _LAST_STATE_KEY, _LAST_MESSAGE_KEY, _SEEN_KEY)}
            unseen = sync_state.count_changes_after(conn, int(meta[_SEEN_KEY] or 0))
        queued = counts.get("queued", 0) + counts.get("sending", 0)
        wait = self.wait_until()
        if url is None:
            state, message = SyncState.NOT_CONFIGURED, NOT_CONFIGURED_MESSAGE
        elif last_state := meta[_LAST_STATE_KEY]:
            state = SyncState(last_state)
            message = meta[_LAST_MESSAGE_KEY] or ""
            if state is SyncState.NOT_CONFIGURED:
                state, message = SyncState.IDLE, "Not synced with this server yet."
        else:
            state, message = SyncState.IDLE, "Not synced yet."
        return SyncOverview(
            state=state, message=message, server_url=url,
            last_success_at=meta[_LAST_SUCCESS_KEY], last_run_at=meta[_LAST_RUN_KEY],
            queued=queued, needs_attention=counts.get("needs_attention", 0),
            unseen_changes=unseen, wait_until=iso(wait) if wait else None,
            running=self.running)

    def latest_changes(self) -> CatalogueUpdate:
        """What the most recent pull that changed anything changed, one change per entry."""
        runs = self.changes_by_sync()
        return runs[0].update if runs else CatalogueUpdate()

    def unseen_changes(self) -> CatalogueUpdate:
        """Everything pulls changed since :meth:`mark_changes_seen` (all syncs together)."""
        with self._ctx.db.read() as conn:
            seen = int(user_store.get_meta(conn, _SEEN_KEY) or 0)
            records = sync_state.list_changes(conn, after_seq=seen)
        return _update_of(records)

    def changes_by_sync(self, *, unseen: bool = False) -> list[SyncChanges]:
        """Sync by sync, newest first, one row per entry (the window and ``sync changes``):
        the latest sync that changed anything, or with ``unseen`` every sync since the changes
        were last marked seen."""
        with self._ctx.db.read() as conn:
            if unseen:
                seen = int(user_store.get_meta(conn, _SEEN_KEY) or 0)
                return by_sync(sync_state.list_run_changes(conn, after_seq=seen))
            _, run_id = sync_state.latest_change(conn)
            return by_sync(sync_state.list_run_changes(conn, run_id=run_id)) if run_id else []

    def mark_changes_seen(self) -> None:
        with self._ctx.write(Changes.SYNC, entry_ids=()) as conn:
            seq, _ = sync_state.latest_change(conn)
            user_store.set_meta(conn, _SEEN_KEY, str(seq))

    def restart_pull(self) -> None:
        """Forget the catalogue cursor: the next pull starts from the server's first page."""
        with self._ctx.write(Changes.SYNC, entry_ids=()) as conn:
            sync_state.clear_cursor(conn)

    def retry_report(self, *, report_id: str) -> CorrectionReport:
        """Queue again, unchanged, a report the server refused for a reason other than its
        content (another 4xx, such as 410 or 418, say after the server was fixed).

        Reports refused as invalid (400/413/422) are edited instead
        (``ReportService.edit_and_requeue``); a 409 is never resent: the server holds a
        different report under the same id.
        """
        concerned: list[str] = []
        with self._ctx.write(Changes.REPORTS, entry_ids=concerned) as conn:
            report = user_store.get_report(conn, report_id)
            if report is None:
                raise SyncSettingsError(f"There is no report {report_id}.")
            concerned.append(report.entry_id)
            status = user_store.report_http_status(conn, report_id)
            if report.status is not ReportStatus.NEEDS_ATTENTION:
                raise SyncSettingsError(
                    f"Only a report that needs attention can be retried; this one is "
                    f"{report.status.value.replace('_', ' ')}.")
            if status == 409:
                raise SyncSettingsError(
                    "The server holds a different report under this id, so it is not sent "
                    "again. Withdraw it, or write a new report.")
            if status in {400, 413, 422}:
                raise SyncSettingsError(
                    "The server refused this report's content; edit it, and it is queued "
                    "again.")
            user_store.update_report(conn, report_id, now=iso(self._clock()),
                                     status=ReportStatus.QUEUED, next_attempt_at=None)
            updated = user_store.get_report(conn, report_id)
        assert updated is not None
        return updated

    def unsent_count(self) -> int:
        with self._ctx.db.read() as conn:
            return user_store.count_reports(conn, UNSENT_STATUSES)


def _update_of(records: list[CatalogueChange]) -> CatalogueUpdate:
    update = CatalogueUpdate()
    for record in records:
        update.add(record)
    return update


def _is_set(event: threading.Event | None) -> bool:
    return event is not None and event.is_set()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_server_url(url: str) -> str:
    """The address as it is saved; raises :class:`SyncSettingsError` with the reason when it
    cannot be used. It may look the host up (``http://`` only for loopback, issue 19.8): the
    window calls it on a worker thread, never the UI thread or its writer."""
    try:
        return normalise_server_url(url)
    except ServerUrlError as exc:
        raise SyncSettingsError(str(exc)) from None


"""Completing records from PubMed, Crossref and doi.org, and keeping their notices.

Invariants:
- With completion off, nothing is sent (every verb that would send says so instead).
- Only identifiers are sent (:mod:`atlas_desktop.online.client`).
- The atlas's values are never changed; what the sources say is kept beside them, per
  source. A failed, truncated or hostile answer changes and removes nothing: a source's
  kept record is replaced only by a record read whole from that source.
- Lookups that could not be made (offline, a busy server) are queued and made at the next
  sync; nothing waits for them.
- Runs are batched: 200 PMIDs per PubMed request, 50 DOIs per Crossref request.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from atlas_desktop import __version__
from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.completion import (
    CompletedRecord,
    Notice,
    NoticeKind,
    Source,
    SourceRecord,
    build_record,
    same_notice,
)
from atlas_desktop.domain.entry import Entry
from atlas_desktop.domain.listing import EntryChange
from atlas_desktop.net.courtesy import give_way, window_busy
from atlas_desktop.online.lookup import Cancelled, Lookup, OnlineConfig, Status
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import completion as store
from atlas_desktop.store import sync_state
from atlas_desktop.store import user as user_store
from atlas_desktop.sync.credentials import CredentialError, KeyringCredentials

from .cited import cited_entries
from .completion_report import CompletionReport, EntryOutcome, EntryResult
from .context import LibraryContext

ENABLED_KEY: Final = "completion.enabled"
EMAIL_KEY: Final = "completion.email"
#: Base URLs (settings), each overridden by its environment variable.
URL_SETTINGS: Final = {
    "eutils_url": ("completion.eutils_url", "ATLAS_DESKTOP_EUTILS_URL"),
    "crossref_url": ("completion.crossref_url", "ATLAS_DESKTOP_CROSSREF_URL"),
    "doi_url": ("completion.doi_url", "ATLAS_DESKTOP_DOI_URL"),
}
#: The NCBI API key's name in the keyring (the sync token's service, its own user name).
API_KEY_ACCOUNT: Final = "ncbi-api-key"
API_KEY_ENV: Final = "ATLAS_DESKTOP_NCBI_API_KEY"
_LAST_CHECK_KEY: Final = "completion.last_check_at"
#: Automatic syncs check every entry again at most this often; "Sync now" always does.
CHECK_INTERVAL: Final = timedelta(hours=24)
#: Entries written per transaction (the write lock is never held long; between two, the
#: window's thread goes first while it answers a keystroke: net/courtesy.py).
_WRITE_CHUNK: Final = 100
#: Notices that appear in "what changed" when they are first found.
_NEWS: Final = (NoticeKind.RETRACTION, NoticeKind.CONCERN, NoticeKind.CORRECTION)

OFF_MESSAGE: Final = ("Completing records online is turned off, so nothing was sent. Turn it "
                      "on with `atlas-desktop completion on` (or in the preferences).")

Progress = Callable[[int, int, str], None]


class CompletionOff(Exception):
    """Completion is turned off; ``str`` says so, for the user."""


class CompletionSettingsError(ValueError):
    """A setting cannot be saved; ``str`` says why, for the user."""


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CompletionService:
    def __init__(self, ctx: LibraryContext, *, credentials: KeyringCredentials | None = None,
                 config: OnlineConfig | None = None,
                 sleep: Callable[[float], None] | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self._ctx = ctx
        self.credentials = credentials or KeyringCredentials()
        #: Rates, timeouts and retries (tests and benchmarks change them).
        self.base_config = config or OnlineConfig()
        self._sleep = sleep
        self._environ = os.environ if environ is None else environ
        self._run_lock = threading.Lock()

    # ------------------------------------------------------------------ settings

    def enabled(self) -> bool:
        with self._ctx.db.read() as conn:
            return bool(user_store.get_setting(conn, ENABLED_KEY, True))

    def set_enabled(self, *, enabled: bool) -> None:
        self._set(ENABLED_KEY, bool(enabled))

    def email(self) -> str | None:
        with self._ctx.db.read() as conn:
            value = user_store.get_setting(conn, EMAIL_KEY)
        return value if isinstance(value, str) and value else None

    def set_email(self, *, email: str | None) -> None:
        text = (email or "").strip()
        if text and ("@" not in text or any(ch.isspace() or ord(ch) < 33 for ch in text)
                     or len(text) > 200):
            raise CompletionSettingsError(f"“{text[:80]}” is not an e-mail address.")
        self._set(EMAIL_KEY, text or None)

    def set_base_url(self, *, which: str, url: str | None) -> None:
        """``which``: eutils_url, crossref_url or doi_url (None or blank: the default)."""
        key, _ = URL_SETTINGS[which]
        text = (url or "").strip().rstrip("/")
        if text and not text.startswith(("https://", "http://")):
            raise CompletionSettingsError("The address must start with https://.")
        self._set(key, text or None)

    def has_api_key(self) -> bool:
        return self._api_key() is not None

    def set_api_key(self, *, key: str | None) -> None:
        """Keep the NCBI API key in the keyring (None or blank removes it)."""
        text = (key or "").strip()
        if text and not text.isalnum():
            raise CompletionSettingsError("An NCBI API key is letters and digits only; check "
                                          "that it was copied whole.")
        try:
            if text:
                self.credentials.set(API_KEY_ACCOUNT, text)
            else:
                self.credentials.delete(API_KEY_ACCOUNT)
        except CredentialError as exc:
            raise CompletionSettingsError(str(exc)) from None
        self._ctx.notify(Changes.SETTINGS, entry_ids=())  # the keyring: no transaction

    def _api_key(self) -> str | None:
        from_env = self._environ.get(API_KEY_ENV, "").strip()
        if from_env:
            return from_env
        try:
            return self.credentials.get(API_KEY_ACCOUNT)
        except CredentialError:
            return None

    def _set(self, key: str, value: Any) -> None:
        with self._ctx.write(Changes.SETTINGS, entry_ids=()) as conn:
            user_store.set_setting(conn, key, value)

    def online_config(self) -> OnlineConfig:
        """Where requests go and who they say they are from (settings, then environment)."""
        with self._ctx.db.read() as conn:
            urls = {name: user_store.get_setting(conn, key) for name, (key, _) in
                    URL_SETTINGS.items()}
        for name, (_, env) in URL_SETTINGS.items():
            if self._environ.get(env, "").strip():
                urls[name] = self._environ[env].strip()
        changes: dict[str, Any] = {k: v for k, v in urls.items() if isinstance(v, str) and v}
        return replace(self.base_config, user_agent=f"atlas-desktop/{__version__}",
                       email=self.email() or self.base_config.email,
                       api_key=self._api_key() or self.base_config.api_key, **changes)

    def make_way(self) -> None:
        """The window is answering a keystroke: lookups running on other threads wait a
        moment between steps (:mod:`atlas_desktop.net.courtesy`)."""
        window_busy()

    # ------------------------------------------------------------------ reading

    def record(self, *, entry_id: str) -> CompletedRecord:
        """What was completed for an entry (empty when nothing was)."""
        return self.records(entry_ids=[entry_id])[entry_id]

    def records(self, *, entry_ids: Sequence[str]) -> dict[str, CompletedRecord]:
        with self._ctx.db.read() as conn:
            stored = store.records_for(conn, entry_ids)
            entries = {e.id: e for e in cat.get_entries(conn, list(stored))}
        return {i: build_record(entries.get(i), i, stored.get(i, [])) for i in entry_ids}

    def cited(self, *, entry_id: str) -> tuple[Entry, CompletedRecord] | None:
        """The entry as citations, copies and exports use it (its completed record laid
        over the atlas's values: :mod:`atlas_desktop.domain.cited`), and the record (where
        each field came from, what differs, the notices): the data behind the detail
        pane's bibliographic lines. None for an unknown id."""
        with self._ctx.db.read() as conn:
            entry = cat.get_entry(conn, entry_id)
            if entry is None:
                return None
            (cited,), records = cited_entries(conn, [entry])
        return cited, records.get(entry_id) or CompletedRecord(entry_id)

    def entries_with_notice(self, *, kind: NoticeKind) -> set[str]:
        """Ids of the entries with a notice of ``kind`` (the seam for ``is:retracted``,
        facets and badges)."""
        with self._ctx.db.read() as conn:
            return store.entries_with_notice(conn, kind)

    def pending(self) -> list[str]:
        with self._ctx.db.read() as conn:
            return store.queued(conn)

    # ------------------------------------------------------------------ running

    def complete(self, *, entry_ids: Sequence[str] | None = None, missing: bool = False,
                 cancel: threading.Event | None = None,
                 progress: Progress | None = None) -> CompletionReport:
        """Complete ``entry_ids`` (or every entry with a DOI or PMID; ``missing``: those
        with nothing completed yet). Raises CompletionOff when turned off."""
        if not self.enabled():
            raise CompletionOff(OFF_MESSAGE)
        with self._ctx.db.read() as conn:
            targets = store.identifiers(conn, entry_ids=entry_ids, missing_only=missing)
            known = cat.existing_ids(conn, entry_ids) if entry_ids is not None else set()
        report = CompletionReport()
        if entry_ids is not None:
            found = {t[0] for t in targets}
            for entry_id in dict.fromkeys(entry_ids):
                if entry_id not in found:
                    reason = "no DOI or PMID to look up" if entry_id in known else \
                        "there is no such entry"
                    report.results.append(EntryResult(entry_id, EntryOutcome.FAILED, reason))
        with self._run_lock:
            self._run(targets, report, cancel, progress)
        return report

    def check_after_sync(self, *, explicit: bool, cancel: threading.Event | None = None
                         ) -> CompletionReport | None:
        """The sync's hook: every entry with an identifier at an explicit sync or once a
        day, else only what waits from an earlier run. None when turned off."""
        if not self.enabled():
            return None
        with self._ctx.db.read() as conn:
            last = user_store.get_meta(conn, _LAST_CHECK_KEY)
            waiting = store.queued(conn)
        due = explicit or last is None or last <= (datetime.now(UTC) - CHECK_INTERVAL
                                                    ).strftime("%Y-%m-%dT%H:%M:%SZ")
        if not due and not waiting:
            return None
        report = self.complete(entry_ids=None if due else waiting, cancel=cancel)
        if due and not report.cancelled:
            with self._ctx.write(Changes.NONE) as conn:  # bookkeeping no view shows
                user_store.set_meta(conn, _LAST_CHECK_KEY, _utc_now())
        return report

    def _run(self, targets: list[tuple[str, str | None, str | None]], report: CompletionReport,
             cancel: threading.Event | None, progress: Progress | None) -> None:
        total = len(targets)
        pmids = sorted({t[2] for t in targets if t[2]})
        dois = sorted({t[1] for t in targets if t[1]}, key=str.lower)
        pubmed: dict[str, Lookup] = {}
        crossref: dict[str, Lookup] = {}
        datacite: dict[str, Lookup] = {}
        config = self.online_config()
        from atlas_desktop.online.client import OnlineClient  # the HTTP stack, when used

        with OnlineClient(config, cancel=cancel, sleep=self._sleep) as client:
            try:
                if progress is not None:
                    progress(0, total, "Asking PubMed")
                if pmids:
                    pubmed = client.pubmed(pmids)
                if progress is not None:
                    progress(0, total, "Asking Crossref")
                if dois:
                    crossref = client.crossref(dois)
                for _, doi, pmid in targets:
                    # A DOI Crossref does not hold (DataCite and the other agencies) is asked
                    # of doi.org, unless PubMed has completed the entry already.
                    if doi and doi not in datacite and _status(crossref.get(doi)) is \
                            Status.NOT_FOUND and _status(pubmed.get(pmid or "")) is not \
                            Status.FOUND:
                        datacite[doi] = client.doi_csl(doi)
            except Cancelled:
                report.cancelled = True
            report.requests = dict(client.requests)
        now = _utc_now()
        for start in range(0, total, _WRITE_CHUNK):
            chunk = targets[start:start + _WRITE_CHUNK]
            # Several transactions, one notice at the end (below), so views refresh once.
            with self._ctx.write(Changes.NONE) as conn:
                news: list[EntryChange] = []
                for entry_id, doi, pmid in chunk:
                    # Runs beside the window: each entry is short work, and between two the
                    # window's thread may take Python's lock (its searches wait for it
                    # after every SQLite call, for up to 5 ms while this thread computes).
                    time.sleep(0)
                    lookups = [(Source.PUBMED, pubmed.get(pmid) if pmid else None),
                               (Source.CROSSREF, crossref.get(doi) if doi else None),
                               (Source.DOI, datacite.get(doi) if doi else None)]
                    report.results.append(self._store_entry(conn, entry_id, lookups, now,
                                                            cancelled=report.cancelled,
                                                            news=news))
                if news:  # a line each in "what changed", beside the catalogue's changes
                    sync_state.record_changes(
                        conn, run_id=f"completion-{now}", pulled_at=now, new=[],
                        changed=news, withdrawn=[],
                        titles=sync_state.titles_for(conn, [c.id for c in news]))
            if progress is not None:
                progress(min(total, start + len(chunk)), total, "Saving")
            give_way()
        with self._ctx.db.read() as conn:
            report.pending = len(store.queued(conn))
        completed = {r.entry_id for r in report.results if r.outcome is EntryOutcome.COMPLETED}
        if completed:
            self._ctx.notify(Changes.COMPLETION, entry_ids=completed)

    def _store_entry(self, conn: Any, entry_id: str,
                     lookups: list[tuple[Source, Lookup | None]], now: str, *,
                     cancelled: bool, news: list[EntryChange]) -> EntryResult:
        asked = [(s, lookup) for s, lookup in lookups if lookup is not None]
        found: list[SourceRecord] = [lk.record for _, lk in asked
                                     if lk.status is Status.FOUND and lk.record is not None]
        failed = [lk for _, lk in asked if lk.status is Status.FAILED]
        changed = False
        for record in found:
            changed |= store.save_record(conn, entry_id, record, now=now)
        if changed:
            stored = store.records_for(conn, [entry_id]).get(entry_id, [])
            notices = build_record(None, entry_id, stored).notices
            fresh = _new_kinds(store.notices_of(conn, entry_id), notices)
            if fresh:
                news.append(EntryChange(entry_id, tuple(f"notice:{k.value}" for k in fresh)))
            store.set_notices(conn, entry_id, notices)
        if (failed and any(lk.retry for lk in failed)) or (cancelled and not asked):
            reason = failed[0].reason if failed else "stopped before it was looked up"
            store.queue(conn, [entry_id], now=now, error=reason)
        else:
            store.unqueue(conn, [entry_id])
        sources = tuple(r.source.value for r in found)
        if found:
            return EntryResult(entry_id, EntryOutcome.COMPLETED if changed
                               else EntryOutcome.UNCHANGED, sources=sources)
        if failed:
            return EntryResult(entry_id, EntryOutcome.FAILED, failed[0].reason)
        if cancelled and not asked:
            return EntryResult(entry_id, EntryOutcome.FAILED, "stopped before it was looked up")
        return EntryResult(entry_id, EntryOutcome.NOT_FOUND)


def _new_kinds(before: Sequence[Notice], after: Sequence[Notice]) -> list[NoticeKind]:
    """Kinds of notice in ``after`` that ``before`` did not hold as that kind (the same
    notice found again, or by a second source, is not news; a correction that turns out to
    be a retraction is)."""
    fresh = {n.kind for n in after if n.kind in _NEWS
             and not any(b.kind is n.kind and same_notice(b, n) for b in before)}
    return [kind for kind in _NEWS if kind in fresh]


def _status(lookup: Lookup | None) -> Status | None:
    return None if lookup is None else lookup.status

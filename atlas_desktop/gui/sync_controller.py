"""Runs syncs off the UI thread and tells the window how they went.

When: once at start, on a timer, on "Sync now", soon after a report is queued, and when
the network comes back (``QNetworkInformation``, where the platform has a backend).
Timer runs and "report queued" runs are automatic (they wait for the client's backoff);
"Sync now" and "network is back" are explicit (they retry at once, but still honour a
server's Retry-After).

Invariants: at most one run at a time; a run asked for during a run is done once after it
(an explicit request wins over an automatic one). Results reach widgets only through the
signals, on the UI thread. Messages are sentences, never tracebacks.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from atlas_desktop.domain.sync import SyncOverview, SyncResult, SyncState
from atlas_desktop.services.sync import SyncService

from .runner import Runner

DEFAULT_INTERVAL_MS = 10 * 60 * 1000
#: A report queued now is sent this soon (several reports in a row make one run).
SOON_MS = 3000


class SyncController(QObject):
    #: A :class:`SyncOverview`: state, last good sync, counts, a sentence.
    status_changed = Signal(object)
    #: The :class:`SyncResult` of a finished run.
    run_finished = Signal(object)
    #: A non-empty :class:`CatalogueUpdate` (new, changed, withdrawn entries).
    catalogue_updated = Signal(object)

    def __init__(
        self, service: SyncService, runner: Runner, *, interval_ms: int = DEFAULT_INTERVAL_MS,
        watch_network: bool = True, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._cancel = threading.Event()
        self._running = False
        self._pending: bool | None = None  # None: nothing asked; else "explicit?"
        self._overview: SyncOverview | None = None
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self._on_soon_timeout)
        self._watch_network = watch_network
        self._online: bool | None = None

    # ------------------------------------------------------------------ public

    @property
    def running(self) -> bool:
        return self._running

    @property
    def overview(self) -> SyncOverview | None:
        """The last status sent with :attr:`status_changed`."""
        return self._overview

    def start(self) -> None:
        """Begin: a first (automatic) run now, then on the timer and network changes."""
        self._timer.start()
        if self._watch_network:
            self._watch_reachability()
        self.request(explicit=False)

    def sync_now(self) -> None:
        """The user's "Sync now": every queued report is tried at once."""
        self.request(explicit=True)

    def sync_soon(self) -> None:
        """Call after a report is queued: an automatic run in a few seconds."""
        if not self._closed:
            self._soon.start()

    def refresh_status(self) -> None:
        """Re-read the status (after settings changed, say) without syncing."""
        if not self._closed:
            self._runner.submit(self._service.overview, self._publish_overview,
                                self._on_overview_failed)

    def request(self, *, explicit: bool) -> None:
        if self._closed:
            return
        if self._running:
            self._pending = bool(self._pending) or explicit
            return
        self._start_run(explicit)

    def shutdown(self) -> None:
        """Stop timers and ask a running sync to stop between requests (window closing)."""
        self._closed = True
        self._timer.stop()
        self._soon.stop()
        self._cancel.set()

    # ------------------------------------------------------------------ running

    def _start_run(self, explicit: bool) -> None:
        self._running = True
        base = self._overview or SyncOverview(SyncState.IDLE, "", None, None, None, 0, 0)
        self._publish_overview(dataclasses.replace(base, running=True))
        service, cancel = self._service, self._cancel

        def work() -> tuple[SyncResult, SyncOverview]:
            result = service.run(explicit=explicit, cancel=cancel)
            return result, service.overview()

        self._runner.submit(work, self._on_run_done, self._on_run_failed)

    def _on_run_done(self, value: Any) -> None:
        result, overview = value
        self._running = False
        self.run_finished.emit(result)
        if not result.catalogue.empty:
            self.catalogue_updated.emit(result.catalogue)
        self._publish_overview(overview)
        self._next()

    def _on_run_failed(self, exc: BaseException) -> None:
        self._running = False
        base = self._overview or SyncOverview(SyncState.ERROR, "", None, None, None, 0, 0)
        self._publish_overview(dataclasses.replace(
            base, state=SyncState.ERROR, running=False,
            message=f"The sync stopped because of an unexpected problem ({exc}). Your reports "
                    "are safe in the outbox."))
        self._next()

    def _next(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and not self._closed:
            self._start_run(pending)

    def _publish_overview(self, overview: Any) -> None:
        self._overview = overview
        self.status_changed.emit(overview)

    def _on_overview_failed(self, exc: BaseException) -> None:
        self._publish_overview(SyncOverview(
            SyncState.ERROR, f"The sync status could not be read ({exc}).", None, None, None,
            0, 0))

    # ------------------------------------------------------------------ triggers

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.request(explicit=False)

    @Slot()
    def _on_soon_timeout(self) -> None:
        self.request(explicit=False)

    def _watch_reachability(self) -> None:
        try:
            loaded = QNetworkInformation.loadBackendByFeatures(
                QNetworkInformation.Feature.Reachability)
        except Exception:  # no backend on this platform: the timer still runs
            return
        info = QNetworkInformation.instance() if loaded else None
        if info is None:
            return
        self._online = _connected(info.reachability())
        info.reachabilityChanged.connect(self._on_network_reachability_changed)

    @Slot(QNetworkInformation.Reachability)
    def _on_network_reachability_changed(
            self, reachability: QNetworkInformation.Reachability) -> None:
        online = _connected(reachability)
        came_back = online is True and self._online is False
        self._online = online
        if came_back:
            # Earlier failures were most likely the missing network: retry at once.
            self.request(explicit=True)


def _connected(reachability: QNetworkInformation.Reachability) -> bool | None:
    """Any network at all counts (the atlas server may be on the local network); None when
    the platform does not know."""
    if reachability == QNetworkInformation.Reachability.Unknown:
        return None
    return reachability != QNetworkInformation.Reachability.Disconnected

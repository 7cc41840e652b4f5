"""What every service shares: the library file, its folder, a clock, change listeners, and
the one way to write (:meth:`LibraryContext.write`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime

from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.store import LibraryDB
from atlas_desktop.store.database import Connection

ChangeListener = Callable[[ChangeNotice], None]

#: Who asked for the writes made in this context (thread): set by a face around a call
#: (:meth:`LibraryContext.initiated_by`) and copied into every notice those writes send.
_INITIATOR: ContextVar[object | None] = ContextVar("atlas_initiator", default=None)


def utc_now() -> str:
    """RFC 3339 UTC with seconds, as the contract writes times."""
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now_precise() -> str:
    """Microsecond timestamps for local ordering (notes saved twice in one second)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class LibraryContext:
    db: LibraryDB
    paths: LibraryPaths
    clock: Callable[[], str] = utc_now
    _listeners: list[ChangeListener] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    @contextmanager
    def write(
        self, kinds: Changes, *, entry_ids: Collection[str] | None = None, bulk: bool = False
    ) -> Iterator[Connection]:
        """A write transaction that, once committed, sends ONE notice of what changed.

        ``entry_ids`` is read after the block, so a set the block fills (ids an import or a
        merge learns as it goes) is fine; None means many or unknown. ``Changes.NONE`` sends
        nothing (bookkeeping no view shows). Nothing is sent if the block raises: then
        nothing was committed. ``bulk``: see :meth:`LibraryDB.write`.
        """
        with self.db.write(bulk=bulk) as conn:
            yield conn
        self.notify(kinds, entry_ids=entry_ids)

    def notify(self, kinds: Changes, *, entry_ids: Collection[str] | None = None) -> None:
        """Tell listeners what changed (after it committed). Writes go through :meth:`write`,
        which calls this; call it directly only for what is not one transaction (a run of
        several, the keyring, a sync starting)."""
        if kinds == Changes.NONE:
            return
        notice = ChangeNotice.of(kinds, entry_ids, _INITIATOR.get())
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(notice)

    @contextmanager
    def initiated_by(self, initiator: object | None) -> Iterator[None]:
        """Notices sent by writes inside this block name ``initiator`` (this thread only)."""
        token = _INITIATOR.set(initiator)
        try:
            yield
        finally:
            _INITIATOR.reset(token)

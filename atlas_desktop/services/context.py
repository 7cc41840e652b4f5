"""What every service shares: the library file, its folder, a clock, change listeners."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from atlas_desktop.domain.changes import Changes
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.store import LibraryDB

ChangeListener = Callable[[Changes], None]


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

    def notify(self, changes: Changes) -> None:
        """Tell listeners what changed. Called after the transaction committed."""
        if changes == Changes.NONE:
            return
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes)

"""Running work off the UI thread, with results delivered back on it (Picard's helper).

``ThreadPoolRunner`` is the app's; ``ImmediateRunner`` runs tasks on the calling thread so
tests of async code are deterministic (JabRef's ``TaskExecutor`` idea).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class Runner(Protocol):
    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None: ...


class _Relay(QObject):
    """Lives on the UI thread; its signals carry results back across threads."""

    finished = Signal(object, object)
    failed = Signal(object, object)

    @Slot(object, object)
    def _deliver(self, callback: Any, value: Any) -> None:
        if callback is not None:
            callback(value)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, on_done: Any, on_error: Any) -> None:
        super().__init__()
        self._fn, self._relay, self._on_done, self._on_error = fn, relay, on_done, on_error
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as exc:  # reported to the UI, never swallowed
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._relay.failed.emit(self._on_error, exc)
            return
        self._relay.finished.emit(self._on_done, value)


class ThreadPoolRunner:
    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(parent)
        self._relay.finished.connect(self._relay._deliver)
        self._relay.failed.connect(self._relay._deliver)

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._pool.start(_Task(fn, self._relay, on_done, on_error))

    def wait(self, msecs: int = 30_000) -> bool:
        return bool(self._pool.waitForDone(msecs))


class ImmediateRunner:
    """Runs each task at once on the calling thread (tests)."""

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        try:
            value = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
            return
        if on_done is not None:
            on_done(value)

"""Running work off the UI thread, with results delivered back on it (Picard's helper).

``ThreadPoolRunner`` is the app's; ``SerialRunner`` is the window's one writer thread
(``gui/operations.py``); ``ImmediateRunner`` runs tasks on the calling thread so tests of
async code are deterministic (JabRef's ``TaskExecutor`` idea).
"""

from __future__ import annotations

import itertools
import sys
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


class _Job:
    """One submitted task: the work, its callbacks and, once run, its outcome."""

    __slots__ = ("error", "fn", "on_done", "on_error", "value")

    def __init__(self, fn: Callable[[], Any], on_done: Any, on_error: Any) -> None:
        self.fn: Callable[[], Any] | None = fn
        self.on_done = on_done
        self.on_error = on_error
        self.value: Any = None
        self.error: BaseException | None = None


class _Relay(QObject):
    """Lives on the UI thread and owns every job until its outcome is delivered there.

    The worker thread never holds the last reference to a job's callables: they are often
    bound methods of widgets or lambdas over them, and a widget whose last Python reference
    went away on a worker thread would be destroyed there (Qt forbids it; it crashes).
    So the job stays in ``jobs`` (owned here), the worker only gets its key, and the callables
    are released on the UI thread when the outcome is delivered."""

    finished = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs: dict[int, _Job] = {}
        self._keys = itertools.count(1)
        self.finished.connect(self._deliver)

    def add(self, job: _Job) -> int:
        key = next(self._keys)
        self.jobs[key] = job
        return key

    @Slot(int)
    def _deliver(self, key: int) -> None:
        job = self.jobs.pop(key)
        if job.error is not None:
            callback, outcome = job.on_error, job.error
        else:
            callback, outcome = job.on_done, job.value
        job = None  # type: ignore[assignment]
        if callback is not None:
            callback(outcome)
        elif isinstance(outcome, BaseException):
            # Nobody asked to hear of it: an error is never dropped. The window's hook
            # (gui/failure_dialog.py) shows it with its log; elsewhere Python prints it.
            sys.excepthook(type(outcome), outcome, outcome.__traceback__)


class _Task(QRunnable):
    def __init__(self, key: int, relay: _Relay) -> None:
        super().__init__()
        self._key, self._relay = key, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        job = self._relay.jobs[self._key]
        fn = job.fn
        try:
            assert fn is not None
            job.value = fn()
        except BaseException as exc:  # reported to the UI, never swallowed
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            _drop_frames(exc)
            job.error = exc
        # Only borrowed references are dropped here; the registry owns the job (see _Relay).
        fn = None
        job = None  # type: ignore[assignment]
        self._relay.finished.emit(self._key)


def _drop_frames(exc: BaseException) -> None:
    """Tracebacks hold the frames of the failed work, and so whatever they referred to
    (widgets among them); the text is kept, the frames are let go with the exception."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__


class ThreadPoolRunner:
    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(parent)

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        key = self._relay.add(_Job(fn, on_done, on_error))
        self._pool.start(_Task(key, self._relay))

    def wait(self, msecs: int = 30_000) -> bool:
        return bool(self._pool.waitForDone(msecs))


class SerialRunner(ThreadPoolRunner):
    """One worker thread of its own: tasks run one at a time, in the order submitted (the
    window's writes, so a star clicked after a note was typed lands after it)."""

    def __init__(self, parent: QObject | None = None) -> None:
        pool = QThreadPool(parent)
        pool.setMaxThreadCount(1)
        super().__init__(pool, parent)


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

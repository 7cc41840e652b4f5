"""The thread-pool runner: results come back on the UI thread, and the callables given to it
are released there too (a widget released on a worker thread is destroyed there: a crash)."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar


class Probe:
    """Records which thread lets go of it."""

    released_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.delivered: object = None

    def done(self, value: object) -> None:
        self.delivered = value

    def __del__(self) -> None:
        Probe.released_on.append(threading.current_thread().name)



def test_results_and_errors_arrive_on_the_ui_thread(qtbot, runner):
    seen: list[tuple[str, object]] = []
    runner.submit(lambda: 6 * 7, lambda v: seen.append((threading.current_thread().name, v)))

    def fails() -> None:
        raise ValueError("bad input")

    runner.submit(fails, None, lambda e: seen.append((threading.current_thread().name, e)))
    qtbot.waitUntil(lambda: len(seen) == 2)
    main = threading.main_thread().name
    assert all(name == main for name, _ in seen)
    values = {type(v).__name__: v for _, v in seen}
    assert values["int"] == 42
    error = values["ValueError"]
    assert "bad input" in error.__traceback_text__  # the text survives for the report
    assert error.__traceback__ is None  # the failed work's frames are let go


def test_callables_are_released_on_the_ui_thread_never_on_a_worker(qtbot, runner):
    Probe.released_on.clear()
    count = 150
    for i in range(count):
        probe = Probe()
        # The runner holds the only references: to a bound method and to a closure.
        runner.submit(lambda probe=probe, i=i: i, probe.done)
        del probe
    qtbot.waitUntil(lambda: len(Probe.released_on) == count, timeout=10_000)
    runner.wait()
    gc.collect()
    assert Probe.released_on == [threading.main_thread().name] * count

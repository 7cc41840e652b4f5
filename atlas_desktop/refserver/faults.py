"""Fault switches of the reference server, for tests and for trying a client by hand.

Each request draws at most one fault, with the given shares:
- ``fail``: answer 500 without doing anything;
- ``busy``: answer 503 (or 429) with ``Retry-After`` (unless ``retry_after`` is None);
- ``drop``: do the work (store the report), then close the connection without answering;
- ``slow``: wait ``slow_seconds`` (meant to be longer than the client's timeout), either
  before doing the work or after it, before answering.
Draws come from one seeded generator, so a run with a given seed is repeatable in its
sequence of faults (thread timing may still reorder which request gets which).
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Literal

Fault = Literal["fail", "busy", "drop", "slow_before", "slow_after"]


@dataclass(frozen=True)
class FaultPlan:
    fail_rate: float = 0.0
    busy_rate: float = 0.0
    #: The ``Retry-After`` value sent when busy (seconds or an HTTP date); None sends none.
    retry_after: str | None = "1"
    #: 503 (busy) or 429 (too many requests).
    busy_status: int = 503
    drop_rate: float = 0.0
    slow_rate: float = 0.0
    slow_seconds: float = 5.0
    #: Latency added to every request (not a fault: meant to stay below the timeout).
    delay_seconds: float = 0.0
    seed: int | None = None

    def __post_init__(self) -> None:
        rates = (self.fail_rate, self.busy_rate, self.drop_rate, self.slow_rate)
        if any(r < 0 or r > 1 for r in rates) or sum(rates) > 1:
            raise ValueError("fault shares must be between 0 and 1 and add up to at most 1")

    @property
    def any(self) -> bool:
        return any((self.fail_rate, self.busy_rate, self.drop_rate, self.slow_rate))


class FaultDice:
    """Draws faults for requests; thread-safe; counts what it drew."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._rng = random.Random(plan.seed)
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()

    def draw(self) -> Fault | None:
        plan = self.plan
        if not plan.any:
            return None
        with self._lock:
            roll = self._rng.random()
            fault: Fault | None = None
            for name, share in (("fail", plan.fail_rate), ("busy", plan.busy_rate),
                                ("drop", plan.drop_rate), ("slow", plan.slow_rate)):
                if roll < share:
                    if name == "slow":
                        fault = "slow_before" if self._rng.random() < 0.5 else "slow_after"
                    else:
                        fault = name  # type: ignore[assignment]
                    break
                roll -= share
            if fault is not None:
                self.counts[fault] += 1
            return fault

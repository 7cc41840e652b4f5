"""Background lookups make way for the window (net/courtesy.py): while the window answers a
keystroke, the XML parsing of completed records waits between its steps; otherwise it only
lets a waiting thread have Python's lock. The speed it buys is a benchmark's figure
(benchmarks/online_probe.py, README); here, what is asked of the scheduler (time.sleep
records its arguments instead of sleeping)."""

from __future__ import annotations

import pytest

from atlas_desktop.net import courtesy
from atlas_desktop.online.pubmed import FEED_BYTES, parse_efetch
from tests.online.replay import recorded_articles


@pytest.fixture
def waits(monkeypatch):
    asked: list[float] = []
    monkeypatch.setattr(courtesy.time, "sleep", asked.append)
    monkeypatch.setattr(courtesy._WINDOW, "busy_until", 0.0)
    return asked


def test_give_way_waits_only_while_the_window_is_busy(waits):
    courtesy.give_way()
    assert waits == [0]
    courtesy.window_busy()
    courtesy.give_way()
    assert 0 < waits[-1] <= courtesy.LONGEST_WAIT


def test_parsing_pubmed_waits_between_its_steps_while_the_window_is_busy(waits):
    article = recorded_articles()["27797938"]  # 44 kB with its reference list
    data = b"<PubmedArticleSet>" + article * 3 + b"</PubmedArticleSet>"
    assert len(parse_efetch(data)) == 3
    assert waits and all(w == 0 for w in waits)  # not busy: the lock is only offered
    steps = len(waits)
    assert steps >= len(data) // FEED_BYTES + 3  # every 32 kB piece and every article
    waits.clear()
    courtesy.window_busy()
    assert len(parse_efetch(data)) == 3
    assert waits[0] > 0


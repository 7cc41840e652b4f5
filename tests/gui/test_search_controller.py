"""The search controller on real worker threads: a long result's first page, then its rest
(a frame later), and a newer search making an older one's rest unwanted."""

from __future__ import annotations

import pytest

from atlas_desktop.domain.listing import SortKey
from atlas_desktop.gui.search_controller import FIRST_PAGE, SearchController
from tests.conftest import synthetic_library


@pytest.fixture(scope="module")
def long_library(tmp_path_factory):
    lib = synthetic_library(tmp_path_factory.mktemp("long"), 900, seed=11)
    yield lib
    lib.close()


@pytest.fixture
def controller(qtbot, long_library, runner):
    search = SearchController(long_library, runner)
    busy: list[bool] = []
    search.busy_changed.connect(busy.append)
    search.busy = busy  # type: ignore[attr-defined]
    return search


def test_a_long_result_comes_as_a_first_page_then_whole(qtbot, controller, long_library):
    with qtbot.waitSignal(controller.page_ready) as page:
        controller.run("")
    first, total = page.args
    assert total == 900
    assert len(first.pks) == FIRST_PAGE and not first.complete
    with qtbot.waitSignal(controller.result_completed) as rest:
        pass
    whole = rest.args[0]
    assert whole.complete and len(whole.pks) == 900
    assert list(whole.pks[:FIRST_PAGE]) == list(first.pks)
    qtbot.waitUntil(lambda: controller.busy[-1] is False)


def test_a_newer_search_drops_the_older_ones_rest(qtbot, controller):
    completed = []
    controller.result_completed.connect(completed.append)
    with qtbot.waitSignal(controller.page_ready):
        controller.run("")
    assert controller._rest_timer.isActive()  # the rest is due a frame after the page
    with qtbot.waitSignal(controller.page_ready) as page:
        controller.run("", SortKey.TITLE)  # another long result, before the first one's rest
    assert not page.args[0].complete
    with qtbot.waitSignal(controller.result_completed):
        pass
    qtbot.waitUntil(lambda: controller.busy[-1] is False)
    assert [r.sort for r in completed] == [SortKey.TITLE]


def test_the_word_list_is_read_after_the_counts_then_kept(qtbot, tmp_path, runner):
    lib = synthetic_library(tmp_path, 120, seed=5)
    try:
        search = SearchController(lib, runner)
        order: list[object] = []
        busy: list[bool] = []
        search.busy_changed.connect(busy.append)
        search.facets_ready.connect(lambda _facets: order.append("counts"))
        search.terms_refreshed.connect(order.append)
        with qtbot.waitSignal(search.terms_refreshed, timeout=10_000):
            search.run("fatig")
        assert order == ["counts", True]
        assert busy[-1] is False  # housekeeping: the window does not show it as busy
        with qtbot.waitSignal(search.terms_refreshed, timeout=10_000):
            search.run("fatigue")
        assert order == ["counts", True, "counts", False]  # still current: not read again
        assert lib.catalogue.refresh_terms() is False
    finally:
        lib.close()

"""Measured in its own process by bench_gui.py (so peak RSS is the window's own): typing into
the real search box, facet recounts, and selecting rows, on one library, offscreen."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from atlas_desktop.gui.application import freeze_startup_objects
from atlas_desktop.gui.main_window import MainWindow
from atlas_desktop.gui.runner import ThreadPoolRunner
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library

from .context import summarise

TYPED = ["f", "fa", "fat", "fati", "fatig", "fatigue", "m", "mi", "mit", "mito", "mitoch",
         "mitochondrial", "p", "po", "pos", "post", "post e", "post ex", "post exer",
         "post exertional", "c", "co", "cor", "cort", "cortisol", "author:oka",
         "pem:required fatigue", 'tag:"Symptom: Fatigue" sleep']
FACET_QUERIES = ["fatigue", "mitochondrial", "hypoth", "cortisol axis", "pem:required",
                 "author:okafor", '"white matter"', "year:2010-2015"]


def wait_for(signal: object, timeout: float = 30.0) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)  # type: ignore[attr-defined]


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        return int(handle.read().split("VmRSS:")[1].split()[0]) / 1024


def settle(window: MainWindow, runner: ThreadPoolRunner) -> None:
    """Let the complete result and the facet counts of the last search arrive."""
    for _ in range(3):
        runner.wait()
        QCoreApplication.processEvents()
        if window.search._facets_timer.isActive():
            wait_for(window.search.facets_ready)
    runner.wait()
    QCoreApplication.processEvents()


def main(data_dir: str, settings_file: str) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    library = open_library(LibraryPaths(Path(data_dir)), check="skip")
    runner = ThreadPoolRunner()
    window = MainWindow(library, runner,
                        settings=QSettings(settings_file, QSettings.Format.IniFormat))
    window.resize(1400, 860)
    window.show()
    freeze_startup_objects()  # as run_gui does
    wait_for(window.search.page_ready)
    runner.wait()
    QCoreApplication.processEvents()
    if os.environ.get("PROBE_TRACE"):
        print("after start", rss_mb(), file=sys.stderr)

    typed: list[float] = []
    for _ in range(2):
        for text in TYPED:
            # A person types a few keys a second: the previous search has settled.
            settle(window, runner)
            window.search_box.blockSignals(True)
            window.search_box.setText(text)
            window.search_box.blockSignals(False)
            started = time.perf_counter()
            window.run_search()  # what the debounce timer calls after a keystroke
            wait_for(window.search.page_ready)
            window.table.viewport().repaint()
            typed.append((time.perf_counter() - started) * 1000)
            if os.environ.get("PROBE_TRACE"):
                print("typed", text, rss_mb(), file=sys.stderr)
    settle(window, runner)

    facets: list[float] = []
    library.catalogue.facets(text="")  # the whole-library counts are cached once
    for text in FACET_QUERIES:
        started = time.perf_counter()
        library.catalogue.facets(text=text)
        facets.append((time.perf_counter() - started) * 1000)

    window.set_query("")
    wait_for(window.search.page_ready)
    # As for typing: the list has settled (its rest and counts are in) before the clicks.
    settle(window, runner)
    selecting: list[float] = []
    for row in range(1, 60):
        started = time.perf_counter()
        window.table.selectRow(row)
        # The detail follows one event-loop turn later; that turn also repaints the two list
        # rows whose selection changed (Qt updates only those, as on screen).
        QCoreApplication.processEvents()
        assert window.detail.entry is not None and window.detail.entry.id == \
            window.model.list_row(row).id
        window.detail.browser.viewport().repaint()
        selecting.append((time.perf_counter() - started) * 1000)
    runner.wait()
    hostile = _hostile_entry_paints(window)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a probe forked from the
    # benchmark process (which had just parsed a 400 MB bundle) would report its parent's peak.
    with open("/proc/self/status") as handle:
        peak_kib = int(handle.read().split("VmHWM:")[1].split()[0])
    print(json.dumps({
        "keystroke_to_painted_list": summarise(typed),
        "facet_recount": summarise(facets),
        "select_row_to_painted_detail": summarise(selecting),
        "hostile_entry_to_painted_detail": hostile,
        "peak_rss_mb": round(peak_kib / 1024, 1),
    }))
    window.close()
    library.close()
    del app


def _hostile_entry_paints(window: MainWindow) -> dict[str, dict[str, float]]:
    """Issue 19.2: entries as long as the contract's limits allow (domain/limits.py), every
    field at its limit, in words and as one unbroken run each, through the one validator;
    each shown in the detail pane and painted, as a selection does (the read is left out:
    it costs a fraction of a millisecond)."""
    from atlas_desktop.domain import limits
    from atlas_desktop.domain.contract import canonical_entry_dict, entry_from_canonical

    def text(n: int, words: bool) -> str:
        return ("lorem ipsum " * (n // 12 + 1))[:n].strip() if words else "x" * n

    out: dict[str, dict[str, float]] = {}
    for words in (True, False):
        share = limits.ENTRY_TEXT_MAX // 6
        entry = entry_from_canonical(canonical_entry_dict({
            "id": "hostile-entry", "title": text(limits.TITLE_MAX, words),
            "authors": [{"family": text(limits.NAME_MAX, words), "given": None}],
            "journal": text(limits.JOURNAL_MAX, words),
            "summary": text(min(share, limits.PROSE_MAX), words),
            "why_it_matters": text(min(share, limits.PROSE_MAX), words),
            "does_not_prove": text(min(share, limits.PROSE_MAX), words),
            "observed_findings": [text(limits.ITEM_MAX, words)] * (share // limits.ITEM_MAX),
            "tags": {"Symptom": [text(limits.TAG_MAX, words)]},
        }))
        samples = []
        for _ in range(15):
            window.detail.show_empty()
            QCoreApplication.processEvents()
            started = time.perf_counter()
            window.detail.show_entry(entry)
            QCoreApplication.processEvents()
            window.detail.browser.viewport().repaint()
            samples.append((time.perf_counter() - started) * 1000)
        out["words" if words else "unbroken_runs"] = summarise(samples)
    return out


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

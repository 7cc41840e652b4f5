"""Measured in its own process by bench_online.py: the window's keystroke-to-painted-list
times while records are completed by the window's own completion controller (Entry →
Complete record, on its thread; issue 15: the window stays responsive), against the same
typing with nothing else running.

``PROBE_SWITCH_INTERVAL`` sets Python's switch interval for the run, and
``PROBE_NO_COURTESY=1`` stops the window from asking lookups to wait while it answers a
keystroke (atlas_desktop/net/courtesy.py): the two ways tried, for the README's figures.
``PROBE_ROUNDS`` types the words that many times (2), ``PROBE_RAW=1`` adds every sample."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from atlas_desktop.gui.application import freeze_startup_objects
from atlas_desktop.gui.main_window import MainWindow
from atlas_desktop.gui.runner import ThreadPoolRunner
from atlas_desktop.online.client import OnlineConfig
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from atlas_desktop.services.completion import URL_SETTINGS

from .context import summarise
from .gui_probe import TYPED, settle, wait_for

COMPLETED = 1000


def _type(window: MainWindow, runner: ThreadPoolRunner) -> list[float]:
    typed: list[float] = []
    for text in TYPED:
        settle(window, runner)
        window.search_box.blockSignals(True)
        window.search_box.setText(text)
        window.search_box.blockSignals(False)
        started = time.perf_counter()
        window.run_search()
        wait_for(window.search.page_ready)
        window.table.viewport().repaint()
        typed.append((time.perf_counter() - started) * 1000)
    return typed


def main(data_dir: str, settings_file: str, server_url: str) -> None:
    if os.environ.get("PROBE_SWITCH_INTERVAL"):  # to try the window with a shorter one
        sys.setswitchinterval(float(os.environ["PROBE_SWITCH_INTERVAL"]))
    app = QApplication.instance() or QApplication(sys.argv)
    library = open_library(LibraryPaths(Path(data_dir)), check="skip")
    runner = ThreadPoolRunner()
    window = MainWindow(library, runner,
                        settings=QSettings(settings_file, QSettings.Format.IniFormat))
    window.resize(1400, 860)
    window.show()
    freeze_startup_objects()
    wait_for(window.search.page_ready)
    runner.wait()
    QCoreApplication.processEvents()

    rounds = int(os.environ.get("PROBE_ROUNDS", "2"))
    quiet = [ms for _ in range(rounds) for ms in _type(window, runner)]

    ids = [i for i in library.catalogue.ids_for_pks(
        pks=list(library.catalogue.search(text="", limit=3 * COMPLETED).pks))][:COMPLETED]
    # The window's own service and controller, pointed at the local server, rates off.
    for _, variable in URL_SETTINGS.values():
        os.environ.pop(variable, None)
    library.completion.base_config = OnlineConfig(
        eutils_url=server_url + "/eutils", crossref_url=server_url + "/crossref",
        doi_url=server_url + "/doi", pubmed_rate=None, crossref_rate=None, doi_rate=None)
    if os.environ.get("PROBE_NO_COURTESY"):
        library.completion.make_way = lambda: None  # type: ignore[method-assign]
    controller = window.completion.controller
    runs: list[float] = []
    state = {"stop": False, "started": time.perf_counter()}

    def again(_outcome: object = None) -> None:
        if _outcome is not None:
            runs.append(time.perf_counter() - state["started"])
        if not state["stop"]:
            state["started"] = time.perf_counter()
            controller.complete(entry_ids=ids)

    controller.completed.connect(again)
    again()
    busy = [ms for _ in range(rounds) for ms in _type(window, runner)]
    state["stop"] = True
    controller.cancel()
    while controller.running:
        wait_for(controller.running_changed, timeout=60)
    settle(window, runner)
    print(json.dumps({
        "keystroke_to_painted_list_quiet": summarise(quiet),
        "keystroke_to_painted_list_while_completing": summarise(busy),
        "completion_runs_meanwhile": len(runs),
        "switch_interval_s": sys.getswitchinterval(),
        **({"samples_ms": {"quiet": quiet, "busy": busy}} if os.environ.get("PROBE_RAW")
           else {}),
    }))
    window.close()
    library.close()
    del app


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])

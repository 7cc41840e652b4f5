"""Measured in its own process by bench_online.py: the window's keystroke-to-painted-list
times while records are completed on another thread (issue 15: the window stays
responsive), against the same typing with nothing else running."""

from __future__ import annotations

import json
import os
import sys
import threading
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
from atlas_desktop.services.completion import CompletionService

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

    quiet = _type(window, runner) + _type(window, runner)

    ids = [i for i in library.catalogue.ids_for_pks(
        pks=list(library.catalogue.search(text="", limit=3 * COMPLETED).pks))][:COMPLETED]
    service = CompletionService(library.ctx, environ={}, config=OnlineConfig(
        eutils_url=server_url + "/eutils", crossref_url=server_url + "/crossref",
        doi_url=server_url + "/doi", pubmed_rate=None, crossref_rate=None, doi_rate=None))
    stop = threading.Event()
    runs: list[float] = []

    def complete_again_and_again() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            service.complete(entry_ids=ids, cancel=stop)
            runs.append(time.perf_counter() - started)

    worker = threading.Thread(target=complete_again_and_again)
    worker.start()
    busy = _type(window, runner) + _type(window, runner)
    stop.set()
    worker.join()
    settle(window, runner)
    print(json.dumps({
        "keystroke_to_painted_list_quiet": summarise(quiet),
        "keystroke_to_painted_list_while_completing": summarise(busy),
        "completion_runs_meanwhile": len(runs),
    }))
    window.close()
    library.close()
    del app


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])

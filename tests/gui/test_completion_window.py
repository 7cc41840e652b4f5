"""Entry → Complete record and Complete all…, File → Add by identifier…, and the
preferences' Online records box, through the real window against a loopback server replaying
the recorded PubMed, Crossref and doi.org answers. The lookups run on the controller's own
thread: a server held mid-request leaves the window answering, and Stop ends the run."""

from __future__ import annotations

import contextlib
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from atlas_desktop.gui.dialogs.catalogue_changes import CatalogueChangesDialog
from atlas_desktop.gui.dialogs.completion_settings import KEY_NOT_SET, KEY_SET
from atlas_desktop.gui.models.entry_table import Column, Role
from atlas_desktop.services.completion import API_KEY_ACCOUNT
from atlas_desktop.sync.credentials import SERVICE
from tests.gui.conftest import entry_ids_in_list
from tests.online.replay import ReplayServer, status
from tests.online.support import ALL, PLOS, WAKEFIELD, add_entries
from tests.sync_support import memory_keyring  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("memory_keyring")


@pytest.fixture
def server(monkeypatch):
    with ReplayServer() as running:
        for name, url in running.environ.items():
            monkeypatch.setenv(name, url)
        yield running


@pytest.fixture
def window(qtbot, library, settings, server):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    add_entries(library, ALL)
    library.completion.base_config = server.config()  # NCBI's rate limit off for tests
    # Reads at once on this thread; the lookups on the completion controller's own thread.
    win = MainWindow(library, ImmediateRunner(), settings=settings, writer=ImmediateRunner())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.completion.controller.shutdown()


def hold(server, prefix):
    """The server keeps the next request under ``prefix`` waiting until the event is set
    (then answers 503: a busy server)."""
    release = threading.Event()

    def wait(handler):
        release.wait(10)
        with contextlib.suppress(OSError):  # the client stopped waiting (Stop)
            status(503)(handler)

    server.replay.faults.append((prefix, wait))
    return release


def pill_kinds(window, entry_id):
    model = window.model
    row = entry_ids_in_list(window).index(entry_id)
    return [kind for kind, _ in model.data(model.index(row, Column.BADGES), Role.BADGES) or ()]


def test_complete_record_runs_off_the_ui_thread_and_the_views_follow(window, qtbot, server):
    window.select_entry(WAKEFIELD["id"])
    qtbot.waitUntil(lambda: window.detail.entry is not None
                    and window.detail.entry.id == WAKEFIELD["id"])
    assert "retraction" not in pill_kinds(window, WAKEFIELD["id"])
    release = hold(server, "/eutils/")
    stages = []
    window.completion.controller.progress.connect(lambda _d, _t, stage: stages.append(stage))
    window.commands.complete_record.trigger()
    dialog = window.completion.dialog
    qtbot.waitUntil(lambda: server.replay.count("/eutils/") == 1)
    # PubMed is holding the request: the window still answers (a search, a repaint).
    assert dialog.isVisible() and dialog.cancel_button.isVisible()
    window.set_query("lancet")
    qtbot.waitUntil(lambda: WAKEFIELD["id"] in entry_ids_in_list(window))
    release.set()
    with qtbot.waitSignal(window.completion.controller.completed, timeout=20_000):
        pass
    assert stages[:2] == ["Asking PubMed", "Asking Crossref"]
    assert "1 completed" in dialog.result_label.text()
    assert "Among them: 1 retracted" in dialog.result_label.text()
    qtbot.waitUntil(lambda: "retraction" in pill_kinds(window, WAKEFIELD["id"]))
    qtbot.waitUntil(lambda: "Retracted." in window.detail.document().toPlainText())
    assert server.replay.count("/eutils/") == 2  # the busy answer (503) was asked again


def test_stop_ends_a_run_and_what_was_not_looked_up_waits(window, qtbot, server):
    release = hold(server, "/eutils/")
    window.commands.complete_all.trigger()
    dialog = window.completion.dialog
    assert dialog.start_button.isVisible() and server.replay.requests == []  # asks first
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: server.replay.count("/eutils/") == 1)
    with qtbot.waitSignal(window.completion.controller.completed, timeout=5_000) as done:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    outcome = done.args[0]
    assert outcome.report.cancelled
    assert "stopped before the end" in dialog.result_label.text()
    assert server.replay.count("/crossref/") == 0  # nothing more was asked after Stop
    assert len(window.library.completion.pending()) == len(ALL)


def test_complete_all_completes_the_library_and_counts_its_notices(window, qtbot):
    window.commands.complete_all.trigger()
    dialog = window.completion.dialog
    with qtbot.waitSignal(window.completion.controller.completed, timeout=20_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    text = dialog.result_label.text()
    assert "7 completed, 2 not found" in text and "2 retracted" in text
    assert "3 under an expression of concern" in text
    assert "7 completed" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: pill_kinds(window, PLOS["id"])[:1] == ["concern"])
    # The notices found are news: a line each in "what changed", counted in the status bar.
    qtbot.waitUntil(window.status.changes_button.isVisible)
    assert window.status.changes_button.text() == "3 changes to review"
    changes = CatalogueChangesDialog(window.library.sync.changes_by_sync(unseen=True), window)
    qtbot.addWidget(changes)
    group = changes.tree.topLevelItem(0)
    assert group.text(0).startswith("Records completed online on ")
    assert group.text(0).endswith(": 3 papers with a new retraction, correction or expression "
                                  "of concern")
    rows = sorted((group.child(i).text(0).split(":")[0], group.child(i).text(1))
                  for i in range(group.childCount()))
    assert rows == [("Notice", "Expression of concern"),
                    ("Notice", "Retracted and expression of concern"),
                    ("Notice", "Retracted, expression of concern and correction published")]


def test_offline_a_lookup_waits_for_the_next_connection(window, qtbot, monkeypatch):
    for name in ("ATLAS_DESKTOP_EUTILS_URL", "ATLAS_DESKTOP_CROSSREF_URL",
                 "ATLAS_DESKTOP_DOI_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens: refused at once
    window.select_entry(PLOS["id"])
    with qtbot.waitSignal(window.completion.controller.completed, timeout=20_000):
        window.commands.complete_record.trigger()
    assert "1 waiting for the next connection" in window.completion.dialog.result_label.text()
    assert window.library.completion.pending() == [PLOS["id"]]


def test_add_by_identifier_makes_linked_references_and_selects_them(window, qtbot, server):
    qtbot.keyClick(window, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.completion.add_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.stop_button.isVisible()  # nothing to stop yet
    dialog.edit.setPlainText(f"Wakefield AJ et al. Lancet 1998. doi:{WAKEFIELD['doi']}\n"
                             f"{PLOS['pmid']}\n")
    assert dialog.found_label.text() == "Found: 1 DOI, 1 PMID"
    with qtbot.waitSignal(window.completion.controller.added, timeout=20_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    rows = [dialog.results.topLevelItem(i) for i in range(dialog.results.topLevelItemCount())]
    assert [(r.text(0), r.text(1)) for r in rows] == [
        (f"doi:{WAKEFIELD['doi']}", "Added"), (f"pmid:{PLOS['pmid']}", "Added")]
    assert rows[0].child(0).text(1) == "Linked to the atlas entry"
    assert rows[0].child(0).text(2).startswith("Ileal-lymphoid-nodular hyperplasia")
    assert "2 added" in dialog.status_label.text()
    new_ids = [r.data(0, Qt.ItemDataRole.UserRole + 1) for r in rows]
    qtbot.waitUntil(lambda: sorted(window.selected_entry_ids()) == sorted(new_ids))
    # Added again: found in the library, not made twice.
    with qtbot.waitSignal(window.completion.controller.added, timeout=20_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.results.topLevelItem(0).text(1) == "Already in your library"


def test_preferences_keep_the_api_key_in_the_keyring_and_never_show_it(
        window, qtbot, memory_keyring):  # noqa: F811 - the fixture
    dialog = window.preferences_dialog()
    box = dialog.online
    assert box.enabled_box.isChecked()
    qtbot.waitUntil(lambda: box.key_status.text() == KEY_NOT_SET)
    assert box.key_edit.echoMode() == box.key_edit.EchoMode.Password
    box.key_edit.setText("0123abcdef")
    box.email_edit.setText("clinic@example.org")
    dialog.accept()
    qtbot.waitUntil(lambda: window.library.completion.email() == "clinic@example.org")
    assert memory_keyring.store[(SERVICE, API_KEY_ACCOUNT)] == "0123abcdef"
    again = window.preferences_dialog().online
    qtbot.waitUntil(lambda: again.key_status.text() == KEY_SET)
    assert again.key_edit.text() == ""  # never echoed back
    assert "0123abcdef" not in "".join(w.text() for w in again.findChildren(type(again.key_status)))
    again.remove_key.setChecked(True)
    again.window().accept()
    qtbot.waitUntil(lambda: (SERVICE, API_KEY_ACCOUNT) not in memory_keyring.store)


def test_with_completion_off_nothing_is_sent(window, qtbot, server):
    prefs = window.preferences_dialog()
    prefs.online.enabled_box.setChecked(False)
    prefs.accept()
    qtbot.waitUntil(lambda: not window.library.completion.enabled())
    controller = window.completion.controller
    window.select_entry(WAKEFIELD["id"])
    with qtbot.waitSignal(controller.failed, timeout=10_000) as refused:
        window.commands.complete_record.trigger()
    assert "turned off, so nothing was sent" in refused.args[0]
    assert "turned off" in window.completion.dialog.result_label.text()
    window.commands.complete_all.trigger()
    with qtbot.waitSignal(controller.failed, timeout=10_000):
        window.completion.dialog.start_button.click()
    window.commands.add_by_identifier.trigger()
    window.completion.add_dialog.edit.setPlainText(f"doi:{WAKEFIELD['doi']}")
    with qtbot.waitSignal(controller.failed, timeout=10_000):
        window.completion.add_dialog.add_button.click()
    assert "turned off" in window.completion.add_dialog.status_label.text()
    with qtbot.waitSignal(window.sync.run_finished, timeout=20_000):
        window.sync.sync_now()  # an explicit sync would complete records when turned on
    assert server.replay.requests == []
    # The same requests once it is turned on again reach the server (the test could fail).
    window.library.completion.set_enabled(enabled=True)
    with qtbot.waitSignal(controller.completed, timeout=20_000):
        window.commands.complete_record.trigger()
    assert server.replay.count("/eutils/") == 1


def test_only_one_lookup_at_a_time(window, qtbot, server):
    release = hold(server, "/eutils/")
    window.select_entry(WAKEFIELD["id"])
    window.commands.complete_record.trigger()
    qtbot.waitUntil(lambda: server.replay.count("/eutils/") == 1)
    first = window.completion.dialog
    window.commands.complete_all.trigger()
    second = window.completion.dialog
    second.start_button.click()
    assert "being looked up already" in second.result_label.text()
    release.set()
    with qtbot.waitSignal(window.completion.controller.completed, timeout=20_000):
        pass
    assert "1 completed" in first.result_label.text()
    QApplication.processEvents()
    assert second.result_label.text().startswith("Records are being looked up already")


def test_a_keystroke_in_the_window_makes_lookups_wait(window, monkeypatch):
    import time

    from atlas_desktop.net import courtesy

    monkeypatch.setattr(courtesy._WINDOW, "busy_until", 0.0)
    before = time.monotonic()
    window.set_query("fatigue")  # what the search box's debounce calls
    assert courtesy._WINDOW.busy_until > before


def test_a_long_pasted_list_is_counted_once_typing_pauses(window, qtbot):
    from atlas_desktop.gui.dialogs.add_dialog import COUNT_AT_ONCE_CHARS

    qtbot.keyClick(window, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.completion.add_dialog
    line = "Author A, et al. A title of a paper. J Med. 2001;1:1-2. doi:10.1000/x{}\n"
    pasted = "".join(line.format(i) for i in range(1_000))
    assert len(pasted) > COUNT_AT_ONCE_CHARS
    dialog.edit.setPlainText(pasted)
    assert dialog.found_label.text() == "No DOI, PMID or PMCID found yet."  # not yet counted
    qtbot.waitUntil(lambda: dialog.found_label.text() == "Found: 1000 DOIs")
    assert dialog.add_button.isEnabled()
    dialog.close()

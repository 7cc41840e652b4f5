"""The window offers no "Report an error" on the user's own references (issue 18.4): no
button, no enabled action, no context-menu item, no report link in the incomplete banner;
their banner says what a reference lacks. Atlas entries keep all of it."""

from __future__ import annotations

import pytest

from tests.gui.conftest import entry_ids_in_list
from tests.sync_support import refserver  # noqa: F401 - fixture

OWN = r"""@article{undated,
  author = {Noyear, Nina},
  title = {A reference without a year},
  journal = {Journal of Clinic Notes}
}
"""


@pytest.fixture
def own_window(qtbot, window, tmp_path):
    path = tmp_path / "own.bib"
    path.write_text(OWN, encoding="utf-8")
    assert window.library.importer.import_files(paths=[path]).committed
    window.run_search()
    qtbot.waitUntil(lambda: "my-undated" in entry_ids_in_list(window))
    return window


def select(qtbot, window, entry_id):
    window.select_entry(entry_id)
    qtbot.waitUntil(lambda: window.detail.entry is not None and window.detail.entry.id == entry_id)


def report_offered(window):
    menu = window.table_context_menu()
    in_menu = menu is not None and window.commands.report in menu.actions()
    html = window.detail.document().toHtml()
    return {
        "button": window.detail.report_button.isVisible()
        and window.detail.report_button.isEnabled(),
        "action": window.commands.report.isEnabled(),
        "menu": in_menu,
        "link": "atlas-action:report-missing" in html,
    }


def test_no_report_is_offered_on_an_own_reference(qtbot, own_window):
    window = own_window
    select(qtbot, window, "van-der-vaart-2019")  # an incomplete atlas entry: all offered
    assert report_offered(window) == {"button": True, "action": True, "menu": True,
                                      "link": True}
    select(qtbot, window, "my-undated")
    assert report_offered(window) == {"button": False, "action": False, "menu": False,
                                      "link": False}
    text = window.detail.document().toPlainText()
    assert "Incomplete reference. Your reference has no year" in text
    assert "atlas record" not in text
    # Ctrl+E reaches the window anyway (a stale shortcut): it explains, opens nothing.
    window.dialogs.report_error()
    assert "own references" in window.statusBar().currentMessage()
    assert window.library.reports.list() == []


def test_the_window_says_when_a_queued_report_on_an_own_reference_is_withheld(
        qtbot, own_window, refserver):  # noqa: F811
    from tests.integration.test_private_references import _queue_as_an_older_version_did

    window = own_window
    private = _queue_as_an_older_version_did(window.library, "my-undated")
    window.library.sync.set_server_url(url=refserver.url)
    with qtbot.waitSignal(window.sync.run_finished, timeout=30_000) as finished:
        window.sync.sync_now()
    assert finished.args[0].withheld == [private]
    assert "own references" in window.statusBar().currentMessage()
    assert refserver.reports() == []

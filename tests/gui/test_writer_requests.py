"""The window answering the Writer extension: its requests come over the real loopback
endpoint (as the extension sends them, with the secret), the window opens the quick-cite
picker, Document Preferences or the overwrite question, the user answers with keys and
clicks, and the answer goes back over HTTP."""

from __future__ import annotations

import json
import threading
import urllib.request
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit, QMessageBox

from atlas_desktop.domain.live_citations import (
    DocumentPrefs,
    citation_code,
    parse_citation,
    parse_prefs,
    prefs_xml,
    style_url,
)
from atlas_desktop.gui.wordproc.endpoint import SECRET_HEADER
from atlas_desktop.gui.wordproc.integration import WriterIntegration
from atlas_desktop.gui.wordproc.picker import QuickCitePicker

HEINS = "heins-2013-role-therapeutic"
TWISK = "twisk-2009-review-cognitive"
APA = prefs_xml(DocumentPrefs(style=style_url("apa")))


@pytest.fixture
def writer(window):
    integration = WriterIntegration(window.library, window.runner, window)
    assert integration.start() is None
    yield integration
    integration.stop()


class Request:
    """One request of the extension, sent from its own thread (it waits for the user)."""

    def __init__(self, integration: WriterIntegration, action: str, payload: dict[str, Any]):
        info = json.loads(integration.endpoint.file.read_text("utf-8"))
        self.answer: dict[str, Any] | None = None
        self.error: BaseException | None = None
        request = urllib.request.Request(
            f"http://127.0.0.1:{info['port']}/v1/{action}", method="POST",
            data=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json", SECRET_HEADER: info["secret"]})

        def send() -> None:
            try:
                with urllib.request.urlopen(request, timeout=60) as reply:
                    self.answer = json.loads(reply.read())
            except BaseException as exc:
                self.error = exc

        self.thread = threading.Thread(target=send, daemon=True)
        self.thread.start()

    def result(self, qtbot) -> dict[str, Any]:
        qtbot.waitUntil(lambda: self.answer is not None or self.error is not None,
                        timeout=30_000)
        assert self.error is None, self.error
        assert self.answer is not None
        return self.answer


def opened(qtbot, integration, kind):
    with qtbot.waitSignal(integration.ui.dialog_opened, timeout=20_000) as signal:
        pass
    dialog = signal.args[0]
    assert isinstance(dialog, kind)
    qtbot.waitExposed(dialog)
    return dialog


def add_by_search(qtbot, picker: QuickCitePicker, text: str) -> None:
    picker.search_box.setFocus()
    with qtbot.waitSignal(picker.results_shown):
        picker.search(text)
    assert picker.results.count() >= 1
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Return)


def cell(picker, row, column, kind):
    widget = picker.table.cellWidget(row, column)
    assert isinstance(widget, kind)
    return widget


def test_add_citation_picks_two_works_with_locator_prefix_and_omitted_author(qtbot, writer):
    request = Request(writer, "pick", {"prefs": APA})
    picker = opened(qtbot, writer, QuickCitePicker)
    assert picker.isVisible() and picker.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    add_by_search(qtbot, picker, "heins role therapeutic")
    assert picker.table.rowCount() == 1 and "Heins" in picker.table.item(0, 0).text()
    assert picker.search_box.text() == ""  # ready for the next work
    add_by_search(qtbot, picker, "twisk")
    cell(picker, 0, 2, QLineEdit).setText("12-14")
    cell(picker, 0, 3, QLineEdit).setText("see")
    kind = cell(picker, 1, 1, QComboBox)
    kind.setCurrentIndex(kind.findData("chapter"))
    cell(picker, 1, 2, QLineEdit).setText("3")
    cell(picker, 1, 5, QCheckBox).setChecked(True)
    with qtbot.waitSignal(picker.preview_shown, timeout=20_000) as preview:
        pass
    assert "see Heins" in preview.args[0] and "pp. 12–14" in preview.args[0]
    qtbot.keyClick(picker.search_box, Qt.Key.Key_Return)  # empty search: Enter inserts
    answer = request.result(qtbot)
    citation = parse_citation(answer["citation"])
    assert [i.entry_id for i in citation.items] == [HEINS, TWISK]
    heins, twisk = citation.items
    assert (heins.locator, heins.label, heins.prefix, heins.suppress_author) == (
        "12-14", "page", "see", False)
    assert (twisk.locator, twisk.label, twisk.suppress_author) == ("3", "chapter", True)
    assert heins.item_data is not None and heins.item_data["title"].startswith("The role")
    assert answer["note_style"] is False


def test_edit_citation_keeps_its_id_and_replaces_its_works(qtbot, writer, window):
    existing = window.library.documents.new_citation(entry_ids=[HEINS, TWISK],
                                                     options=[{"locator": "7"}])
    request = Request(writer, "pick", {"prefs": APA, "citation": citation_code(existing)})
    picker = opened(qtbot, writer, QuickCitePicker)
    assert picker.table.rowCount() == 2
    assert picker.table.item(0, 0).text() == (
        "Heins et al. (2013) — The role of the therapeutic relationship in cognitive "
        "behaviour therapy for chronic fatigue syndrome.")
    assert cell(picker, 0, 2, QLineEdit).text() == "7"
    assert picker.windowTitle().startswith("Edit citation")
    picker.table.selectRow(0)
    picker.remove_button.click()
    assert "Twisk" in picker.table.item(0, 0).text()
    picker.buttons.accepted.emit()
    citation = parse_citation(request.result(qtbot)["citation"])
    assert citation.citation_id == existing.citation_id
    assert [i.entry_id for i in citation.items] == [TWISK]


def test_cancelling_the_picker_inserts_nothing(qtbot, writer):
    request = Request(writer, "pick", {"prefs": APA})
    picker = opened(qtbot, writer, QuickCitePicker)
    qtbot.keyClick(picker, Qt.Key.Key_Escape)
    assert request.result(qtbot) == {"cancelled": True}


def test_closing_the_window_cancels_an_open_picker(qtbot, writer):
    request = Request(writer, "pick", {"prefs": APA})
    opened(qtbot, writer, QuickCitePicker)
    writer.stop()
    assert request.result(qtbot) == {"cancelled": True}
    info = json.loads(writer.endpoint.file.read_text("utf-8"))
    assert "secret" not in info and "port" not in info
    assert info["launch"][-2:] == ["--data-dir", str(writer.endpoint.file.parent)]


def test_document_preferences_change_the_style_and_language(qtbot, writer):
    from atlas_desktop.gui.wordproc.document_prefs import DocumentPreferencesDialog

    request = Request(writer, "prefs", {"prefs": APA})
    dialog = opened(qtbot, writer, DocumentPreferencesDialog)
    assert dialog.chosen() == ("apa", "en-US")
    dialog.style_box.setCurrentIndex(dialog.style_box.findData("vancouver"))
    dialog.locale_box.setCurrentIndex(dialog.locale_box.findData("en-GB"))
    dialog.accept()
    prefs = parse_prefs(request.result(qtbot)["prefs"])
    assert prefs is not None
    assert (prefs.style, prefs.locale) == ("http://www.zotero.org/styles/nlm-citation-sequence",
                                          "en-GB")


def edited_render_request(window, writer) -> tuple[Request, str]:
    citation = window.library.documents.new_citation(entry_ids=[HEINS])
    first = window.library.documents.render(citations=[citation], style="apa",
                                            locale="en-US").citations[0].citation
    shown = "(Heins and colleagues, 2013)"
    return Request(writer, "render", {"prefs": APA, "bibliography": True, "citations": [
        {"code": citation_code(first), "text": shown, "noteIndex": 0}]}), shown


@pytest.mark.parametrize("button, kept", [("Keep my edits", True),
                                          ("Replace my edits", False)])
def test_refresh_asks_before_overwriting_a_citation_edited_by_hand(qtbot, writer, window,
                                                                    button, kept):
    request, shown = edited_render_request(window, writer)
    box = opened(qtbot, writer, QMessageBox)
    assert shown in box.text()
    chosen = next(b for b in box.buttons() if b.text() == button)
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    answer = request.result(qtbot)["citations"][0]
    text = "".join(r["text"] for r in answer["runs"])
    if kept:
        assert text == shown and parse_citation(answer["code"]).dont_update
    else:
        assert text == "(Heins et al., 2013)"
        assert not parse_citation(answer["code"]).dont_update


def test_the_picker_finds_what_the_main_search_finds(qtbot, window, writer):
    """Same index, same query language: a filter typed in the picker works there too."""
    picker = QuickCitePicker(window.library, window.runner, style="apa", locale=None,
                             parent=window)
    qtbot.addWidget(picker)
    with qtbot.waitSignal(picker.results_shown):
        picker.search("year:2013")
    window.set_query("year:2013")
    listed = {window.model.list_row(r).id for r in range(window.model.rowCount())}
    found = {picker.results.item(r).data(Qt.ItemDataRole.UserRole)
             for r in range(picker.results.count())}
    assert found == listed and HEINS in found
    picker.reject()
    assert picker.result() == QDialog.DialogCode.Rejected


def test_document_preferences_offer_the_documents_style_once(qtbot, writer):
    """A document names Vancouver by its id; the menu offers it as Vancouver, once."""
    from atlas_desktop.gui.wordproc.document_prefs import DocumentPreferencesDialog

    request = Request(writer, "prefs", {"prefs": prefs_xml(DocumentPrefs(
        style=style_url("nlm-citation-sequence")))})
    dialog = opened(qtbot, writer, DocumentPreferencesDialog)
    offered = [dialog.style_box.itemData(i) for i in range(dialog.style_box.count())]
    assert dialog.chosen()[0] == "vancouver"
    assert len(offered) == len(set(offered)) == 5  # APA, Vancouver, AMA, Harvard, Chicago
    dialog.reject()
    assert request.result(qtbot) == {"cancelled": True}

"""The extension in a real LibreOffice Writer, talking to Atlas Desktop's real endpoint over
loopback (issue 16's steps): insert three citations and a bibliography in APA, a fourth
before the first, switch to Vancouver (numbers follow document order, the bibliography is
renumbered), save as .odt and as .docx (File → Save As), reopen both, refresh: nothing
changes. Also: requests without the secret are refused; with the app not running the
extension says so in one sentence, and starts it when the user says yes."""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.error
import urllib.request

import pytest

from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.domain.live_citations import parse_citation, parse_prefs
from atlas_desktop.formats.docx_fields import DocxDocument
from atlas_desktop.services.documents import _marker_finder

from .conftest import bibliography_lines, texts

pytestmark = pytest.mark.slow

PARAS = ["Graded exercise was studied ", "Cognitive therapy too ", "A review followed ",
         "References"]
HEINS, DANIELS = "heins-2013-role-therapeutic", "daniels-2011-socialization-model"
TWISK, VAART = "twisk-2009-review-cognitive", "van-der-vaart-2019"


def test_citations_bibliography_renumbering_and_round_trips(writer, app, tmp_path):
    library, ui, _endpoint = app
    ui.picks = [[HEINS], [DANIELS], [TWISK], [VAART]]
    ui.styles = ["nlm-citation-sequence"]
    odt, docx = tmp_path / "letter.odt", tmp_path / "letter.docx"
    results = writer([
        {"new": PARAS},
        {"cursor": [0, "end"]}, {"run": "addEditCitation"},
        {"cursor": [1, "end"]}, {"run": "addEditCitation"},
        {"cursor": [2, "end"]}, {"run": "addEditCitation"},
        {"cursor": [3, "end"]}, {"run": "addEditBibliography"},
        {"dump": True},                                              # 9: APA
        {"cursor": [0, "start"]}, {"run": "addEditCitation"},
        {"dump": True},                                              # 12: a fourth, first
        {"run": "documentPreferences"},
        {"dump": True},                                              # 14: Vancouver
        {"save": str(odt)}, {"save": str(docx)}, {"close": True},
        {"open": str(odt)}, {"run": "refresh"}, {"dump": True}, {"close": True},  # 20
        {"open": str(docx)}, {"run": "refresh"}, {"dump": True},     # 24
    ])
    assert [results[i] for i in (2, 4, 6, 8, 11, 13, 19, 23)] == ["ok"] * 8, results
    apa = results[9]
    heins = library.citations.copy(entry_ids=[HEINS], kind=CopyKind.IN_TEXT, style="apa",
                                   formats=["text"]).content.text
    assert texts(apa)[0] == heins == "(Heins et al., 2013)"
    assert [c["kind"] for c in apa["citations"]] == ["mark"] * 3
    assert all(c["name"].startswith("ZOTERO_ITEM CSL_CITATION {") for c in apa["citations"])
    assert re.search(r" RND\w{10}$", apa["citations"][0]["name"])
    assert apa["bibliography"][0]["kind"] == "section"
    assert apa["bibliography"][0]["name"].startswith("ZOTERO_BIBL {")
    assert [line.split(",")[0] for line in bibliography_lines(apa)] == [
        "Daniels", "Heins", "Twisk"]
    assert "http://www.zotero.org/styles/apa" in apa["prefs"]
    # A fourth citation before the first: APA's bibliography is alphabetical.
    four = results[12]
    assert texts(four) == ["(van der Vaart et al., 2019)", *texts(apa)]
    assert [line.split(",")[0] for line in bibliography_lines(four)] == [
        "Daniels", "Heins", "Twisk", "van der Vaart"]
    # Vancouver: numbers in document order, the bibliography renumbered to match.
    numbered = results[14]
    assert texts(numbered) == ["(1)", "(2)", "(3)", "(4)"]
    lines = bibliography_lines(numbered)
    assert [line[:3] for line in lines] == ["1. ", "2. ", "3. ", "4. "]
    assert ["van der Vaart" in lines[0], "Heins" in lines[1], "Daniels" in lines[2],
            "Twisk" in lines[3]] == [True] * 4
    assert "nlm-citation-sequence" in numbered["prefs"]
    # Saved as .odt and as .docx, reopened, refreshed: the same document.
    for reopened, kind in ((results[20], "mark"), (results[24], "field")):
        assert texts(reopened) == texts(numbered)
        assert [c["kind"] for c in reopened["citations"]] == [kind] * 4
        assert bibliography_lines(reopened) == lines
        assert reopened["text"] == numbered["text"]
        assert "nlm-citation-sequence" in reopened["prefs"]
    # The .docx holds Zotero's Word fields: python-docx and our reader find the same
    # citations, with the library's entries, as Word and Zotero's Word plug-in would.
    slots = DocxDocument(docx).scan(_marker_finder)
    cited = [parse_citation(s.code) for s in slots if s.kind == "citation"]
    assert [[i.entry_id for i in c.items] for c in cited] == [[VAART], [HEINS], [DANIELS],
                                                               [TWISK]]
    assert [s.text for s in slots if s.kind == "citation"] == ["(1)", "(2)", "(3)", "(4)"]
    assert [s.kind for s in slots].count("bibliography") == 1
    prefs = parse_prefs(results[24]["prefs"])
    assert prefs is not None and prefs.field_type == "Field"


def test_requests_without_the_secret_are_refused(app):
    _library, _ui, endpoint = app
    request = urllib.request.Request(f"http://127.0.0.1:{endpoint.port}/v1/hello", data=b"{}",
                                     method="POST", headers={"X-Atlas-Secret": "guess"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    info = json.loads(endpoint.file.read_text("utf-8"))
    assert info["port"] == endpoint.port and oct(endpoint.file.stat().st_mode)[-3:] == "600"


def test_app_not_running_is_one_sentence(writer, app):
    _library, _ui, endpoint = app
    endpoint.stop()
    results = writer([{"new": ["Text."]}, {"run": "refresh"},
                      {"run": "refresh", "start": False}, {"dump": True}])
    sentence = ("Atlas Desktop is not running; start it (it opens your library) and try "
                "again.")
    assert results[1] == results[2] == sentence
    assert results[3]["text"] == "Text."


def test_the_extension_starts_atlas_desktop_when_asked(writer, app, tmp_path):
    """The user answers yes to "Start it now?": the app starts on this library (the command
    its last window left in integration.json), and the command runs once it answers."""
    _library, ui, endpoint = app
    ui.picks = [[HEINS]]
    odt = tmp_path / "started.odt"
    results = writer([{"new": ["Text "]}, {"cursor": [0, "end"]}, {"run": "addEditCitation"},
                      {"save": str(odt)}])
    assert results[2] == "ok"
    endpoint.stop()  # the window closed; the file keeps how to start it
    launch = json.loads(endpoint.file.read_text("utf-8"))["launch"]
    assert launch[-2:] == ["--data-dir", str(writer.data_dir)]
    try:
        # This test's endpoint is stopped: only an Atlas Desktop the extension started can
        # answer the refresh (and its citation gets a new number from it).
        results = writer([{"open": str(odt)}, {"run": "refresh", "start": True},
                          {"dump": True}])
        started = json.loads(endpoint.file.read_text("utf-8"))
        assert results[1] == "ok", results
        assert started["secret"] != endpoint.secret and started["pid"] != os.getpid()
        assert texts(results[2]) == ["(Heins et al., 2013)"]
    finally:
        _stop(json.loads(endpoint.file.read_text("utf-8")).get("pid"))


def _stop(pid: int | None) -> None:
    """Close the Atlas Desktop the extension started (not a child of this test)."""
    if not pid or pid == os.getpid():
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)

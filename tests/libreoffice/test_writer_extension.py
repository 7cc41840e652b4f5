"""The extension in a real LibreOffice Writer, talking to Atlas Desktop's real endpoint over
loopback: insert three citations and a bibliography in APA, a fourth before the first,
switch to Vancouver (numbers follow document order, the bibliography is renumbered), save
as .odt, reopen, refresh: nothing changes. The quick-cite picker and the preferences dialog
are the user's part; here a scripted chooser stands in for them at the Ui boundary."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import replace

import pytest

from atlas_desktop.domain.live_citations import DocumentPrefs, LiveCitation, style_url
from atlas_desktop.gui.wordproc.endpoint import Endpoint
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library

pytestmark = pytest.mark.slow


class ScriptedUi:
    """What the user picks, in order: entry ids for citations, a style for preferences."""

    def __init__(self, library) -> None:
        self.library = library
        self.picks: list[list[str]] = []
        self.styles: list[str] = []

    def pick(self, prefs: DocumentPrefs, citation: LiveCitation | None) -> LiveCitation | None:
        if not self.picks:
            return None
        return self.library.documents.new_citation(entry_ids=self.picks.pop(0))

    def preferences(self, prefs: DocumentPrefs) -> DocumentPrefs | None:
        if not self.styles:
            return None
        return replace(prefs, style=style_url(self.styles.pop(0)))

    def overwrite_edits(self, texts: list[str]) -> bool:
        raise AssertionError(f"no citation was edited by hand: {texts}")


@pytest.fixture
def app(writer):
    library = open_library(LibraryPaths(writer.data_dir))
    library.add_sample_library()
    ui = ScriptedUi(library)
    endpoint = Endpoint(library, ui, data_dir=writer.data_dir)
    endpoint.start()
    yield library, ui, endpoint
    endpoint.stop()
    library.close()


PARAS = ["Graded exercise was studied.", "Cognitive therapy too.", "A review followed.",
         "References"]


def texts(dump):
    return [c["text"] for c in dump["citations"]]


def test_citations_bibliography_renumbering_and_round_trip(writer, app, tmp_path):
    library, ui, _endpoint = app
    ui.picks = [["heins-2013-role-therapeutic"], ["daniels-2011-socialization-model"],
                ["twisk-2009-review-cognitive"], ["van-der-vaart-2019"]]
    odt = tmp_path / "letter.odt"
    results = writer([
        {"new": PARAS},
        {"cursor": [0, "end"]}, {"run": "addEditCitation"},
        {"cursor": [1, "end"]}, {"run": "addEditCitation"},
        {"cursor": [2, "end"]}, {"run": "addEditCitation"},
        {"cursor": [3, "end"]}, {"run": "addEditBibliography"},
        {"dump": True},
        {"cursor": [0, "start"]}, {"run": "addEditCitation"},
        {"dump": True},
        {"run": "documentPreferences"},
        {"dump": True},
        {"save": str(odt)},
    ])
    assert results[2] == results[4] == results[6] == results[8] == "ok", results
    apa = results[9]
    heins = library.citations.copy(entry_ids=["heins-2013-role-therapeutic"],
                                   kind=__import__("atlas_desktop.domain.citation",
                                                   fromlist=["CopyKind"]).CopyKind.IN_TEXT,
                                   style="apa", formats=["text"]).content.text
    assert texts(apa)[0] == heins
    assert len(apa["citations"]) == 3 and all(c["name"].startswith("ZOTERO_ITEM CSL_CITATION {")
                                               for c in apa["citations"])
    assert re.search(r" RND\w{10}$", apa["citations"][0]["name"])
    assert len(apa["bibliography"]) == 1
    assert apa["bibliography"][0]["name"].startswith("ZOTERO_BIBL {")
    bib = apa["bibliography"][0]["text"].split("\n")
    assert [line.split(",")[0] for line in bib] == ["Daniels", "Heins", "Twisk"]
    assert "http://www.zotero.org/styles/apa" in apa["prefs"]
    # A fourth citation before the first: APA order is alphabetical, the text follows.
    four = results[12]
    assert len(four["citations"]) == 4 and "van der Vaart" in texts(four)[0]
    # Vancouver: numbers in document order, bibliography renumbered.
    ui.styles = []
    vancouver = results[14]
    assert results[13] == "cancelled"  # nobody chose a style yet: nothing changed
    assert texts(vancouver) == texts(four)
    ui.styles = ["nlm-citation-sequence"]
    results = writer([{"open": str(odt)}, {"run": "documentPreferences"}, {"dump": True},
                      {"save": str(odt)}, {"close": True},
                      {"open": str(odt)}, {"run": "refresh"}, {"dump": True}])
    numbered = results[2]
    assert texts(numbered) == ["(1)", "(2)", "(3)", "(4)"]
    lines = numbered["bibliography"][0]["text"].split("\n")
    assert [line[:3] for line in lines] == ["1. ", "2. ", "3. ", "4. "]
    assert "van der Vaart" in lines[0] and "Heins" in lines[1] and "Twisk" in lines[3]
    assert "nlm-citation-sequence" in numbered["prefs"]
    reopened = results[7]
    assert results[6] == "ok"
    assert texts(reopened) == texts(numbered)
    assert reopened["bibliography"][0]["text"] == numbered["bibliography"][0]["text"]
    assert [c["name"] for c in reopened["citations"]] != []


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
    results = writer([{"new": ["Text."]}, {"run": "refresh"}, {"dump": True}])
    assert results[1] == ("Atlas Desktop is not running; start it (it opens your library) "
                          "and try again.")
    assert results[2]["text"] == "Text."

"""Documents written elsewhere, opened in a real Writer with the extension: Zotero's Word
fields (from pandoc and Better BibTeX), Mendeley's, Zotero's bookmark mode and Zotero's
LibreOffice format (.odt, with Better BibTeX's "refresh me" placeholders). Each refreshes
from the data it carries (none of these works is in the library), keeps its citations where
they are, and changes style on request."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import bibliography_lines, texts

pytestmark = pytest.mark.slow

DOCS = Path(__file__).parent.parent / "data" / "documents"


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / Path(name).name
    shutil.copy(DOCS / name, target)
    return target


def test_zotero_word_fields_refresh_and_change_style_in_writer(writer, app, tmp_path):
    _library, ui, _endpoint = app
    ui.styles = ["vancouver"]
    source = copy("gpl/pandoc_zotero_citations.docx", tmp_path)
    odt = tmp_path / "from-word.odt"
    results = writer([{"open": str(source)}, {"dump": True}, {"run": "refresh"},
                      {"dump": True}, {"run": "documentPreferences"}, {"dump": True},
                      {"save": str(odt)}, {"close": True}, {"open": str(odt)},
                      {"run": "refresh"}, {"dump": True}])
    assert results[2] == results[4] == results[9] == "ok", results
    opened, refreshed, vancouver, as_odt = results[1], results[3], results[5], results[10]
    assert [c["kind"] for c in opened["citations"]] == ["field"] * 3
    # Zotero wrote these in APA: a refresh from the embedded data changes nothing visible.
    assert texts(refreshed) == texts(opened) == [
        "(Smith et al., 2013)", "(Boer et al., 2016; Smith et al., 2013)",
        "(prefix Bellomo et al., 2016, p. 2 suffix)"]
    assert bibliography_lines(refreshed)[0].startswith("Bellomo, K., Clement, A. C.")
    assert texts(vancouver) == ["(1)", "(1,2)", "(prefix 3 suffix)"]  # no locators in NLM
    assert [line[:3] for line in bibliography_lines(vancouver)] == ["1. ", "2. ", "3. "]
    # Saved as .odt: Zotero's LibreOffice format, the same text.
    assert [c["kind"] for c in as_odt["citations"]] == ["mark"] * 3
    assert texts(as_odt) == texts(vancouver)
    assert as_odt["bibliography"][0]["kind"] == "section"
    assert bibliography_lines(as_odt) == bibliography_lines(vancouver)


def test_mendeley_fields_become_zotero_fields(writer, app, tmp_path):
    source = copy("gpl/pandoc_mendeley_citations.docx", tmp_path)
    results = writer([{"open": str(source)}, {"dump": True}, {"run": "refresh"},
                      {"dump": True}])
    assert results[2] == "ok", results
    before, after = results[1], results[3]
    assert all(c["name"].startswith("ADDIN CSL_CITATION") for c in before["citations"][:3])
    assert [c["name"].startswith("ADDIN ZOTERO_ITEM CSL_CITATION") for c in
            after["citations"]] == [True] * 3
    assert texts(after) == ["(prefix Hadwen-Bennett et al., 2018, p. 123 suffix)",
                            "(prefix Seo, 2019, pp. 10–20 suffix)",
                            "(Koh & Abbas, 2015; Lee et al., 2011)"]
    assert after["bibliography"][0]["name"].startswith("ADDIN ZOTERO_BIBL")
    assert len(bibliography_lines(after)) == 4


def test_zotero_bookmark_mode_becomes_a_field_around_the_citation_only(writer, app, tmp_path):
    source = copy("gpl/metypeset_Zotero4_bookmark-mode_ZOTERO_BREF.docx", tmp_path)
    results = writer([{"open": str(source)}, {"dump": True}, {"run": "refresh"},
                      {"dump": True}])
    assert results[2] == "ok", results
    before, after = results[1], results[3]
    assert [c["kind"] for c in before["citations"]] == ["bookmark"]
    assert [c["kind"] for c in after["citations"]] == ["field"]
    assert texts(after) == ["(Herman)"]
    assert after["text"] == before["text"] == "Document with Zotero bookmark mode (Herman)"


def test_better_bibtex_odt_placeholders_are_rendered(writer, app, tmp_path):
    source = copy("mit/bbt_zotero-lua_issue2248.odt", tmp_path)
    results = writer([{"open": str(source)}, {"dump": True}, {"run": "refresh"},
                      {"dump": True}])
    assert results[2] == "ok", results
    before, after = results[1], results[3]
    assert len(before["citations"]) == len(after["citations"]) == 22
    assert all(t.startswith("<Do Zotero Refresh") for t in texts(before))
    assert texts(after)[1] == "(Billig, 1991, esp. chapters 1 and 6)"
    assert texts(after)[0].startswith("(") and "1365b" in texts(after)[0]
    assert "Do Zotero Refresh" not in after["text"]
    assert [line.split(".")[0] for line in bibliography_lines(after)] == [
        "Aristotle", "Billig, M"]


def test_a_style_this_machine_lacks_is_named(writer, app, tmp_path):
    source = copy("gpl/metypeset_Zotero2_footnote-citations.docx", tmp_path)
    results = writer([{"open": str(source)}, {"run": "refresh"}, {"dump": True}])
    assert "modern-humanities-research-association" in results[1]
    assert results[2]["footnotes"][0].strip().startswith("Kathryn Hume")  # left as it was

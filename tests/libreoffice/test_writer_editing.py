"""Editing a document's citations in a real Writer: edit the citation under the cursor,
remove one (the numbers and the bibliography follow), a citation changed by hand (Refresh
asks; kept or replaced), a note style (citations move into footnotes, and back out when the
style is in-text again), and Unlink Citations (plain text, formatting kept)."""

from __future__ import annotations

import pytest

from .conftest import bibliography_lines, texts

pytestmark = pytest.mark.slow

HEINS, DANIELS = "heins-2013-role-therapeutic", "daniels-2011-socialization-model"
TWISK, VAART = "twisk-2009-review-cognitive", "van-der-vaart-2019"
PARAS = ["Graded exercise was studied ", "Cognitive therapy too ", "A review followed ",
         "References"]


def three_citations_steps() -> list[dict]:
    return [{"new": PARAS},
            {"cursor": [0, "end"]}, {"run": "addEditCitation"},
            {"cursor": [1, "end"]}, {"run": "addEditCitation"},
            {"cursor": [2, "end"]}, {"run": "addEditCitation"},
            {"cursor": [3, "end"]}, {"run": "addEditBibliography"}]


def test_edit_the_citation_under_the_cursor_and_remove_one(writer, app):
    _library, ui, _endpoint = app
    ui.styles = ["vancouver"]
    ui.picks = [[HEINS], [DANIELS], [TWISK], [VAART, DANIELS]]
    results = writer([*three_citations_steps(), {"run": "documentPreferences"},
                      {"dump": True},                                    # 10
                      {"into_citation": 1}, {"run": "addEditCitation"},
                      {"dump": True},                                    # 13
                      {"delete_citation": 0}, {"run": "refresh"},
                      {"dump": True}])                                   # 16
    assert results[12] == results[15] == "ok", results
    before = results[10]
    assert texts(before) == ["(1)", "(2)", "(3)"]
    edited = ui.seen[3]
    assert edited is not None and [i.entry_id for i in edited.items] == [DANIELS]
    after = results[13]
    assert texts(after) == ["(1)", "(2,3)", "(4)"]
    assert after["citations"][1]["name"].count(f'"citationID":"{edited.citation_id}"') == 1
    lines = bibliography_lines(after)
    assert "van der Vaart" in lines[1] and "Daniels" in lines[2] and "Twisk" in lines[3]
    removed = results[16]  # Heins went: everything moves up one
    assert texts(removed) == ["(1,2)", "(3)"]
    lines = bibliography_lines(removed)
    assert [line[:3] for line in lines] == ["1. ", "2. ", "3. "]
    assert not any("Heins" in line for line in lines)


@pytest.mark.parametrize("keep", [True, False])
def test_refresh_asks_before_overwriting_a_citation_edited_by_hand(writer, app, keep):
    _library, ui, _endpoint = app
    ui.picks = [[HEINS], [DANIELS], [TWISK]]
    ui.overwrite = [not keep]  # the answer to "replace your edits?"
    results = writer([*three_citations_steps(),
                      {"type_into_citation": [0, " and colleagues"]},
                      {"run": "refresh"}, {"dump": True},
                      {"run": "refresh"}, {"dump": True}])
    assert results[10] == results[12] == "ok", results
    shown = "(Heins et al., 201 and colleagues3)"
    assert ui.asked == [[shown]]  # asked once: a kept edit is not asked about again
    expected = shown if keep else "(Heins et al., 2013)"
    assert texts(results[11])[0] == texts(results[13])[0] == expected


def test_a_note_style_moves_citations_into_footnotes_and_back(writer, app):
    _library, ui, _endpoint = app
    ui.picks = [[HEINS], [DANIELS], [TWISK], [VAART]]
    ui.styles = ["chicago-notes-bibliography", "apa"]
    results = writer([*three_citations_steps(), {"dump": True},         # 9
                      {"run": "documentPreferences"}, {"dump": True},   # 11
                      {"cursor": [1, "start"]}, {"run": "addEditCitation"},
                      {"dump": True},                                    # 14
                      {"run": "documentPreferences"}, {"dump": True}])  # 16
    assert results[10] == results[13] == results[15] == "ok", results
    apa = results[9]
    notes = results[11]
    assert [c["note"] for c in notes["citations"]] == [1, 2, 3]
    assert notes["footnotes"][0].startswith("Marianne J. Heins et al., “The Role of the")
    assert notes["text"].startswith("Graded exercise was studied1\nCognitive therapy too2\n")
    assert bibliography_lines(notes)[0].startswith("Daniels, Jo, and Alison J. Wearden.")
    # A citation added in a note style goes into a footnote of its own, numbered in order.
    added = results[14]
    assert [c["note"] for c in added["citations"]] == [1, 2, 3, 4]
    assert added["footnotes"][1].startswith("Rosalie van der Vaart et al.")
    # Back to APA: footnotes that held only a citation become in-text citations again.
    back = results[16]
    assert back["footnotes"] == []
    assert [c["note"] for c in back["citations"]] == [0, 0, 0, 0]
    assert back["text"].startswith("Graded exercise was studied (Heins et al., 2013)\n"
                                   "(van der Vaart et al., 2019)Cognitive therapy too "
                                   "(Daniels & Wearden, 2011)\n")
    assert texts(back)[0] == texts(apa)[0]


def test_unlink_citations_leaves_the_text_as_it_reads(writer, app):
    _library, ui, _endpoint = app
    ui.picks = [[HEINS], [DANIELS], [TWISK]]
    results = writer([*three_citations_steps(), {"dump": True},
                      {"run": "unlinkCitations"}, {"dump": True}])
    live, unlinked = results[9], results[11]
    assert results[10] == "ok"
    assert unlinked["citations"] == [] and unlinked["bibliography"] == []
    assert unlinked["marks"] == 0 and unlinked["prefs"] == ""
    assert unlinked["text"] == live["text"]
    assert unlinked["italic"] == live["italic"] and "Behaviour Research and Therapy" in (
        unlinked["italic"])


def test_a_bibliography_in_an_empty_paragraph_takes_it(writer, app):
    _library, ui, _endpoint = app
    ui.picks = [[HEINS]]
    results = writer([{"new": ["Graded exercise was studied ", "References", ""]},
                      {"cursor": [0, "end"]}, {"run": "addEditCitation"},
                      {"cursor": [2, "end"]}, {"run": "addEditBibliography"},
                      {"dump": True}])
    assert results[2] == results[4] == "ok", results
    assert results[5]["text"].startswith(
        "Graded exercise was studied (Heins et al., 2013)\nReferences\nHeins, M. J.")

"""`document update` on OpenDocument texts (odfpy): Zotero's LibreOffice format as Better
BibTeX writes it (reference marks, the ZOTERO_BIBL section, ZOTERO_PREF_n), typed markers
across spans, in a footnote and a table, and the unreadable cases. The result is read again
by our reader and by odfpy, and holds citeproc-js's text for the document's clusters."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from odf import opendocument, teletype
from odf import style as odf_style
from odf import table as odf_table
from odf import text as odf_text

from atlas_desktop.domain.live_citations import (
    ENTRY_URI_PREFIX,
    join_property,
    parse_citation,
    parse_prefs,
)
from atlas_desktop.formats.docx_fields import DocxDocument
from atlas_desktop.formats.odt_fields import OdtDocument
from atlas_desktop.services.documents import DocumentError, _marker_finder

from .test_document_update import expected_texts

DOCS = Path(__file__).parent.parent / "data" / "documents"
BBT = "mit/bbt_zotero-lua_issue2248"


def citations(reader, path: Path):
    return [(s, parse_citation(s.code)) for s in reader(path).scan(_marker_finder)
            if s.kind == "citation"]


def paragraphs(path: Path) -> list[str]:
    document = opendocument.load(str(path))
    return [teletype.extractText(p) for p in document.body.getElementsByType(odf_text.P)]


def described(found) -> list[list[tuple]]:
    """The works (by title: the two files were made from two Zotero libraries, so their
    URIs differ) and what each citation adds to them."""
    return [[((i.item_data or {}).get("title"), i.locator, i.label, i.prefix, i.suffix,
              i.suppress_author) for i in citation.items] for _, citation in found]


def test_the_odt_and_the_docx_of_one_document_hold_the_same_citations():
    odt = citations(OdtDocument, DOCS / f"{BBT}.odt")
    docx = citations(DocxDocument, DOCS / f"{BBT}.docx")
    assert len(odt) == len(docx) == 22
    assert described(odt) == described(docx)
    first = odt[0][1].items[0]
    assert (first.suffix, first.suppress_author) == (", 1365b", True)
    assert odt[0][0].text.startswith("<Do Zotero Refresh: [-@Aristotle2006RhetoricTheory")
    prefs = parse_prefs(join_property(OdtDocument(DOCS / f"{BBT}.odt").properties()))
    assert prefs is not None and prefs.style.endswith("/apa")


def test_zotero_reference_marks_are_rerendered_in_another_style(library, tmp_path):
    source = tmp_path / "bbt.odt"
    shutil.copy(DOCS / f"{BBT}.odt", source)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    found = citations(OdtDocument, source)
    out = tmp_path / "bbt-vancouver.odt"
    report = library.documents.update_file(source=source, target=out, style="vancouver")
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert report.from_fields == 22 and report.bibliography.startswith("written at")
    # The document's own markdown examples ("[@Billig1991…, one]") are markers this library
    # cannot resolve: listed with their place, left as they were.
    assert len(report.unresolved) == 8
    assert report.unresolved[0].where == "paragraph 9"
    again = citations(OdtDocument, out)
    assert described(again) == described(found)
    texts = expected_texts(found, "vancouver")
    assert [s.text for s, _ in again] == [c.plain for _, c in again] == texts
    assert texts[:2] == ["(1, 1365b)", "(2, esp. chapters 1 and 6)"]
    text = paragraphs(out)
    assert any(p.startswith("Aristotle (1, 1365b) [This one should render") for p in text)
    assert text[-2].startswith("1. Aristotle. On rhetoric") and text[-1].startswith("2. Billig M")
    assert "[@Billig1991IdeologyOpinions, one]" in "\n".join(text)
    prefs = parse_prefs(join_property(OdtDocument(out).properties()))
    assert prefs is not None and prefs.style.endswith("/nlm-citation-sequence")
    assert prefs.field_type == "ReferenceMark"
    # Updated again: the style changes again.
    apa = tmp_path / "bbt-apa.odt"
    library.documents.update_file(source=out, target=apa, style="apa")
    assert [s.text for s, _ in citations(OdtDocument, apa)][1] == (
        "(Billig, 1991, esp. chapters 1 and 6)")


def make_marker_document(path: Path) -> None:
    document = opendocument.OpenDocumentText()
    italic = odf_style.Style(name="Emphasis", family="text")
    italic.addElement(odf_style.TextProperties(fontstyle="italic"))
    document.automaticstyles.addElement(italic)
    document.text.addElement(odf_text.H(outlinelevel=1, text="Letter"))
    para = odf_text.P(text="Graded activity was studied [@heins-2013-")
    span = odf_text.Span(stylename="Emphasis", text="role-therapeutic, p. 12; @twisk-")
    para.addElement(span)
    para.addText("2009-review-cognitive] and later {Daniels, 2011}.")
    note = odf_text.Note(noteclass="footnote")
    note.addElement(odf_text.NoteCitation(text="1"))
    body = odf_text.NoteBody()
    body.addElement(odf_text.P(text="See [@van-der-vaart-2019]."))
    note.addElement(body)
    para.addElement(note)
    para.addText(" Unknown: [@no-such-paper] stays.")
    document.text.addElement(para)
    grid = odf_table.Table(name="Evidence")
    grid.addElement(odf_table.TableColumn())
    row = odf_table.TableRow()
    cell = odf_table.TableCell()
    cell.addElement(odf_text.P(text="In a table [-@van-der-vaart-2019]."))
    row.addElement(cell)
    grid.addElement(row)
    document.text.addElement(grid)
    document.text.addElement(odf_text.P(text="References"))
    document.text.addElement(odf_text.P(text="{Bibliography}"))
    document.text.addElement(odf_text.P(text="The end."))
    document.save(str(path))


def test_marker_document(library, tmp_path):
    library.add_sample_library()
    source = tmp_path / "letter.odt"
    make_marker_document(source)
    out = tmp_path / "letter-out.odt"
    report = library.documents.update_file(source=source, target=out, style="vancouver")
    assert (report.from_markers, report.from_fields) == (4, 0)
    assert [u.marker for u in report.unresolved] == ["[@no-such-paper]"]
    assert report.unresolved[0].where == "paragraph 2"
    assert "Unknown: [@no-such-paper] stays" in report.unresolved[0].context
    found = citations(OdtDocument, out)
    assert [[i.uris[0][len(ENTRY_URI_PREFIX):] for i in c.items] for _, c in found] == [
        ["heins-2013-role-therapeutic", "twisk-2009-review-cognitive"],
        ["daniels-2011-socialization-model"], ["van-der-vaart-2019"], ["van-der-vaart-2019"]]
    assert [s.note_index for s, _ in found] == [0, 0, 1, 0]
    assert found[0][1].items[0].locator == "12" and found[3][1].items[0].suppress_author
    assert [s.text for s, _ in found] == ["(1,2)", "(3)", "(4)", "(4)"]
    text = paragraphs(out)
    # odfpy's text of a paragraph includes its footnote's number and text.
    assert text[0] == ("Graded activity was studied (1,2) and later (3).1See (4). Unknown: "
                       "[@no-such-paper] stays.")
    assert text[1] == "See (4)."  # the footnote's own paragraph
    assert text[2] == "In a table (4)."
    assert text[3] == "References" and text[-1] == "The end."
    assert [p[:3] for p in text[4:-1]] == ["1. ", "2. ", "3. ", "4. "]


def test_damaged_and_protected_documents_get_one_sentence(library, tmp_path):
    damaged = tmp_path / "damaged.odt"
    damaged.write_bytes((DOCS / f"{BBT}.odt").read_bytes()[:3000])
    with pytest.raises(DocumentError, match=r"not an OpenDocument text .* or it is damaged"):
        library.documents.update_file(source=damaged, target=tmp_path / "o.odt")
    with pytest.raises(DocumentError, match="protected by a password"):
        library.documents.update_file(source=DOCS / "protected.odt", target=tmp_path / "p.odt")
    odt_as_docx = tmp_path / "letter.docx"
    shutil.copy(DOCS / f"{BBT}.odt", odt_as_docx)
    with pytest.raises(DocumentError):
        library.documents.update_file(source=odt_as_docx, target=tmp_path / "q.docx")
    assert not any((tmp_path / n).exists() for n in ("o.odt", "p.odt", "q.docx"))


def test_a_hostile_space_count_and_hostile_field_codes_are_bounded(library, tmp_path):
    """A document says how many spaces a text:s stands for: two billion is read as at most
    MAX_SPACES (it was allocated as asked). Field codes nested thousands deep, or ending in
    hundreds of thousands of spaces and a stray letter, are one sentence each (the JSON parser
    raised RecursionError; the codes' pattern backtracked quadratically)."""
    from atlas_desktop.domain.live_citations import FieldCodeError, parse_bibliography
    from atlas_desktop.formats.odt_text import MAX_SPACES

    document = opendocument.OpenDocumentText()
    paragraph = odf_text.P(text="Before")
    paragraph.addElement(odf_text.S(c="2000000000"))
    paragraph.addText("after.")
    document.text.addElement(paragraph)
    source = tmp_path / "spaces.odt"
    document.save(str(source))
    out = tmp_path / "spaces-out.odt"
    report = library.documents.update_file(source=source, target=out)
    assert (report.from_markers, report.from_fields) == (0, 0) and out.exists()
    slots = OdtDocument(source).scan(_marker_finder)
    assert slots == []
    deep = 'ITEM CSL_CITATION {"a":' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(FieldCodeError, match="not valid JSON"):
        parse_citation(deep)
    with pytest.raises(FieldCodeError):
        parse_citation("ITEM CSL_CITATION {}" + " " * 400_000 + "x")
    # A bibliography's options that cannot be read are dropped (it is rebuilt anyway).
    assert parse_bibliography("ZOTERO_BIBL {}" + " " * 400_000 + "x CSL_BIBLIOGRAPHY") == {}
    assert parse_bibliography('ZOTERO_BIBL {"a":' + "[" * 100_000 + "]" * 100_000
                              + "} CSL_BIBLIOGRAPHY") == {}
    assert MAX_SPACES == 1_000

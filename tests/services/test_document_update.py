"""`document update` on real Zotero and Mendeley documents and on a marker document: the
citations are read with their items and locators, re-rendered together by citeproc-js in
another style, written back as Zotero fields, and read again (by our reader and by
python-docx) with the same citations and citeproc-js's text."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import docx
import pytest

from atlas_desktop.citations import resolve_style, shared_engines
from atlas_desktop.citations.clusters import render_document
from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.domain.live_citations import (
    ENTRY_URI_PREFIX,
    join_property,
    parse_citation,
    parse_prefs,
)
from atlas_desktop.domain.rich_runs import html_to_runs, plain_text
from atlas_desktop.formats.docx_fields import DocxDocument
from atlas_desktop.services.documents import DocumentError, _marker_finder

DOCS = Path(__file__).parent.parent / "data" / "documents"


def slots(path: Path):
    return DocxDocument(path).scan(_marker_finder)


def citations(path: Path):
    return [(s, parse_citation(s.code)) for s in slots(path) if s.kind == "citation"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_texts(found, style: str) -> list[str]:
    """citeproc-js's own output for the document's clusters, straight from the engine with
    the embedded item data (no library entries are involved in these documents)."""
    keys: dict[str, str] = {}
    items: dict[str, dict] = {}
    requests = []
    for n, (_slot, citation) in enumerate(found):
        cite_items = []
        for item in citation.items:
            identity = item.uris[0] if item.uris else json.dumps(
                {k: v for k, v in (item.item_data or {}).items() if k != "id"}, sort_keys=True)
            key = keys.setdefault(identity, f"w{len(keys)}")
            items.setdefault(key, {**(item.item_data or {}), "id": key})
            entry = {"id": key}
            for name in ("locator", "prefix", "suffix"):
                if getattr(item, name):
                    entry[name] = getattr(item, name)
            if item.locator:
                entry["label"] = item.label or "page"
            cite_items.append(entry)
        requests.append({"citationID": f"c{n}", "citationItems": cite_items,
                         "properties": {"noteIndex": citation.note_index}})
    engine = shared_engines().engine(resolve_style(style))
    done = render_document(engine, list(items.values()), requests)
    return [plain_text(html_to_runs(done.citations[f"c{n}"])) for n in range(len(found))]


@pytest.mark.parametrize("name, count", [
    ("gpl/pandoc_zotero_citations.docx", 3),
    ("gpl/pandoc_mendeley_citations.docx", 3),
    ("gpl/metypeset_Zotero2_footnote-citations.docx", 3),
])
def test_recorded_documents_are_rerendered_in_another_style(library, tmp_path, name, count):
    source = tmp_path / Path(name).name
    shutil.copy(DOCS / name, source)
    before = digest(source)
    found = citations(source)
    assert len(found) == count
    out = tmp_path / "out.docx"
    report = library.documents.update_file(source=source, target=out, style="vancouver")
    assert report.from_fields == count and not report.unresolved
    assert digest(source) == before  # the input is never written
    again = citations(out)
    # Same clusters, same works (by URI) and locators, now Zotero fields in Vancouver.
    assert [[i.uris for i in c.items] for _, c in again] == \
        [[i.uris for i in c.items] for _, c in found]
    assert [[(i.locator, i.prefix, i.suffix) for i in c.items] for _, c in again] == \
        [[(i.locator, i.prefix, i.suffix) for i in c.items] for _, c in found]
    assert all(s.code.strip().startswith("ADDIN ZOTERO_ITEM CSL_CITATION") for s, _ in again)
    texts = expected_texts(found, "vancouver")
    assert [s.text for s, _ in again] == texts
    assert [c.plain for _, c in again] == texts
    # The numbers follow first citation, and python-docx reads the same document.
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    bib = [s for s in slots(out) if s.kind == "bibliography"]
    assert len(bib) == 1 and bib[0].text.startswith("1. ")
    assert "2. " in body
    prefs = parse_prefs(join_property(DocxDocument(out).properties()))
    assert prefs is not None and prefs.style.endswith("/nlm-citation-sequence")
    assert prefs.field_type == "Field"


def test_footnote_citations_keep_their_note_numbers(library, tmp_path):
    out = tmp_path / "notes.docx"
    library.documents.update_file(source=DOCS / "gpl/metypeset_Zotero2_footnote-citations.docx",
                                  target=out, style="chicago-notes-bibliography")
    found = citations(out)
    assert [s.note_index for s, _ in found] == [1, 2, 3]
    assert [c.note_index for _, c in found] == [1, 2, 3]
    texts = [s.text for s, _ in found]
    assert texts == expected_texts(found, "chicago-notes-bibliography")
    assert "Hume" in texts[0]


def test_bookmark_mode_citation_becomes_a_field(library, tmp_path):
    source = DOCS / "gpl/metypeset_Zotero4_bookmark-mode_ZOTERO_BREF.docx"
    found = citations(source)
    assert len(found) == 1 and found[0][0].text == "(Herman)"
    out = tmp_path / "bookmark.docx"
    library.documents.update_file(source=source, target=out, style="apa")
    again = citations(out)
    assert len(again) == 1 and again[0][0].code.strip().startswith("ADDIN ZOTERO_ITEM")
    paragraph = docx.Document(str(out)).paragraphs[0].text
    # The text before the citation inside Zotero's bookmark is kept.
    assert paragraph.startswith("Document with Zotero bookmark mode ")
    assert paragraph.endswith(again[0][0].text) and "Herman" in again[0][0].text
    assert not any(k.startswith("ZOTERO_BREF_") for k in DocxDocument(out).properties())


def test_bibliography_without_citations_is_left_alone(library, tmp_path):
    source = DOCS / "gpl/metypeset_ListNumbering_ZOTERO_BIBL_vitaminD-refs.docx"
    out = tmp_path / "refs.docx"
    report = library.documents.update_file(source=source, target=out, style="apa")
    assert report.citations == 0 and report.bibliography.startswith("left as it was")
    assert [p.text for p in docx.Document(str(out)).paragraphs] == \
        [p.text for p in docx.Document(str(source)).paragraphs]


def make_marker_document(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Letter", level=1)
    p = document.add_paragraph("Graded activity was studied ")
    p.add_run("[@heins-2013-")  # a marker split over runs, as Word splits them
    p.add_run("role-therapeutic, p. 12; @twisk-2009-review-cognitive]").italic = True
    p.add_run(" and later {Daniels, 2011}. Unknown: [@no-such-paper] stays.")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "In a table [-@van-der-vaart-2019]."
    document.add_paragraph("References")
    document.add_paragraph("{Bibliography}")
    document.add_paragraph("The end.")
    document.save(str(path))


def test_marker_document(library, tmp_path):
    library.add_sample_library()
    source = tmp_path / "letter.docx"
    make_marker_document(source)
    before = digest(source)
    out = tmp_path / "letter-out.docx"
    old_umask = os.umask(0o022)
    try:
        report = library.documents.update_file(source=source, target=out, style="vancouver")
    finally:
        os.umask(old_umask)
    assert digest(source) == before
    # A new document as any program would write it (the temporary file's 600 never shows).
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert not list(tmp_path.glob(".*.tmp"))
    assert report.from_markers == 3 and report.from_fields == 0
    assert [u.marker for u in report.unresolved] == ["[@no-such-paper]"]
    assert "paragraph 2" in report.unresolved[0].where
    assert "Unknown: [@no-such-paper] stays" in report.unresolved[0].context
    found = citations(out)
    assert [[i.uris[0][len(ENTRY_URI_PREFIX):] for i in c.items] for _, c in found] == [
        ["heins-2013-role-therapeutic", "twisk-2009-review-cognitive"],
        ["daniels-2011-socialization-model"], ["van-der-vaart-2019"]]
    assert found[0][1].items[0].locator == "12" and found[0][1].items[0].label == "page"
    assert found[2][1].items[0].suppress_author
    assert [s.text for s, _ in found] == ["(1,2)", "(3)", "(4)"]
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[1] == ("Graded activity was studied (1,2) and later (3). Unknown: "
                             "[@no-such-paper] stays.")
    assert paragraphs[-1] == "The end."
    refs = paragraphs[paragraphs.index("References") + 1:-1]
    assert [r[:3] for r in refs] == ["1. ", "2. ", "3. ", "4. "] and "Heins" in refs[0]
    # Running the update again on the result changes the style.
    apa = tmp_path / "letter-apa.docx"
    again = library.documents.update_file(source=out, target=apa, style="apa")
    assert again.from_fields == 3 and again.from_markers == 0
    in_text = library.citations.copy(entry_ids=["daniels-2011-socialization-model"],
                                     kind=CopyKind.IN_TEXT, style="apa", formats=["text"])
    assert [s.text for s, _ in citations(apa)][1] == in_text.content.text


def test_the_input_is_never_the_output(library, tmp_path):
    source = tmp_path / "a.docx"
    make_marker_document(source)
    with pytest.raises(DocumentError, match="never written over"):
        library.documents.update_file(source=source, target=source)


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_a_package_that_would_unpack_to_gigabytes_or_thousands_of_parts_is_refused(
        library, tmp_path, suffix):
    """A zip bomb (5 MB that unpacks to 1.1 GB, read whole by python-docx and odfpy) and a
    package of 10,001 parts get one sentence before any part is read; nothing is written."""
    import zipfile

    bomb = tmp_path / f"bomb{suffix}"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        with package.open("content.xml", "w", force_zip64=True) as part:
            for _ in range(1_100):
                part.write(b"\0" * (1 << 20))
    parts = tmp_path / f"parts{suffix}"
    with zipfile.ZipFile(parts, "w") as package:
        for index in range(10_001):
            package.writestr(f"Pictures/{index}.png", b"")
    for source in (bomb, parts):
        with pytest.raises(DocumentError, match="would unpack to more than a document holds"):
            library.documents.update_file(source=source, target=tmp_path / f"out{suffix}")
    assert not (tmp_path / f"out{suffix}").exists()


def test_damaged_and_protected_documents_get_one_sentence(library, tmp_path):
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes((DOCS / "gpl/pandoc_zotero_citations.docx").read_bytes()[:4000])
    with pytest.raises(DocumentError, match=r"not a Word document .* or it is damaged"):
        library.documents.update_file(source=damaged, target=tmp_path / "o.docx")
    protected = DOCS / "protected.docx"  # made by LibreOffice with a password
    with pytest.raises(DocumentError, match="protected by a password"):
        library.documents.update_file(source=protected, target=tmp_path / "p.docx")
    assert not (tmp_path / "o.docx").exists() and not (tmp_path / "p.docx").exists()


def test_a_citation_worded_by_hand_stays_so_until_asked(library, tmp_path):
    from docx.oxml.ns import qn

    library.add_sample_library()
    source = tmp_path / "letter.docx"
    make_marker_document(source)
    first = tmp_path / "first.docx"
    library.documents.update_file(source=source, target=first, style="vancouver")
    edited = tmp_path / "edited.docx"
    document = docx.Document(str(first))
    shown = [t for t in document.element.body.iter(qn("w:t")) if t.text == "(1,2)"]
    assert len(shown) == 1
    shown[0].text = "(1, 2 and the trials they cite)"  # the writer's own words
    document.save(str(edited))
    kept = tmp_path / "kept.docx"
    report = library.documents.update_file(source=edited, target=kept, style="apa")
    assert report.kept_edited == ("'(1, 2 and the trials they cite)' (paragraph 2)",)
    assert citations(kept)[0][0].text == "(1, 2 and the trials they cite)"
    assert [s.text for s, _ in citations(kept)][1] == "(Daniels & Wearden, 2011)"
    assert citations(kept)[0][1].dont_update
    # Kept once, kept again (no longer an edit to detect: the citation says so itself).
    again = tmp_path / "again.docx"
    library.documents.update_file(source=kept, target=again, style="vancouver")
    assert citations(again)[0][0].text == "(1, 2 and the trials they cite)"
    # Unless the writer asks for the style's text back.
    restored = tmp_path / "restored.docx"
    report = library.documents.update_file(source=again, target=restored, style="vancouver",
                                           overwrite_edited=True)
    assert report.kept_edited == ()
    assert citations(restored)[0][0].text == "(1,2)"
    assert not citations(restored)[0][1].dont_update

"""An in-text citation copied from Atlas Desktop and pasted into Writer stays a citation:
the copy's RTF (made by the real clipboard code, read back from the real clipboard) holds
Zotero's Word field, Writer keeps it as a field, and the .odt and .docx Writer saves are
updated with those citations recognised as live ones."""

from __future__ import annotations

import pytest

from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.domain.live_citations import parse_citation
from atlas_desktop.formats.docx_fields import DocxDocument
from atlas_desktop.formats.odt_fields import OdtDocument
from atlas_desktop.gui.clipboard import RTF_MIME, put_on_clipboard
from atlas_desktop.services.documents import _marker_finder

pytestmark = pytest.mark.slow

HEINS, TWISK = "heins-2013-role-therapeutic", "twisk-2009-review-cognitive"


def copied_rtf(library, qapp, entry_ids, path):
    from PySide6.QtGui import QGuiApplication

    copy = library.citations.copy(entry_ids=entry_ids, kind=CopyKind.IN_TEXT, style="apa")
    board = QGuiApplication.clipboard()
    try:
        put_on_clipboard(copy.content, entry_ids=copy.entry_ids, clipboard=board)
        path.write_bytes(bytes(board.mimeData().data(RTF_MIME).data()))
    finally:
        board.clear()  # Qt's offscreen clipboard must be empty when Python exits
    return copy.content.text


def test_pasted_in_text_citations_are_updated_as_live_ones(writer, app, qapp, tmp_path):
    library, _ui, _endpoint = app
    one, two = tmp_path / "one.rtf", tmp_path / "two.rtf"
    first = copied_rtf(library, qapp, [HEINS], one)
    second = copied_rtf(library, qapp, [TWISK, HEINS], two)
    odt, docx = tmp_path / "pasted.odt", tmp_path / "pasted.docx"
    results = writer([{"new": ["Graded exercise was studied ", "and reviewed ", "The end."]},
                      {"cursor": [0, "end"]}, {"insert_file": str(one)},
                      {"cursor": [1, "end"]}, {"insert_file": str(two)},
                      {"dump": True}, {"save_copy": str(odt)}, {"save_copy": str(docx)},
                      {"run": "refresh"}, {"dump": True}])
    pasted = results[5]
    # Refresh in Writer takes the pasted fields for citations: this document keeps
    # Zotero's LibreOffice format, so they become reference marks, reading as they did.
    assert results[8] == "ok", results
    assert [(c["kind"], c["text"]) for c in results[9]["citations"]] == [
        ("mark", first), ("mark", second)]
    assert [c["kind"] for c in pasted["citations"]] == ["field", "field"]
    assert [c["text"] for c in pasted["citations"]] == [first, second]
    assert pasted["citations"][0]["name"].startswith("ADDIN ZOTERO_ITEM CSL_CITATION")
    for saved, reader in ((odt, OdtDocument), (docx, DocxDocument)):
        found = [s for s in reader(saved).scan(_marker_finder) if s.kind == "citation"]
        assert [[i.entry_id for i in parse_citation(s.code).items] for s in found] == [
            [HEINS], [TWISK, HEINS]]
        out = tmp_path / f"updated{saved.suffix}"
        report = library.documents.update_file(source=saved, target=out, style="vancouver")
        assert (report.from_fields, report.from_markers, report.unresolved) == (2, 0, ())
        again = [s for s in reader(out).scan(_marker_finder) if s.kind == "citation"]
        assert [s.text for s in again] == ["(1)", "(1,2)"]
        assert [s.kind for s in reader(out).scan(_marker_finder)].count("bibliography") == 1
        # LibreOffice reads the updated file as Zotero's format of that kind.
        opened = writer([{"open": str(out)}, {"dump": True}])[1]
        kind = "mark" if saved.suffix == ".odt" else "field"
        assert [(c["kind"], c["text"]) for c in opened["citations"]] == [
            (kind, "(1)"), (kind, "(1,2)")]
        assert opened["text"].startswith("Graded exercise was studied (1)\nand reviewed (1,2)\n"
                                         "The end.\n1. Heins MJ")
        assert opened["bibliography"][0]["kind"] == ("section" if kind == "mark" else "field")

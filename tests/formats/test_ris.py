"""RIS (and Web of Science) over real files: records, fields, problems, and our own export."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from atlas_desktop.domain.contract import canonical_entry_dict, entry_from_canonical
from atlas_desktop.domain.entry import Origin
from atlas_desktop.formats.ris import read_ris
from atlas_desktop.formats.ris_writer import write_ris
from atlas_desktop.formats.text import FormatError, decode_bytes

RIS = Path(__file__).resolve().parents[1] / "data" / "references" / "ris"


def read(name: str):
    parsed = read_ris(decode_bytes((RIS / name).read_bytes()).text)
    return parsed, [canonical_entry_dict(d) for d in parsed.references]


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("jabref/RisImporterTest1.ris", 1),  # eleven TY lines, one ER: one record
        ("jabref/RisImporterTest8_date.ris", 1),
        ("jabref/RisImporterTestScopus.ris", 1),
        ("rispy/example_full.ris", 2),
        ("rispy/example_extraneous_data.ris", 2),  # junk around the records
        ("rispy/example_multiline.ris", 3),
        ("rispy/example_utf_chars.ris", 1),
        ("rispy/example_bom.ris", 1),
        ("rispy/example_wos.ris", 2),
    ],
)
def test_record_counts(name, count):
    parsed, refs = read(name)
    assert len(refs) == count
    assert parsed.errors == []
    assert len({d["id"] for d in refs}) == count


def test_fields_of_a_journal_article():
    _, (ref,) = read("jabref/RisImporterTest8_date.ris")
    assert ref["title"].startswith("Hydration forces between silica surfaces")
    assert ref["authors"][1] == {"family": "Molina-Bolívar", "given": "J. A."}
    assert ref["journal"] == "The Journal of Chemical Physics"
    assert (ref["year"], ref["issued"]) == (2005, {"date-parts": [[2005, 7, 15]]})
    assert ref["doi"] == "10.1063/1.1954747"
    assert (ref["volume"], ref["issue"], ref["page"]) == ("123", "3", "034708")
    assert ref["bibtex_key"] == "valledelgado2005hydration"
    assert ref["ris_fields"]["Y2"] == ["2019/03/28"]  # kept for export


def test_endnote_type_names_and_a_title_given_only_as_short_title():
    _, (ref,) = read("rispy/example_utf_chars.ris")
    assert ref["type"] == "article-journal" and ref["ris_type"] == "JOURNAL ARTICLE"
    assert ref["title"].startswith("Состояние рецепторного аппарата")
    assert ref["note"] == "Ä,Ö,Ü,ä,ö,ü,ß"
    assert ref["ris_fields"]["VO"] == ["8"]  # an unknown tag, kept for export


def test_web_of_science_is_recognised_and_read_with_a_note():
    parsed, refs = read("rispy/example_wos.ris")
    assert parsed.warnings == [
        "This is a Web of Science export (its tagged format), not RIS; it was read as one."]
    first = refs[0]
    assert first["title"].startswith("Interactions stabilizing the structure of the core")
    assert (first["doi"], first["pmid"], first["journal"]) == (
        "10.1021/bi049798f", "15170338", "BIOCHEMISTRY")


def test_a_record_without_ty_is_reported_with_its_line():
    parsed = read_ris(decode_bytes((RIS / "jabref/RisImporterCorrupted.ris").read_bytes()).text)
    assert parsed.references == []
    assert parsed.errors == ["line 2: a record starts without a “TY” (type) line, so it could "
                             "not be read; it was left out."]


def test_a_last_record_without_er_is_read_and_said_so():
    text = (RIS / "rispy/example_full.ris").read_text()
    cut = text.rindex("ER  -")
    parsed = read_ris(text[:cut])
    assert len(parsed.references) == 2
    assert parsed.warnings == ["The last record has no “ER” line (end of record); it was read "
                               "up to the end of the file."]


def test_text_that_is_not_ris_is_refused():
    with pytest.raises(FormatError, match="no RIS records"):
        read_ris("Just some notes\nabout papers\n")


@pytest.mark.parametrize("name", ["jabref/RisImporterTest1.ris", "jabref/RisImporterTestScopus.ris",
                                  "rispy/example_full.ris", "rispy/example_multiline.ris",
                                  "jabref/RisImporterTest8_date.ris"])
def test_our_export_reads_back_unchanged(name):
    _, refs = read(name)
    out = io.StringIO()
    entries = [replace(entry_from_canonical(d), origin=Origin.MINE) for d in refs]
    assert write_ris(out, entries) == len(refs)
    assert "\n1.\n" not in out.getvalue()  # no numbering lines between records
    again = [canonical_entry_dict(d) for d in read_ris(out.getvalue()).references]
    assert again == refs

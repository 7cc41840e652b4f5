"""BibTeX over real files (tests/data/references/LICENCES.md): counts, decoded fields and
every problem reported with its line."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from atlas_desktop.domain.contract import canonical_entry_dict
from atlas_desktop.formats.bibtex import BibtexFile, parse_bibtex, read_bibtex
from atlas_desktop.formats.bibtex_crossref import apply_crossrefs
from atlas_desktop.formats.bibtex_fields import entry_to_reference
from atlas_desktop.formats.text import FormatError

BIB = Path(__file__).resolve().parents[1] / "data" / "references" / "bib"


@cache
def load(name: str) -> tuple[BibtexFile, list[str], dict[str, dict[str, Any]]]:
    """(file, crossref warnings, key -> canonical contract dict)."""
    parsed = read_bibtex((BIB / name).read_bytes(), source=name)
    crossref_warnings = [message for _, message in apply_crossrefs(parsed.entries)]
    refs = {e.key: canonical_entry_dict(entry_to_reference(e)[0]) for e in parsed.entries}
    return parsed, crossref_warnings, refs


@pytest.mark.parametrize(
    ("name", "count", "encoding"),
    [
        ("bbt/unabbreviate-1436-3.bib", 7166, "utf-8"),
        ("bbt/mendeley-idiocy.bib", 512, "utf-8"),
        ("bbt/quietly-discarded-873.bib", 988, "utf-8"),
        ("bbt/plus-in-fieldname-2660.bib", 283, "utf-8"),
        ("pybtex/tugboat.bib", 2720, "utf-8"),
        ("pybtex/xampl.bib", 36, "utf-8"),
        ("biblatex/biblatex-examples.bib", 92, "utf-8"),
        ("bibtexparser/crossref_entries.bib", 14, "utf-8"),
        ("bibtexparser/wrong.bib", 2, "utf-8"),
        ("bbt/endnote-should-parse.bib", 1, "utf-8"),
        ("jabref/tiny-BE-noBOM.bib", 1, "utf-16-be"),
        ("jabref/tiny-LE-withBOM.bib", 1, "utf-16-le"),
        ("bibtexparser/gbk_test.bib", 1, "gbk"),
        ("bibtexparser/article_start_with_bom.bib", 1, "utf-8"),
    ],
)
def test_every_entry_is_read(name, count, encoding):
    parsed, _, refs = load(name)
    assert len(parsed.entries) == count
    assert len(refs) == count  # keys are unique within a file
    assert parsed.errors == []
    assert parsed.encoding == encoding


def test_zotero_export_decodes_latex_months_and_identifiers():
    _, _, refs = load("bbt/unabbreviate-1436-3.bib")
    abdollahi = refs["abdollahi_2018"]
    assert [a["family"] for a in abdollahi["authors"]] == ["Abdollahi", "Vásquez-Sancho",
                                                           "Catalan"]
    assert abdollahi["authors"][1]["given"] == "Fabián"
    assert abdollahi["doi"] == "10.1103/physrevlett.121.205502"
    assert abdollahi["bibtex_fields"]["eprint"] == "1807.00144"
    adachi = refs["adachi_2013"]
    assert adachi["title"].endswith("Using a Ga–Al Flux")  # \textendash, {{double}} braces
    abbasi = refs["abbasi_2013"]
    assert abbasi["pmid"] == "23849302"
    assert abbasi["issued"] == {"date-parts": [[2013, 1]]}  # month = jan
    assert abbasi["publisher"] == "Nanoscale Research Letters"
    assert abbasi["id"] == "my-abbasi-2013" and abbasi["bibtex_key"] == "abbasi_2013"


def test_duplicate_keys_are_kept_apart_and_reported():
    parsed, _, refs = load("bbt/unabbreviate-1436-3.bib")
    assert refs["Chen_2017-2"]["bibtex_key"] == "Chen_2017-2"
    assert ("line 9555: the key “Chen_2017” is already used by the entry at line 9544; this "
            "entry was kept apart as “Chen_2017-2”.") in parsed.warnings
    parsed, _, refs = load("bbt/mendeley-idiocy.bib")
    assert {"Milazzo2017", "Milazzo2017-2", "Milazzo2017-3"} <= set(refs)


def test_keyless_entries_get_keys_from_author_year_and_title():
    parsed, _, refs = load("bbt/mendeley-idiocy.bib")
    generated = [e for e in parsed.entries if e.generated_key]
    assert len(generated) == 37
    assert any(w.startswith("37 entries have no key (lines ") for w in parsed.warnings)
    _, _, refs = load("bbt/endnote-should-parse.bib")
    (only,) = refs.values()
    assert only["bibtex_key"] == "huang2012alzheimer"
    assert only["title"] == "Alzheimer mechanisms and therapeutic strategies"
    assert only["issue"] == "6" and only["page"] == "1204-22"


def test_string_macros_and_concatenation_are_resolved():
    _, _, refs = load("pybtex/tugboat.bib")
    zabala = refs["Zabala:TB1-1-16"]
    assert zabala["journal"] == "TUGboat"  # journal = j-TUGboat
    ack = zabala["bibtex_fields"]["acknowledgement"]  # ack-bnb # " and " # ack-nhfb
    assert ack.startswith("Barbara N. Beeton") and " and Nelson H. F. Beebe" in ack
    _, _, refs = load("biblatex/biblatex-examples.bib")
    assert refs["nietzsche:ksa"]["publisher"] == (
        "Deutscher Taschenbuch-Verlag and Walter de Gruyter")  # dtv # { and …}


def test_month_concatenation_that_is_no_month_is_kept_as_written():
    _, _, refs = load("pybtex/xampl.bib")
    thesis = refs["mastersthesis-full"]
    assert thesis["bibtex_fields"]["month"] == "June-August"  # jun # "-" # aug
    assert thesis["issued"] == {"date-parts": [[1988]]}


@pytest.mark.parametrize(
    ("text", "check"),
    [
        (Path("bbt/string-spaces-1081.bib"),
         lambda d: d["journal"] == "a space between this and this"),
        (Path("bbt/string-subst-154.bib"),
         lambda d: (d["publisher"], d["publisher-place"]) == ("Freds Publishing", "London, UK")),
        (Path("bibtexparser/features2.bib"),
         lambda d: (d["title"], d["journal"], d["page"], d["note"]) == (
             "Cool Stuff", "My International Conference", "1-10",
             "Email: John.Doe@example.com")),
        (Path("bbt/round-braces-871.bib"),
         lambda d: ([a["family"] for a in d["authors"]], d["title"], d["issued"],
                    d["publisher"]) == (["McDermott", "Sussman"], "The CONNIVER Reference Manual",
                                        {"date-parts": [[1972, 5]]},
                                        "MIT Artificial Intelligence Laboratory")),
        (Path("bbt/ring-above-1115.bib"),
         lambda d: d["authors"][0] == {"family": "Řehůřek", "given": "Radim"}),
        (Path("bbt/unparsed-names-92.bib"),
         lambda d: (d["title"], d["journal"], d.get("authors_truncated")) == (
             "Cuprous oxide (Cu₂O) crystal structure, lattice parameters",
             "Landolt-Börnstein", True)),
        (Path("bbt/space-after-key-716.bib"), lambda d: d["bibtex_key"] in {"HoSp-87", "HoSp-90"}),
    ],
    ids=lambda value: str(value) if isinstance(value, Path) else "",
)
def test_small_real_files(text, check):
    _, _, refs = load(str(text))
    assert refs and all(check(d) for d in refs.values())


def test_gbk_file_is_read_as_chinese_and_said_so():
    parsed, _, refs = load("bibtexparser/gbk_test.bib")
    (only,) = refs.values()
    assert only["authors"] == [{"family": "凯撒", "given": None}]
    assert only["journal"] == "测试期刊"
    assert only["bibtex_key"] == "凯撒2013"
    assert "GBK" in parsed.warnings[0]


def test_utf16_without_bom_is_not_zero_entries():
    _, _, refs = load("jabref/tiny-BE-noBOM.bib")
    (only,) = refs.values()
    assert only["journal"] == "Veterinary Record"  # biblatex journaltitle
    assert only["issued"] == {"date-parts": [[2011, 12]]}  # date = 2011-12
    assert [a["family"] for a in only["authors"]][2] == "van Galen"


def test_undefined_macros_and_missing_crossref_parents_are_reported_not_fatal():
    parsed, crossref_warnings, refs = load("bbt/quietly-discarded-873.bib")
    assert refs["Biermann:75"]["journal"] == "Advances in Computers"  # @article( … )
    assert any(w.startswith("The abbreviation “AIJ” is used") for w in parsed.warnings)
    assert ("line 54: “Green:75” takes fields from “IJCAI85” (crossref), which is not in the "
            "files being imported; it was imported without them.") in crossref_warnings


def test_crossref_inheritance_and_cycles():
    _, warnings, refs = load("bibtexparser/crossref_entries.bib")
    cr1 = refs["cr1"]
    assert cr1["journal"] == "Graphs of the Continent"  # the book's title as booktitle
    assert (cr1["publisher"], cr1["year"]) == ("Grimble", 1974)
    assert cr1["editor"] == [{"family": "Erbriss", "given": "Edgar"}]
    assert cr1["title"] == "Great and Good Graphs"
    _, warnings, refs = load("bibtexparser/crossref_cascading_cycle.bib")
    assert len(refs) == 2
    assert warnings == ["line 11: the crossref of “circ2” leads back to “circ1” (a loop); no "
                        "fields were passed around the loop."]


def test_crossref_across_files():
    text = (BIB / "jabref/crossref.bib").read_text()
    cut = text.index("@Proceedings")
    child, parent = parse_bibtex(text[:cut]), parse_bibtex(text[cut:])
    assert apply_crossrefs([*child.entries, *parent.entries]) == []
    paper = next(e for e in child.entries if e.key == "DBLP:conf/wicsa/ZimmermannWKG15")
    assert paper.fields["publisher"] == "IEEE Computer Society"
    assert paper.fields["isbn"] == "978-1-4799-1922-2"


def test_unknown_entry_types_are_kept_and_reported():
    parsed, _, refs = load("bibtexparser/wrong.bib")
    assert refs["foo"]["type"] == "document" and refs["foo"]["bibtex_type"] == "wrong"
    _, warnings = entry_to_reference(parsed.entries[0])
    assert warnings == ["line 3: “@wrong” is not a BibTeX or biblatex entry type; “foo” was "
                        "kept and will be cited as a generic document."]


def test_commented_out_entry_is_not_read():
    _, _, refs = load("bbt/plus-in-fieldname-2660.bib")
    assert "10.1:18-2" not in refs
    assert refs["10.1:18"]["bibtex_fields"]["relatedtype"] == "commenton"


def test_broken_entries_are_reported_with_line_and_reason():
    lines = (BIB / "pybtex/xampl.bib").read_text().split("\n")
    # Break three real entries: a missing comma between fields, a brace never closed inside
    # a value, and an entry whose closing brace is gone.
    comma = lines.index("   title = {The Gnats and Gnus Document Preparation System},")
    lines[comma] = lines[comma].rstrip(",")
    brace = lines.index('   year = "{\\noopsort{1973c}}1981",')
    lines[brace] = lines[brace].replace("}}", "}")
    start = lines.index("@BOOKLET{booklet-full,")
    end = lines.index("}", start)
    lines[end] = ""
    parsed = parse_bibtex("\n".join(lines))
    assert parsed.errors == [
        f"line {comma + 1}: in “article-minimal”, the value of “title” does not end where it "
        "should (a missing comma, brace or quote?); the entry was left out.",
        f"line {brace + 1}: in “book-minimal”, the value of “year” does not end where it should "
        "(a missing comma, brace or quote?); the entry was left out.",
        f"line {start + 1}: the block “@BOOKLET{{booklet-full,” could not be read: the entry is "
        "not closed before the next one starts (a missing closing brace?); it was left out.",
    ]
    assert len(parsed.entries) == 33  # every other entry is still read


def test_sorting_hints_are_not_text():
    _, _, refs = load("pybtex/xampl.bib")
    assert refs["book-minimal"]["year"] == 1981  # year = "{\noopsort{1973c}}1981"


def _entry_start(lines: list[str], index: int) -> int:
    while not lines[index].lstrip().startswith("@"):
        index -= 1
    return index


def test_files_without_entries_are_refused():
    with pytest.raises(FormatError, match="no BibTeX entries"):
        read_bibtex((BIB / "bibtexparser/common_strings.bib").read_bytes())

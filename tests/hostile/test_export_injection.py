"""Issues 19.3 and 19.4 (and 18.8): exports cannot be injected, and a copy is the export.

Hostile catalogue text (``bibtex-injection.json``, ``ris-injection.json``) is imported, then
exported; the file is parsed back by our own readers and, for BibTeX, by pybtex (which
counts braces as BibTeX does): one entry in, one entry out, same fields, no preamble.
"""

from __future__ import annotations

import io
import json
import re
from types import MappingProxyType

import pytest
from pybtex.database import parse_string as pybtex_parse

from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.domain.contract import canonical_entry_dict, entry_from_contract
from atlas_desktop.domain.entry import Entry, Origin
from atlas_desktop.formats.bibtex import parse_bibtex
from atlas_desktop.formats.bibtex_crossref import apply_crossrefs
from atlas_desktop.formats.bibtex_fields import entry_to_reference
from atlas_desktop.formats.bibtex_writer import write_bibtex
from atlas_desktop.formats.ris import read_ris
from atlas_desktop.formats.ris_writer import write_ris
from atlas_desktop.services.exporting import ExportFormat
from tests.hostile.conftest import HOSTILE

BIBTEX_FIXTURE = HOSTILE / "bibtex-injection.json"
RIS_FIXTURE = HOSTILE / "ris-injection.json"


def _contracts(path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["entries"]


def _fold(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


def _unnested(text: str) -> str:
    """What the writer does to a link or identifier whose braces do not nest."""
    text = " ".join(text.split())
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return text if depth == 0 else text.replace("{", "%7B").replace("}", "%7D")


def _export(library, fmt: ExportFormat, ids: list[str]) -> str:
    out = io.StringIO()
    library.exporter.export(format=fmt, out=out, entry_ids=ids)
    return out.getvalue()


def _read_back(text: str) -> list[dict]:
    parsed = parse_bibtex(text)
    assert parsed.errors == []
    apply_crossrefs(parsed.entries)
    return [canonical_entry_dict(entry_to_reference(e)[0]) for e in parsed.entries]


@pytest.fixture
def hostile_library(library):
    report = library.importer.import_files(paths=[BIBTEX_FIXTURE, RIS_FIXTURE])
    assert report.committed and not report.errors, report.errors
    return library


# --- BibTeX -------------------------------------------------------------------------------


def test_bibtex_export_of_hostile_atlas_entries_reads_back_one_for_one(hostile_library):
    contracts = _contracts(BIBTEX_FIXTURE)
    text = _export(hostile_library, ExportFormat.BIBTEX, [d["id"] for d in contracts])
    assert not re.search(r"^\s*@(?!article\{)", text, re.MULTILINE)  # no block but entries

    back = _read_back(text)
    assert len(back) == len(contracts)
    for original, ref in zip(contracts, back, strict=True):
        assert ref["title"] == _fold(original["title"])
        assert ref["journal"] == _fold(original["journal"])
        assert ref["year"] == original["year"]
        assert [(a["family"], a["given"]) for a in ref["authors"]] == [
            (_fold(a["family"]), _fold(a["given"])) for a in original["authors"]]
        assert ref["doi"] == (_unnested(original["doi"]) if original.get("doi") else None)
        assert ref["url"] == (_unnested(original["url"]) if original.get("url") else None)
        assert ref["pmid"] == original.get("pmid")
        for name in ("volume", "issue"):  # extra fields are top-level in the canonical dict
            assert ref.get(name) == original.get(name)

    # A reader that counts braces as BibTeX itself does sees the same entries and fields,
    # and no preamble (LaTeX would have run ``\immediate\write18``).
    data = pybtex_parse(text, "bibtex")
    assert data.preamble == ""
    assert len(data.entries) == len(contracts)
    ours = parse_bibtex(text).entries
    for entry in ours:
        theirs = data.entries[entry.key]
        assert {k.lower() for k in theirs.fields} | {
            r.lower() for r in theirs.persons} == set(entry.fields)


def test_bibtex_export_of_hostile_references_reads_back_unchanged():
    """The user's own references go through the other half of the writer (kept fields,
    paragraphs, names): every hostile string of the fixture in every kind of value."""
    hostile = [s for d in _contracts(BIBTEX_FIXTURE) for s in (
        d["title"], d["journal"], d.get("url") or "", *(a["family"] for a in d["authors"])) if s]
    paragraphs = "First paragraph.\n\n@misc{forged4, title={x}}\n\n% @article{y,\n\n}{ end"
    entries = []
    for number, text in enumerate(hostile):
        entries.append(Entry(
            id=f"my-hostile-{number}", origin=Origin.MINE, title=text,
            bibtex_key=f"hostile{number}" + "},@misc{k", year=2020,
            extra=MappingProxyType({
                "bibtex_type": "article", "abstract": paragraphs, "note": text,
                "volume": text, "publisher": text,
                "bibtex_fields": {"howpublished": text, "bad},name": "dropped",
                                  "addendum": "}{" + text}})))
    out = io.StringIO()
    assert write_bibtex(out, entries) == len(entries)
    back = _read_back(out.getvalue())
    assert len(back) == len(entries)
    assert pybtex_parse(out.getvalue(), "bibtex").preamble == ""
    for before, after in zip(entries, back, strict=True):
        assert after["title"] == _fold(before.title)
        assert after["bibtex_key"] == re.sub(r"[{},@]+", "-", before.bibtex_key)
        extra = after
        assert extra["abstract"] == "First paragraph.\n\n@misc{forged4, title={x}}\n\n" \
                                    "% @article{y,\n\n}{ end"
        for name in ("note", "volume", "publisher"):
            assert extra[name] == _fold(before.extra[name])
        fields = extra["bibtex_fields"]
        assert fields["howpublished"] == _fold(before.extra["bibtex_fields"]["howpublished"])
        assert fields["addendum"] == _fold(before.extra["bibtex_fields"]["addendum"])
        assert "bad},name" not in fields and not any("name" in k for k in fields)


def test_a_paragraph_starting_with_a_block_is_braced_not_read_as_one():
    entry = Entry(id="my-x", origin=Origin.MINE, title="T",
                  extra=MappingProxyType({"bibtex_type": "misc",
                                          "abstract": "@preamble{\"x\"}\n\n%comment"}))
    out = io.StringIO()
    write_bibtex(out, [entry])
    assert "abstract = {{@}preamble" in out.getvalue() and "\n\n\\%comment" in out.getvalue()
    assert _read_back(out.getvalue())[0]["abstract"] == "@preamble{\"x\"}\n\n%comment"


# --- RIS ----------------------------------------------------------------------------------


def test_ris_export_of_hostile_entries_reimports_exactly_the_records_written(hostile_library):
    contracts = _contracts(RIS_FIXTURE)
    text = _export(hostile_library, ExportFormat.RIS, [d["id"] for d in contracts])
    assert all(line == "" or re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line)
               for line in text.split("\n"))
    records = read_ris(text).references
    assert len(records) == len(contracts)
    for original, record in zip(contracts, records, strict=True):
        assert record["title"] == _fold(original["title"])
        assert "INJECTED" not in json.dumps(record["authors"])
        assert [a["family"] for a in record["authors"]] == [
            _fold(a["family"]) for a in original["authors"]]
        assert record["journal"] == _fold(original["journal"])
        assert record["year"] == original["year"]


def test_ris_folds_every_tag_of_a_reference():
    text = "x\nER  - \nTY  - JOUR\nTI  - INJECTED RIS RECORD"
    entry = Entry(id="my-r", origin=Origin.MINE, title=text, year=2020, url=text,
                  extra=MappingProxyType({
                      "ris_type": "JOUR\nTY  - BOOK", "note": f"one\n\n{text}",
                      "keywords": [text], "publisher": text, "abstract": text,
                      "editor": [{"family": text, "given": text}],
                      "ris_fields": {"M3": [text], "T\nY": ["forged"]}}))
    out = io.StringIO()
    write_ris(out, [entry])
    records = read_ris(out.getvalue()).references
    assert len(records) == 1
    assert "forged" not in out.getvalue()
    assert records[0]["title"] == _fold(text)


# --- one writer per format: a copy is the export -----------------------------------------


@pytest.mark.parametrize(("kind", "fmt"), [(CopyKind.BIBTEX, ExportFormat.BIBTEX),
                                           (CopyKind.RIS, ExportFormat.RIS),
                                           (CopyKind.CSL_JSON, ExportFormat.CSL_JSON)])
def test_copying_entries_gives_the_exported_text(seeded_library, hostile_library, kind, fmt):
    ids = ["twisk-2009-review-cognitive", "heins-2013-role-therapeutic", "hostile-bibtex-text",
           "hostile-ris-fields"]
    copy = seeded_library.citations.copy(entry_ids=ids, kind=kind)
    assert copy.content.text == _export(seeded_library, fmt, ids)
    assert copy.entry_ids == tuple(ids)


def test_the_copy_carries_what_the_export_has(seeded_library):
    """The differences issue 18.8 found: key, PMID, volume/issue/pages, the RIS link."""
    contract = entry_from_contract({
        "id": "twisk-2009-review-cognitive", "title": "A review", "year": 2009,
        "authors": [{"family": "Twisk", "given": "Frank"}], "doi": "10.1000/x", "pmid": "19855350",
        "volume": "30", "issue": "3", "pages": "284-299"})
    entry = contract
    bib = io.StringIO()
    write_bibtex(bib, [entry])
    assert bib.getvalue().startswith("@article{mecfsatlas-twisk-2009-review-cognitive,")
    for line in ("  volume = {30},", "  number = {3},", "  pages = {284--299},",
                 "  note = {PubMed: 19855350},"):
        assert line in bib.getvalue()
    ris = io.StringIO()
    write_ris(ris, [entry])
    assert "UR  - https://doi.org/10.1000/x\n" in ris.getvalue()
    assert {"VL  - 30", "IS  - 3", "SP  - 284", "EP  - 299"} <= set(ris.getvalue().split("\n"))

"""Bundles in the layout Atlas Desktop writes (one entry per line) are parsed while they are
written. Any other layout, or a line that is not what it seemed, is read as a whole, with
the same outcome as if it had been read whole from the start."""

from __future__ import annotations

import io
import json
from pathlib import Path

import orjson
import pytest

from atlas_desktop.domain.contract import entry_to_contract
from atlas_desktop.formats.bundle import (
    EntryLines,
    load_json,
    split_entry_lines,
    write_bundle,
)
from atlas_desktop.formats.text import FormatError
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from atlas_desktop.services.exporting import ExportFormat
from atlas_desktop.services.importing import read_file_entries

from .test_import import library_state

SAMPLE = Path(__file__).parents[2] / "atlas_desktop" / "data" / "sample_library.json"
HEAD = '{"format": "atlas-bundle", "version": 1, "generated_at": "2026-01-01T00:00:00Z", ' \
       '"entries": ['


def lines_text(*entries: str, eol: str = "\n") -> str:
    return eol.join([HEAD, ",\n".join(entries).replace("\n", eol), "]}", ""])


def written_bundle(library) -> str:
    out = io.StringIO()
    library.exporter.export(format=ExportFormat.BUNDLE, path=None, out=out)
    return out.getvalue()


def test_what_write_bundle_writes_is_read_line_by_line(seeded_library):
    catalogue = seeded_library.catalogue
    entries = catalogue.get_entries_by_pk(pks=list(catalogue.search(text="").pks))
    out = io.StringIO()
    write_bundle(out, entries, extra={"description": "five seeds"})
    parsed = split_entry_lines(out.getvalue().encode("utf-8"))
    assert parsed is not None
    raw, ids = parsed
    assert ids == [e.id for e in entries]
    assert raw.extra == {"description": "five seeds"}
    assert isinstance(raw.raw_entries, EntryLines)
    assert list(raw.raw_entries) == [entry_to_contract(e) for e in entries]


@pytest.mark.parametrize("text", [
    SAMPLE.read_text("utf-8"),  # pretty-printed
    json.dumps({"format": "atlas-bundle", "version": 1, "entries": [{"id": "a-1"}]}),
    HEAD + '\n{"id": "a-1"}\n], "more": 1}\n',  # a key after the entries
    '{"format": "atlas-bundle", "version": 1, "entries": [], "x": [\n{"id": "a-1"}\n]}\n',
    HEAD + '\n{"title": "T", "id": "a-1"}\n]}\n',  # the id is not the first key
    HEAD + '\n{"id": "a-1"}\n{"id": "b-1"}\n]}\n',  # a comma missing
])
def test_other_layouts_are_left_to_the_whole_parse(text):
    assert split_entry_lines(text.encode("utf-8")) is None


def test_the_envelope_is_refused_as_by_the_whole_parse():
    with pytest.raises(FormatError, match="version 2"):
        split_entry_lines(HEAD.replace('"version": 1', '"version": 2').encode() + b"\n]}\n")


def test_a_library_read_by_line_equals_one_read_whole(tmp_path):
    whole = open_library(LibraryPaths(tmp_path / "whole"))
    try:
        assert whole.importer.import_files(paths=[SAMPLE]).committed  # pretty-printed
        assert whole.catalogue.count_all() == 5
        exported = tmp_path / "export.json"
        exported.write_text(written_bundle(whole), "utf-8")
        assert isinstance(read_file_entries(exported).raw_entries, EntryLines)
        by_line = open_library(LibraryPaths(tmp_path / "by-line"))
        try:
            report = by_line.importer.import_files(paths=[exported])
            assert report.committed and not report.errors
            assert len(report.imported) == 5
            assert library_state(by_line) == library_state(whole)
        finally:
            by_line.close()
    finally:
        whole.close()


def import_text(library, tmp_path, text: str | bytes):
    path = tmp_path / "bundle.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return library.importer.import_files(paths=[path]), path


def test_two_entries_on_one_line_are_all_imported(library, tmp_path):
    text = lines_text('{"id": "a-1", "title": "A"}, {"id": "b-1", "title": "B"}',
                      '{"id": "c-1", "title": "C"}')
    assert split_entry_lines(text.encode()) is not None  # it looks like one entry a line
    report, _ = import_text(library, tmp_path, text)
    assert report.committed and not report.errors
    assert report.imported == ["a-1", "b-1", "c-1"]


def test_a_line_whose_id_is_given_twice_counts_as_the_whole_parse_reads_it(library, tmp_path):
    text = lines_text('{"id": "a-1", "title": "A"}',
                      '{"id": "b-1", "title": "B", "id": "z-9"}')
    report, _ = import_text(library, tmp_path, text)
    assert report.committed
    assert report.imported == [e["id"] for e in orjson.loads(text)["entries"]]
    assert library.catalogue.get_entry(entry_id="b-1") is None


def test_broken_json_on_a_line_is_reported_where_it_is(seeded_library, tmp_path):
    before = library_state(seeded_library)
    text = lines_text('{"id": "a-1", "title": "A"}', '{"id": "b-1", "title": "B"',
                      '{"id": "c-1"}')
    report, _ = import_text(seeded_library, tmp_path, text)
    assert not report.committed
    with pytest.raises(FormatError) as whole:  # what reading it whole says
        load_json(text)
    assert report.errors[0].message == whole.value.message
    assert "not valid JSON (line 4" in whole.value.message
    assert library_state(seeded_library) == before


def test_a_bad_entry_on_a_line_refuses_the_whole_file(seeded_library, tmp_path):
    before = library_state(seeded_library)
    text = lines_text('{"id": "a-1", "title": "A"}', '{"id": "b-1", "year": "nineteen"}')
    report, _ = import_text(seeded_library, tmp_path, text)
    assert not report.committed
    assert "entry 2 ('b-1')" in report.errors[0].message
    assert "year" in report.errors[0].message
    assert library_state(seeded_library) == before


def test_windows_line_ends_and_a_legacy_encoding_still_import(library, tmp_path):
    text = lines_text('{"id": "a-1", "title": "Fatigue in Zürich"}', '{"id": "b-1"}',
                      eol="\r\n")
    report, _ = import_text(library, tmp_path, text)
    assert report.imported == ["a-1", "b-1"]
    legacy = lines_text('{"id": "c-1", "title": "Müdigkeit"}').encode("cp1252")
    report, _ = import_text(library, tmp_path, legacy)
    assert report.imported == ["c-1"]
    assert any("not valid UTF-8" in w.message for w in report.warnings)
    assert library.catalogue.get_entry(entry_id="c-1").title == "Müdigkeit"


@pytest.mark.parametrize("text", [
    lines_text('{"id": "a-1", "title": "A"}', '{"id": "b-1", "title": "B"}'),
    lines_text('{"id": "a-1", "title": "A"}', '{"id": "b-1"}', eol="\r\n"),
    HEAD + '\n  {"id": "a-1", "title": "A"} ,\t\n{"id": "b-1"}  \n  ]}  \n\n\n',
    HEAD + '\n{"id": "a-1", "title": "A, B and C,"},\n{"id": "b-1"}\n]}',  # no final newline
    HEAD + '\n{"id": "a-1", "title": "' + "long " * 2000 + '"}\n' + "]}" + " " * 50,
])
def test_lines_are_cut_where_the_whole_parse_finds_the_entries(text):
    """The entry lines are offsets into the file's bytes: spaces, carriage returns, the
    separating commas and blank lines after the end are left out as the JSON parse does."""
    parsed = split_entry_lines(text.encode("utf-8"))
    assert parsed is not None
    raw, ids = parsed
    whole = orjson.loads(text)["entries"]
    assert ids == [e["id"] for e in whole]
    assert len(raw.raw_entries) == len(whole)
    assert list(raw.raw_entries) == whole
    assert list(raw.raw_entries) == whole  # iterating again gives the same entries


@pytest.mark.parametrize("text", [
    HEAD + '\n{"id": "a-1"},\n\n{"id": "b-1"}\n]}\n',  # a blank line between entries
    HEAD + '\n{"id": "a-1"}\nx ]}\n',  # something before the closing brackets
])
def test_lines_that_are_not_one_entry_each_go_to_the_whole_parse(text):
    assert split_entry_lines(text.encode("utf-8")) is None


def test_a_bundle_without_entries_reads_as_empty():
    parsed = split_entry_lines((HEAD + "\n]}\n").encode())
    assert parsed is not None
    raw, ids = parsed
    assert ids == [] and list(raw.raw_entries) == []


def test_a_comma_after_the_last_entry_is_refused_as_the_whole_parse_refuses_it(
        seeded_library, tmp_path):
    before = library_state(seeded_library)
    text = HEAD + '\n{"id": "a-1"},\n{"id": "b-1"},\n]}\n'
    report, _ = import_text(seeded_library, tmp_path, text)
    assert not report.committed
    with pytest.raises(FormatError) as whole:
        load_json(text)
    assert report.errors[0].message == whole.value.message
    assert library_state(seeded_library) == before

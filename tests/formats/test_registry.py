"""The reader registry: one reader per file kind, chosen by content, for both import paths."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain.entry import Origin
from atlas_desktop.formats.detect import FileKind
from atlas_desktop.formats.readers import refuse_other_json
from atlas_desktop.formats.registry import Reader, read_file, reader_for, readers, register

PAGE = "Smith, Jane · Some Journal · 2020 · DOI\nA summary in our own words.\n"
BIB = "@article{smith2020, author = {Smith, Jane and others}, title = {A title}, year = 2020}\n"
RIS = "TY  - JOUR\nAU  - Smith, Jane\nTI  - A title\nPY  - 2020\nER  - \n"
CSL = json.dumps([{"id": "smith2020", "type": "article-journal", "title": "A title",
                   "author": [{"family": "Smith", "given": "Jane"}]}])
BUNDLE = json.dumps({"format": "atlas-bundle", "version": 1, "entries": [
    {"id": "smith-2020", "title": "A title", "authors": [{"family": "Smith", "given": "Jane"}],
     "year": 2020}]})


def test_every_kind_has_one_reader_and_an_unrecognised_text_is_read_as_a_page_last():
    kinds = [r.kind for r in readers()]
    assert sorted(kinds) == sorted(FileKind)
    assert kinds[-1] is FileKind.ATLAS_PAGE
    assert all(reader_for(kind).kind is kind for kind in FileKind)


def test_a_kind_has_one_reader_only():
    with pytest.raises(ValueError, match="registered already"):
        register(Reader(FileKind.JSON_OTHER, lambda head: True, refuse_other_json))
    assert [r.kind for r in readers()].count(FileKind.JSON_OTHER) == 1


@pytest.mark.parametrize(
    ("name", "text", "kind", "origin"),
    [("page.txt", PAGE, FileKind.ATLAS_PAGE, Origin.ATLAS),
     ("refs.txt", BIB, FileKind.BIBTEX, Origin.MINE),
     ("refs.txt", RIS, FileKind.RIS, Origin.MINE),
     ("refs.json", CSL, FileKind.CSL_JSON, Origin.MINE),
     ("bundle.json", BUNDLE, FileKind.BUNDLE, Origin.ATLAS)],
)
def test_the_content_chooses_the_reader_and_the_origin(tmp_path, name, text, kind, origin):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    contents = read_file(path)
    assert (contents.kind, contents.origin, contents.errors) == (kind, origin, [])
    found = (len(contents.contracts) + len(contents.bib_entries) + len(contents.raw_entries))
    assert found == 1


def test_a_bib_file_read_through_the_registry_keeps_its_entries_for_crossrefs(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB, "utf-8")
    contents = read_file(path)
    [entry] = contents.bib_entries
    assert (entry.key, entry.source) == ("smith2020", str(path))


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"", "empty"),
     (b"%PDF-1.7\x00\x01\x02\x00binary", "binary file"),
     (json.dumps({"format": "atlas-corrections", "reports": []}).encode(), "correction reports"),
     (b'{"some": "json"}', "not an atlas bundle"),
     (b"Dear diary, today I went for a walk.", "does not look like an atlas page")],
)
def test_what_no_reader_imports_is_an_error_of_the_file_not_an_exception(
        tmp_path, content, fragment):
    path = tmp_path / "file.txt"
    path.write_bytes(content)
    contents = read_file(path)
    assert len(contents.errors) == 1 and fragment in contents.errors[0]
    assert not contents.contracts and not contents.raw_entries and not contents.bib_entries


def test_a_page_far_larger_than_a_page_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(PAGE + "x" * 2_100_000, "utf-8")
    contents = read_file(path)
    assert contents.kind is FileKind.ATLAS_PAGE
    assert contents.errors == ["The file is 2.1 MB of text; an atlas page is a few kB. It is "
                               "not an atlas page."]


def test_missing_files_and_folders_are_errors_of_the_file(tmp_path):
    assert read_file(tmp_path / "nothing.bib").errors == ["The file does not exist."]
    assert read_file(tmp_path).errors == ["This is a folder, not a file."]

"""Importing the user's own reference files into a real library file."""

from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import pytest

from atlas_desktop.domain.entry import Origin
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from atlas_desktop.services.exporting import ExportFormat
from atlas_desktop.services.importing import ImportCancelled
from tests.conftest import MENDELEY, REFS

XAMPL = REFS / "bib/pybtex/xampl.bib"


def library_state(library):
    """A digest of every entry and its user data: proof that nothing changed."""
    ids = library.catalogue.ids_for_pks(pks=list(library.catalogue.search(text="").pks))
    data = [library.catalogue.show(entry_id=i) for i in ids]
    return hashlib.sha256(repr(data).encode()).hexdigest(), len(ids)


def broken_copy(tmp_path: Path) -> Path:
    """xampl.bib with one entry broken (a missing comma between two fields)."""
    text = XAMPL.read_text().replace(
        "   title = {The Gnats and Gnus Document Preparation System},\n   journal",
        "   title = {The Gnats and Gnus Document Preparation System}\n   journal", 1)
    path = tmp_path / "xampl-broken.bib"
    path.write_text(text)
    return path


def test_references_land_as_my_library_without_badges(library):
    report = library.importer.import_files(paths=[MENDELEY])
    assert report.committed and report.errors == []
    (result,) = report.files
    assert result.kind == "bibtex" and len(result.imported) == 512
    shown = library.catalogue.get_entry(entry_id="my-milazzo2017")
    assert shown.origin is Origin.MINE and shown.badges.is_empty()
    assert shown.bibtex_key == "Milazzo2017"
    assert library.catalogue.count(text="is:mine") == 512


def test_reimport_updates_in_place_with_the_same_ids(library):
    first = library.importer.import_files(paths=[MENDELEY])
    again = library.importer.import_files(paths=[MENDELEY])
    assert again.imported == [] and sorted(again.updated) == sorted(first.imported)
    assert library.catalogue.count_all() == 512


def test_a_different_paper_with_a_key_already_used_is_kept_apart(library, tmp_path):
    library.importer.import_files(paths=[MENDELEY])
    other = tmp_path / "other.bib"
    other.write_text("@article{Milazzo2017,\n  author = {Someone, Else},\n  title = {A different"
                     " paper},\n  journal = {Elsewhere},\n  year = {2001},\n}\n")
    report = library.importer.import_files(paths=[other])
    assert report.imported == ["my-milazzo2017-4"]  # -2 and -3 are the file's own repeats
    assert library.catalogue.get_entry(entry_id="my-milazzo2017-4").bibtex_key == "Milazzo2017-4"
    assert any("already the key of a different reference" in w.message
               for w in report.warnings)
    assert library.catalogue.get_entry(entry_id="my-milazzo2017").year == 2017  # untouched
    again = library.importer.import_files(paths=[other])
    assert again.updated == ["my-milazzo2017-4"] and again.warnings == []


def test_duplicates_are_reported_and_never_merged(library):
    report = library.importer.import_files(paths=[MENDELEY])
    pairs = {(p.id, p.duplicate_of): p.reason for p in report.duplicates}
    assert pairs[("my-milazzo2017-2", "my-milazzo2017")] == "same DOI"
    assert pairs[("my-woolf1939-2", "my-woolf1939")] == "same title, year and first author"
    for later, earlier in pairs:
        assert library.catalogue.get_entry(entry_id=later) is not None
        assert library.catalogue.get_entry(entry_id=earlier) is not None


def test_references_matching_atlas_entries_are_linked(seeded_library, tmp_path):
    exported = tmp_path / "atlas.bib"
    seeded_library.exporter.export(format=ExportFormat.BIBTEX, path=exported)
    report = seeded_library.importer.import_files(paths=[exported])
    links = {link.id: link.atlas_id for link in report.linked}
    assert links["my-mecfsatlas-heins-2013-role-therapeutic"] == "heins-2013-role-therapeutic"
    assert len(links) == 3  # the seeds with a DOI or a PMID
    pk = seeded_library.catalogue.pk_for_id(entry_id="my-mecfsatlas-heins-2013-role-therapeutic")
    row = seeded_library.catalogue.list_rows(pks=[pk])[pk]
    assert row.origin == "mine" and row.linked_atlas_id == "heins-2013-role-therapeutic"
    atlas = seeded_library.references.linked_atlas_entry(
        entry_id="my-mecfsatlas-twisk-2009-review-cognitive")
    assert atlas.id == "twisk-2009-review-cognitive" and atlas.origin is Origin.ATLAS
    assert atlas.badges.pem == "required"  # what the user sees beside their reference


def test_one_import_is_one_transaction(seeded_library, tmp_path):
    before = library_state(seeded_library)
    broken = broken_copy(tmp_path)
    report = seeded_library.importer.import_files(paths=[MENDELEY, broken])
    assert not report.committed
    (error,) = report.errors
    assert error.file == str(broken) and "“article-minimal”" in error.message
    assert library_state(seeded_library) == before
    assert report.valid_entry_count == 512 + 35


def test_import_the_valid_entries_after_seeing_the_problems(library, tmp_path):
    broken = broken_copy(tmp_path)
    report = library.importer.import_files(paths=[MENDELEY, broken], keep_going=True)
    assert report.committed
    assert len(report.imported) == 512 + 35
    assert library.catalogue.get_entry(entry_id="my-article-minimal") is None
    assert library.catalogue.get_entry(entry_id="my-article-full") is not None


def test_cancel_while_saving_leaves_the_library_as_it_was(seeded_library):
    before = library_state(seeded_library)
    cancel = threading.Event()

    def progress(done, total, message):
        if message == "Saving to the library":
            cancel.set()

    with pytest.raises(ImportCancelled):
        seeded_library.importer.import_files(paths=[MENDELEY, XAMPL], progress=progress,
                                             cancel=cancel)
    assert library_state(seeded_library) == before


def test_crossrefs_reach_across_the_files_of_one_import(library, tmp_path):
    text = (REFS / "bib/jabref/crossref.bib").read_text()
    cut = text.index("@Proceedings")
    child, parent = tmp_path / "papers.bib", tmp_path / "proceedings.bib"
    child.write_text(text[:cut])
    parent.write_text(text[cut:])
    report = library.importer.import_files(paths=[child, parent])
    assert report.committed and report.warnings == []
    paper = library.catalogue.get_entry(entry_id="my-dblp-conf-wicsa-zimmermannwkg15")
    assert paper.extra["publisher"] == "IEEE Computer Society"  # from the other file's parent
    assert paper.extra["editor"][0] == {"family": "Bass", "given": "Len"}


def test_ris_csl_json_web_of_science_and_atlas_pages_in_one_import(library, seeds):
    files = [REFS / "ris/rispy/example_full.ris", REFS / "ris/rispy/example_wos.ris",
             REFS / "csljson/bbt-zotero-library-1179.csl.json", *seeds]
    report = library.importer.import_files(paths=files)
    assert report.committed, report.errors
    kinds = [(f.kind, len(f.imported)) for f in report.files]
    assert kinds[:3] == [("ris", 2), ("wos", 2), ("csl-json", 26)]
    assert library.catalogue.count(text="is:mine") == 30
    assert library.catalogue.count(text="is:atlas") == 5
    assert "Web of Science" in report.files[1].warnings[0]


def test_the_search_box_finds_references_by_keyword_and_abstract(library):
    library.importer.import_files(paths=[REFS / "bib/bibtexparser/traps.bib"])
    assert library.catalogue.count(text="keyword2") == 1
    assert library.catalogue.count(text="érudit") == 1


def test_own_bibtex_export_round_trips_through_a_library(library, tmp_path):
    files = [MENDELEY, XAMPL, REFS / "bib/biblatex/biblatex-examples.bib",
             REFS / "bib/bibtexparser/gbk_test.bib"]
    library.importer.import_files(paths=files)
    exported = tmp_path / "mine.bib"
    result = library.exporter.export(format=ExportFormat.BIBTEX, path=exported, query="is:mine")
    assert result.count == 512 + 36 + 92 + 1
    other = open_library(LibraryPaths(tmp_path / "second"))
    try:
        report = other.importer.import_files(paths=[exported])
        assert report.committed and report.errors == []
        ids = sorted(report.imported)
        assert len(ids) == result.count
        for entry_id in ids:
            before, after = library.catalogue.show(entry_id=entry_id), \
                other.catalogue.show(entry_id=entry_id)
            assert after == before, entry_id
    finally:
        other.close()


def test_unreadable_reference_files_change_nothing(seeded_library, tmp_path):
    before = library_state(seeded_library)
    cases = {
        tmp_path / "empty.bib": "no BibTeX entries",
        tmp_path / "bad.json": "not valid JSON",
        tmp_path / "notes.ris": "line 1: a record starts without a “TY” (type) line",
    }
    (tmp_path / "empty.bib").write_text("@comment{nothing here}\n")
    (tmp_path / "bad.json").write_text('[{"type": "book", "title": ')
    (tmp_path / "notes.ris").write_text("AU  - Lost, Tag\nTI  - Alone\nAB  - no type\n")
    shutil.copy(REFS / "ris/jabref/RisImporterCorrupted.ris", tmp_path / "corrupted.ris")
    for path, fragment in cases.items():
        report = seeded_library.importer.import_files(paths=[path])
        assert not report.committed
        assert fragment in report.errors[0].message, report.errors
    report = seeded_library.importer.import_files(paths=[tmp_path / "corrupted.ris"])
    assert "without a “TY” (type) line" in report.errors[0].message
    assert library_state(seeded_library) == before


def test_a_file_given_twice_is_read_once(library):
    report = library.importer.import_files(paths=[MENDELEY, MENDELEY])
    assert len(report.files) == 1 and len(report.imported) == 512
    assert len(report.duplicates) == 6


def test_utf16_csl_json_is_read(library, tmp_path):
    path = tmp_path / "utf16.json"
    path.write_bytes((REFS / "csljson/bbt-ranges-3327.csl.json").read_text().encode("utf-16"))
    report = library.importer.import_files(paths=[path])
    assert report.committed and len(report.imported) == 1

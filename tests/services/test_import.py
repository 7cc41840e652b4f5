"""Importing pages and bundles: all or nothing, re-imports update in place, bad files refused."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from atlas_desktop.services.importing import ImportCancelled


def library_state(library):
    """A digest of everything in the library, to prove a refused import changed nothing."""
    ids = library.catalogue.ids_for_pks(pks=list(library.catalogue.search(text="").pks))
    data = [library.catalogue.show(entry_id=i) for i in ids]
    return hashlib.sha256(repr(data).encode()).hexdigest(), len(ids)


def test_all_five_seeds_import(seeded_library):
    assert seeded_library.catalogue.count_all() == 5


def test_reimporting_a_page_updates_in_place(seeded_library, seeds):
    report = seeded_library.importer.import_files(paths=seeds[:2])
    assert report.imported == []
    assert report.updated == ["heins-2013-role-therapeutic", "daniels-2011-socialization-model"]
    assert seeded_library.catalogue.count_all() == 5


def test_page_without_url_gets_the_same_id_again(seeded_library, seeds):
    report = seeded_library.importer.import_files(paths=[seeds[4], seeds[3]])
    assert report.updated == ["van-der-vaart-2019", "stein-improving-therapeutic"]
    assert seeded_library.catalogue.count_all() == 5


def test_a_different_paper_with_the_same_derived_slug_gets_a_suffix(seeded_library, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("van der Vaart, Someone, Else, Person · Another journal · 2019\nText.\n")
    report = seeded_library.importer.import_files(paths=[other])
    assert report.imported == ["van-der-vaart-2019-2"]


def _hostile_files(tmp_path):
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        line = b"All work and no play makes a dull page. " * 25 + b"\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    sections_only = tmp_path / "sections.txt"
    sections_only.write_text(
        "Quick Summary\nWhy It Matters\nObserved Findings\nInferred Conclusions\n"
        "What This Study Does Not Prove\nTags\nMetadata\nContribute\n"
    )
    not_bundle = tmp_path / "data.json"
    not_bundle.write_text('{"hello": "world"}')
    future_bundle = tmp_path / "future.json"
    future_bundle.write_text(json.dumps({"format": "atlas-bundle", "version": 7, "entries": []}))
    return {
        binary: "binary",
        empty: "empty",
        big: "MB of text",
        sections_only: "no way to tell",
        not_bundle: "not an atlas bundle",
        future_bundle: "version 7",
        tmp_path / "missing.txt": "does not exist",
        tmp_path: "folder",
    }


def test_hostile_files_get_clear_errors_and_change_nothing(seeded_library, tmp_path):
    before = library_state(seeded_library)
    for path, fragment in _hostile_files(tmp_path).items():
        report = seeded_library.importer.import_files(paths=[path])
        assert not report.committed
        assert len(report.errors) == 1, path
        assert fragment in report.errors[0].message, (path, report.errors)
    assert library_state(seeded_library) == before


def test_one_bad_file_stops_the_whole_import_unless_keep_going(library, seeds, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("not a page at all")
    report = library.importer.import_files(paths=[*seeds, bad])
    assert not report.committed and report.imported == []
    assert library.catalogue.count_all() == 0
    report = library.importer.import_files(paths=[*seeds, bad], keep_going=True)
    assert report.committed and len(report.imported) == 5
    assert report.errors[0].file == str(bad)


def test_cancel_leaves_the_library_as_it_was(library, seeds):
    import threading

    cancel = threading.Event()
    calls = []

    def progress(done, total, message):
        calls.append(message)
        if message == "Saving to the library":
            cancel.set()

    with pytest.raises(ImportCancelled):
        library.importer.import_files(paths=seeds, progress=progress, cancel=cancel)
    assert library.catalogue.count_all() == 0
    assert calls[-1] == "Saving to the library"


def test_bundle_import_is_refused_whole_when_one_entry_is_bad(library, tmp_path):
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"format": "atlas-bundle", "version": 1, "entries": [
        {"id": "good-1", "title": "Fine"}, {"id": "bad id", "title": "Broken"}]}))
    report = library.importer.import_files(paths=[path])
    assert "bad id" in report.errors[0].message
    assert library.catalogue.count_all() == 0


def test_legacy_encoded_page_is_read_and_the_fallback_reported(library, tmp_path):
    page = tmp_path / "latin1.txt"
    page.write_bytes("Müller, Jürgen · Zeitschrift für Tests · 2018\nZusammenfassung über Müdigkeit.\n"
                     .encode("cp1252"))
    report = library.importer.import_files(paths=[page])
    assert report.committed
    assert any("not valid UTF-8" in w.message for w in report.warnings)
    entry = library.catalogue.get_entry(entry_id=report.imported[0])
    assert entry.authors[0].family == "Müller"


def test_utf16_page_imports(library, tmp_path):
    page = tmp_path / "utf16.txt"
    page.write_bytes("Smith, Ann · Journal · 2020\nSummary text.\n".encode("utf-16"))
    report = library.importer.import_files(paths=[page])
    assert report.imported == ["smith-2020"]

"""Exports: four formats, four scopes, and never half a file."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from atlas_desktop.formats.bibtex import parse_bibtex
from atlas_desktop.formats.csljson import read_csl_json
from atlas_desktop.formats.ris import read_ris
from atlas_desktop.services.exporting import ExportCancelled, ExportError, ExportFormat
from tests.conftest import REFS

XAMPL = REFS / "bib/pybtex/xampl.bib"


@pytest.fixture
def both(seeded_library):
    assert seeded_library.importer.import_files(paths=[XAMPL]).committed
    return seeded_library


def exported_ids(path: Path, fmt: ExportFormat) -> list[str]:
    text = path.read_text()
    if fmt is ExportFormat.BIBTEX:
        return [e.key for e in parse_bibtex(text).entries]
    if fmt is ExportFormat.RIS:
        return [d["title"] for d in read_ris(text).references]
    if fmt is ExportFormat.CSL_JSON:
        return [item["id"] for item in json.loads(text)]
    return [e["id"] for e in json.loads(text)["entries"]]


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_format_writes_everything(both, tmp_path, fmt):
    path = tmp_path / f"all{fmt.suffix}"
    result = both.exporter.export(format=fmt, path=path)
    assert result.count == 5 + 36 == len(exported_ids(path, fmt))


def test_a_selection_keeps_its_order(both, tmp_path):
    path = tmp_path / "sel.json"
    ids = ["my-book-full", "twisk-2009-review-cognitive", "my-article-minimal"]
    both.exporter.export(format=ExportFormat.CSL_JSON, path=path, entry_ids=ids)
    # The user's references go out under their own citation keys (pandoc finds
    # [@book-full]); the atlas entry under its id.
    assert exported_ids(path, ExportFormat.CSL_JSON) == [
        "book-full", "twisk-2009-review-cognitive", "article-minimal"]


def test_a_collection_and_a_search_result(both, tmp_path):
    both.annotations.add_to_collection(name="Talk", entry_ids=["my-book-full",
                                                                "heins-2013-role-therapeutic"])
    path = tmp_path / "talk.bib"
    result = both.exporter.export(format=ExportFormat.BIBTEX, path=path, collection="Talk")
    assert result.count == 2
    assert sorted(exported_ids(path, ExportFormat.BIBTEX)) == [
        "book-full", "mecfsatlas-heins-2013-role-therapeutic"]
    result = both.exporter.export(format=ExportFormat.BIBTEX, path=path, query="is:atlas")
    assert result.count == 5
    assert all(k.startswith("mecfsatlas-") for k in exported_ids(path, ExportFormat.BIBTEX))


def test_csl_json_export_of_atlas_entries_cites_them(both, tmp_path):
    path = tmp_path / "atlas.json"
    both.exporter.export(format=ExportFormat.CSL_JSON, path=path,
                         entry_ids=["heins-2013-role-therapeutic"])
    (item,) = read_csl_json(path.read_bytes()).references
    assert item["doi"] == "10.1016/j.brat.2013.02.001"
    assert item["pmid"] == "23639303"
    assert item["bibtex_key"] == "mecfsatlas-heins-2013-role-therapeutic"


def test_unknown_collection_or_two_scopes_are_refused_before_writing(both, tmp_path):
    path = tmp_path / "x.bib"
    with pytest.raises(ExportError, match="no collection called “Nope”"):
        both.exporter.export(format=ExportFormat.BIBTEX, path=path, collection="Nope")
    with pytest.raises(ExportError, match="Choose one of"):
        both.exporter.export(format=ExportFormat.BIBTEX, path=path, query="a", collection="b")
    assert not path.exists()


class CancelAfter(threading.Event):
    """An event that becomes set after it has been asked ``n`` times: a user who presses
    Cancel while the file is half written."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.remaining = n

    def is_set(self) -> bool:
        self.remaining -= 1
        return self.remaining < 0 or super().is_set()


def test_a_cancelled_export_leaves_the_old_file_and_no_temporary_one(both, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "refs.bib"
    path.write_text("% the previous export\n")
    with pytest.raises(ExportCancelled):
        both.exporter.export(format=ExportFormat.BIBTEX, path=path, cancel=CancelAfter(20))
    assert path.read_text() == "% the previous export\n"
    assert os.listdir(folder) == ["refs.bib"]


def test_a_failure_at_the_last_step_leaves_no_temporary_file(both, tmp_path):
    folder = tmp_path / "out"
    (folder / "refs.ris").mkdir(parents=True)  # a folder where the file should go
    with pytest.raises(IsADirectoryError):
        both.exporter.export(format=ExportFormat.RIS, path=folder / "refs.ris")
    assert os.listdir(folder) == ["refs.ris"]

"""Fidelity on real libraries: a reference imported from CSL-JSON cites exactly as
citeproc-js cites the item it was imported from (issue 15, "Fidelity on real libraries").

The engine, styles and locales are the reference's own, so any difference comes from the item
we build: every CSL variable, the title's markup, literal names, short DOIs and editor-only
items must reach it unchanged. Items on which citeproc-js itself fails (two malformed date
ranges in a Better BibTeX test library) are left out, as the issue says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library

CSL = Path(__file__).resolve().parents[1] / "data" / "references" / "csljson"
STYLES = ("apa", "vancouver", "ama")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Each real CSL-JSON file imported into a library of its own: (library, items, ids)."""
    out = []
    for path in sorted(CSL.glob("*.csl.json")):
        library = open_library(LibraryPaths(tmp_path_factory.mktemp(path.stem)))
        report = library.importer.import_files(paths=[path])
        ids = [i for result in report.files for i in result.ids]
        items = json.loads(path.read_text("utf-8"))
        assert len(ids) == len(items)
        out.append((library, items, ids))
    yield out
    for library, _, _ in out:
        library.close()


@pytest.mark.parametrize("style", STYLES)
def test_every_item_cites_as_citeproc_js_cites_the_original(imported, engine_for, style):
    engine = engine_for(style)
    compared = 0
    failing_in_citeproc = []
    for library, items, ids in imported:
        for item, entry_id in zip(items, ids, strict=True):
            reference = engine.render([item], formats=("text",))
            if reference.failures:
                failing_in_citeproc.append(item["id"])
                continue
            ours = library.citations.copy(entry_ids=[entry_id], style=style, formats=("text",))
            assert ours.content.text == reference.entries["text"][item["id"]], item["id"]
            compared += 1
    assert compared == 57 and len(failing_in_citeproc) == 2, failing_in_citeproc

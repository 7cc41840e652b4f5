"""Reference files: importing the 7,166-entry Zotero export, exporting 10,000 entries.

* ``import_7166``: ``unabbreviate-1436-3.bib`` (3 MB, a real Better BibTeX export) into a
  new library, end to end (reading, macros, LaTeX, names, ids, duplicates, the transaction).
  Target < 3 s. ``bibtexparser_split_s`` is bibtexparser's own split of the same text, for
  scale; ``reimport_s`` is the same file again (every entry found unchanged).
* ``export_10k_*``: 10,000 of the user's references (real files, all fields) and 10,000
  synthetic atlas entries written to BibTeX (target < 1 s), RIS and CSL-JSON.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from bibtexparser.splitter import Splitter

from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from atlas_desktop.services.exporting import ExportFormat

from .context import BenchContext

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "references" / "bib"
ZOTERO = DATA / "bbt" / "unabbreviate-1436-3.bib"
MORE = [DATA / "pybtex" / "tugboat.bib", DATA / "bbt" / "mendeley-idiocy.bib",
        DATA / "bbt" / "quietly-discarded-873.bib"]


def _seconds(fn: Any, repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(samples), 3), "min_s": round(min(samples), 3),
            "n": repeat}


def run(ctx: BenchContext) -> dict[str, Any]:
    out: dict[str, Any] = {}
    text = ZOTERO.read_text("utf-8")
    out["bibtexparser_split_s"] = _seconds(lambda: Splitter(text).split(), 3)

    runs: list[float] = []
    for attempt in range(3):
        library = open_library(LibraryPaths(ctx.root / f"formats-import-{attempt}"))
        started = time.perf_counter()
        report = library.importer.import_files(paths=[ZOTERO])
        runs.append(time.perf_counter() - started)
        assert report.committed and len(report.imported) == 7166, report.errors
        if attempt == 0:
            out["duplicates_found"] = len(report.duplicates)
            started = time.perf_counter()
            again = library.importer.import_files(paths=[ZOTERO])
            out["reimport_s"] = round(time.perf_counter() - started, 3)
            assert len(again.updated) == 7166
            mine = library
        else:
            library.close()
    out["import_7166"] = {"median_s": round(statistics.median(runs), 3),
                          "min_s": round(min(runs), 3), "n": len(runs), "target_s": 3.0}

    # 10,000 of the user's references: the Zotero file plus three more real files, cut at 10k.
    report = mine.importer.import_files(paths=MORE)
    assert report.committed, report.errors
    ids = mine.catalogue.ids_for_pks(pks=list(mine.catalogue.search(text="is:mine").pks))
    ids = ids[:10_000]
    target = ctx.root / "formats-export"
    for fmt in (ExportFormat.BIBTEX, ExportFormat.RIS, ExportFormat.CSL_JSON):
        path = target.with_suffix(fmt.suffix)
        out[f"export_10k_references_{fmt.value}"] = _seconds(
            lambda fmt=fmt, path=path: mine.exporter.export(format=fmt, path=path,
                                                            entry_ids=ids), 3)
    out["export_10k_references_bibtex"]["target_s"] = 1.0
    out["references_exported"] = len(ids)
    mine.close()

    size = 10_000 if 10_000 in ctx.sizes else min(ctx.sizes)
    atlas = ctx.open(size)
    try:
        path = ctx.root / "atlas-export.bib"
        out[f"export_{size}_atlas_bibtex"] = _seconds(
            lambda: atlas.exporter.export(format=ExportFormat.BIBTEX, path=path), 3)
    finally:
        atlas.close()
    return out

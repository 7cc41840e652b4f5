"""Foundation figures: bundle import, ranked search, ``show``, process start to CLI result."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

from .context import BenchContext, summarise, timings_ms

# What a user types, keystroke by keystroke, plus finished words and filters.
TYPED = ["f", "fa", "fat", "fati", "fatig", "fatigue", "m", "mi", "mit", "mito", "mitoch",
         "mitochondrial", "p", "po", "post", "post e", "post ex", "post exertional"]
QUERIES = {
    "rare": ["hypothalamic pituitary", '"white matter"', "author:okafor", "nøkleby",
             "cortisol axis"],
    "common": ["fatigue", "patients", "study", "symptoms", "exercise"],
    "prefix": ["fat", "pat", "sym", "ex", "post ex", "mito", "cog"],
    "filtered": ["pem:required year:2010-2015", 'tag:"Post-Exertional Malaise" fatigue',
                 "type:review tier:E0", "fatigue -exercise"],
}


def run(ctx: BenchContext) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for size in ctx.sizes:
        data_dir = ctx.library_dir(size)
        figures: dict[str, Any] = {
            "bundle_mb": round(ctx.bundle(size).stat().st_size / 1e6, 1),
            "import_s": round(ctx.import_seconds[size], 2),
            "maintenance_after_import_s": round(ctx.maintain_seconds[size], 2),
            "database_mb": round((data_dir / "library.sqlite3").stat().st_size / 1e6, 1),
        }
        library = ctx.open(size)
        try:
            # Per keystroke the window asks for the first page (the rest follows in the
            # background): that is the latency a typist feels. First as the command line
            # searches (no word list held).
            for kind, queries in QUERIES.items():
                figures[f"page_{kind}"] = _measure(library, queries, limit=PAGE, repeat=5)
                figures[f"full_{kind}"] = _measure(library, queries, limit=None, repeat=2)
            figures["page_as_typed"] = _measure(library, TYPED, limit=PAGE, repeat=3)
            figures["full_as_typed"] = _measure(library, TYPED, limit=None, repeat=1)
            # The window also holds the index's words (read in the background once the
            # first counts are in), and spells typed prefixes out with them.
            started = time.perf_counter()
            library.catalogue.refresh_terms()
            figures["window_word_list_read_s"] = round(time.perf_counter() - started, 2)
            for kind in ("common", "prefix"):
                figures[f"window_page_{kind}"] = _measure(library, QUERIES[kind], limit=PAGE,
                                                          repeat=5)
            figures["window_page_as_typed"] = _measure(library, TYPED, limit=PAGE, repeat=3)
            figures["page_empty_query"] = timings_ms(
                lambda lib=library: lib.catalogue.search(text="", limit=PAGE, exact_total=False),
                20)
            figures["full_empty_query"] = timings_ms(
                lambda lib=library: lib.catalogue.search(text=""), 5)
            ids = library.catalogue.ids_for_pks(pks=list(library.catalogue.search(
                text="fatigue", limit=50).pks))
            figures["show"] = timings_ms(
                lambda lib=library, ids=ids: [lib.catalogue.show(entry_id=i) for i in ids[:1]],
                50)
        finally:
            library.close()
        figures["cli_search_process"] = _cli_seconds(data_dir, ["search", "fatigue",
                                                                   "--json", "--limit", "20"])
        figures["cli_show_process"] = _cli_seconds(data_dir, ["show", ids[0], "--json"])
        out[str(size)] = figures
    return out


PAGE = 300


def _measure(library: Any, queries: list[str], *, limit: int | None,
             repeat: int) -> dict[str, float]:
    samples: list[float] = []
    for _ in range(repeat):
        for q in queries:
            started = time.perf_counter()
            library.catalogue.search(text=q, limit=limit, exact_total=False)
            samples.append((time.perf_counter() - started) * 1000)
    return summarise(samples)


def _cli_seconds(data_dir: Any, args: list[str]) -> dict[str, float]:
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "atlas_desktop", "--data-dir", str(data_dir), *args],
            capture_output=True, env={**os.environ}, check=False,
        )
        samples.append((time.perf_counter() - started) * 1000)
        assert proc.returncode == 0, proc.stderr
    return summarise(samples)

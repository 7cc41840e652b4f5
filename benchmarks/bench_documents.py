"""Refreshing a document (issue 16): 200 citations of 150 works with a 150-entry
bibliography in Vancouver, as the LibreOffice extension's Refresh and a document update
render them (citeproc-js's cluster processing over the whole document, a warm engine).

Target: under 2 s.
"""

from __future__ import annotations

import random
import time
from typing import Any

from atlas_desktop.citations import EngineCache
from atlas_desktop.services.doc_render import DocumentRenderer, citation_for_entries

from .context import BenchContext, summarise

CITATIONS = 200
WORKS = 150


def run(ctx: BenchContext) -> dict[str, Any]:
    library = ctx.open(min(ctx.sizes))
    ids = library.catalogue.ids_for_pks(pks=list(library.catalogue.search(
        text="", limit=WORKS).pks))[:WORKS]
    entries = library.catalogue.get_entries(entry_ids=ids)
    rng = random.Random(16)
    # Every work cited at least once, some several times, 1-3 works per citation.
    order = list(entries) + [rng.choice(entries) for _ in range(CITATIONS * 2)]
    citations = []
    at = 0
    for _ in range(CITATIONS):
        size = rng.choice((1, 1, 2, 3))
        group = list({e.id: e for e in order[at:at + size]}.values())
        at += size
        citations.append(citation_for_entries(group, [{"locator": str(rng.randint(1, 300))}]))
    renderer = DocumentRenderer(library.ctx, EngineCache())
    renderer.render(citations[:2], style="vancouver", locale=None)  # build the engine
    times = []
    for _ in range(3):
        started = time.perf_counter()
        done = renderer.render(citations, style="vancouver", locale=None)
        times.append((time.perf_counter() - started) * 1000)
    return {"refresh_200_citations_vancouver": summarise(times),
            "bibliography_entries": len(done.bibliography), "target_ms": 2000}

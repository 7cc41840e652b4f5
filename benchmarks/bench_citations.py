"""Citation figures: engine build per style, one copy with a warm engine, a 1,000-entry
APA bibliography, and what the window's start-up pays for the engine (nothing: it is built
on a background thread).

Targets (issue 4): single copy < 30 ms with a warm engine; 1,000-entry APA bibliography
< 3 s in the background.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

from atlas_desktop.citations import CiteprocEngine, EngineCache, resolve_style
from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.services.citations import CitationService

from .context import BenchContext, summarise

STYLES = ("apa", "vancouver", "ama", "harvard", "chicago")
BIBLIOGRAPHY_SIZE = 1_000


def run(ctx: BenchContext) -> dict[str, Any]:
    out: dict[str, Any] = {"engine_build_s": _build_times()}
    library = ctx.open(min(ctx.sizes))
    engines = EngineCache()
    service = CitationService(library.ctx, engines)
    try:
        ids = library.catalogue.ids_for_pks(pks=list(
            library.catalogue.search(text="", limit=BIBLIOGRAPHY_SIZE).pks))
        started = time.perf_counter()
        service.prefetch(style="apa")
        out["window_start_cost_of_prefetch_ms"] = round((time.perf_counter() - started) * 1000,
                                                        3)
        service.prepare(style="apa")
        out["single_copy_warm_engine"] = _single_copies(service, ids[:200])
        out["single_in_text_warm_engine"] = _single_copies(service, ids[200:300],
                                                           kind=CopyKind.IN_TEXT)
        out[f"bibliography_{len(ids)}_apa"] = _bibliography(service, ids)
    finally:
        engines.close()
        library.close()
    out["cli_cite_process_s"] = _cli_cite(ctx, ids[0])
    return out


def _build_times() -> dict[str, float]:
    """Each style built in a fresh V8 context. The first build in a process also pays for
    V8's start and for compiling citeproc-js; later builds reuse V8's code cache."""
    times: dict[str, float] = {}
    for spec in STYLES:
        source = resolve_style(spec)
        started = time.perf_counter()
        engine = CiteprocEngine(source)
        times[spec] = round(time.perf_counter() - started, 3)
        engine.close()
    return times


def _single_copies(service: CitationService, ids: list[str],
                   kind: CopyKind = CopyKind.BIBLIOGRAPHY) -> dict[str, float]:
    """What Ctrl+Shift+C costs: one entry rendered as text, HTML and RTF, each a different
    entry (the engine has not seen it before)."""
    samples = []
    for entry_id in ids:
        started = time.perf_counter()
        copy = service.copy(entry_ids=[entry_id], kind=kind, style="apa")
        samples.append((time.perf_counter() - started) * 1000)
        assert not copy.is_empty
    return summarise(samples)


def _bibliography(service: CitationService, ids: list[str]) -> dict[str, float]:
    figures: dict[str, float] = {}
    for label, formats in (("text_only", ("text",)), ("clipboard_text_html_rtf",
                                                      ("text", "html", "rtf"))):
        for attempt in ("first", "again"):
            started = time.perf_counter()
            copy = service.copy(entry_ids=ids, style="apa", formats=formats)  # type: ignore[arg-type]
            figures[f"{label}_{attempt}_s"] = round(time.perf_counter() - started, 2)
            assert len(copy.entry_ids) + len(copy.failures) == len(ids)
    return figures


def _cli_cite(ctx: BenchContext, entry_id: str) -> dict[str, float]:
    """A whole process: start, open the library, build the APA engine, print one citation."""
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "atlas_desktop", "--data-dir",
             str(ctx.library_dir(min(ctx.sizes))), "cite", entry_id, "--style", "apa"],
            capture_output=True, text=True, timeout=120, check=False)
        samples.append((time.perf_counter() - started) * 1000)
        assert proc.returncode == 0, proc.stderr
    return summarise(samples)

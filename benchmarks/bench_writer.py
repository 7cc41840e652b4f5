"""The same 200-citation document as a user meets it (issue 16): made by ``document update``
from a marker document (200 citations of 150 works, a 150-entry bibliography, Vancouver),
then refreshed in a real LibreOffice Writer through the extension and the endpoint, as the
toolbar's Refresh runs it: once with nothing to change, once after a switch to APA (every
citation and the bibliography rewritten). Needs LibreOffice Writer and python3-uno;
without them the section says so and measures nothing.

Target: a refresh under 2 s.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from odf import opendocument
from odf import text as odf_text

from atlas_desktop.domain.live_citations import DocumentPrefs, LiveCitation, style_url
from atlas_desktop.gui.wordproc.endpoint import Endpoint

from .context import BenchContext, summarise

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT / "tests" / "libreoffice" / "lo_driver.py"
CITATIONS, WORKS = 200, 150


class _Styles:
    """Document Preferences answered with the next style; nothing else is ever asked."""

    def __init__(self) -> None:
        self.styles: list[str] = []

    def pick(self, prefs: DocumentPrefs, citation: LiveCitation | None) -> LiveCitation | None:
        return None

    def preferences(self, prefs: DocumentPrefs) -> DocumentPrefs | None:
        return replace(prefs, style=style_url(self.styles.pop(0))) if self.styles else None

    def overwrite_edits(self, texts: list[str]) -> bool:
        return False


def run(ctx: BenchContext) -> dict[str, Any]:
    if not shutil.which("soffice") or subprocess.run(
            ["/usr/bin/python3", "-c", "import uno"], check=False,
            capture_output=True).returncode:
        return {"skipped": "LibreOffice Writer or python3-uno is not installed"}
    library = ctx.open(min(ctx.sizes))
    ids = library.catalogue.ids_for_pks(pks=list(library.catalogue.search(
        text="", limit=WORKS).pks))[:WORKS]
    work = Path(tempfile.mkdtemp(prefix="atlas-bench-writer-"))
    source, updated = work / "markers.odt", work / "letter.odt"
    _marker_document(source, ids)
    started = time.perf_counter()
    report = library.documents.update_file(source=source, target=updated, style="vancouver")
    update_ms = (time.perf_counter() - started) * 1000
    assert report.citations == CITATIONS and not report.unresolved, report
    ui = _Styles()
    endpoint = Endpoint(library, ui, data_dir=library.paths.data_dir)
    endpoint.start()
    try:
        ui.styles = ["apa"]
        steps = [{"open": str(updated)}]
        steps += [{"run": "refresh", "timed": True} for _ in range(3)]
        steps += [{"run": "documentPreferences", "timed": True},
                  {"run": "refresh", "timed": True}]
        results = _writer(work, library.paths.data_dir, steps)
    finally:
        endpoint.stop()
        library.close()
        shutil.rmtree(work, ignore_errors=True)
    unchanged = [r["seconds"] * 1000 for r in results[1:4]]
    switched = results[4]
    assert all(r["outcome"] == "ok" for r in results[1:]), results
    return {"document_update_200_citations_ms": round(update_ms, 2),
            "writer_refresh_unchanged": summarise(unchanged),
            "writer_switch_to_apa_ms": round(switched["seconds"] * 1000, 2),
            "writer_refresh_after_switch_ms": round(results[5]["seconds"] * 1000, 2),
            "target_ms": 2000}


def _marker_document(path: Path, ids: list[str]) -> None:
    rng = random.Random(16)
    order = list(ids) + [rng.choice(ids) for _ in range(CITATIONS * 2)]
    document = opendocument.OpenDocumentText()
    at = 0
    for n in range(CITATIONS):
        size = rng.choice((1, 1, 2, 3))
        group = list(dict.fromkeys(order[at:at + size]))
        at += size
        cited = "; ".join(f"@{i}" for i in group)
        document.text.addElement(odf_text.P(
            text=f"Sentence {n + 1} of the letter cites [{cited}, p. {rng.randint(1, 300)}]."))
    document.text.addElement(odf_text.P(text="References"))
    document.text.addElement(odf_text.P(text="{Bibliography}"))
    document.save(str(path))


def _writer(work: Path, data_dir: Path, steps: list[dict[str, Any]]) -> list[Any]:
    oxt = work / "atlas-desktop-writer.oxt"
    subprocess.run([sys.executable, str(ROOT / "integrations/libreoffice/build.py"), str(oxt)],
                   check=True, capture_output=True)
    pipe = f"atlas-bench-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "ATLAS_DESKTOP_DATA_DIR": str(data_dir)}
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
         "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _drive(work, pipe, [{"install": str(oxt)}])
        return _drive(work, pipe, steps)
    finally:
        office.terminate()
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait(timeout=10)


def _drive(work: Path, pipe: str, steps: list[dict[str, Any]]) -> list[Any]:
    path = work / f"steps-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(steps), "utf-8")
    done = subprocess.run(["/usr/bin/python3", str(DRIVER), pipe, str(path)], check=False,
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return list(json.loads(done.stdout.strip().splitlines()[-1]))

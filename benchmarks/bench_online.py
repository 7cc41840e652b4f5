"""Completing records (issue 15) against a local server: 1,000 entries with PMIDs and DOIs
with rate limits off (target under 10 s), and 1,000 PMIDs under NCBI's own limit
(3 requests a second, 200 PMIDs a request: 5 requests, counted).

The server answers every PMID with a real recorded efetch article (tests/data/online) given
that PMID, and every DOI with a real recorded Crossref work given that DOI, so parsing and
storing cost what real answers cost.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import orjson

from atlas_desktop.domain.contract import canonical_entry_dict
from atlas_desktop.domain.entry import Origin
from atlas_desktop.online.client import OnlineConfig
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from atlas_desktop.services.completion import CompletionService
from atlas_desktop.store import catalogue as cat

from .context import BenchContext

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "online"
ENTRIES = 1000


def _templates() -> tuple[bytes, bytes]:
    xml = (DATA / "pubmed" / "biopython_pubmed4_efetch_PMID27797938_telomere_ReferenceList.xml"
           ).read_bytes()
    article = re.search(rb"<PubmedArticle>.*?</PubmedArticle>", xml, re.S)
    assert article is not None
    work = orjson.loads((DATA / "retractions" / "bibaudit_crossref_works_wakefield1998_RETRACTED"
                         "_updated-by_retraction-watch.json").read_bytes())["message"]
    return article.group(0), orjson.dumps(work)


class _Server:
    def __init__(self) -> None:
        article, work = _templates()
        counts = {"efetch": 0, "works": 0}
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                if parts.path.endswith("/efetch.fcgi"):
                    with lock:
                        counts["efetch"] += 1
                    ids = query["id"][0].split(",")
                    body = b"<PubmedArticleSet>" + b"".join(
                        article.replace(b">27797938</PMID>", f">{i}</PMID>".encode(), 1)
                        for i in ids) + b"</PubmedArticleSet>"
                elif unquote(parts.path).endswith("/works"):
                    with lock:
                        counts["works"] += 1
                    dois = [f[4:] for f in query["filter"][0].split(",")]
                    body = b'{"status":"ok","message-type":"work-list","message":{"items":[' + \
                        b",".join(work.replace(b'"DOI":"10.1016/s0140-6736(97)11096-0"',
                                               orjson.dumps({"DOI": d})[1:-1], 1)
                                  for d in dois) + b"]}}"
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.counts = counts
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


def _library(root: Path, *, with_doi: bool) -> Any:
    library = open_library(LibraryPaths(root))
    contracts = [canonical_entry_dict({
        "id": f"paper-{i}", "title": f"Paper {i}", "year": 2000 + i % 25,
        "authors": [{"family": "Okafor", "given": "Ada"}], "journal": "Journal of Tests",
        "pmid": str(30_000_000 + i),
        **({"doi": f"10.5555/bench.{i}"} if with_doi else {})}) for i in range(ENTRIES)]
    with library.ctx.db.write() as conn:
        cat.upsert_contracts(conn, contracts, ids=[c["id"] for c in contracts],
                             now=library.ctx.clock(), origin=Origin.ATLAS)
    return library


def run(ctx: BenchContext) -> dict[str, Any]:
    root = ctx.root / "online"
    root.mkdir(exist_ok=True)
    server = _Server()
    out: dict[str, Any] = {}
    try:
        urls = {"eutils_url": server.url + "/eutils", "crossref_url": server.url + "/crossref",
                "doi_url": server.url + "/doi"}
        library = _library(root / "free", with_doi=True)
        service = CompletionService(library.ctx, environ={}, config=OnlineConfig(
            **urls, pubmed_rate=None, crossref_rate=None, doi_rate=None))
        started = time.perf_counter()
        report = service.complete()
        seconds = time.perf_counter() - started
        assert report.count(report.results[0].outcome) == ENTRIES, report.summary()
        out[f"complete_{ENTRIES}_entries_no_rate_limit"] = {
            "seconds": round(seconds, 2), "target_s": 10, "requests": report.requests,
            "retracted_flagged": sum(service.record(entry_id=f"paper-{i}").is_retracted
                                     for i in range(0, ENTRIES, 100)) * 10}
        library.close()

        library = _library(root / "ncbi", with_doi=False)
        service = CompletionService(library.ctx, environ={}, config=OnlineConfig(
            **urls, pubmed_rate=3.0))
        before = server.counts["efetch"]
        started = time.perf_counter()
        report = service.complete()
        seconds = time.perf_counter() - started
        out[f"complete_{ENTRIES}_pmids_at_3_requests_per_s"] = {
            "seconds": round(seconds, 2), "pubmed_requests": report.requests["pubmed"],
            "requests_seen_by_server": server.counts["efetch"] - before}
        library.close()

        # The window while 1,000 entries of the smallest synthetic library are completed
        # on another thread, again and again (gui-side figure of issue 15).
        size = min(ctx.sizes)
        probe = subprocess.run(
            [sys.executable, "-m", "benchmarks.online_probe", str(ctx.library_dir(size)),
             str(ctx.root / "online-probe.ini"), server.url],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True,
            text=True, check=False, timeout=900)
        assert probe.returncode == 0, probe.stderr
        out[f"window_{size}_entries"] = json.loads(probe.stdout.strip().splitlines()[-1])
    finally:
        server.close()
    return out

"""A loopback server standing in for PubMed's E-utilities, Crossref and doi.org, replaying
the real recorded answers in tests/data/online/ (see its MANIFEST.txt).

- ``/eutils/efetch.fcgi?id=…`` answers a ``PubmedArticleSet`` of the recorded articles
  asked for (unknown PMIDs are left out, as efetch does);
- ``/crossref/works/{doi}`` and ``/crossref/works?filter=doi:…`` answer the recorded works;
- ``/doi/{doi}`` redirects a DataCite DOI to ``/datacite/{doi}`` (as doi.org sends it to the
  registration agency), which answers the recorded CSL-JSON.

``faults`` holds answers to give instead, in order, for paths starting with a prefix (None:
answer this one normally).
Every request is recorded (path and query), so tests count them and see what was sent.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import orjson

from atlas_desktop.online.client import OnlineConfig
from tests.online.medline import load as load_medline

DATA = Path(__file__).resolve().parents[1] / "data" / "online"
XML_HEAD = (b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle,'
            b' 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n')
#: A billion laughs, a few levels deep: refused before any expansion.
ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n<!ENTITY a "aaaaaaaaaa">\n'
               b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
               b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>9500320</PMID><Article>"
               b"<ArticleTitle>&c;</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
               b"</PubmedArticleSet>")


def _split_articles(data: bytes) -> dict[str, bytes]:
    out = {}
    for match in re.finditer(rb"<(PubmedArticle|PubmedBookArticle)>.*?</\1>", data, re.S):
        pmid = re.search(rb"<PMID[^>]*>(\d+)</PMID>", match.group(0)).group(1).decode()
        out[pmid] = match.group(0)
    return out


def recorded_articles() -> dict[str, bytes]:
    articles: dict[str, bytes] = {}
    for path in sorted((DATA / "pubmed").glob("*.xml")):
        articles.update(_split_articles(path.read_bytes()))
    for path in sorted((DATA / "retractions").glob("*medline*.txt")):
        pmid, xml = load_medline(path)
        articles[pmid] = xml
    return articles


def recorded_works() -> dict[str, bytes]:
    """DOI (lower case) -> the work object's JSON."""
    works: dict[str, bytes] = {}
    for folder in ("crossref", "retractions"):
        for path in sorted((DATA / folder).glob("*.json")):
            data = orjson.loads(path.read_bytes())
            work = data.get("message", data)
            works[work["DOI"].lower()] = orjson.dumps(work)
    return works


def recorded_csl() -> dict[str, bytes]:
    out = {}
    for path in sorted((DATA / "csljson-doi").glob("*datacite*.json")):
        item = orjson.loads(path.read_bytes())
        item = item[0] if isinstance(item, list) else item
        out[item["DOI"].lower()] = path.read_bytes()
    return out


Fault = Callable[[BaseHTTPRequestHandler], None]


def status(code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Fault:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(code)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return answer


@dataclass
class Replay:
    articles: dict[str, bytes] = field(default_factory=recorded_articles)
    works: dict[str, bytes] = field(default_factory=recorded_works)
    datacite: dict[str, bytes] = field(default_factory=recorded_csl)
    #: (path prefix, answer); an answer of None means "answer normally" (to let requests
    #: through before a fault).
    faults: list[tuple[str, Fault | None]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, prefix: str) -> int:
        with self.lock:
            return sum(r.startswith(prefix) for r in self.requests)

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for index, (prefix, fault) in enumerate(self.faults):
                if path.startswith(prefix):
                    del self.faults[index]
                    return fault
        return None


class _Handler(BaseHTTPRequestHandler):
    replay: Replay

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        replay = self.replay
        with replay.lock:
            replay.requests.append(self.path)
        parts = urlsplit(self.path)
        fault = replay.take_fault(parts.path)
        if fault is not None:
            fault(self)
            return
        query = parse_qs(parts.query)
        path = unquote(parts.path)
        if path == "/eutils/efetch.fcgi":
            ids = ",".join(query.get("id", [""])).split(",")
            body = XML_HEAD + b"<PubmedArticleSet>" + b"".join(
                replay.articles[i] for i in ids if i in replay.articles) + b"</PubmedArticleSet>"
            status(200, body, {"Content-Type": "text/xml"})(self)
        elif path == "/eutils/esearch.fcgi":
            term = query.get("term", [""])[0]
            pmcid = term.split("[")[0].upper()
            found = [p for p, xml in replay.articles.items()
                     if f">{pmcid}</ArticleId>".encode() in xml]
            status(200, orjson.dumps({"esearchresult": {"idlist": found}}))(self)
        elif path.startswith("/crossref/works/"):
            work = replay.works.get(path[len("/crossref/works/"):].lower())
            if work is None:
                status(404, b"Resource not found.")(self)
            else:
                status(200, b'{"status":"ok","message-type":"work","message-version":"1.0.0",'
                       b'"message":' + work + b"}")(self)
        elif path == "/crossref/works":
            dois = [f[4:].lower() for f in ",".join(query.get("filter", [""])).split(",")
                    if f.startswith("doi:")]
            items = b",".join(replay.works[d] for d in dois if d in replay.works)
            status(200, b'{"status":"ok","message-type":"work-list","message":{"items":['
                   + items + b"]}}")(self)
        elif path.startswith("/doi/"):
            doi = path[len("/doi/"):].lower()
            if doi in replay.datacite:
                status(302, headers={"Location": f"/datacite/{doi}"})(self)
            else:
                status(404)(self)
        elif path.startswith("/datacite/"):
            body = replay.datacite.get(path[len("/datacite/"):].lower())
            status(200 if body else 404, body or b"",
                   {"Content-Type": "application/vnd.citationstyles.csl+json"})(self)
        else:
            status(404)(self)


class ReplayServer:
    def __init__(self) -> None:
        self.replay = Replay()
        handler = type("Handler", (_Handler,), {"replay": self.replay})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def environ(self) -> dict[str, str]:
        return {"ATLAS_DESKTOP_EUTILS_URL": self.url + "/eutils",
                "ATLAS_DESKTOP_CROSSREF_URL": self.url + "/crossref",
                "ATLAS_DESKTOP_DOI_URL": self.url + "/doi"}

    def config(self, **changes: Any) -> OnlineConfig:
        """Rate limits off (tests), few retries."""
        values: dict[str, Any] = {"eutils_url": self.url + "/eutils",
                                  "crossref_url": self.url + "/crossref",
                                  "doi_url": self.url + "/doi", "pubmed_rate": None,
                                  "crossref_rate": None, "doi_rate": None}
        values.update(changes)
        return OnlineConfig(**values)

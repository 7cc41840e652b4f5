"""Looking identifiers up: PubMed efetch (200 PMIDs a request), Crossref (50 DOIs a request,
``/works/{doi}`` for one) and doi.org content negotiation for DOIs Crossref does not hold.

Invariants:
- Only identifiers leave the machine, with the ``tool``/``email`` NCBI asks for, the API key
  when there is one, and a ``mailto`` in the User-Agent for Crossref's polite pool.
- Requests to a host keep its rate (PubMed: 3 a second, 10 with an API key).
- Nothing here raises for what a server or the network does: every identifier gets a
  :class:`Lookup` (found, not found, or failed with a reason, and whether to try again at
  the next connection). A failed batch fails only its own identifiers.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Final
from urllib.parse import quote

import orjson

from atlas_desktop.net.courtesy import give_way
from atlas_desktop.net.http import Failure, HttpSession, NetError, Response
from atlas_desktop.net.retry import parse_retry_after

from .crossref import (
    CrossrefFormatError,
    csl_record,
    parse_work_answer,
    parse_work_list,
    work_record,
)
from .lookup import (
    Cancelled,
    Lookup,
    OnlineConfig,
    Status,
)
from .pubmed import PubmedFormatError, parse_efetch

MAX_ANSWER: Final = 32 * 1024 * 1024


class RateLimit:
    """At most ``rate`` requests a second, spaced evenly (NCBI counts per second)."""

    def __init__(self, rate: float | None, clock: Callable[[], float],
                 sleep: Callable[[float], None]) -> None:
        self._interval = 1.0 / rate if rate else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            self._sleep(start - now)


class OnlineClient:
    """Lookups for one run. Use as a context manager (it holds connections)."""

    def __init__(self, config: OnlineConfig, *, cancel: threading.Event | None = None,
                 sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 rng: random.Random | None = None) -> None:
        self.config = config
        self._cancel = cancel or threading.Event()
        self._sleep = sleep or self._cancellable_sleep
        self._rng = rng or random.Random()
        agent = config.user_agent + (f" (mailto:{config.email})" if config.email else "")
        self._http = HttpSession(user_agent=agent, limits=config.limits)
        self._rates = {
            "pubmed": RateLimit(config.effective_pubmed_rate, clock, self._sleep),
            "crossref": RateLimit(config.crossref_rate, clock, self._sleep),
            "doi": RateLimit(config.doi_rate, clock, self._sleep),
        }
        #: Requests sent per source (``make bench`` counts them).
        self.requests: dict[str, int] = {"pubmed": 0, "crossref": 0, "doi": 0}

    def __enter__(self) -> OnlineClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def _cancellable_sleep(self, seconds: float) -> None:
        if self._cancel.wait(seconds):
            raise Cancelled

    # ------------------------------------------------------------------ PubMed

    def pubmed(self, pmids: Sequence[str]) -> dict[str, Lookup]:
        """efetch for ``pmids``, 200 a request. A PMID missing from the answer: not found."""
        out: dict[str, Lookup] = {}
        wanted = list(dict.fromkeys(pmids))
        size = max(1, self.config.pubmed_batch)
        for start in range(0, len(wanted), size):
            batch = wanted[start:start + size]
            params = {"db": "pubmed", "retmode": "xml", "id": ",".join(batch),
                      "tool": self.config.tool}
            if self.config.email:
                params["email"] = self.config.email
            if self.config.api_key:
                params["api_key"] = self.config.api_key
            got = self._get("pubmed", self.config.eutils_url.rstrip("/") + "/efetch.fcgi",
                            params=params)
            if isinstance(got, Lookup):
                out.update(dict.fromkeys(batch, got))
                continue
            if got.status != 200:
                out.update(dict.fromkeys(batch, _refused(got, "PubMed")))
                continue
            try:
                records = {r.identifier: r for r in parse_efetch(got.body)}
            except PubmedFormatError as exc:
                out.update(dict.fromkeys(batch, Lookup(Status.FAILED, reason=str(exc),
                                                       retry=True)))
                continue
            for pmid in batch:
                record = records.get(pmid)
                out[pmid] = Lookup(Status.FOUND, record) if record else Lookup(Status.NOT_FOUND)
        return out

    def pmid_for_pmcid(self, pmcid: str) -> str | Lookup | None:
        """The PMID of a PubMed Central id (esearch), None if PubMed has none."""
        params = {"db": "pubmed", "term": f"{pmcid}[pmcid]", "retmode": "json",
                  "tool": self.config.tool}
        if self.config.email:
            params["email"] = self.config.email
        got = self._get("pubmed", self.config.eutils_url.rstrip("/") + "/esearch.fcgi",
                        params=params)
        if isinstance(got, Lookup):
            return got
        try:
            ids = orjson.loads(got.body)["esearchresult"]["idlist"]
        except (ValueError, KeyError, TypeError):
            return Lookup(Status.FAILED, reason="PubMed's search answer could not be read.")
        return str(ids[0]) if isinstance(ids, list) and len(ids) == 1 else None

    # ------------------------------------------------------------------ Crossref, doi.org

    def crossref(self, dois: Sequence[str]) -> dict[str, Lookup]:
        """Crossref's records of ``dois``: one ``/works/{doi}`` for a single DOI, otherwise
        ``/works?filter=doi:…`` 50 at a time. Keys are the DOIs as given."""
        wanted = list(dict.fromkeys(dois))
        if len(wanted) == 1:
            return {wanted[0]: self.crossref_one(wanted[0])}
        out: dict[str, Lookup] = {}
        size = max(1, self.config.crossref_batch)
        for start in range(0, len(wanted), size):
            batch = wanted[start:start + size]
            params = {"filter": ",".join(f"doi:{d}" for d in batch),
                      "rows": str(2 * len(batch))}
            if self.config.email:
                params["mailto"] = self.config.email
            got = self._get("crossref", self.config.crossref_url.rstrip("/") + "/works",
                            params=params)
            if isinstance(got, Lookup):
                out.update(dict.fromkeys(batch, got))
                continue
            try:
                items = parse_work_list(got.body) if got.status == 200 else None
            except CrossrefFormatError as exc:
                out.update(dict.fromkeys(batch, Lookup(Status.FAILED, reason=str(exc),
                                                       retry=True)))
                continue
            if items is None:
                out.update(dict.fromkeys(batch, _refused(got, "Crossref")))
                continue
            by_doi = {str(i.get("DOI") or "").lower(): i for i in items}
            for doi in batch:
                give_way()  # the window's thread first (net/courtesy.py)
                item = by_doi.get(doi.lower())
                out[doi] = Lookup(Status.FOUND, work_record(item, doi)) if item else \
                    Lookup(Status.NOT_FOUND)
        return out

    def crossref_one(self, doi: str) -> Lookup:
        url = f"{self.config.crossref_url.rstrip('/')}/works/{quote(doi, safe='/()')}"
        got = self._get("crossref", url)
        if isinstance(got, Lookup):
            return got
        if got.status == 404:
            return Lookup(Status.NOT_FOUND)
        if got.status != 200:
            return _refused(got, "Crossref")
        try:
            return Lookup(Status.FOUND, parse_work_answer(got.body, doi))
        except CrossrefFormatError as exc:
            return Lookup(Status.FAILED, reason=str(exc), retry=True)

    def doi_csl(self, doi: str) -> Lookup:
        """doi.org content negotiation: the registration agency's CSL-JSON (redirects are
        followed, each to an address the rules allow)."""
        url = f"{self.config.doi_url.rstrip('/')}/{quote(doi, safe='/()')}"
        got = self._get("doi", url, accept="application/vnd.citationstyles.csl+json",
                        follow=True)
        if isinstance(got, Lookup):
            return got
        if got.status == 404:
            return Lookup(Status.NOT_FOUND)
        if got.status != 200:
            return _refused(got, "doi.org")
        try:
            return Lookup(Status.FOUND, csl_record(got.body, doi))
        except CrossrefFormatError as exc:
            return Lookup(Status.FAILED, reason=str(exc), retry=True)

    # ------------------------------------------------------------------ one GET, retried

    def _get(self, source: str, url: str, *, params: dict[str, str] | None = None,
             accept: str = "*/*", follow: bool = False) -> Response | Lookup:
        """A GET with the source's rate, retried after timeouts, 5xx and 429/503 (waiting
        what Retry-After says, up to ``max_retry_after``). A Lookup when it failed."""
        config = self.config
        last = Lookup(Status.FAILED, reason="no answer", retry=True)
        for attempt in range(1, config.attempts + 1):
            if self._cancel.is_set():
                raise Cancelled
            self._rates[source].wait()
            self.requests[source] += 1
            try:
                response = self._http.request("GET", url, limit=MAX_ANSWER, params=params,
                                              headers={"Accept": accept},
                                              follow_redirects=follow, cancel=self._cancel)
            except NetError as exc:
                if exc.kind is Failure.CANCELLED:
                    raise Cancelled from None
                if exc.kind is Failure.UNREACHABLE:
                    return Lookup(Status.FAILED, reason=f"offline: {exc}", retry=True)
                if exc.kind not in {Failure.TIMEOUT, Failure.INTERRUPTED}:
                    return Lookup(Status.FAILED, reason=str(exc))
                last = Lookup(Status.FAILED, reason=str(exc), retry=True)
            else:
                if response.status in {429, 503}:
                    wait = parse_retry_after(response.headers.get("retry-after"),
                                             now=datetime.now(UTC))
                    busy = f"{_name(source)} asked to wait (HTTP {response.status})"
                    if wait is not None and wait > config.max_retry_after:
                        return Lookup(Status.FAILED, reason=f"{busy} {wait:.0f} seconds; "
                                      "tried again at the next sync", retry=True)
                    last = Lookup(Status.FAILED, reason=busy, retry=True)
                    if attempt < config.attempts:
                        self._sleep(wait if wait is not None
                                    else config.backoff.delay(attempt, self._rng))
                    continue
                if response.status >= 500:
                    last = Lookup(Status.FAILED, retry=True, reason=(
                        f"{_name(source)} had a server error (HTTP {response.status})"))
                else:
                    return response
            if attempt < config.attempts:
                self._sleep(config.backoff.delay(attempt, self._rng))
        return last


def _name(source: str) -> str:
    return {"pubmed": "PubMed", "crossref": "Crossref", "doi": "doi.org"}.get(source, source)


def _refused(response: Response, who: str) -> Lookup:
    return Lookup(Status.FAILED, reason=f"{who} refused the request (HTTP {response.status})")

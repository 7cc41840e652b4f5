"""What a look-up answers and how the client is set up, apart from the client itself so
that the services can name them without loading the HTTP stack (httpx, the XML parsers) at
start-up; :mod:`.client` is imported only when something is looked up."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from atlas_desktop.domain.completion import SourceRecord
from atlas_desktop.net.limits import Limits
from atlas_desktop.net.retry import Backoff

PUBMED_BATCH: Final = 200
CROSSREF_BATCH: Final = 50


class Status(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not found"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Lookup:
    status: Status
    record: SourceRecord | None = None
    reason: str = ""
    #: A passing failure (no connection, a busy or broken server): try at the next chance.
    retry: bool = False


class Cancelled(Exception):
    """The caller cancelled; nothing more was sent."""


@dataclass(frozen=True)
class OnlineConfig:
    eutils_url: str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    crossref_url: str = "https://api.crossref.org"
    doi_url: str = "https://doi.org"
    user_agent: str = "atlas-desktop"
    email: str | None = None
    api_key: str | None = None
    tool: str = "atlas-desktop"
    #: Requests a second per host; None turns the limit off (local mirrors, benchmarks).
    pubmed_rate: float | None = 3.0
    crossref_rate: float | None = 3.0  # list requests in the polite pool
    doi_rate: float | None = 5.0
    #: Identifiers per request (NCBI takes 200 ids on a GET; Crossref lists 50 DOIs well).
    pubmed_batch: int = PUBMED_BATCH
    crossref_batch: int = CROSSREF_BATCH
    attempts: int = 3
    backoff: Backoff = field(default_factory=lambda: Backoff(base=1.0, factor=2.0, cap=30.0))
    #: A Retry-After longer than this is not waited out: the identifiers wait for later.
    max_retry_after: float = 60.0
    limits: Limits = field(default_factory=lambda: Limits(10.0, 30.0, 120.0))

    @property
    def effective_pubmed_rate(self) -> float | None:
        if self.pubmed_rate is None:
            return None
        return max(self.pubmed_rate, 10.0) if self.api_key and self.pubmed_rate == 3.0 \
            else self.pubmed_rate

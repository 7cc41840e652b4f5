"""DOIs, PMIDs and PMCIDs found in what a user types or pastes ("add by identifier").

One argument that is only digits is a PMID. In a pasted block of text only labelled PMIDs
("PMID: 12345", PubMed links) count: a bare number in a reference list is as likely a year
or a page. DOIs are found anywhere (``10.`` + registrant + ``/``), with trailing
punctuation that belongs to the sentence dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from urllib.parse import unquote


class IdKind(StrEnum):
    DOI = "doi"
    PMID = "pmid"
    PMCID = "pmcid"


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdKind
    value: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.value}"


_DOI_RE: Final = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_PMID_LABEL_RE: Final = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.IGNORECASE)
_PUBMED_URL_RE: Final = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})", re.IGNORECASE)
_PMCID_RE: Final = re.compile(r"\bPMC(\d{1,10})\b", re.IGNORECASE)
_BARE_PMID_RE: Final = re.compile(r"^\d{1,9}$")


def _trim_doi(raw: str) -> str:
    doi = unquote(raw)
    # Sentence punctuation after a DOI is not part of it; a closing bracket is, when the DOI
    # opened one (10.1016/s0140-6736(97)11096-0).
    while doi and doi[-1] in ".,;:'’”]}>":
        doi = doi[:-1]
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1]
    return doi


def find_identifiers(texts: list[str] | str) -> list[Identifier]:
    """Every identifier in ``texts`` (arguments, or one pasted block), in order, once."""
    items = [texts] if isinstance(texts, str) else list(texts)
    found: list[Identifier] = []
    for text in items:
        stripped = text.strip()
        if _BARE_PMID_RE.match(stripped):
            found.append(Identifier(IdKind.PMID, str(int(stripped))))
            continue
        spans: list[tuple[int, Identifier]] = []
        for match in _DOI_RE.finditer(text):
            doi = _trim_doi(match.group(1))
            if "/" in doi and len(doi.split("/", 1)[1]) > 0:
                spans.append((match.start(), Identifier(IdKind.DOI, doi)))
        for regex in (_PMID_LABEL_RE, _PUBMED_URL_RE):
            for match in regex.finditer(text):
                spans.append((match.start(), Identifier(IdKind.PMID, str(int(match.group(1))))))
        for match in _PMCID_RE.finditer(text):
            spans.append((match.start(), Identifier(IdKind.PMCID, f"PMC{match.group(1)}")))
        found.extend(ident for _, ident in sorted(spans, key=lambda s: s[0]))
    seen: set[tuple[IdKind, str]] = set()
    unique: list[Identifier] = []
    for ident in found:
        key = (ident.kind, ident.value.lower())
        if key not in seen:
            seen.add(key)
            unique.append(ident)
    return unique

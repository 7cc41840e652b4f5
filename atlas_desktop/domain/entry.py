"""The atlas entry object (contract section 1) as plain, immutable Python values, and the
rules every face shares: when an entry is incomplete, what it is called without a title, and
its reading sections in display order.

Invariants:
- ``Entry.id`` matches ``[a-z0-9-]{1,200}``.
- ``Entry.doi`` is bare (``10.xxxx/...``), never a URL; ``Entry.pmid`` is digits only.
- Nothing the contract does not name is dropped: unknown top-level fields live in
  ``Entry.extra`` and unknown badge keys in ``Badges.extra``, and both are written back.

Converting the contract's JSON object to an :class:`Entry` and back, and validating it, is
:mod:`atlas_desktop.domain.contract`'s job (the only place that knows both shapes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

ENTRY_ID_RE: Final = re.compile(r"^[a-z0-9-]{1,200}$")
DOI_RE: Final = re.compile(r"^10\.\d{3,9}/\S+$")
PMID_RE: Final = re.compile(r"^\d{1,12}$")

#: Fields of the entry object in the contract's order.
CONTRACT_FIELDS: Final = (
    "id",
    "title",
    "authors",
    "journal",
    "year",
    "doi",
    "pmid",
    "url",
    "summary",
    "why_it_matters",
    "does_not_prove",
    "observed_findings",
    "inferred_conclusions",
    "remaining_questions",
    "badges",
    "evidence_level",
    "tags",
    "last_updated",
    "snapshot",
    "bibtex_key",
)

#: Field names a reader most needs; an atlas entry without one of them is "incomplete".
ESSENTIAL_FIELDS: Final = ("title", "authors", "journal", "year", "summary")
#: What one of the user's own references needs to be cited and found: without one of
#: these it is "incomplete" (the atlas's plain-language record is not theirs to lack).
OWN_ESSENTIAL_FIELDS: Final = ("title", "authors", "year")

#: An entry's reading sections in display order, with the heading a reader sees. The
#: command line's ``show`` and the window's detail pane both lay an entry out from this list
#: (see :meth:`Entry.sections`). "abstract" is not a contract field: the user's references and
#: blog-layout pages carry the paper's abstract in ``Entry.extra``.
ENTRY_SECTIONS: Final = (
    ("summary", "Summary"),
    ("why_it_matters", "Why it matters"),
    ("abstract", "Abstract"),
    ("does_not_prove", "What this study does not prove"),
    ("observed_findings", "Observed findings"),
    ("inferred_conclusions", "Inferred conclusions"),
    ("remaining_questions", "Remaining questions"),
)


class Origin(StrEnum):
    """Where an entry comes from: the atlas catalogue, or the user's own imported library."""

    ATLAS = "atlas"
    MINE = "mine"


class Pem(StrEnum):
    REQUIRED = "required"
    NOT_REQUIRED = "not_required"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Author:
    family: str
    given: str | None = None

    def display(self) -> str:
        """``Family, Given`` as the atlas writes it."""
        return f"{self.family}, {self.given}" if self.given else self.family


#: Badge keys the contract names, in the order they are shown.
BADGE_KEYS: Final = (
    "pem",
    "evidence_tier",
    "confidence",
    "study_type",
    "peer_reviewed",
    "review_status",
)
_BADGE_KEY_SET: Final = frozenset(BADGE_KEYS)


@dataclass(frozen=True, slots=True)
class Badges:
    pem: str | None = None
    evidence_tier: str | None = None
    confidence: str | None = None
    study_type: str | None = None
    peer_reviewed: bool | None = None
    review_status: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def is_empty(self) -> bool:
        return not self.to_dict()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in BADGE_KEYS:
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        for key, value in self.extra.items():
            out[key] = value
        return out

    def short_labels(self) -> list[tuple[str, str]]:
        """Compact pill texts for the list, most decisive first: PEM criteria, evidence tier
        ("E0"), confidence, study type, review status. Still words, never colour alone."""
        out: list[tuple[str, str]] = []
        if self.pem:
            out.append(("pem", PEM_LABELS.get(self.pem, f"PEM {self.pem}")))
        if self.evidence_tier:
            out.append(("evidence_tier", self.evidence_tier.split()[0]))
        if self.confidence:
            out.append(("confidence", self.confidence))
        if self.study_type:
            out.append(("study_type", self.study_type))
        if self.review_status:
            out.append(("review_status", self.review_status))
        if self.peer_reviewed is False:
            out.append(("peer_reviewed", "Not peer-reviewed"))
        for key, value in self.extra.items():
            out.extend(("extra", text) for text in _extra_badge_texts(key, value))
        return out

    def labels(self) -> list[tuple[str, str]]:
        """``(kind, text)`` pairs as shown on a badge pill; text never relies on colour."""
        out: list[tuple[str, str]] = []
        if self.evidence_tier:
            out.append(("evidence_tier", self.evidence_tier))
        if self.confidence:
            out.append(("confidence", f"{self.confidence} confidence"))
        if self.pem:
            out.append(("pem", PEM_LABELS.get(self.pem, f"PEM {self.pem}")))
        if self.study_type:
            out.append(("study_type", self.study_type))
        if self.peer_reviewed is not None:
            out.append(
                ("peer_reviewed", "Peer-reviewed" if self.peer_reviewed else "Not peer-reviewed")
            )
        if self.review_status:
            out.append(("review_status", self.review_status))
        for key, value in self.extra.items():
            out.extend(("extra", text) for text in _extra_badge_texts(key, value))
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Badges:
        """Badges from a badges object already validated by
        :func:`~atlas_desktop.domain.contract.canonical_entry_dict` (or stored after it):
        nothing is checked here."""
        get = data.get
        return cls(
            pem=get("pem"),
            evidence_tier=get("evidence_tier"),
            confidence=get("confidence"),
            study_type=get("study_type"),
            peer_reviewed=get("peer_reviewed"),
            review_status=get("review_status"),
            extra=MappingProxyType({k: v for k, v in data.items() if k not in _BADGE_KEY_SET}),
        )


PEM_LABELS: Final = {
    Pem.REQUIRED.value: "PEM required",
    Pem.NOT_REQUIRED.value: "PEM not required",
    Pem.UNKNOWN.value: "PEM unknown",
}


def _extra_badge_texts(key: str, value: Any) -> list[str]:
    """Unknown badge keys are still shown: as their text, or ``key: value``."""
    if isinstance(value, bool):
        return [key.replace("_", " ").capitalize()] if value else []
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    if value in (None, ""):
        return []
    if key == "labels":
        return [str(value)]
    return [f"{key.replace('_', ' ').capitalize()}: {value}"]


#: The snapshot object's named keys; any other key is kept in ``Snapshot.extra``.
SNAPSHOT_KEYS: Final = frozenset({"generator", "scanner", "policy", "accessed"})


@dataclass(frozen=True, slots=True)
class Snapshot:
    generator: str | None = None
    scanner: str | None = None
    policy: str | None = None
    accessed: date | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("generator", "scanner", "policy"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.accessed is not None:
            out["accessed"] = self.accessed.isoformat()
        out.update(self.extra)
        return out

    def describe(self) -> str:
        """``Generator v1 / Scanner v1.4 / policy v0.1``: the version line of a snapshot."""
        parts = []
        if self.generator:
            parts.append(f"Generator {self.generator}")
        if self.scanner:
            parts.append(f"Scanner {self.scanner}")
        if self.policy:
            parts.append(f"policy {self.policy}")
        return " / ".join(parts)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Snapshot:
        """A snapshot from an object already validated by
        :func:`~atlas_desktop.domain.contract.canonical_entry_dict` (or stored after it)."""
        accessed = data.get("accessed")
        return cls(
            generator=data.get("generator"),
            scanner=data.get("scanner"),
            policy=data.get("policy"),
            accessed=date.fromisoformat(accessed) if accessed else None,
            extra=MappingProxyType({k: v for k, v in data.items() if k not in SNAPSHOT_KEYS}),
        )


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str | None = None
    authors: tuple[Author, ...] = ()
    journal: str | None = None
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    summary: str | None = None
    why_it_matters: str | None = None
    does_not_prove: str | None = None
    observed_findings: tuple[str, ...] = ()
    inferred_conclusions: tuple[str, ...] = ()
    remaining_questions: tuple[str, ...] = ()
    badges: Badges = field(default_factory=Badges)
    evidence_level: str | None = None
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    last_updated: date | None = None
    snapshot: Snapshot | None = None
    bibtex_key: str | None = None
    #: Unknown top-level fields, kept verbatim for the round trip.
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: Local facts, not part of the contract object.
    origin: Origin = Origin.ATLAS
    withdrawn: bool = False
    #: True when the source listed only the first authors ("… et al.").
    authors_truncated: bool = False

    def missing_fields(self) -> list[str]:
        """Contract field names a reader would expect and this entry lacks (see
        :func:`missing_fields_of`, the one rule)."""
        return missing_fields_of({name: getattr(self, name) for name in _COMPLETENESS_FIELDS},
                                 self.origin)

    @property
    def is_incomplete(self) -> bool:
        return bool(self.missing_fields())

    def display_title(self) -> str:
        """The title, or a clear fallback such as ``Untitled — van der Vaart et al., 2019``."""
        return self.title or untitled_label(author_short(self.authors, self.authors_truncated),
                                            self.year)

    def sections(self) -> list[tuple[str, str, str | tuple[str, ...]]]:
        """``(key, heading, content)`` for each of :data:`ENTRY_SECTIONS` this entry has, in
        display order. Prose is a string; points (findings, conclusions, questions) are a
        tuple of strings. Each face decides how to set them out."""
        out: list[tuple[str, str, str | tuple[str, ...]]] = []
        for key, heading in ENTRY_SECTIONS:
            if key == "abstract":
                value = self.extra.get("abstract")
                if not (isinstance(value, str) and value.strip()):
                    continue
            else:
                value = getattr(self, key)
            if value:
                out.append((key, heading, value))
        return out

    def with_changes(self, **changes: Any) -> Entry:
        return replace(self, **changes)


#: What :func:`missing_fields_of` looks at.
_COMPLETENESS_FIELDS: Final = (*ESSENTIAL_FIELDS, "doi", "pmid", "authors_truncated")


def missing_fields_of(values: Mapping[str, Any], origin: Origin = Origin.ATLAS) -> list[str]:
    """The one rule for "incomplete": the contract fields a reader would expect and
    ``values`` lacks, in the contract's order.

    For an atlas entry, what the atlas's record lacks: the blank essential fields, "authors"
    when the list stops at "et al.", and both "doi" and "pmid" when there is neither. For one
    of the user's own references (``Origin.MINE``), what a reference needs: a title, authors
    and a year. ``values`` is a canonical contract dict (the store writes the result into each
    row) or an entry's fields (:meth:`Entry.missing_fields`)."""
    if origin is Origin.MINE:
        return [name for name in OWN_ESSENTIAL_FIELDS if _is_blank(values.get(name))]
    missing = {name for name in ESSENTIAL_FIELDS if _is_blank(values.get(name))}
    if values.get("authors") and values.get("authors_truncated"):
        missing.add("authors")
    if not values.get("doi") and not values.get("pmid"):
        missing.update(("doi", "pmid"))
    if not missing:
        return []
    return [name for name in CONTRACT_FIELDS if name in missing]


def untitled_label(who: str, year: int | None) -> str:
    """What an entry without a title is called: ``Untitled — van der Vaart et al., 2019``."""
    return f"Untitled — {who or 'unknown authors'}, {year or 'n.d.'}"


def reader_name(entry: Entry) -> str:
    """How a sentence names an entry to a reader (a status bar, a warning): ``Heins et al.
    (2013)``; without authors, the start of its title. Never the internal id."""
    who = author_short(entry.authors, entry.authors_truncated)
    if not who:
        title = entry.title or "an entry without a title or authors"
        who = f"“{title[:40].rstrip()}…”" if len(title) > 40 else f"“{title}”"
    return f"{who} ({entry.year or 'n.d.'})"


def author_short(authors: Sequence[Author], truncated: bool = False) -> str:
    """``Heins et al.``, ``Daniels & Wearden`` or ``Twisk``: a first-author label."""
    if not authors:
        return ""
    if len(authors) == 1 and not truncated:
        return authors[0].family
    if len(authors) == 2 and not truncated:
        return f"{authors[0].family} & {authors[1].family}"
    return f"{authors[0].family} et al."


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, tuple | list | dict):
        return not value
    return False


def normalise_doi(value: str | None) -> str | None:
    """A bare DOI from a DOI, a ``doi:`` string or a doi.org URL; None if there is none."""
    if value is None:
        return None
    text = value.strip()
    text = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^doi:\s*", "", text, flags=re.IGNORECASE)
    return text or None


#: Volume, issue and pages as an entry's extra fields may hold them (a catalogue update or a
#: reference file may add them), each under the names it is found by.
_LOCATOR_NAMES: Final = (("volume", ("volume",)), ("issue", ("issue", "journal_issue")),
                         ("page", ("page", "pages")))
_DASHES_RE: Final = re.compile(r"\s*[-–—]+\s*")


def recorded_locators(extra: Mapping[str, Any]) -> dict[str, str]:
    """``{"volume", "issue", "page"}`` that ``extra`` records (the first of each one's names
    holding a text or number), as text; the ones not recorded are left out."""
    found = {}
    for key, names in _LOCATOR_NAMES:
        value = next((extra[n] for n in names if isinstance(extra.get(n), str | int)
                      and str(extra[n]).strip()), None)
        if value is not None:
            found[key] = str(value)
    return found


def page_range(pages: str) -> str:
    """A page range with one plain hyphen between its ends (``45 – 67`` -> ``45-67``)."""
    return _DASHES_RE.sub("-", pages)


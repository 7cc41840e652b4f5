"""The atlas entry object (contract section 1) as plain, immutable Python values.

Invariants:
- ``Entry.id`` matches ``[a-z0-9-]{1,200}``.
- ``Entry.doi`` is bare (``10.xxxx/...``), never a URL; ``Entry.pmid`` is digits only.
- Nothing the contract does not name is dropped: unknown top-level fields live in
  ``Entry.extra`` and unknown badge keys in ``Badges.extra``, and both are written back by
  :func:`entry_to_contract`.
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

#: Field names a reader most needs; an entry without one of them is "incomplete".
ESSENTIAL_FIELDS: Final = ("title", "authors", "journal", "year", "summary")

LIST_SECTIONS: Final = (
    ("observed_findings", "Observed findings"),
    ("inferred_conclusions", "Inferred conclusions"),
    ("remaining_questions", "Remaining questions"),
)


class EntryFormatError(ValueError):
    """An entry object does not follow the contract. ``path`` names the offending field."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message


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
    def from_dict(cls, data: Mapping[str, Any], path: str = "badges") -> Badges:
        if not isinstance(data, Mapping):
            raise EntryFormatError("must be an object", path)
        pem = data.get("pem")
        if pem is not None and pem not in {p.value for p in Pem}:
            raise EntryFormatError(
                f"must be one of required, not_required, unknown (got {pem!r})", f"{path}.pem"
            )
        peer = data.get("peer_reviewed")
        if peer is not None and not isinstance(peer, bool):
            raise EntryFormatError("must be true or false", f"{path}.peer_reviewed")
        values: dict[str, Any] = {}
        for key in ("evidence_tier", "confidence", "study_type", "review_status"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise EntryFormatError("must be a string", f"{path}.{key}")
            values[key] = value or None
        extra = {k: v for k, v in data.items() if k not in BADGE_KEYS}
        return cls(pem=pem, peer_reviewed=peer, extra=MappingProxyType(extra), **values)


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
    def from_dict(cls, data: Mapping[str, Any], path: str = "snapshot") -> Snapshot:
        if not isinstance(data, Mapping):
            raise EntryFormatError("must be an object or null", path)
        values: dict[str, Any] = {}
        for key in ("generator", "scanner", "policy"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise EntryFormatError("must be a string", f"{path}.{key}")
            values[key] = value
        accessed = parse_date(data.get("accessed"), f"{path}.accessed")
        extra = {k: v for k, v in data.items() if k not in {*values, "accessed"}}
        return cls(accessed=accessed, extra=MappingProxyType(extra), **values)


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
        """Contract field names a reader would expect and this entry lacks."""
        missing = [name for name in ESSENTIAL_FIELDS if _is_blank(getattr(self, name))]
        if self.authors and self.authors_truncated and "authors" not in missing:
            missing.insert(1 if "title" in missing else 0, "authors")
        if not self.doi and not self.pmid:
            missing.extend(["doi", "pmid"])
        return sorted(missing, key=CONTRACT_FIELDS.index)

    @property
    def is_incomplete(self) -> bool:
        return bool(self.missing_fields())

    def display_title(self) -> str:
        """The title, or a clear fallback such as ``Untitled — van der Vaart et al., 2019``."""
        return self.title or untitled_label(author_short(self.authors, self.authors_truncated),
                                            self.year)

    def with_changes(self, **changes: Any) -> Entry:
        return replace(self, **changes)


def untitled_label(who: str, year: int | None) -> str:
    """What an entry without a title is called: ``Untitled — van der Vaart et al., 2019``."""
    return f"Untitled — {who or 'unknown authors'}, {year or 'n.d.'}"


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


def parse_date(value: Any, path: str) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise EntryFormatError("must be a date string YYYY-MM-DD", path)
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise EntryFormatError(f"is not a date YYYY-MM-DD (got {value!r})", path) from None


def normalise_doi(value: str | None) -> str | None:
    """A bare DOI from a DOI, a ``doi:`` string or a doi.org URL; None if there is none."""
    if value is None:
        return None
    text = value.strip()
    text = re.sub(r"^(?:https?://)?(?:dx\.)?doi\.org/", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^doi:\s*", "", text, flags=re.IGNORECASE)
    return text or None


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise EntryFormatError("must be a string or null", key)
    return value.strip() or None


def _str_list(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EntryFormatError("must be a list of strings", key)
    # U+001E (record separator) is how the store joins items; it has no place in prose.
    return [v.replace("\x1e", " ") for v in value if v.strip()]


_PEM_VALUES: Final = frozenset(p.value for p in Pem)


def _canonical_badges(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise EntryFormatError("must be an object", "badges")
    out: dict[str, Any] = {}
    pem = raw.get("pem")
    if pem is not None:
        if pem not in _PEM_VALUES:
            raise EntryFormatError(
                f"must be one of required, not_required, unknown (got {pem!r})", "badges.pem"
            )
        out["pem"] = pem
    for key in ("evidence_tier", "confidence", "study_type"):
        value = raw.get(key)
        if value is not None:
            if not isinstance(value, str):
                raise EntryFormatError("must be a string", f"badges.{key}")
            if value:
                out[key] = value
    peer = raw.get("peer_reviewed")
    if peer is not None:
        if not isinstance(peer, bool):
            raise EntryFormatError("must be true or false", "badges.peer_reviewed")
        out["peer_reviewed"] = peer
    status = raw.get("review_status")
    if status is not None:
        if not isinstance(status, str):
            raise EntryFormatError("must be a string", "badges.review_status")
        if status:
            out["review_status"] = status
    for key, value in raw.items():
        if key not in BADGE_KEYS:
            out[key] = value
    return out


def canonical_entry_dict(data: Any) -> dict[str, Any]:
    """Validate a contract entry object and return it normalised (bare DOI, trimmed text,
    empty list items and duplicate tags dropped), unknown fields kept, in contract order.

    This is ``entry_to_contract(entry_from_contract(data))`` without building objects, for
    bulk imports. Raises :class:`EntryFormatError` naming the field at fault.
    """
    if not isinstance(data, Mapping):
        raise EntryFormatError("an entry must be a JSON object")
    entry_id = data.get("id")
    if not isinstance(entry_id, str) or not ENTRY_ID_RE.match(entry_id):
        raise EntryFormatError(f"must match [a-z0-9-]{{1,200}} (got {entry_id!r})", "id")

    authors_raw = data.get("authors") or []
    if not isinstance(authors_raw, list):
        raise EntryFormatError("must be a list", "authors")
    authors: list[dict[str, str | None]] = []
    for i, raw in enumerate(authors_raw):
        family = raw.get("family") if isinstance(raw, Mapping) else None
        if not isinstance(family, str):
            raise EntryFormatError('each author needs a string "family"', f"authors[{i}]")
        given = raw.get("given")
        if given is not None and not isinstance(given, str):
            raise EntryFormatError('"given" must be a string or null', f"authors[{i}]")
        authors.append({"family": family.strip(), "given": (given or "").strip() or None})

    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise EntryFormatError("must be an integer or null", "year")

    doi = normalise_doi(_opt_str(data, "doi"))
    if doi is not None and not DOI_RE.match(doi):
        raise EntryFormatError(f"is not a DOI (got {doi!r})", "doi")
    pmid_raw = data.get("pmid")
    if isinstance(pmid_raw, int) and not isinstance(pmid_raw, bool):
        pmid_raw = str(pmid_raw)
    pmid = _opt_str({"pmid": pmid_raw}, "pmid")
    if pmid is not None and not PMID_RE.match(pmid):
        raise EntryFormatError(f"must be digits only (got {pmid!r})", "pmid")

    tags_raw = data.get("tags") or {}
    if not isinstance(tags_raw, Mapping):
        raise EntryFormatError("must be an object of category -> list of strings", "tags")
    tags: dict[str, list[str]] = {}
    for category, labels in tags_raw.items():
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise EntryFormatError("must be a list of strings", f"tags.{category}")
        cleaned = list(dict.fromkeys(x.strip().replace("\x1e", " ") for x in labels if x.strip()))
        if cleaned:
            tags[str(category).strip()] = cleaned

    snapshot_raw = data.get("snapshot")
    snapshot = (
        Snapshot.from_dict(snapshot_raw).to_dict() if snapshot_raw is not None else None
    )
    last_updated = parse_date(data.get("last_updated"), "last_updated")

    out: dict[str, Any] = {
        "id": entry_id,
        "title": _opt_str(data, "title"),
        "authors": authors,
        "journal": _opt_str(data, "journal"),
        "year": year,
        "doi": doi,
        "pmid": pmid,
        "url": _opt_str(data, "url"),
        "summary": _opt_str(data, "summary"),
        "why_it_matters": _opt_str(data, "why_it_matters"),
        "does_not_prove": _opt_str(data, "does_not_prove"),
        "observed_findings": _str_list(data, "observed_findings"),
        "inferred_conclusions": _str_list(data, "inferred_conclusions"),
        "remaining_questions": _str_list(data, "remaining_questions"),
        "badges": _canonical_badges(data.get("badges")),
        "evidence_level": _opt_str(data, "evidence_level"),
        "tags": tags,
        "last_updated": last_updated.isoformat() if last_updated else None,
        "snapshot": snapshot,
        "bibtex_key": _opt_str(data, "bibtex_key"),
    }
    for key, value in data.items():
        if key not in out:
            out[key] = value
    if out.get("authors_truncated") is False:
        del out["authors_truncated"]
    return out


def entry_from_contract(data: Any) -> Entry:
    """Validate a contract entry object and build an :class:`Entry`.

    Raises :class:`EntryFormatError` naming the field at fault. Unknown fields are kept.
    """
    return entry_from_canonical(canonical_entry_dict(data))


def entry_from_canonical(d: Mapping[str, Any]) -> Entry:
    """Build an Entry from a dict already normalised by :func:`canonical_entry_dict`."""
    extra = {k: v for k, v in d.items() if k not in CONTRACT_FIELDS}
    snapshot = d["snapshot"]
    return Entry(
        id=d["id"],
        title=d["title"],
        authors=tuple(Author(a["family"], a["given"]) for a in d["authors"]),
        journal=d["journal"],
        year=d["year"],
        doi=d["doi"],
        pmid=d["pmid"],
        url=d["url"],
        summary=d["summary"],
        why_it_matters=d["why_it_matters"],
        does_not_prove=d["does_not_prove"],
        observed_findings=tuple(d["observed_findings"]),
        inferred_conclusions=tuple(d["inferred_conclusions"]),
        remaining_questions=tuple(d["remaining_questions"]),
        badges=Badges.from_dict(d["badges"]),
        evidence_level=d["evidence_level"],
        tags=MappingProxyType({k: tuple(v) for k, v in d["tags"].items()}),
        last_updated=date.fromisoformat(d["last_updated"]) if d["last_updated"] else None,
        snapshot=Snapshot.from_dict(snapshot) if snapshot is not None else None,
        bibtex_key=d["bibtex_key"],
        extra=MappingProxyType(extra),
        authors_truncated=bool(extra.get("authors_truncated", False)),
    )


def missing_from_contract(d: Mapping[str, Any]) -> list[str]:
    """:meth:`Entry.missing_fields` for a canonical dict."""
    missing = [name for name in ESSENTIAL_FIELDS if _is_blank(d.get(name))]
    if d.get("authors") and d.get("authors_truncated") and "authors" not in missing:
        missing.append("authors")
    if not d.get("doi") and not d.get("pmid"):
        missing.extend(["doi", "pmid"])
    return sorted(missing, key=CONTRACT_FIELDS.index)


def entry_to_contract(entry: Entry) -> dict[str, Any]:
    """The contract's JSON object for an entry, unknown fields included."""
    out: dict[str, Any] = {
        "id": entry.id,
        "title": entry.title,
        "authors": [{"family": a.family, "given": a.given} for a in entry.authors],
        "journal": entry.journal,
        "year": entry.year,
        "doi": entry.doi,
        "pmid": entry.pmid,
        "url": entry.url,
        "summary": entry.summary,
        "why_it_matters": entry.why_it_matters,
        "does_not_prove": entry.does_not_prove,
        "observed_findings": list(entry.observed_findings),
        "inferred_conclusions": list(entry.inferred_conclusions),
        "remaining_questions": list(entry.remaining_questions),
        "badges": entry.badges.to_dict(),
        "evidence_level": entry.evidence_level,
        "tags": {k: list(v) for k, v in entry.tags.items()},
        "last_updated": entry.last_updated.isoformat() if entry.last_updated else None,
        "snapshot": entry.snapshot.to_dict() if entry.snapshot else None,
        "bibtex_key": entry.bibtex_key,
    }
    for key, value in entry.extra.items():
        out.setdefault(key, value)
    if entry.authors_truncated:
        out["authors_truncated"] = True
    return out

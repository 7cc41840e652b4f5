"""The user's own references: how their ids and keys are made, and when two are the same.

Ids. A reference imported from the user's files gets the id ``my-`` + the slug of its
citation key (``Smith:2020a`` -> ``my-smith-2020a``). The prefix keeps the user's ids apart
from atlas ids (``heins-2013-role-therapeutic``), which never replace each other. A reference
without a key first gets a key made like Better BibTeX's default (``huang2012alzheimer``:
first author, year, first significant title word), so every reference has a citation key and
the id follows from it. When the id is already taken by a different paper, ``-2``, ``-3``…
are appended (and the key gets the same suffix, so exported keys stay unique). Because ids
follow from keys, importing the same file again finds the same ids and updates in place.

Sameness. Two references are *duplicates* when they share a DOI, a PMID, or a normalised
title with the same year and first author (:func:`duplicate_reason`); duplicates are offered
for merging, never merged silently. A re-imported reference *is* the stored one with its id
when :func:`same_reference` holds: DOIs agree (or, without DOIs, PMIDs agree, or, without
either, first author and year agree), which still holds after the user fixed a title typo.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from .contract import entry_to_contract
from .entry import Entry
from .slug import STOPWORDS, ascii_fold, entry_slug, slugify

REFERENCE_ID_PREFIX: Final = "my-"
_YEAR_RE: Final = re.compile(r"-?\d{1,4}")


def _first_year(value: str | int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    match = _YEAR_RE.search(value)
    return int(match.group(0)) if match else None


def make_citation_key(family: str | None, year: str | int | None, title: str | None) -> str:
    """``huang2012alzheimer`` from (Huang, 2012, "Alzheimer mechanisms and …")."""
    family_part = re.sub(r"[^a-z0-9]", "", ascii_fold(family or "").lower())
    year_value = _first_year(year)
    word = ""
    for candidate in slugify(title or "").split("-"):
        if candidate and candidate not in STOPWORDS and not candidate.isdigit():
            word = candidate
            break
    key = f"{family_part}{year_value if year_value is not None else ''}{word}"
    return key or "ref"


def reference_id(key: str | None, *, family: str | None = None, year: int | None = None,
                 title: str | None = None) -> str:
    """The id of a user reference with citation key ``key`` (see the module docstring)."""
    slug = slugify(key or "")
    if not slug:
        slug = entry_slug(family, year, title)
        if slug == "untitled":
            # Keys in scripts slugify to nothing (``凯撒2013``): a short digest keeps them apart.
            digest = hashlib.sha1((key or "").encode("utf-8"), usedforsecurity=False)
            slug = f"ref-{digest.hexdigest()[:10]}"
    return (REFERENCE_ID_PREFIX + slug)[:200].rstrip("-")


def key_and_id(reference: dict[str, Any], seen: dict[str, int]) -> int:
    """Give a reference read from a file its id, keeping a citation key already used in the
    same file apart (``key-2``, ``key-3``: ``seen`` counts keys, case-folded). Returns how
    many times the key has now been seen (more than 1: it was renamed)."""
    key = str(reference["bibtex_key"])
    count = seen[key.lower()] = seen.get(key.lower(), 0) + 1
    if count > 1:
        reference["bibtex_key"] = f"{key}-{count}"
    authors = reference["authors"]
    reference["id"] = reference_id(
        str(reference["bibtex_key"]), family=authors[0]["family"] if authors else None,
        year=reference.get("year"), title=reference.get("title"))
    return count


def suffixed(value: str, n: int, *, limit: int = 200) -> str:
    suffix = f"-{n}"
    return value[: limit - len(suffix)] + suffix


def normalised_title(title: str | None) -> str:
    """Title compared for duplicates: letters and digits only, case and accents folded."""
    return "".join(ch for ch in ascii_fold(title or "").lower() if ch.isalnum())


def normalised_name(name: str | None) -> str:
    return "".join(ch for ch in ascii_fold(name or "").lower() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What duplicate detection compares, taken from a contract dict or an entry."""

    id: str
    doi: str | None
    pmid: str | None
    title: str
    year: int | None
    first_author: str

    @classmethod
    def of(cls, d: Mapping[str, Any]) -> Fingerprint:
        authors = d.get("authors") or []
        first = authors[0]["family"] if authors else None
        doi = d.get("doi")
        return cls(
            id=str(d["id"]),
            doi=doi.lower() if isinstance(doi, str) and doi else None,
            pmid=d.get("pmid") or None,
            title=normalised_title(d.get("title")),
            year=d.get("year"),
            first_author=normalised_name(first),
        )

    @classmethod
    def of_entry(cls, entry: Entry) -> Fingerprint:
        """:meth:`of` for an entry (one rule for both shapes)."""
        return cls.of(entry_to_contract(entry))

    def match_keys(self) -> list[tuple[str, str]]:
        """(reason, value) pairs under which a duplicate would be found."""
        keys: list[tuple[str, str]] = []
        if self.doi:
            keys.append(("doi", self.doi))
        if self.pmid:
            keys.append(("pmid", self.pmid))
        if self.title and self.year is not None and self.first_author:
            keys.append(("title", f"{self.title}|{self.year}|{self.first_author}"))
        return keys


DUPLICATE_REASONS: Final = {
    "doi": "same DOI",
    "pmid": "same PMID",
    "title": "same title, year and first author",
}


def duplicate_reason(a: Fingerprint, b: Fingerprint) -> str | None:
    """Why ``a`` and ``b`` look like the same paper, or None. Different DOIs never match."""
    if a.doi and b.doi:
        return DUPLICATE_REASONS["doi"] if a.doi == b.doi else None
    b_keys = dict(b.match_keys())
    for reason, value in a.match_keys():
        if b_keys.get(reason) == value:
            return DUPLICATE_REASONS[reason]
    return None


def same_reference(stored: Fingerprint, incoming: Fingerprint) -> bool:
    """Whether ``incoming`` (same id as ``stored``) is the stored reference imported again."""
    if stored.doi and incoming.doi:
        return stored.doi == incoming.doi
    if stored.pmid and incoming.pmid:
        return stored.pmid == incoming.pmid
    return stored.first_author == incoming.first_author and stored.year == incoming.year


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two references of the user's library that look like the same paper.

    ``id`` is the later one (imported after ``duplicate_of``); neither has been changed.
    """

    id: str
    duplicate_of: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "duplicate_of": self.duplicate_of, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class AtlasLink:
    """One of the user's references that has the DOI or PMID of an atlas entry."""

    id: str
    atlas_id: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "atlas_id": self.atlas_id}


def find_duplicate_pairs(
    fingerprints: list[Fingerprint],
    *,
    among: set[str] | None = None,
    kept_apart: set[frozenset[str]] | None = None,
) -> list[DuplicatePair]:
    """Pairs of duplicates in ``fingerprints`` (in import order) that involve an id of
    ``among`` (all when None), minus the pairs the user chose to keep apart."""
    index: dict[tuple[str, str], list[int]] = {}
    for position, fp in enumerate(fingerprints):
        for key in fp.match_keys():
            index.setdefault(key, []).append(position)
    pairs: list[DuplicatePair] = []
    seen: set[frozenset[str]] = set()
    kept = kept_apart or set()
    for position, fp in enumerate(fingerprints):
        if among is not None and fp.id not in among:
            continue
        for key in fp.match_keys():
            for other_position in index.get(key, ()):
                other = fingerprints[other_position]
                pair = frozenset((fp.id, other.id))
                if other.id == fp.id or pair in seen or pair in kept:
                    continue
                reason = duplicate_reason(fp, other)
                if reason is None:
                    continue
                seen.add(pair)
                later, earlier = (fp, other) if position > other_position else (other, fp)
                pairs.append(DuplicatePair(later.id, earlier.id, reason))
    return pairs


class DuplicateDecision(StrEnum):
    """What the user chose for one pair of possible duplicates."""

    #: Nothing yet: the pair stays a possible duplicate, offered again later (the default).
    DECIDE_LATER = "decide_later"
    #: Different papers, for good: the pair is never offered again.
    KEEP_BOTH = "keep_both"
    #: Keep the reference that was there first; merge the later one into it.
    MERGE_INTO_EARLIER = "merge_into_earlier"
    #: Keep the later reference; merge the earlier one into it.
    MERGE_INTO_LATER = "merge_into_later"


#: What the duplicates review compares (issue 18.17), in the order it lists them.
COMPARED_FIELDS: Final = (("title", "Title"), ("year", "Year"), ("authors", "Authors"),
                          ("journal", "Journal"), ("doi", "DOI"), ("key", "Key"),
                          ("type", "Type"))


def reference_facts(entry: Entry) -> dict[str, str]:
    """What a person compares of two references, as text ("" when not recorded)."""
    extra = entry.extra
    kind = next((str(extra[k]) for k in ("bibtex_type", "ris_type", "type")
                 if isinstance(extra.get(k), str) and extra[k]), "")
    authors = "; ".join(a.display() for a in entry.authors)
    if entry.authors_truncated and authors:
        authors += " et al."
    return {"title": entry.title or "", "year": str(entry.year or ""), "authors": authors,
            "journal": entry.journal or "", "doi": entry.doi or "",
            "key": entry.bibtex_key or "", "type": kind}


def differences(first: Entry, second: Entry) -> list[tuple[str, str, str]]:
    """``(label, first's value, second's value)`` for each compared field in which they
    differ (case and spacing aside), in :data:`COMPARED_FIELDS` order."""
    a, b = reference_facts(first), reference_facts(second)
    return [(label, a[name], b[name]) for name, label in COMPARED_FIELDS
            if " ".join(a[name].casefold().split()) != " ".join(b[name].casefold().split())]

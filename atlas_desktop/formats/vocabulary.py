"""The atlas's label vocabulary, and splitting of chips the page glued together.

Atlas pages lose the boundaries between badge and tag chips when copied as text
(``E0 ConsensusModerate confidencePEM required…``). Known labels are matched first; any
remainder is cut at lower-to-upper case boundaries, which is right for labels never seen
before as long as they are written in Title Case.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

from atlas_desktop.domain.entry import Badges


@dataclass(frozen=True)
class Vocabulary:
    tiers: tuple[str, ...]
    confidences: tuple[str, ...]
    pem: dict[str, str]
    study_types: tuple[str, ...]
    peer_reviewed: dict[str, bool]
    review_statuses: tuple[str, ...]
    tags: dict[str, tuple[str, ...]]
    degrees: frozenset[str]
    honorifics: frozenset[str]

    @property
    def badge_labels(self) -> tuple[str, ...]:
        return (
            *self.tiers,
            *self.confidences,
            *self.pem,
            *self.study_types,
            *self.peer_reviewed,
            *self.review_statuses,
        )

    def tag_labels(self, category: str | None = None) -> tuple[str, ...]:
        if category is not None and category in self.tags:
            own = self.tags[category]
            others = [x for cat, labels in self.tags.items() if cat != category for x in labels]
            return (*own, *others)
        return tuple(x for labels in self.tags.values() for x in labels)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw: dict[str, Any] = json.loads(
        resources.files("atlas_desktop.data").joinpath("vocabulary.json").read_text("utf-8")
    )
    badges = raw["badges"]
    return Vocabulary(
        tiers=tuple(badges["evidence_tier"]),
        confidences=tuple(badges["confidence"]),
        pem=dict(badges["pem"]),
        study_types=tuple(badges["study_type"]),
        peer_reviewed=dict(badges["peer_reviewed"]),
        review_statuses=tuple(badges["review_status"]),
        tags={k: tuple(v) for k, v in raw["tags"].items()},
        degrees=frozenset(raw["degrees"]),
        honorifics=frozenset(raw.get("honorifics", ())),
    )


def _case_boundaries(text: str) -> list[int]:
    """Where a new chip starts: a lower-case letter or ")" meeting a capital, unless that
    capital stands alone at the end of a word ("IgG", "IgM antibodies")."""
    cuts = []
    for i in range(1, len(text)):
        prev, cur = text[i - 1], text[i]
        if not (prev.islower() or prev in ")]") or not cur.isupper():
            continue
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if nxt == "" or not nxt.isalpha():
            continue  # "IgG", "IgG antibodies": a lone capital ends a word
        cuts.append(i)
    return cuts


def split_chips(text: str, known: tuple[str, ...] | list[str]) -> list[str]:
    """Split concatenated chip labels, known labels first, case boundaries for the rest."""
    text = text.strip()
    if not text:
        return []
    # Longest known labels first so "PEM Not Defined" wins over "PEM".
    ordered = sorted({k for k in known if k}, key=len, reverse=True)
    pieces: list[str] = []
    i = 0
    pending_start = 0  # start of text not yet covered by a known label
    while i < len(text):
        hit = _known_at(text, i, ordered)
        if hit is not None:
            if pending_start < i:
                pieces.extend(_split_unknown(text[pending_start:i]))
            pieces.append(hit)
            i += len(hit)
            pending_start = i
            continue
        i += 1
    if pending_start < len(text):
        pieces.extend(_split_unknown(text[pending_start:]))
    return [p.strip() for p in pieces if p.strip()]


def _known_at(text: str, i: int, ordered: list[str]) -> str | None:
    # A known label may only start where a chip could start: at 0, after a case boundary,
    # or right after a previous label. We accept it when it also ends at a plausible chip end.
    if i > 0:
        prev, cur = text[i - 1], text[i]
        starts_chip = (prev.islower() or prev in ")]" or prev.isupper() or prev.isdigit()) and (
            cur.isupper() or cur.isdigit()
        )
        if not starts_chip:
            return None
    for label in ordered:
        if text.startswith(label, i):
            end = i + len(label)
            if end == len(text) or text[end].isupper() or text[end].isdigit():
                return label
    return None


def _split_unknown(segment: str) -> list[str]:
    cuts = _case_boundaries(segment)
    if not cuts:
        return [segment]
    bounds = [0, *cuts, len(segment)]
    return [segment[a:b] for a, b in itertools.pairwise(bounds)]


_TIER_RE: Final = re.compile(r"^E\d+\b")
_CONFIDENCE_RE: Final = re.compile(r"^(?P<level>.+?)\s+confidence$", re.IGNORECASE)
_PEM_RE: Final = re.compile(r"^PEM\s+(?P<v>required|not\s+required|unknown)$", re.IGNORECASE)
_PEER_RE: Final = re.compile(r"^(?P<not>not\s+)?peer[-\s]?reviewed$", re.IGNORECASE)


def classify_badges(chips: list[str]) -> tuple[Badges, list[str]]:
    """Turn badge chip labels into :class:`Badges`; returns labels it could not place too."""
    vocab = vocabulary()
    values: dict[str, Any] = {}
    unplaced: list[str] = []
    seen_pem = False
    for chip in chips:
        lowered = chip.lower()
        if _TIER_RE.match(chip) and "evidence_tier" not in values:
            values["evidence_tier"] = chip
        elif (m := _CONFIDENCE_RE.match(chip)) and "confidence" not in values:
            values["confidence"] = m.group("level").strip().capitalize()
        elif (m := _PEM_RE.match(chip)) and "pem" not in values:
            values["pem"] = re.sub(r"\s+", "_", m.group("v").lower())
            seen_pem = True
        elif (m := _PEER_RE.match(chip)) and "peer_reviewed" not in values:
            values["peer_reviewed"] = m.group("not") is None
        elif chip in vocab.peer_reviewed and "peer_reviewed" not in values:
            values["peer_reviewed"] = vocab.peer_reviewed[chip]
        elif lowered in {s.lower() for s in vocab.review_statuses}:
            values.setdefault("review_status", chip)
        elif lowered in {s.lower() for s in vocab.study_types} and "study_type" not in values:
            values["study_type"] = chip
        elif seen_pem and "study_type" not in values and "peer_reviewed" not in values:
            # The atlas shows the study type right after the PEM chip.
            values["study_type"] = chip
        else:
            unplaced.append(chip)
    extra = {"labels": unplaced} if unplaced else {}
    return Badges(**values, extra=MappingProxyType(extra)), unplaced


def looks_like_badge_line(chips: list[str]) -> bool:
    """True when at least two chips are recognisably badges (tier, confidence, PEM…)."""
    badges, unplaced = classify_badges(chips)
    placed = len(chips) - len(unplaced)
    return placed >= 2 and placed >= len(chips) / 2 and not badges.is_empty()

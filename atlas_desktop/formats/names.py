"""Person names as the atlas's pages write them, into family/given parts.

BibTeX name lists (``author = {A, B and C, D and others}``) are read by
:mod:`.bibtex_names`, the one BibTeX name parser, also for the BibTeX block of a page.
"""

from __future__ import annotations

import re
from typing import Final

from atlas_desktop.domain.entry import Author

from .vocabulary import vocabulary

_ET_AL_RE: Final = re.compile(r"[,;\s]*\bet\s+al\.?\s*$", re.IGNORECASE)
_PARTICLES: Final = frozenset(
    "van von der den de del della di da dos das du la le ter ten vande vander st. "
    "bin ibn al el".split()
)


def strip_et_al(text: str) -> tuple[str, bool]:
    """``"A, B et al."`` -> (``"A, B"``, True)."""
    stripped = _ET_AL_RE.sub("", text)
    return stripped.strip(), stripped != text


def parse_family_given_list(text: str) -> tuple[list[Author], bool]:
    """``Heins, Marianne J, Knoop, Hans, & Bleijenberg, Gijs`` -> authors, truncated.

    The atlas writes every author as ``Family, Given`` and separates authors with the same
    comma, so tokens are read in pairs. ``&``/``and`` before the last author and a trailing
    ``et al.`` are understood.
    """
    body, truncated = strip_et_al(text.strip())
    body = re.sub(r"\s*(?:,\s*)?(?:&|\band\b)\s+", ", ", body)
    tokens = [t.strip() for t in body.split(",") if t.strip()]
    authors: list[Author] = []
    for i in range(0, len(tokens), 2):
        family = tokens[i]
        given = tokens[i + 1] if i + 1 < len(tokens) else None
        authors.append(Author(family=family, given=given))
    return authors, truncated


def _is_degree(token: str) -> bool:
    vocab = vocabulary()
    bare = token.strip().rstrip(".,;")
    if bare in vocab.degrees or bare.replace(".", "") in vocab.degrees:
        return True
    # Unlisted degrees and fellowships: all capitals (FRCPC, CRNA, MRCPsych-like with (C)).
    return bool(re.fullmatch(r"[A-Z]{2,6}(?:\([A-Z]\))?", bare))


def parse_names_with_degrees(text: str) -> list[Author]:
    """``Eleanor Stein MD, FRCP(C), Eva Stormorken RN, CRNA, MNSc`` -> Stein E., Stormorken E.

    Names are written ``Given Family`` followed by degrees; a comma-separated piece made only
    of degrees belongs to the person before it and is dropped.
    """
    vocab = vocabulary()
    pieces = re.split(r",|;|\s+&\s+|\s+and\s+", text)
    authors: list[Author] = []
    for piece in pieces:
        words = piece.split()
        while words and words[0].rstrip(".") in {h.rstrip(".") for h in vocab.honorifics}:
            words.pop(0)
        while words and _is_degree(words[-1]):
            words.pop()
        if not words:
            continue
        authors.append(_given_family(words))
    return authors


def _given_family(words: list[str]) -> Author:
    """``Ludwig van Beethoven`` -> family ``van Beethoven``, given ``Ludwig``."""
    if len(words) == 1:
        return Author(family=words[0])
    start = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i].lower() in _PARTICLES:
            start = i
            break
    family = " ".join(words[start:])
    given = " ".join(words[:start]) or None
    return Author(family=family, given=given)


def looks_like_person_list(text: str) -> bool:
    """True when ``text`` reads as people with degrees: at least one degree follows a name."""
    tokens = [t.strip(" ,;") for t in re.split(r"\s+", text) if t.strip(" ,;")]
    degrees = sum(1 for t in tokens if _is_degree(t))
    names = [t for t in tokens if t[:1].isupper() and not _is_degree(t)]
    return degrees >= 1 and len(names) >= 2

"""Entry ids in the atlas's own slug style: ``family-year-two-title-words``."""

from __future__ import annotations

import re
import unicodedata
from typing import Final
from urllib.parse import urlsplit

from .entry import ENTRY_ID_RE

# Words the atlas leaves out of its slugs ("The role of the therapeutic …" -> role-therapeutic).
STOPWORDS: Final = frozenset(
    """a an the of to in on for and or with by at from is are as its it into vs versus
    about than do does not be been being was were this that these those their our your
    his her can may might via using use within without between among over under per""".split()
)


# Letters that Unicode does not decompose into a base letter plus an accent.
_TRANSLITERATE: Final = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "đ": "d",
     "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"}
)


def ascii_fold(text: str) -> str:
    """``Müller`` -> ``Muller``, ``Nøkleby`` -> ``Nokleby``; other letters are dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode(
        "ascii", "ignore"
    ).decode("ascii")


def slugify(text: str) -> str:
    folded = ascii_fold(text).lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def entry_slug(family: str | None, year: int | None, title: str | None) -> str:
    """A deterministic id for an entry that has no atlas URL.

    ``heins-2013-role-therapeutic`` from (Heins, 2013, "The role of the therapeutic …"),
    ``van-der-vaart-2019`` when there is no title.
    """
    parts: list[str] = []
    family_slug = slugify(family or "")
    if family_slug:
        parts.append(family_slug)
    if year is not None:
        parts.append(str(year))
    if title:
        words = [w for w in slugify(title).split("-") if w and w not in STOPWORDS]
        parts.extend(words[:2])
    slug = "-".join(parts)[:200].strip("-")
    return slug or "untitled"


def slug_from_url(url: str | None) -> str | None:
    """The last path segment of an atlas URL, if it is a valid entry id."""
    if not url:
        return None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    segment = path.rstrip("/").rsplit("/", 1)[-1].lower()
    return segment if ENTRY_ID_RE.match(segment) else None


def unique_slug(base: str, taken: set[str] | frozenset[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not taken."""
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: 200 - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1

"""CSL-JSON values in the shapes citeproc-js accepts: variables, names and dates.

A value of the wrong shape is left out (None) rather than passed on, so one odd field of a
user's reference cannot make the engine fail. What citeproc-js itself reads as it is
(strings, numbers, the rich-text markup inside strings) is passed through unchanged: the
user's CSL-JSON item must come out as it went in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

#: The item types of CSL 1.0.2; anything else falls back to a journal article.
CSL_TYPES: Final = frozenset(
    (
        "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
        "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
        "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
        "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
        "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
        "personal_communication", "post", "post-weblog", "regulation", "report", "review",
        "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage"
    )
)

#: CSL 1.0.2 name variables (and citeproc-js's ``editortranslator``).
NAME_VARIABLES: Final = frozenset(
    "author chair collection-editor compiler composer container-author contributor curator "
    "director editor editorial-director editor-translator editortranslator executive-producer "
    "guest host illustrator interviewer narrator organizer original-author performer producer "
    "recipient reviewed-author script-writer series-creator translator".split()
)
DATE_VARIABLES: Final = frozenset(
    {"accessed", "available-date", "event-date", "issued", "original-date", "submitted"})
#: The parts of a CSL name object.
NAME_PARTS: Final = frozenset({"family", "given", "literal", "suffix", "dropping-particle",
                               "non-dropping-particle", "comma-suffix", "static-ordering",
                               "parse-names"})
#: What CSL-JSON writes for "and others" (BibTeX) or "et al." (the atlas's pages): pandoc
#: writes it so, and our engine glue renders it as the style's "et al.".
OTHERS: Final[Mapping[str, str]] = {"literal": "others"}


def is_others(name: Any) -> bool:
    return isinstance(name, Mapping) and str(name.get("literal") or "").strip() == "others" \
        and not name.get("family")


_DATE_RE: Final = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def clean_variable(key: str, value: Any) -> Any:
    """``value`` in a shape citeproc-js accepts for the variable ``key``, or None."""
    if value is None or isinstance(value, bool) or value in ("", [], {}):
        return None
    if key in NAME_VARIABLES:
        return clean_names(value)
    if key in DATE_VARIABLES:
        return clean_date(value)
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        # ISSN and ISBN lists (Crossref), categories: citeproc-js reads the first.
        return [v for v in value if not isinstance(v, bool)] or None
    return None


def clean_text(value: Any) -> str | None:
    """A text variable: strings stripped, numbers as text, anything else left out."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def clean_names(value: Any) -> list[dict[str, Any]] | None:
    """Name objects with the parts CSL knows; names with nothing to print are dropped."""
    if not isinstance(value, list):
        return None
    out: list[dict[str, Any]] = []
    for name in value:
        if not isinstance(name, Mapping):
            continue
        kept = {k: v for k, v in name.items() if k in NAME_PARTS and (
            (isinstance(v, str | int) and not isinstance(v, bool) and str(v).strip())
            or (isinstance(v, bool) and k in {"comma-suffix", "static-ordering", "parse-names"}))}
        if kept.get("family") or kept.get("literal"):
            out.append(kept)
    return out or None


def clean_date(value: Any) -> dict[str, Any] | None:
    """A CSL date whose date-parts are one or two lists of 1-3 integers (month 1-16 with the
    seasons, day 1-31), with its ``raw``, ``literal``, ``season`` and ``circa``; None when
    nothing of it can be used. A malformed range end (``[[2014, 12, 31], [0]]``), which makes
    citeproc-js fail for a whole bibliography, is dropped."""
    if not isinstance(value, Mapping):
        return None
    out: dict[str, Any] = {}
    parts = value.get("date-parts")
    if isinstance(parts, list):
        clean: list[list[int]] = []
        for index, part in enumerate(parts[:2]):
            numbers = _date_part(part)
            if not numbers or (index > 0 and numbers == [0]):
                continue
            clean.append(numbers)
        if clean:
            out["date-parts"] = clean
    for key in ("raw", "literal", "season"):
        item = value.get(key)
        if key == "season" and isinstance(item, int) and not isinstance(item, bool):
            out[key] = item  # CSL allows a number or a string: kept as the source had it
        elif isinstance(item, str | int) and not isinstance(item, bool) and str(item).strip():
            out[key] = str(item).strip()
    if isinstance(value.get("circa"), bool | int | str):
        out["circa"] = value["circa"]
    return out if ("date-parts" in out or "raw" in out or "literal" in out) else None


def _date_part(part: Any) -> list[int]:
    numbers: list[int] = []
    for position, raw in enumerate(part[:3] if isinstance(part, list) else []):
        if isinstance(raw, bool):
            break
        try:
            number = int(raw)  # years often come as strings
        except (TypeError, ValueError):
            break
        if position == 1 and 21 <= number <= 24:
            number -= 8  # EDTF seasons 21-24 are CSL's 13-16
        if (position == 0 and not -9999 <= number <= 9999) or (
                position == 1 and not 1 <= number <= 16) or (
                position == 2 and not 1 <= number <= 31):
            break
        numbers.append(number)
    return numbers


def parse_date_parts(text: str) -> list[list[int]] | None:
    """A biblatex ``date`` (``2012-03-16``, ``2010/2012``) as CSL date-parts, or None."""
    parts: list[list[int]] = []
    for piece in text.split("/")[:2]:
        match = _DATE_RE.match(piece.strip())
        if match is None:
            if parts:  # an open range ``2010/``
                break
            return None
        numbers = [int(g) for g in match.groups() if g is not None]
        if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
            numbers = numbers[:1]
        if len(numbers) > 2 and not 1 <= numbers[2] <= 31:
            numbers = numbers[:2]
        parts.append(numbers)
    return parts or None


def date_year(value: Any) -> int | None:
    """The first year of a CSL date, if it has date-parts."""
    if isinstance(value, Mapping):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            first = parts[0][0]
            if isinstance(first, int) and not isinstance(first, bool):
                return first
    return None


_CORPORATE_WORDS: Final = frozenset(
    (
        "group", "society", "association", "organization", "organisation", "institute",
        "committee", "council", "collaboration", "consortium", "network", "foundation",
        "agency", "department", "ministry", "centre", "center", "board", "team", "alliance",
        "commission", "collaborative", "initiative", "office", "service", "services",
        "trust", "union", "editors",
    )
)


def looks_corporate(name: str) -> bool:
    """``ME Association`` or ``CFS/ME Research Collaborative``: a name of several words with
    a word of organisations in it, printed as written (used where the source could not say,
    such as an atlas page; a braced BibTeX name and a CSL ``literal`` say it themselves)."""
    return " " in name.strip() and any(
        word.lower().strip(",.()") in _CORPORATE_WORDS for word in name.split())


def csl_name(family: str, given: str | None) -> dict[str, str]:
    """A name from a family and given name, a corporate one as a literal."""
    family = family.strip()
    if given and given.strip():
        return {"family": family, "given": given.strip()}
    if looks_corporate(family):
        return {"literal": family}
    return {"family": family}

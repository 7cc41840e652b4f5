"""BibTeX name lists (``author``, ``editor``…) into people, decoding LaTeX per name part.

Names are split on the raw value, braces intact: ``{Barnes and Noble} and Smith, J.`` is two
names, and a name wholly in braces is a corporate name kept as one family name. Only then is
each part decoded (``{V{\\'a}squez-Sancho}`` -> ``Vásquez-Sancho``); decoding first would
lose both distinctions.

:func:`parse_csl_names` gives the same names as CSL name objects, for citations: a braced
name is a ``literal`` (however many words it has), "von" parts are particles (dropping,
unless biblatex's ``useprefix`` option is set, as biblatex prints them) and "Jr" parts are
suffixes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Final

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from atlas_desktop.domain.entry import Author

from .latex import decode_latex

#: biblatex's name-list fields (BibTeX knows author and editor).
NAME_FIELDS: Final = frozenset(
    "author editor translator bookauthor commentator annotator introduction foreword "
    "afterword editora editorb editorc holder shortauthor shorteditor".split()
)


_AND_RE: Final = re.compile(r"\s+and\s+", re.IGNORECASE)
_PLAIN_RE: Final = re.compile(r"[{}\\$~]|--|``|''")


def parse_name_list(raw: str) -> tuple[list[Author], bool]:
    """People of a raw name-list value, and whether it ended with ``and others``."""
    pieces: Iterable[str]
    parse: Callable[[str], Author | None]
    if not _PLAIN_RE.search(raw):
        # Most lists are plain ``Family, Given and …``: read without bibtexparser's
        # general name parser (half the time of a large import went there).
        pieces = (" ".join(p.split()) for p in _AND_RE.split(" " + raw.strip() + " "))
        parse = _plain_name
    else:
        pieces = (p.strip() for p in split_multiple_persons_names(raw))
        parse = _parse_one
    authors: list[Author] = []
    truncated = False
    for part in pieces:
        if not part:
            continue
        if part.lower() == "others":
            truncated = True
            continue
        author = parse(part)
        if author is not None:
            authors.append(author)
    return authors, truncated


def _plain_name(part: str) -> Author | None:
    """One name without braces or LaTeX; what ``parse_single_name_into_parts`` would give,
    for the shapes it is cheap to recognise, and that parser for the rest."""
    if part.count(",") == 1:
        family, given = (x.strip() for x in part.split(","))
        if family:
            return Author(family=family, given=given or None)
    elif "," not in part:
        words = part.split(" ")
        if len(words) == 1:
            return Author(family=words[0])
        if all(w[:1].isupper() for w in words):
            return Author(family=words[-1], given=" ".join(words[:-1]))
    return _parse_one(part)


def _is_one_group(text: str) -> bool:
    """``{World Health Organization}``: braces that open first and close last, together."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return True


def _parse_one(raw: str) -> Author | None:
    if _is_one_group(raw):
        family = decode_latex(raw[1:-1])
        return Author(family=family) if family else None
    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except InvalidNameError:
        family = decode_latex(raw)
        return Author(family=family) if family else None
    family = decode_latex(" ".join([*parts.von, *parts.last]))
    jr = decode_latex(" ".join(parts.jr))
    if jr:
        family = f"{family}, {jr}" if family else jr
    given = decode_latex(" ".join(parts.first)) or None
    if not family:
        if not given:
            return None
        family, given = given, None
    return Author(family=family, given=given)


def has_name_parts(raw: str) -> bool:
    """Whether a raw name list may hold more than families and given names: a braced name
    (a literal), a "von" part or a "Jr" part. Most lists do not, and are read without
    bibtexparser's general name parser (half the time of a large import went there)."""
    if "{" in raw or "\\" in raw:
        return True
    for name in _AND_RE.split(" " + raw.strip() + " "):
        if name.count(",") >= 2:
            return True
        if any(word[:1].islower() for word in name.replace(",", " ").split()
               if word != "others"):
            return True
    return False


def parse_csl_names(raw: str, *, useprefix: bool = False) -> tuple[list[dict[str, Any]], bool]:
    """CSL name objects of a raw name-list value, and whether it ended with ``and others``."""
    names: list[dict[str, Any]] = []
    truncated = False
    for part in (p.strip() for p in split_multiple_persons_names(raw)):
        if not part:
            continue
        if part.lower() == "others":
            truncated = True
            continue
        name = _csl_name(part, useprefix)
        if name is not None:
            names.append(name)
    return names, truncated


def _csl_name(raw: str, useprefix: bool) -> dict[str, Any] | None:
    if _is_one_group(raw):
        literal = decode_latex(raw[1:-1])
        return {"literal": literal} if literal else None
    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except InvalidNameError:
        literal = decode_latex(raw)
        return {"literal": literal} if literal else None
    name: dict[str, Any] = {}
    family = decode_latex(" ".join(parts.last))
    given = decode_latex(" ".join(parts.first))
    particle = decode_latex(" ".join(parts.von))
    suffix = decode_latex(" ".join(parts.jr))
    if not family:
        family, particle = particle, ""
    if not family:
        family, given = given, ""
    if not family:
        return None
    name["family"] = family
    if given:
        name["given"] = given
    if particle:
        name["non-dropping-particle" if useprefix else "dropping-particle"] = particle
    if suffix:
        name["suffix"] = suffix
    return name

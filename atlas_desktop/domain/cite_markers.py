"""Citations typed as text, which a document update turns into live citations.

Two forms are read:
- pandoc's: ``[@heins-2013-role-therapeutic]``, ``[see @id, p. 12; @other, chap. 3]``,
  ``[-@id]`` (the author left out, as in "Heins [-@heins-2013]");
- Zotero's RTF/ODF Scan's: ``{Heins, 2013}``, ``{Heins et al., 2013; Smith & Jones, 2019}``
  and the long form ``{See | Heins, 2013 | p. 12 | for more |}``;
and the bibliography's place, ``{Bibliography}``.

Only the syntax is read here; which library entry a key or an author-year names is the
document service's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

#: Locator labels as writers abbreviate them -> CSL's label names.
LABELS: Final[dict[str, str]] = {
    "p": "page", "pp": "page", "page": "page", "pages": "page",
    "chap": "chapter", "ch": "chapter", "chapter": "chapter", "chapters": "chapter",
    "fig": "figure", "figs": "figure", "figure": "figure",
    "sec": "section", "secs": "section", "section": "section", "§": "section",
    "vol": "volume", "vols": "volume", "volume": "volume",
    "para": "paragraph", "paras": "paragraph", "¶": "paragraph",
    "l": "line", "ll": "line", "line": "line", "n": "note", "nn": "note", "note": "note",
    "tbl": "table", "table": "table",
}

_PANDOC_RE: Final = re.compile(r"\[([^\[\]]{0,600}?(?<![\w.])-?@[^\[\]]{0,600}?)\]")
_KEY_RE: Final = re.compile(r"(?:^|(?<=\s))(-?)@([\w][\w:.#$%&+?<>~/-]*?)(?=[.,;:]?(?:\s|$)|[,;])")
_SCAN_RE: Final = re.compile(r"\{([^{}]{3,400})\}")
_AUTHOR_YEAR_RE: Final = re.compile(
    r"^\s*(?P<author>[^,;|{}]{1,120}?),\s*(?P<year>(?:1[5-9]|20)\d\d[a-z]?|n\.d\.)\s*$")
_LOCATOR_RE: Final = re.compile(
    r"^\s*(?:(?P<label>[A-Za-z§¶]{1,8})\.?\s+)?(?P<loc>[0-9ivxlcdmIVXLCDM]+(?:\s*[-–,]\s*[0-9ivxlcdmIVXLCDM]+)*)"
    r"(?P<rest>.*)$", re.DOTALL)
BIBLIOGRAPHY_MARKER_RE: Final = re.compile(r"\{\s*Bibliography\s*\}")


@dataclass(frozen=True, slots=True)
class MarkerItem:
    """One work of a typed citation: a key (pandoc) or an author and year (Scan)."""

    key: str = ""
    author: str = ""
    year: str = ""
    locator: str = ""
    label: str = ""
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False

    def describe(self) -> str:
        return f"@{self.key}" if self.key else f"{self.author}, {self.year}"


@dataclass(frozen=True, slots=True)
class Marker:
    """A typed citation found in a run of text, with its place in that text."""

    start: int
    end: int
    text: str
    items: tuple[MarkerItem, ...]


def find_markers(text: str) -> list[Marker]:
    """Every typed citation in ``text`` (one paragraph), in order, not overlapping."""
    found: list[Marker] = []
    for match in _PANDOC_RE.finditer(text):
        items = _pandoc_items(match.group(1))
        if items:
            found.append(Marker(match.start(), match.end(), match.group(0), items))
    for match in _SCAN_RE.finditer(text):
        if any(m.start < match.end() and match.start() < m.end for m in found):
            continue
        items = _scan_items(match.group(1))
        if items:
            found.append(Marker(match.start(), match.end(), match.group(0), items))
    return sorted(found, key=lambda m: m.start)


def _pandoc_items(body: str) -> tuple[MarkerItem, ...]:
    out: list[MarkerItem] = []
    for part in body.split(";"):
        key = _KEY_RE.search(part)
        if key is None:
            return ()
        prefix = part[:key.start()].strip()
        label, locator, suffix = parse_locator(part[key.end():])
        out.append(MarkerItem(key=key.group(2).rstrip(".:"), prefix=prefix, locator=locator,
                              label=label, suffix=suffix,
                              suppress_author=key.group(1) == "-"))
    return tuple(out)


def parse_locator(text: str) -> tuple[str, str, str]:
    """``", p. 12, for more"`` -> ("page", "12", ", for more"); text without a locator is all
    suffix, as written (its comma kept). A bare number is a page, as pandoc reads it."""
    raw = text.rstrip()
    body = raw.lstrip()
    body = body[1:].strip() if body.startswith(",") else body
    if not body:
        return "", "", ""
    match = _LOCATOR_RE.match(body)
    if match is not None:
        word = (match.group("label") or "").lower()
        if (word in LABELS) if word else match.group("loc")[0].isdigit():
            return LABELS.get(word, "page"), match.group("loc").replace(" ", ""), \
                match.group("rest").rstrip()
    return "", "", raw


def _scan_items(body: str) -> tuple[MarkerItem, ...]:
    if BIBLIOGRAPHY_MARKER_RE.fullmatch("{" + body + "}"):
        return ()
    if "|" in body:
        return _scan_long(body)
    out: list[MarkerItem] = []
    for part in body.split(";"):
        match = _AUTHOR_YEAR_RE.match(part)
        if match is None:
            return ()
        out.append(MarkerItem(author=match.group("author").strip(),
                              year=match.group("year")))
    return tuple(out)


def _scan_long(body: str) -> tuple[MarkerItem, ...]:
    """``prefix | Author, Year | locator | suffix | uri`` (Zotero Scan's long form)."""
    fields = [f.strip() for f in body.split("|")]
    if len(fields) < 2:
        return ()
    match = _AUTHOR_YEAR_RE.match(fields[1])
    if match is None:
        return ()
    label, locator, rest = parse_locator(fields[2] if len(fields) > 2 else "")
    suffix = " ".join(s for s in (rest.strip(" ,"), fields[3] if len(fields) > 3 else "") if s)
    author = match.group("author").strip()
    suppress = author.startswith("-")
    return (MarkerItem(author=author.lstrip("-").strip(), year=match.group("year"),
                       prefix=fields[0], locator=locator, label=label,
                       suffix=(" " + suffix) if suffix else "", suppress_author=suppress),)


def first_author_family(author: str) -> str:
    """``"Heins et al."`` / ``"Heins & Smith"`` / ``"van der Vaart and Li"`` -> the first
    author's family name as written."""
    name = re.split(r"\s+(?:et\s+al\.?|&|and)\b|\s*&\s*", author, maxsplit=1)[0]
    return name.strip(" .,")

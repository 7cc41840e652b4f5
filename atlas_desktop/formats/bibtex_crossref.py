"""Crossref inheritance over every BibTeX entry of one import (so across files).

An entry with ``crossref = {parent}`` gets each field it lacks from the parent, as BibTeX
and biber do, with biblatex's renames (its manual's appendix B): a whole's ``title`` becomes
a part's ``booktitle`` (an ``@inproceedings`` of its ``@proceedings``), a multi-volume
work's title becomes the ``maintitle`` of each volume and of the parts of a volume, a book's
author is also the ``bookauthor`` of its parts, and a periodical's title becomes the
``journaltitle``; a parent's short and sorting titles are its own.
Chains (A -> B -> C) are followed iteratively and loops (A -> B -> A)
are detected: the link that closes a loop passes nothing on, so nothing hangs and nothing is
inherited twice. ``xref`` (biblatex) links without inheriting, so it is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from .bibtex import BibEntry

# Fields that describe the link or the parent itself, never passed to a child.
_NOT_INHERITED: Final = frozenset(
    "crossref xref ids key entryset related relatedtype relatedstring label shorthand sortkey "
    "options xdata execute".split()
)
_WHOLES: Final = frozenset(
    "book mvbook collection mvcollection proceedings mvproceedings reference mvreference".split()
)
_PARTS: Final = frozenset(
    "inbook bookinbook suppbook incollection suppcollection inproceedings conference "
    "inreference book_section".split()
)
# Fields that say the same thing: a child with one of them inherits none of the others (a
# chapter with its own ``publisher`` does not also take its book's ``institution``).
_ALIASES: Final = (
    frozenset({"journal", "journaltitle", "booktitle"}),
    frozenset({"publisher", "institution", "school"}),
    frozenset({"address", "location"}),
    frozenset({"pages", "page"}),
    frozenset({"year", "date"}),
    frozenset({"month", "date"}),
)
_ALIAS_OF: Final = {name: group for group in _ALIASES for name in group}
_TITLE_AS_CONTAINER: Final = (("title", "booktitle"), ("subtitle", "booksubtitle"),
                              ("titleaddon", "booktitleaddon"))
_TITLE_AS_MAIN: Final = (("title", "maintitle"), ("subtitle", "mainsubtitle"),
                         ("titleaddon", "maintitleaddon"))
#: A parent's own titles for lists and sorting: never a child's.
_OWN_TITLES: Final = frozenset({"shorttitle", "sorttitle", "indextitle", "indexsorttitle"})
#: (parent types, child types, renames): biblatex's inheritance table.
_BIBLATEX_RENAMES: Final = (
    (frozenset({"mvbook"}), frozenset({"book", "inbook", "bookinbook", "suppbook"}),
     _TITLE_AS_MAIN),
    (frozenset({"mvcollection", "mvreference"}),
     frozenset({"collection", "reference", "incollection", "inreference", "suppcollection"}),
     _TITLE_AS_MAIN),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}), _TITLE_AS_MAIN),
    (frozenset({"book"}), frozenset({"inbook", "bookinbook", "suppbook"}), _TITLE_AS_CONTAINER),
    (frozenset({"collection", "reference"}),
     frozenset({"incollection", "inreference", "suppcollection"}), _TITLE_AS_CONTAINER),
    (frozenset({"proceedings"}), frozenset({"inproceedings"}), _TITLE_AS_CONTAINER),
    (frozenset({"periodical"}), frozenset({"article", "suppperiodical"}),
     (("title", "journaltitle"), ("subtitle", "journalsubtitle"))),
)
_BOOK_PARTS: Final = frozenset({"inbook", "bookinbook", "suppbook"})


def apply_crossrefs(entries: Sequence[BibEntry]) -> list[tuple[BibEntry, str]]:
    """Fill children from their parents in place. Returns (entry, message) warnings."""
    by_key: dict[str, BibEntry] = {}
    for entry in entries:
        by_key.setdefault(entry.key.lower(), entry)
    done: set[int] = set()
    warnings: list[tuple[BibEntry, str]] = []
    for entry in entries:
        if id(entry) in done or "crossref" not in entry.fields:
            continue
        # Walk up the chain to the first entry that has nothing (more) to inherit.
        chain: list[BibEntry] = []
        on_chain: set[int] = set()
        current: BibEntry | None = entry
        loop_closer: BibEntry | None = None
        while current is not None and id(current) not in done:
            chain.append(current)
            on_chain.add(id(current))
            parent_key = current.fields.get("crossref")
            if not parent_key:
                break
            parent = by_key.get(parent_key.lower())
            if parent is None:
                warnings.append((current, (
                    f"line {current.line}: “{current.key}” takes fields from “{parent_key}” "
                    "(crossref), which is not in the files being imported; it was imported "
                    "without them."
                )))
                break
            if id(parent) in on_chain:
                loop_closer = current
                warnings.append((current, (
                    f"line {current.line}: the crossref of “{current.key}” leads back to "
                    f"“{parent.key}” (a loop); no fields were passed around the loop."
                )))
                break
            current = parent
        # Parents first, so a grandparent's fields reach the child through its parent.
        for child in reversed(chain):
            parent_key = child.fields.get("crossref")
            parent = by_key.get(parent_key.lower()) if parent_key else None
            if parent is not None and child is not loop_closer and parent is not child:
                _inherit(child, parent)
            done.add(id(child))
    return warnings


def _renames(parent: str, child: str) -> tuple[dict[str, str], bool]:
    """How the parent's fields are named in the child, and whether the parent's own titles
    stay with it (biblatex's table; BibTeX's part-of-a-whole rule for the rest)."""
    for parents, children, renames in _BIBLATEX_RENAMES:
        if parent in parents and child in children:
            return dict(renames), True
    if child in _PARTS and parent in _WHOLES:
        return dict(_TITLE_AS_CONTAINER), True
    return {}, False


def _inherit(child: BibEntry, parent: BibEntry) -> None:
    fields = child.fields
    renames, own_titles = _renames(parent.entry_type, child.entry_type)
    if parent.entry_type in {"book", "mvbook"} and child.entry_type in _BOOK_PARTS | (
            {"book"} if parent.entry_type == "mvbook" else set()) and "author" in parent.fields:
        fields.setdefault("bookauthor", parent.fields["author"])
    for name, value in parent.fields.items():
        if name in _NOT_INHERITED or (own_titles and name in _OWN_TITLES):
            continue
        # A part's title is its own: the whole's title arrives as its booktitle.
        target = renames.get(name, name)
        if target in fields or any(alias in fields for alias in _ALIAS_OF.get(target, ())):
            continue
        fields[target] = value
        if name in parent.raw:
            child.raw[target] = parent.raw[name]

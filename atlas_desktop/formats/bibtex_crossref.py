"""Crossref inheritance over every BibTeX entry of one import (so across files).

An entry with ``crossref = {parent}`` gets each field it lacks from the parent, as BibTeX
and biber do; a parent's ``title`` becomes the child's ``booktitle`` when a part points to
its whole (an ``@inproceedings`` to its ``@proceedings``), and a periodical's title becomes
the ``journaltitle``. Chains (A -> B -> C) are followed iteratively and loops (A -> B -> A)
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


def _inherit(child: BibEntry, parent: BibEntry) -> None:
    fields = child.fields
    renames: dict[str, str] = {}
    if child.entry_type in _PARTS and parent.entry_type in _WHOLES:
        renames = dict(_TITLE_AS_CONTAINER)
    elif parent.entry_type == "periodical":
        renames = {"title": "journaltitle", "subtitle": "journalsubtitle"}
    for name, value in parent.fields.items():
        if name in _NOT_INHERITED:
            continue
        # A part's title is its own: the whole's title arrives as its booktitle.
        target = renames.get(name, name)
        if target in fields or any(alias in fields for alias in _ALIAS_OF.get(target, ())):
            continue
        fields[target] = value

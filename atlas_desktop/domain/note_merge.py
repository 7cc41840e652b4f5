"""Merging a note the window was editing with the same note saved elsewhere meanwhile (issue
19.10): the window never saves over a newer note silently.

``base`` is the text the window's edit started from, ``theirs`` what is stored now (the command
line, another window), ``ours`` what the window wants to save. Edits to different lines are
both kept (a three-way merge by lines, as version control does); edits to the same lines keep
both texts whole, the stored one first, with a line that says so. Nothing is ever lost.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Final

#: Between the note saved elsewhere and the window's own text when both changed the same lines.
BOTH_KEPT: Final = "——— also written in this window, while the note above was saved elsewhere ———"

_Edit = tuple[int, int, list[str]]  # base lines [start, end) become these lines


def merge_notes(base: str, theirs: str, ours: str) -> str:
    """One text holding both changes of ``base``: ``theirs`` and ``ours``."""
    if theirs in (base, ours):
        return ours
    if ours == base:
        return theirs
    merged = _merge_lines(base, theirs, ours)
    if merged is not None:
        return merged
    return f"{theirs.rstrip()}\n\n{BOTH_KEPT}\n{ours.strip()}"


def _edits(base: list[str], other: list[str]) -> list[_Edit]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"]


def _clash(a: _Edit, b: _Edit) -> bool:
    """Whether two edits touch the same lines of the base (or insert at the same place)."""
    (a1, a2, _), (b1, b2, _) = a, b
    if a1 == a2 or b1 == b2:  # an insertion clashes with anything at or around its place
        return a1 <= b2 and b1 <= a2
    return a1 < b2 and b1 < a2


def _merge_lines(base: str, theirs: str, ours: str) -> str | None:
    base_lines = base.splitlines(keepends=True)
    if base_lines and not base_lines[-1].endswith("\n"):
        base_lines[-1] += "\n"  # a last line with or without its newline is the same line

    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n"
        return out

    their_edits, our_edits = _edits(base_lines, lines(theirs)), _edits(base_lines, lines(ours))
    if any(_clash(a, b) for a in their_edits for b in our_edits):
        return None
    result: list[str] = []
    position = 0
    for start, end, replacement in sorted(their_edits + our_edits, key=lambda e: (e[0], e[1])):
        result.extend(base_lines[position:start])
        result.extend(replacement)
        position = end
    result.extend(base_lines[position:])
    merged = "".join(result)
    # Keep the ending the window's text had (with or without a last newline).
    return merged if ours.endswith("\n") else merged.rstrip("\n")

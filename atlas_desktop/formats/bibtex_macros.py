"""Bounds on ``@string`` expansion: a hostile file cannot grow itself in memory.

Each ``@string`` may use the ones before it, so 20 definitions that each concatenate the
previous one twice turn a 522-byte file into a 100 MB title (issue 19.14: 1.5 GB and 18 s;
the next level was stopped only by a 6.5 GB memory cap). Real files define journal names and
publishers: short values, used once per entry, rarely defined through other macros. So:

* one ``@string`` value is at most :data:`MAX_MACRO_CHARS` characters once expanded, and is
  defined through at most :data:`MAX_MACRO_DEPTH` levels of other macros;
* all macro uses of a file together may add at most the file's own length plus
  :data:`EXPANSION_ALLOWANCE` characters.

Over any bound the file is refused whole with a :class:`~.text.FormatError` that names it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from .text import FormatError

MAX_MACRO_CHARS: Final = 65_536
MAX_MACRO_DEPTH: Final = 16
EXPANSION_ALLOWANCE: Final = 4_000_000


class BoundedMacros(Mapping[str, str]):
    """The file's macros, counting every expansion against the file's budget."""

    def __init__(self, text_length: int) -> None:
        self._values: dict[str, str] = {}
        self._depths: dict[str, int] = {}
        self._budget = text_length + EXPANSION_ALLOWANCE
        self._used: list[str] = []

    def __getitem__(self, name: str) -> str:
        value = self._values[name]
        self._budget -= len(value)
        if self._budget < 0:
            raise FormatError(
                "The file's @string abbreviations expand to more text than the file holds "
                f"plus {EXPANSION_ALLOWANCE // 1_000_000} million characters; such a file is "
                "built to exhaust memory, so it was not read.")
        self._used.append(name)
        return value

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def begin(self) -> None:
        """Start noting which macros the next value uses (for its depth)."""
        self._used = []

    def define(self, name: str, value: str, *, line: int) -> None:
        """Add an ``@string`` resolved since :meth:`begin`; refuse one over a bound."""
        depth = 1 + max((self._depths.get(used, 0) for used in self._used), default=0)
        if depth > MAX_MACRO_DEPTH:
            raise FormatError(
                f"line {line}: the @string “{name}” is defined through more than "
                f"{MAX_MACRO_DEPTH} levels of other @string abbreviations; the file was not "
                "read.")
        if len(value) > MAX_MACRO_CHARS:
            raise FormatError(
                f"line {line}: the @string “{name}” expands to {len(value):,} characters; an "
                f"abbreviation may be at most {MAX_MACRO_CHARS:,}. The file was not read.")
        self._values[name] = value
        self._depths[name] = depth

"""The full-text index's vocabulary, kept in memory, so a typed prefix becomes its words.

SQLite's FTS5 (3.40, as Python ships it) answers a prefix query (``"fat"*``) by reading and
merging the whole posting list of every word that starts with it before it returns a first
row: 4-9 ms for a common three-letter prefix at 100,000 entries, however few rows are asked
for. The same words written out (``"fat" OR "fatigue" OR …``) are walked lazily: a first page
costs about a millisecond. So the window keeps the index's words, sorted, and a search spells
out a prefix with them (``store/search/compile.py``, when ``store/search/plan.py`` says so).

The list is only used while it describes the index exactly: FTS5 rewrites its *structure
record* (segment list and a change cookie) on every committed change, ours or another
process's, and a search compares that record with the one read together with the list.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Set
from typing import Final

from sqlalchemy import Connection

from .engine import sqlite_connection

#: FTS5 keeps its structure record in the ``_data`` table under this id.
_STRUCTURE_ID: Final = 10


def index_structure(conn: Connection) -> bytes:
    """The full-text index's structure record: any committed change to the index changes it."""
    row = sqlite_connection(conn).execute(
        "SELECT block FROM entries_fts_data WHERE id = ?", (_STRUCTURE_ID,)).fetchone()
    return bytes(row[0]) if row is not None and row[0] is not None else b""


class TermList:
    """Sorted words in one string (half a megabyte for 40,000 words, not four as ``str``
    objects) with their offsets, and the structure record of the index they came from."""

    __slots__ = ("_offsets", "_text", "structure")

    def __init__(self, terms: Iterable[str], structure: bytes = b"") -> None:
        words = sorted(terms)
        self._text = "".join(words)
        offsets = array("I", [0])
        end = 0
        for word in words:
            end += len(word)
            offsets.append(end)
        self._offsets = offsets
        self.structure = structure

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _word(self, index: int) -> str:
        return self._text[self._offsets[index]:self._offsets[index + 1]]

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        at = bisect_left(range(len(self)), word, key=self._word)
        return at < len(self) and self._word(at) == word

    def starting_with(self, prefix: str, limit: int) -> list[str] | None:
        """The words that begin with ``prefix``, in order, or None if there are more than
        ``limit``."""
        at = bisect_left(range(len(self)), prefix, key=self._word)
        found: list[str] = []
        while at < len(self):
            word = self._word(at)
            if not word.startswith(prefix):
                break
            if len(found) == limit:
                return None
            found.append(word)
            at += 1
        return found


def load_terms(conn: Connection) -> TermList:
    """Every word of the full-text index (about a second at 100,000 entries: FTS5 reads the
    whole index to list them), with the structure record of the same snapshot."""
    structure = index_structure(conn)
    raw = sqlite_connection(conn)
    return TermList((row[0] for row in raw.execute("SELECT term FROM entries_vocab")),
                    structure)


def words_starting(conn: Connection, prefixes: Set[str], limit: int) -> TermList:
    """The index's words that begin with each of ``prefixes`` (ASCII letters and digits,
    lower case), at most ``limit`` + 1 each: enough to tell that there are more than
    ``limit``, so ask the list for no more than ``limit`` of them."""
    structure = index_structure(conn)
    raw = sqlite_connection(conn)
    words: list[str] = []
    for prefix in prefixes:
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        words.extend(row[0] for row in raw.execute(
            "SELECT term FROM entries_vocab WHERE term >= ? AND term < ? LIMIT ?",
            (prefix, after, limit + 1)))
    return TermList(words, structure)

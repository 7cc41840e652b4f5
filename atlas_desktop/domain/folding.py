"""Folding text for the search index and the search box alike: ``Sørland`` and ``sorland``,
``Aksın`` and ``aksin``, ``Hünenberger`` and ``hunenberger`` are the same word to a search.

The full-text index's tokenizer (``unicode61 remove_diacritics 2``) lower-cases and drops
the accents of the letters Unicode composes from a base letter and an accent (ü, é, å), but
letters that are their own letters (ø, ı, ł, æ, ß, đ, þ…) stay as they are, so ``sorland``
never met ``sørland``. The store therefore writes these letters folded into the index
(``store/rows.py``, where they differ) and the search folds the words typed the same way
(``store/search/compile.py``): one function for both sides, so they always agree.

Folding is letter by letter, so ``fold_for_search(a + b) == fold_for_search(a) +
fold_for_search(b)``, and it changes only non-ASCII text.

- Letters with an accent are decomposed (NFKD) and lose their combining marks when what is
  left is Latin, Greek or Cyrillic (``é`` -> ``e``, ``ﬁ`` -> ``fi``, full-width ``Ａ`` ->
  ``A``). Other scripts are left alone: decomposing Hangul into its jamo, say, would not help
  anyone find a word.
- The letters NFKD leaves alone get their usual Latin transliteration (:data:`LETTERS`).
- Combining accents written apart from their letter (``e`` + U+0301) are dropped.

Changing what is folded changes the index: it needs a migration that folds existing
libraries again (``store/migrations/fold.py``, version 6, did it first).
"""

from __future__ import annotations

import unicodedata
from typing import Final

#: Letters that are not a base letter plus an accent, with their Latin transliteration.
LETTERS: Final = {
    "ø": "o", "Ø": "O", "ı": "i", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE", "œ": "oe",
    "Œ": "OE", "ß": "ss", "ẞ": "SS", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th",
    "Þ": "TH", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "NG", "ƒ": "f",
    "ĸ": "k", "ſ": "s",
}
#: Below this code point are Latin, Greek and Cyrillic (and their combining marks).
_FOLDABLE_BELOW: Final = 0x0530


def _is_accent(ch: str) -> bool:
    """Combining diacritical marks (U+0300-U+036F): the accents of Latin, Greek, Cyrillic."""
    return "\u0300" <= ch <= "\u036f"


def _fold_letter(ch: str) -> str:
    if ch in LETTERS:
        return LETTERS[ch]
    if _is_accent(ch):
        return ""
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", ch) if not _is_accent(c))
    if decomposed and all(ord(c) < _FOLDABLE_BELOW for c in decomposed):
        return "".join(LETTERS.get(c, c) for c in decomposed)
    return ch


class _Table(dict[int, str]):
    """``str.translate``'s table, filled in as letters are met (each is worked out once)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_letter(chr(code))
        return folded


_TABLE: Final = _Table()


def fold_for_search(text: str) -> str:
    """``text`` as the search index holds it (before the tokenizer lower-cases it)."""
    if text.isascii():
        return text
    return text.translate(_TABLE)

"""Counted nouns and sentence ends, in one place: "1 entry", "2 entries", "Import the 1 valid
entry", and never "running?." (issue 18.23); and text made breakable for display (19.2)."""

from __future__ import annotations

import re
from typing import Final

#: Nouns whose plural is not the singular plus "s".
_PLURALS: Final = {"entry": "entries", "is": "are", "needs": "need", "was": "were",
                   "has": "have", "it": "them"}


def plural(noun: str, n: int) -> str:
    """``noun`` as it reads after the number ``n``: ``plural("entry", 2) == "entries"``. In a
    phrase the last word is the noun (``"valid entry"`` -> ``"valid entries"``)."""
    if n == 1:
        return noun
    rest, space, last = noun.rpartition(" ")
    return rest + space + _PLURALS.get(last, last if last.endswith("s") else last + "s")


def counted(n: int, noun: str) -> str:
    """``"1 entry"``, ``"2 entries"``, ``"1,234 reports"``."""
    return f"{n:,} {plural(noun, n)}"


def sentence(text: str) -> str:
    """``text`` ending as a sentence: a full stop unless it already ends in one, a question
    or an exclamation mark (or an ellipsis)."""
    text = text.rstrip()
    if not text or text[-1] in ".?!…":
        return text
    return text + "."


#: A run of this many characters with no space is broken for display...
LONG_RUN: Final = 60
#: ... with a zero-width space after every this many.
RUN_PIECE: Final = 30
ZERO_WIDTH_SPACE: Final = "\u200b"
_RUN_RE: Final = re.compile(rf"[^\s\u200b]{{{LONG_RUN},}}")


def breakable(text: str) -> str:
    """``text`` as a window lays it out: runs of :data:`LONG_RUN` or more characters with no
    space get a zero-width space every :data:`RUN_PIECE`, so a line can break there. (Qt's
    text layout takes time that grows faster than the length of a word it cannot break: 1 MB
    of one word blocked the window for a minute.) For display only: copies and exports keep
    the text as it is."""
    if len(text) < LONG_RUN:
        return text
    return _RUN_RE.sub(_broken, text)


def _broken(match: re.Match[str]) -> str:
    run = match.group(0)
    return ZERO_WIDTH_SPACE.join(run[i:i + RUN_PIECE] for i in range(0, len(run), RUN_PIECE))

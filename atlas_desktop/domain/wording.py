"""Counted nouns and sentence ends, in one place: "1 entry", "2 entries", "Import the 1 valid
entry", and never "running?." (issue 18.23)."""

from __future__ import annotations

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

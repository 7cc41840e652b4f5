"""Titles with their markup, in the form CSL-JSON (and citeproc-js) understands.

CSL's rich text knows ``<i>``, ``<b>``, ``<sup>``, ``<sub>`` and ``<span class="nocase">``.
PubMed writes the first four inside ``ArticleTitle`` (and ``<u>`` now and then); Crossref
deposits JATS (``<jats:italic>``, ``<italic>``, ``<scp>``...) or HTML as text. Everything
else is dropped, its text kept.
"""

from __future__ import annotations

import html
import re
from typing import Any, Final

KEPT: Final = frozenset({"i", "b", "sup", "sub"})
_ALIASES: Final = {"italic": "i", "em": "i", "bold": "b", "strong": "b", "superscript": "sup",
                   "subscript": "sub"}
_TAG_RE: Final = re.compile(r"<(/?)\s*(?:[a-zA-Z][\w.-]*:)?([a-zA-Z][\w.-]*)[^<>]{0,300}?(/?)>")


def element_markup(element: Any) -> str:
    """An XML element's mixed content (text and inline tags) as CSL markup."""
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = _ALIASES.get(_local(child.tag).lower(), _local(child.tag).lower())
        inner = element_markup(child)
        parts.append(f"<{tag}>{inner}</{tag}>" if tag in KEPT and inner.strip() else inner)
        parts.append(child.tail or "")
    return "".join(parts)


def text_markup(text: str) -> str:
    """A title deposited as text with JATS or HTML tags, as CSL markup (entities decoded,
    line breaks and runs of spaces made one space)."""
    def keep(match: re.Match[str]) -> str:
        closing, name, _ = match.groups()
        tag = _ALIASES.get(name.lower(), name.lower())
        return f"<{closing}{tag}>" if tag in KEPT else ""

    cleaned = _TAG_RE.sub(keep, text)
    cleaned = normalise_space(html.unescape(cleaned))
    return _drop_empty(cleaned)


def _drop_empty(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"<(i|b|sup|sub)>\s*</\1>", "", text)
    return text


#: Longest text kept from a source for one value (the longest real titles are ~600).
MAX_TEXT: Final = 2000
_CONTROL_RE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def normalise_space(text: str, limit: int = MAX_TEXT) -> str:
    """Text from a source made safe to keep and show: control and direction characters
    (terminal escapes among them) become spaces, runs of spaces one, at most ``limit``."""
    return " ".join(_CONTROL_RE.sub(" ", text).split())[:limit]


def _local(tag: Any) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]

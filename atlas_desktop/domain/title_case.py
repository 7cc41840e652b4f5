"""Sentence case for the titles of BibTeX references, on CSL rich text.

BibTeX and biblatex keep titles in title case ("Partial Symmetries of Weak Interactions")
and let the style lower-case them; CSL keeps them in sentence case and lets the style
capitalise them. So a BibTeX title is put in sentence case before it is cited, as pandoc,
and biblatex itself, do for English titles:

- a word written with a capital and then lower-case letters ("Symmetries") is lower-cased,
  unless it starts a sentence (the title, or after ``.``, ``:``, ``?`` or ``!``), where a
  lower-case word gets its capital; words with capitals inside or all capitals ("LaTeX",
  "DNA") and anything in a case-protected group (``{Riemann}`` in the file,
  ``<span class="nocase">`` here) are left as written;
- afterwards a protected group keeps its ``nocase`` mark only when it has a word starting
  with a lower-case letter (which a style's title case would otherwise capitalise);
- straight apostrophes become typographic ones (’).

Titles in other languages are left as they are, without protection marks.
"""

from __future__ import annotations

import re
from typing import Final

_NOCASE_OPEN: Final = '<span class="nocase">'
_TAG_RE: Final = re.compile(r"(<[^<>]{1,80}>)")
_CHUNK_RE: Final = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_SENTENCE_END: Final = frozenset(".:?!")


_PLAIN_TOKEN_RE: Final = re.compile(
    r"(?P<word>[^\W_]+(?:['’][^\W_]+)*)|(?P<end>[.:?!][”’\")]*\s)", re.UNICODE)


def sentence_case(markup: str) -> str:
    """``markup`` (CSL rich text) in sentence case, as the module says."""
    if "<" not in markup:  # most titles: one pass over words and sentence ends
        start = True

        def token(match: re.Match[str]) -> str:
            nonlocal start
            word = match.group("word")
            if word is None:
                start = True
                return match.group(0)
            cased = _case(word, start)
            start = False
            return cased

        return smart_apostrophes(_PLAIN_TOKEN_RE.sub(token, markup))
    parts = _TAG_RE.split(markup)
    out: list[str] = []
    depth = 0  # inside nocase spans
    stack: list[bool] = []  # for each open span: is it a nocase one
    start = True
    pending_end = False
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            if part.startswith("</span"):
                if stack and stack.pop():
                    depth -= 1
            elif part.startswith("<span"):
                nocase = part == _NOCASE_OPEN
                stack.append(nocase)
                depth += nocase
            out.append(part)
            continue
        text: list[str] = []
        position = 0
        for match in _CHUNK_RE.finditer(part):
            between = part[position:match.start()]
            text.append(between)
            start, pending_end = _after(between, start, pending_end)
            word = match.group(0)
            text.append(word if depth else _case(word, start))  # protected: as written
            start, pending_end = False, False
            position = match.end()
        rest = part[position:]
        text.append(rest)
        start, pending_end = _after(rest, start, pending_end)
        out.append("".join(text))
    cased = "".join(out)
    return unmark_protection(cased, keep_lowercase=True) if "<span" in cased \
        else smart_apostrophes(cased)


def _after(text: str, start: bool, pending_end: bool) -> tuple[bool, bool]:
    """The sentence state after ``text`` between words: a sentence starts after ``.:?!``
    and a space."""
    for char in text:
        if char in _SENTENCE_END:
            pending_end = True
        elif char.isspace() and pending_end:
            start, pending_end = True, False
        elif not char.isspace():
            pending_end = pending_end and char in "”’\")"
    return start, pending_end


def _case(word: str, start: bool) -> str:
    rest = word[1:]
    # A capital and then only lower-case letters (no digits, no apostrophe): "Symmetries".
    capitalised = word[:1].isupper() and (not rest or (rest.isalpha() and rest.islower()))
    if start:
        if capitalised or (word.isalpha() and word.islower()):
            return word[:1].upper() + rest.lower()
        return word
    return word.lower() if capitalised else word


_SPAN_RE: Final = re.compile(r"<span class=\"nocase\">|<span\b[^>]*>|</span>")


def unmark_protection(markup: str, *, keep_lowercase: bool) -> str:
    """Drop ``nocase`` marks: all of them, or (``keep_lowercase``) those of groups with no
    word starting with a lower-case letter. Other spans (small caps) stay."""
    out: list[str] = []
    stack: list[tuple[bool, int]] = []  # (nocase, index of its opening in out)
    position = 0
    for match in _SPAN_RE.finditer(markup):
        out.append(markup[position:match.start()])
        position = match.end()
        tag = match.group(0)
        if tag == "</span>":
            if not stack:
                out.append(tag)
                continue
            nocase, opened = stack.pop()
            if nocase:
                inner = _TAG_RE.sub("", "".join(out[opened + 1:]))
                if keep_lowercase and _has_lowercase_word(inner):
                    out.append(tag)
                else:
                    out[opened] = ""
            else:
                out.append(tag)
        else:
            stack.append((tag == _NOCASE_OPEN, len(out)))
            out.append(tag)
    out.append(markup[position:])
    return smart_apostrophes("".join(out))


def _has_lowercase_word(text: str) -> bool:
    return any(word[:1].islower() for word in re.split(r"[^\w'’]+", text) if word)


_WORD_RE: Final = re.compile(r"\S+")


def protect_words(text: str) -> str:
    """Plain text with the case protection our BibTeX writer gives a title: each word with a
    capital after its first letter ("LaTeX", "C–C", "ME/CFS") in a ``nocase`` span. (A title
    read from a file is kept as rich text only when it says more than this, so a title
    without rich text is protected this way.)"""

    def wrap(match: re.Match[str]) -> str:
        word = match.group(0)
        letters = [ch for ch in word if ch.isalpha()]
        if len(letters) > 1 and any(ch.isupper() for ch in letters[1:]):
            return f"{_NOCASE_OPEN}{word}</span>"
        return word

    return _WORD_RE.sub(wrap, text)


def smart_apostrophes(markup: str) -> str:
    """Straight apostrophes as typographic ones, outside tags."""
    if "'" not in markup:
        return markup
    parts = _TAG_RE.split(markup)
    return "".join(p if i % 2 else p.replace("'", "’") for i, p in enumerate(parts))

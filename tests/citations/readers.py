"""Real readers for what we put on the clipboard: Python's HTML parser and pandoc's RTF reader.

They read the documents the way a receiving application does, so the tests check what
survives a paste (text, italics, paragraph layout), not the strings we wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pypandoc

_ITALIC = {"i", "em"}
_BLOCK = {"p", "div", "li"}


@dataclass
class Paragraph:
    text: str = ""
    italics: list[str] = field(default_factory=list)
    style: str = ""
    links: list[str] = field(default_factory=list)
    #: A table row is one paragraph (a numbered entry: label cell, text cell): each cell's
    #: style and text.
    cells: list[tuple[str, str]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[Paragraph] = []
        self._current: Paragraph | None = None
        self._italic_depth = 0
        self._italic_buffer: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._in_row = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "tr":
            self._in_row = True
            self._current = Paragraph()
            self.paragraphs.append(self._current)
        if tag == "td" and self._current is not None:
            if self._current.cells:
                self._current.text += " "
            self._current.cells.append((attributes.get("style") or "", ""))
        if self._in_row:
            if tag == "p" and self._current is not None and not self._current.style:
                self._current.style = attributes.get("style") or ""
        elif tag == "p" or (tag in _BLOCK and self._current is None):
            self._current = Paragraph(style=attributes.get("style") or "")
            self.paragraphs.append(self._current)
        if tag in _ITALIC:
            self._italic_depth += 1
        if tag == "a" and self._current is not None:
            self._current.links.append(attributes.get("href") or "")
        if tag == "br" and self._current is not None:
            self._current.text += "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag in _ITALIC:
            self._italic_depth -= 1
            if self._italic_depth == 0 and self._current is not None:
                self._current.italics.append("".join(self._italic_buffer))
                self._italic_buffer = []
        if tag == "tr":
            self._in_row = False
            self._current = None
        if tag == "p" and not self._in_row:
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is None:
            if not data.strip():
                return
            self._current = Paragraph()
            self.paragraphs.append(self._current)
        self._current.text += data
        if self._in_row and self._current.cells:
            style, text = self._current.cells[-1]
            self._current.cells[-1] = (style, text + data)
        if self._italic_depth:
            self._italic_buffer.append(data)


def read_html(html: str) -> list[Paragraph]:
    """Paragraphs with their text (whitespace collapsed), italic runs, style and links."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    out = []
    for para in reader.paragraphs:
        para.text = re.sub(r"[ \t\r\n\u00a0]+", " ", para.text).strip()
        para.italics = [re.sub(r"\s+", " ", i).strip() for i in para.italics]
        if para.text:
            out.append(para)
    return out


def html_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    reader = _Reader()
    reader.feed(html)
    return reader.tags


def read_rtf(rtf: str) -> list[Paragraph]:
    """The RTF as pandoc reads it (its RTF reader), returned as paragraphs."""
    html = pypandoc.convert_text(rtf, "html", format="rtf")
    return read_html(html)

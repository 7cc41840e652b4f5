"""Formatted text as runs: what a word processor writes (a run is text with one set of
character attributes). citeproc-js's HTML (italics, bold, small capitals, super- and
subscript, underline) becomes runs here, so the .docx/.odt writers and the LibreOffice
extension format citations the same way without reading HTML themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import Any, Final


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    italic: bool = False
    bold: bool = False
    small_caps: bool = False
    superscript: bool = False
    subscript: bool = False
    underline: bool = False

    def same_format(self, other: Run) -> bool:
        return (self.italic, self.bold, self.small_caps, self.superscript, self.subscript,
                self.underline) == (other.italic, other.bold, other.small_caps,
                                    other.superscript, other.subscript, other.underline)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        for name in ("italic", "bold", "small_caps", "superscript", "subscript", "underline"):
            if getattr(self, name):
                out[name] = True
        return out


_PLAIN: Final = Run("")


class _RunParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[list[Run]] = [[]]
        self._stack: list[tuple[str, Run]] = []
        self._format = _PLAIN

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.lines.append([])
            return
        style = (dict(attrs).get("style") or "").replace(" ", "").lower()
        fmt = self._format
        if tag in ("i", "em") or "font-style:italic" in style:
            fmt = replace(fmt, italic=True)
        if "font-style:normal" in style:
            fmt = replace(fmt, italic=False)
        if tag in ("b", "strong") or "font-weight:bold" in style:
            fmt = replace(fmt, bold=True)
        if "font-weight:normal" in style:
            fmt = replace(fmt, bold=False)
        if "font-variant:small-caps" in style:
            fmt = replace(fmt, small_caps=True)
        if "font-variant:normal" in style:
            fmt = replace(fmt, small_caps=False)
        if tag == "sup":
            fmt = replace(fmt, superscript=True)
        if tag == "sub":
            fmt = replace(fmt, subscript=True)
        if tag == "u" or "text-decoration:underline" in style:
            fmt = replace(fmt, underline=True)
        self._stack.append((tag, self._format))
        self._format = fmt

    def handle_endtag(self, tag: str) -> None:
        # Unwind to the matching tag (citeproc's HTML is well formed; this copes if not).
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                self._format = self._stack[i][1]
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not data:
            return
        line = self.lines[-1]
        if line and line[-1].same_format(self._format):
            line[-1] = replace(line[-1], text=line[-1].text + data)
        else:
            line.append(replace(self._format, text=data))


def html_to_lines(html: str) -> list[list[Run]]:
    """citeproc-js's HTML as lines (``<br>`` breaks a line) of runs; adjacent runs of the
    same format are merged."""
    parser = _RunParser()
    parser.feed(html)
    parser.close()
    return parser.lines


def html_to_runs(html: str) -> list[Run]:
    """One line of runs (line breaks become spaces)."""
    out: list[Run] = []
    for n, line in enumerate(html_to_lines(html)):
        if n and out:
            out.append(replace(out[-1], text=" "))
        out.extend(line)
    return out


def plain_text(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def runs_from_json(data: Any) -> list[Run]:
    if not isinstance(data, list):
        return []
    names = ("italic", "bold", "small_caps", "superscript", "subscript", "underline")
    return [Run(str(r.get("text", "")), **{n: bool(r.get(n)) for n in names})
            for r in data if isinstance(r, dict)]

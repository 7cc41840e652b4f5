"""Rendered entries -> the three clipboard documents: plain text, HTML and RTF.

HTML is written for what word processors keep on paste: inline styles only, a charset
declaration (LibreOffice misreads UTF-8 without it), and every length in physical units
(``in``, ``pt``): CSS pixels are scaled by the screen's DPI in LibreOffice (48 px became
0.48 in at 100 dpi and 0.25 in at 192 dpi), while the RTF's twips are exact. Each entry is a
paragraph with a hanging indent (``margin-left`` + negative ``text-indent``); numbered
styles put the label in a cell of its own, one table row per entry, so wrapped lines align
as the RTF's tab stop aligns them. Every paragraph states its line height, so HTML and RTF
paste alike: single spacing, or double when the user asks for it (APA asks for double
spacing only in manuscripts, so it is an option, never the default).
RTF declares its font table, and every escaped character carries its own ``\\uc0`` (a
paragraph's ``\\plain`` resets the count in Word), as citeproc-js writes them; paragraphs
carry the same layout as ``\\li``/``\\fi``/``\\sl``/``\\sa`` control words, with a tab stop
for numbered styles (citeproc-js writes ``1.\\tab`` before the entry).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from atlas_desktop.domain.citation import RichText
from atlas_desktop.domain.csl import clean_title
from atlas_desktop.domain.entry import Entry, author_short

from .engine import Layout

HTML_HEAD: Final = '<meta http-equiv="content-type" content="text/html; charset=utf-8">'
#: The hanging indent Word and APA use: half an inch (36 pt = 720 twips).
HANGING_PT: Final = 36
#: Room a numbered label takes per character at a 12 pt body font, and at least.
LABEL_PT_PER_CHAR: Final = 7
LABEL_MIN_PT: Final = 21
#: One line of a 12 pt body font, for entry spacing.
LINE_PT: Final = 12
TWIPS_PER_PT: Final = 20
#: The font table Word insists on (``\\deff0`` must name a font), and the code page.
RTF_OPEN: Final = ("{\\rtf1\\ansi\\ansicpg1252\\deff0"
                  "{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}}\\uc0 ")
_LABEL_RE: Final = re.compile(r"^(\S{1,12})\s+")


def bibliography(entries: Sequence[RichText], layout: Layout, *,
                 double_spacing: bool = False) -> RichText:
    """Several rendered entries as one bibliography in the order given."""
    layout = _spaced(layout, double_spacing)
    text = "\n".join(e.text for e in entries)
    if layout.second_field_align:
        body = _label_table(entries, layout)
    else:
        style = _html_paragraph_style(layout)
        body = "".join(f'<p style="{style}">{e.html or html_escape(e.text)}</p>'
                       for e in entries)
    pard = _rtf_paragraph(layout)
    paragraphs = "".join(f"{pard}{e.rtf or rtf_escape(e.text)}\\par\n" for e in entries)
    return RichText(
        text=text,
        html=f'{HTML_HEAD}<div class="csl-bib-body">{body}</div>',
        rtf=f"{RTF_OPEN}\n{paragraphs}}}",
    )


def _spaced(layout: Layout, double_spacing: bool) -> Layout:
    """The style's layout with the line spacing the user chose (single unless double)."""
    return replace(layout, line_spacing=2.0 if double_spacing else 1.0)


def _label_table(entries: Sequence[RichText], layout: Layout) -> str:
    """Numbered entries: the label in a cell as wide as the RTF's tab stop, the text in the
    next, so a wrapped line starts under the text, not under the number."""
    width = _label_pt(layout)
    after = _fmt(LINE_PT * layout.entry_spacing)
    line = _line_height(layout)
    rows = []
    for entry in entries:
        content = entry.html or html_escape(entry.text)
        match = _LABEL_RE.match(content)
        label, rest = (match.group(1), content[match.end():]) if match else ("", content)
        cell = f"padding:0 0 {after}pt 0;vertical-align:top;border:none"
        rows.append(f'<tr><td style="width:{_fmt(width)}pt;{cell}"><p style="margin:0;{line}">'
                    f'{label}</p></td><td style="{cell}"><p style="margin:0;{line}">{rest}</p>'
                    "</td></tr>")
    return ('<table style="border-collapse:collapse;border:none;margin:0" cellpadding="0" '
            f'cellspacing="0">{"".join(rows)}</table>')


def inline(content: RichText, *, field_code: str | None = None) -> RichText:
    """A run of text inside a sentence (an in-text citation): no paragraph of its own. With
    ``field_code``, the RTF holds it as a field whose result is the text (Word's
    ``{\\field{\\*\\fldinst …}{\\fldrslt …}}``), so a paste keeps the citation live."""
    shown = content.rtf or rtf_escape(content.text)
    if field_code:
        shown = (f"{{\\field{{\\*\\fldinst{{{rtf_escape(field_code)}}}}}"
                 f"{{\\fldrslt{{{shown}}}}}}}")
    return RichText(
        text=content.text,
        html=f"{HTML_HEAD}<span>{content.html or html_escape(content.text)}</span>",
        rtf=f"{RTF_OPEN}{shown}}}",
    )


def blocks(groups: Sequence[Sequence[RichText]], layout: Layout | None = None) -> RichText:
    """Groups of paragraphs (e.g. one group per entry for "copy with evidence"); the first
    paragraph of each group is laid out as a bibliography entry, with a blank line between
    groups. Single-spaced whatever the style says: these go into letters, not manuscripts."""
    first = replace(layout or Layout(), line_spacing=1.0, entry_spacing=0.0)
    plain = Layout()
    texts: list[str] = []
    html_parts: list[str] = []
    rtf_parts: list[str] = []
    for group in groups:
        texts.append("\n".join(p.text for p in group))
        for i, para in enumerate(group):
            para_layout = first if i == 0 else plain
            # The gap after a group is its last paragraph's own spacing: Qt ignores the
            # margin of a wrapping <div>.
            after = 1.0 if i == len(group) - 1 else None
            style = _html_paragraph_style(para_layout, lines_after=after)
            html_parts.append(f'<p style="{style}">{para.html or html_escape(para.text)}</p>')
            pard = _rtf_paragraph(para_layout, lines_after=after)
            rtf_parts.append(f"{pard}{para.rtf or rtf_escape(para.text)}\\par\n")
    return RichText(
        text="\n\n".join(texts),
        html=HTML_HEAD + "".join(html_parts),
        rtf=RTF_OPEN + "\n" + "".join(rtf_parts) + "}",
    )


def _html_paragraph_style(layout: Layout, *, lines_after: float | None = None) -> str:
    parts = ["margin-top:0", "margin-right:0"]
    indent = _indent_pt(layout)
    parts.append(f"margin-left:{_fmt(indent / 72)}in")
    if indent:
        parts.append(f"text-indent:-{_fmt(indent / 72)}in")
    after = layout.entry_spacing if lines_after is None else lines_after
    parts.append(f"margin-bottom:{_fmt(LINE_PT * after)}pt")
    parts.append(_line_height(layout))
    return ";".join(parts) + ";"


def _line_height(layout: Layout) -> str:
    return f"line-height:{_fmt(100 * layout.line_spacing)}%"


def _rtf_paragraph(layout: Layout, *, lines_after: float | None = None) -> str:
    words = ["\\pard\\plain"]
    indent = round(_indent_pt(layout) * TWIPS_PER_PT)
    if indent:
        words.append(f"\\li{indent}\\fi-{indent}")
        if layout.second_field_align:
            words.append(f"\\tx{indent}")
    words.append(f"\\sl{round(240 * layout.line_spacing)}\\slmult1")
    after = layout.entry_spacing if lines_after is None else lines_after
    words.append(f"\\sa{round(240 * after)}")
    return "".join(words) + " "


def _label_pt(layout: Layout) -> float:
    return max(LABEL_MIN_PT, LABEL_PT_PER_CHAR * (layout.max_offset + 1))


def _indent_pt(layout: Layout) -> float:
    if layout.second_field_align:
        return _label_pt(layout)
    return HANGING_PT if layout.hanging_indent else 0


def _fmt(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def html_escape(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def rtf_escape(text: str) -> str:
    """Plain text as RTF: control characters escaped, non-ASCII as signed ``\\uN`` words."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\line ")
        elif char == "\t":
            out.append("\\tab ")
        elif code < 0x20:
            continue
        elif code < 0x80:
            out.append(char)
        elif code < 0x10000:
            out.append(f"\\uc0\\u{code - 65536 if code > 32767 else code}{{}}")
        else:  # outside the BMP: a UTF-16 surrogate pair
            code -= 0x10000
            for unit in (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)):
                out.append(f"\\uc0\\u{unit - 65536}{{}}")
    return "".join(out)


def plain_reference(entry: Entry) -> str:
    """``Heins et al. (2013). Title. Journal. https://doi.org/…`` without any style: the
    stand-in when no engine is ready. Never empty."""
    who = author_short(entry.authors, entry.authors_truncated) or "Unknown authors"
    year = str(entry.year) if entry.year else "n.d."
    parts = [f"{who} ({year}).", f"{clean_title(entry.title) or 'Untitled'}."]
    if entry.journal:
        parts.append(f"{entry.journal}.")
    if entry.doi:
        parts.append(f"https://doi.org/{entry.doi}")
    elif entry.pmid:
        parts.append(f"PMID: {entry.pmid}")
    return " ".join(parts)

"""Text and runs of one Word paragraph: the paragraph's text outside fields with each
character's run, replacing a stretch of it by new runs, and the bibliography's paragraphs.

A marker such as ``[@heins-2013]`` is often split over several runs (Word starts a new run
at every edit and spelling check); the runs at its edges are split so exactly its
characters are replaced, and the text around it keeps its own runs and formatting.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from atlas_desktop.domain.rich_runs import Run

from . import wordml


class ParagraphText:
    """The paragraph's visible text outside fields, and which run holds each stretch."""

    def __init__(self) -> None:
        self.text = ""
        self.segments: list[tuple[int, int, Any]] = []

    def add(self, run: Any) -> None:
        piece = wordml.run_text(run)
        if piece:
            self.segments.append((len(self.text), len(self.text) + len(piece), run))
            self.text += piece

    @classmethod
    def of(cls, paragraph: Any) -> ParagraphText:
        out = cls()
        depth = 0
        for run in wordml.iter_runs(paragraph):
            for child in run:
                if child.tag == wordml.W_FLDCHAR:
                    kind = child.get(qn("w:fldCharType"))
                    depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if depth == 0 and not any(c.tag == wordml.W_FLDCHAR for c in run):
                out.add(run)
        return out

    def run_at(self, offset: int) -> Any | None:
        for start, end, run in self.segments:
            if start <= offset < end:
                return run
        return self.segments[-1][2] if self.segments else None

    def page_at(self, offset: int) -> int | None:
        return None

    def inside_bookmark(self, offset: int) -> bool:
        return False

    def bookmark_range(self, paragraph: Any, start: Any) -> tuple[int, int]:
        """Offsets of the text between a bookmark's start and its end in this paragraph."""
        bid = start.get(qn("w:id"))
        runs = {id(r): (s, e) for s, e, r in self.segments}
        offset, begin, stop = 0, None, None
        for node in paragraph.iter():
            if node is start:
                begin = offset
            elif node.tag == wordml.W_BOOKMARK_END and node.get(qn("w:id")) == bid:
                stop = offset
                break
            elif id(node) in runs:
                offset = runs[id(node)][1]
        first = begin if begin is not None else 0
        return first, stop if stop is not None else len(self.text)


def replace_range(paragraph: Any, start: int, stop: int,
                  make_runs: Callable[[Any | None], Sequence[Any]], base_run: Any | None) -> None:
    """Replace the characters ``start:stop`` of the paragraph's text with ``make_runs(rPr)``
    (rPr: the replaced text's own character properties)."""
    base = wordml.base_rpr_of(base_run)
    for edge in (start, stop):
        text = ParagraphText.of(paragraph)
        for seg_start, seg_end, run in text.segments:
            if seg_start < edge < seg_end:
                pieces = wordml.atomise(run)
                inner = ParagraphText.of(paragraph)
                for s, e, piece in inner.segments:
                    if piece in pieces and s < edge < e:
                        wordml.split_run(piece, edge - s)
                break
    text = ParagraphText.of(paragraph)
    doomed = [run for s, e, run in text.segments if start <= s and e <= stop]
    if not doomed:
        return
    anchor = doomed[0]
    for element in make_runs(base):
        anchor.addprevious(element)
    for run in doomed:
        run.getparent().remove(run)


def bibliography_paragraphs(code: str, entries: Sequence[Sequence[Run]], *, model: Any | None,
                            style: str | None, hanging_indent: bool) -> list[Any]:
    """The bibliography as paragraphs inside one field (begin in the first, end in the
    last), laid out like ``model`` (the paragraph the bibliography replaces)."""
    rows: list[Sequence[Run]] = list(entries) or [[]]
    base = None
    if model is not None:
        first_run = next(iter(model.iter(wordml.W_R)), None)
        base = wordml.base_rpr_of(first_run)
    out: list[Any] = []
    for n, runs in enumerate(rows):
        para = OxmlElement("w:p")
        ppr = copy.deepcopy(model.find(wordml.W_PPR)) if model is not None and \
            model.find(wordml.W_PPR) is not None else OxmlElement("w:pPr")
        _set_layout(ppr, style=style, hanging_indent=hanging_indent)
        para.append(ppr)
        if n == 0:
            for element in wordml.field_runs(code, [], base)[:3]:
                para.append(element)
        for part in runs:
            if part.text:
                para.append(wordml.text_run(part, base))
        if n == len(rows) - 1:
            para.append(wordml.fld_char_run("end", base))
        out.append(para)
    return out


def _set_layout(ppr: Any, *, style: str | None, hanging_indent: bool) -> None:
    if style:
        for old in ppr.findall(qn("w:pStyle")):
            ppr.remove(old)
        pstyle = OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), style)
        ppr.insert(0, pstyle)
    for old in ppr.findall(qn("w:ind")):
        ppr.remove(old)
    if hanging_indent:
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), "720")
        ind.set(qn("w:hanging"), "720")
        # w:ind comes after spacing and before jc/rPr in CT_PPr's sequence.
        after = [qn(n) for n in ("w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
                                 "w:jc", "w:textDirection", "w:textAlignment",
                                 "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                                 "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")]
        follower = next((c for c in ppr if c.tag in after), None)
        if follower is not None:
            follower.addprevious(ind)
        else:
            ppr.append(ind)

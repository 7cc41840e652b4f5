"""WordprocessingML pieces the .docx update writes: runs with formatting, complex fields, and
splitting a run's text. Elements are python-docx's (lxml) ones; nothing here reads or
writes a file.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import Any, Final

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from atlas_desktop.domain.rich_runs import Run

W_R: Final = qn("w:r")
W_T: Final = qn("w:t")
W_P: Final = qn("w:p")
W_RPR: Final = qn("w:rPr")
W_PPR: Final = qn("w:pPr")
W_FLDCHAR: Final = qn("w:fldChar")
W_INSTR: Final = qn("w:instrText")
W_DEL: Final = qn("w:del")
W_FOOTNOTE_REF: Final = qn("w:footnoteReference")
W_BOOKMARK_START: Final = qn("w:bookmarkStart")
W_BOOKMARK_END: Final = qn("w:bookmarkEnd")
W_TBL: Final = qn("w:tbl")
W_SDT: Final = qn("w:sdt")
W_PAGE_BREAK: Final = qn("w:lastRenderedPageBreak")
W_BR: Final = qn("w:br")
W_TAB: Final = qn("w:tab")
XML_SPACE: Final = "{http://www.w3.org/XML/1998/namespace}space"
#: Character properties a formatted citation sets itself (others are kept from the text).
_OWN_PROPS: Final = ("w:i", "w:b", "w:smallCaps", "w:vertAlign", "w:u")


def fld_char(kind: str) -> Any:
    return fld_char_run(kind, None)


def fld_char_run(kind: str, base_rpr: Any | None) -> Any:
    run = _run(base_rpr)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def instr_run(code: str, base_rpr: Any | None) -> Any:
    run = _run(base_rpr)
    instr = OxmlElement("w:instrText")
    instr.set(XML_SPACE, "preserve")
    instr.text = code
    run.append(instr)
    return run


def text_run(part: Run, base_rpr: Any | None) -> Any:
    run = _run(base_rpr)
    rpr = run.find(W_RPR)
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        run.insert(0, rpr)
    for name in _OWN_PROPS:
        for old in rpr.findall(qn(name)):
            rpr.remove(old)
    if part.bold:
        rpr.append(OxmlElement("w:b"))
    if part.italic:
        rpr.append(OxmlElement("w:i"))
    if part.small_caps:
        rpr.append(OxmlElement("w:smallCaps"))
    if part.underline:
        u = OxmlElement("w:u")
        u.set(qn("w:val"), "single")
        rpr.append(u)
    if part.superscript or part.subscript:
        va = OxmlElement("w:vertAlign")
        va.set(qn("w:val"), "superscript" if part.superscript else "subscript")
        rpr.append(va)
    _order_rpr(rpr)
    if not len(rpr):
        run.remove(rpr)
    t = OxmlElement("w:t")
    t.set(XML_SPACE, "preserve")
    t.text = part.text
    run.append(t)
    return run


def field_runs(code: str, result: Sequence[Run], base_rpr: Any | None) -> list[Any]:
    """A complex field: begin, the code, separate, the formatted result, end."""
    return [fld_char_run("begin", base_rpr), instr_run(code, base_rpr),
            fld_char_run("separate", base_rpr),
            *(text_run(r, base_rpr) for r in result if r.text),
            fld_char_run("end", base_rpr)]


def _run(base_rpr: Any | None) -> Any:
    run = OxmlElement("w:r")
    if base_rpr is not None:
        run.append(copy.deepcopy(base_rpr))
    return run


#: CT_RPr's child order (the schema is a sequence); Word refuses files that break it.
_RPR_ORDER: Final = [qn(n) for n in (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath")]


def _order_rpr(rpr: Any) -> None:
    rank = {tag: n for n, tag in enumerate(_RPR_ORDER)}
    children = list(rpr)
    children.sort(key=lambda c: rank.get(c.tag, len(rank)))
    for child in children:
        rpr.remove(child)
        rpr.append(child)


def base_rpr_of(run: Any | None) -> Any | None:
    """A run's character properties without the ones a citation sets itself."""
    if run is None:
        return None
    rpr = run.find(W_RPR)
    if rpr is None:
        return None
    out = copy.deepcopy(rpr)
    for name in (*_OWN_PROPS, "w:noProof"):
        for old in out.findall(qn(name)):
            out.remove(old)
    return out


def run_text(run: Any) -> str:
    out: list[str] = []
    for child in run:
        if child.tag == W_T:
            out.append(child.text or "")
        elif child.tag == W_TAB:
            out.append("\t")
        elif child.tag == W_BR:
            out.append("\n")
    return "".join(out)


def split_run(run: Any, offset: int) -> Any:
    """Split a run whose only text is one ``w:t`` at ``offset``; returns the second half
    (inserted after ``run``)."""
    t = run.find(W_T)
    assert t is not None
    text = t.text or ""
    second = copy.deepcopy(run)
    t.text = text[:offset]
    t.set(XML_SPACE, "preserve")
    t2 = second.find(W_T)
    t2.text = text[offset:]
    t2.set(XML_SPACE, "preserve")
    run.addnext(second)
    return second


def atomise(run: Any) -> list[Any]:
    """A run with several text children (text, tabs, breaks) as one run per child, so a
    marker's edges fall between runs or inside a single ``w:t``."""
    contents = [c for c in run if c.tag != W_RPR]
    if len(contents) <= 1:
        return [run]
    rpr = run.find(W_RPR)
    out = []
    anchor = run
    for child in contents:
        piece = _run(rpr)
        piece.append(copy.deepcopy(child))
        anchor.addnext(piece)
        anchor = piece
        out.append(piece)
    run.getparent().remove(run)
    return out


def iter_runs(root: Any) -> Iterator[Any]:
    """Runs in document order, skipping deleted text (tracked deletions)."""
    for run in root.iter(W_R):
        if any(a.tag == W_DEL for a in run.iterancestors()):
            continue
        yield run

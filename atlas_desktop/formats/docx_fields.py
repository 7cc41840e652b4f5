"""Citations in a .docx (python-docx, lxml underneath): reading the places that hold them,
writing live Zotero-format fields back.

Read, in document order (a footnote's content at its reference): complex fields whose code
is a citation (``ADDIN ZOTERO_ITEM CSL_CITATION``, Mendeley's ``ADDIN CSL_CITATION``) or a
bibliography (``ADDIN ZOTERO_BIBL``, ``ADDIN Mendeley Bibliography``); Zotero's bookmark
mode (a ``ZOTERO_BREF_…`` bookmark whose code is in the custom properties); and text markers
outside fields. Writing replaces only those places' runs; every other element (styles,
footnotes, tables, images, tracked changes, comments) is left as python-docx loaded it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory, XmlPart
from docx.oxml.ns import qn

from atlas_desktop.domain.live_citations import (
    is_bibliography_code,
    is_citation_code,
    join_property,
)
from atlas_desktop.domain.rich_runs import Run

from . import docx_package, wordml
from .doc_slots import Slot, context_of
from .docx_paragraphs import ParagraphText, bibliography_paragraphs, replace_range

# Footnotes and custom properties are loaded as XML parts (python-docx's extension point),
# so their elements are edited like the body's and serialised on save.
for _ct in (CT.WML_FOOTNOTES, CT.WML_ENDNOTES, CT.OFC_CUSTOM_PROPERTIES):
    PartFactory.part_type_for[_ct] = XmlPart

BREF_PREFIX: Final = "ZOTERO_BREF_"
_CUSTOM_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_PROPS_FMTID: Final = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

MarkerFinder = Callable[[str], Sequence[tuple[int, int, str, str]]]


class DocxDocument:
    """One .docx opened for an update. ``scan`` lists its slots; the ``write_*`` methods
    change them; ``save`` writes a new file (never the input)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = docx_package.open_docx(path)
        self._footnotes = _part(self.doc, RT.FOOTNOTES)
        self._custom = _custom_part(self.doc)
        self._bookmark_props: set[str] = set()

    # --- reading -----------------------------------------------------------------------------

    def properties(self) -> dict[str, str]:
        if self._custom is None:
            return {}
        out: dict[str, str] = {}
        for prop in self._custom.element.findall(f"{{{_CUSTOM_NS}}}property"):
            value = prop.find(f"{{{_VT_NS}}}lpwstr")
            if value is not None:
                out[str(prop.get("name"))] = value.text or ""
        return out

    def scan(self, find_markers: MarkerFinder) -> list[Slot]:
        """Every slot in document order. ``find_markers(text)`` gives (start, end, kind,
        text) of the markers in a paragraph's text; kind is "marker" or
        "bibliography-marker"."""
        props = self.properties()
        notes = {}
        if self._footnotes is not None:
            notes = {n.get(qn("w:id")): n for n in self._footnotes.element.iter(qn("w:footnote"))}
        counter = [0]
        return _Story(self.doc.element.body, 0, props, notes, counter, find_markers).scan()

    # --- writing -----------------------------------------------------------------------------

    def write_citation(self, slot: Slot, code: str, runs: Sequence[Run] | None) -> None:
        """Make ``slot`` a field with ``code`` showing ``runs`` (None: keep the text it
        shows, for a citation the writer edited by hand)."""
        kind, *handle = slot.handle
        if kind == "field":
            begin, separate, end = handle
            _rewrite_field(begin, separate, end, code, runs)
        else:  # a marker or a bookmark's text: the range becomes a field
            paragraph, start, stop, base, bookmark = handle
            shown = list(runs) if runs is not None else [Run(slot.text)]
            replace_range(paragraph, start, stop,
                          lambda rpr: wordml.field_runs(code, shown, rpr), base)
            if bookmark is not None:
                self._drop_bookmark(paragraph, bookmark)

    def write_bibliography(self, slot: Slot | None, code: str, entries: Sequence[Sequence[Run]],
                           *, hanging_indent: bool) -> None:
        """Replace a bibliography field (or a ``{Bibliography}`` marker's paragraph) with the
        new entries in one field; ``slot`` None adds it at the end of the body."""
        body = self.doc.element.body
        if slot is None:
            model = None
            anchor = body.find(qn("w:sectPr"))
            first = last = None
        elif slot.handle[0] == "field":
            begin, _separate, end = slot.handle[1:]
            first, last = _paragraph_of(begin), _paragraph_of(end)
            model, anchor = first, None
        else:
            first = last = slot.handle[1]
            model, anchor = first, None
        style = "Bibliography" if _has_style(self.doc, "Bibliography") else None
        new = bibliography_paragraphs(code, entries, model=model, style=style,
                                      hanging_indent=hanging_indent)
        if first is not None and last is not None:
            parent = first.getparent()
            siblings = list(parent)
            for para in siblings[siblings.index(first):siblings.index(last) + 1]:
                if para is first:
                    for p in new:
                        para.addprevious(p)
                parent.remove(para)
        elif anchor is not None:
            for p in new:
                anchor.addprevious(p)
        else:
            for p in new:
                body.append(p)

    def set_properties(self, values: dict[str, str], *, drop_prefixes: Sequence[str]) -> None:
        """Set custom properties (creating the part if needed); properties whose name starts
        with one of ``drop_prefixes`` and that are not in ``values`` are removed."""
        if self._custom is None:
            self._custom = _new_custom_part(self.doc)
        root = self._custom.element
        existing = {p.get("name"): p for p in root.findall(f"{{{_CUSTOM_NS}}}property")}
        for name, prop in existing.items():
            if name not in values and (any(str(name).startswith(d) for d in drop_prefixes)
                                       or name in self._bookmark_props):
                root.remove(prop)
        pids = [int(p.get("pid") or 1) for p in root.findall(f"{{{_CUSTOM_NS}}}property")]
        next_pid = max([1, *pids]) + 1
        for name, value in values.items():
            prop = existing.get(name)
            if prop is None or prop.getparent() is None:
                prop = root.makeelement(f"{{{_CUSTOM_NS}}}property",
                                        {"fmtid": _PROPS_FMTID, "pid": str(next_pid),
                                         "name": name})
                next_pid += 1
                root.append(prop)
            for child in list(prop):
                prop.remove(child)
            text = prop.makeelement(f"{{{_VT_NS}}}lpwstr", {})
            text.text = value
            prop.append(text)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))

    def _drop_bookmark(self, paragraph: Any, start: Any) -> None:
        name = str(start.get(qn("w:name")))
        bid = start.get(qn("w:id"))
        for end in paragraph.getroottree().iter(wordml.W_BOOKMARK_END):
            if end.get(qn("w:id")) == bid:
                end.getparent().remove(end)
                break
        start.getparent().remove(start)
        for prop in self.properties():
            if prop.startswith(name + "_"):
                self._bookmark_props.add(prop)


class _Story:
    """One story (the body, or a footnote) walked in order."""

    def __init__(self, root: Any, note_index: int, props: dict[str, str],
                 notes: dict[Any, Any], counter: list[int], find_markers: MarkerFinder) -> None:
        self.root, self.note_index, self.props = root, note_index, props
        self.notes, self.counter, self.find_markers = notes, counter, find_markers

    def scan(self) -> list[Slot]:
        slots: list[Slot] = []
        depth = 0
        field: dict[str, Any] = {}
        for number, para in enumerate(self.root.iter(wordml.W_P), start=1):
            text = ParagraphText()
            placed: list[tuple[int, int, Slot | list[Slot]]] = []
            for run in wordml.iter_runs(para):
                if run.getparent() is not para and _paragraph_of(run) is not para:
                    continue  # a run of a nested paragraph (a text box) is read with it
                for child in run:
                    if child.tag == wordml.W_FLDCHAR:
                        kind = child.get(qn("w:fldCharType"))
                        if kind == "begin":
                            depth += 1
                            if depth == 1:
                                field = {"begin": run, "code": [], "sep": None,
                                         "at": len(text.text), "para": para}
                        elif kind == "separate" and depth == 1:
                            field["sep"] = run
                        elif kind == "end":
                            if depth == 1:
                                slot = self._field_slot(field, run, number)
                                if slot is not None:
                                    placed.append((field["at"], len(placed), slot))
                            depth = max(0, depth - 1)
                    elif child.tag == wordml.W_INSTR and depth == 1 and field.get("sep") is None:
                        field["code"].append(child.text or "")
                    elif child.tag == wordml.W_FOOTNOTE_REF and depth == 0:
                        placed.append((len(text.text), len(placed), self._footnote(child)))
                if depth == 0 and child_is_text(run):
                    text.add(run)
            placed.extend(self._bookmarks(para, text, number, len(placed)))
            placed.extend(self._markers(para, text, number, len(placed)))
            for _at, _n, item in sorted(placed, key=lambda p: (p[0], p[1])):
                slots.extend(item if isinstance(item, list) else [item])
        return slots

    def _where(self, number: int) -> str:
        if self.note_index:
            return f"footnote {self.note_index}"
        return f"paragraph {number}"

    def _field_slot(self, field: dict[str, Any], end: Any, number: int) -> Slot | None:
        code = "".join(field["code"])
        if is_citation_code(code):
            kind = "citation"
        elif is_bibliography_code(code):
            kind = "bibliography"
        else:
            return None
        shown = _text_between(field["sep"], end) if field["sep"] is not None else ""
        return Slot(kind=kind, code=code, text=shown, note_index=self.note_index,  # type: ignore[arg-type]
                    where=self._where(number),
                    handle=("field", field["begin"], field["sep"], end))

    def _footnote(self, ref: Any) -> list[Slot]:
        note = self.notes.get(ref.get(qn("w:id")))
        if note is None:
            return []
        self.counter[0] += 1
        return _Story(note, self.counter[0], self.props, self.notes, self.counter,
                      self.find_markers).scan()

    def _bookmarks(self, para: Any, text: ParagraphText, number: int,
                   n: int) -> list[tuple[int, int, Slot]]:
        out: list[tuple[int, int, Slot]] = []
        for start in para.iter(wordml.W_BOOKMARK_START):
            name = str(start.get(qn("w:name")) or "")
            if not name.startswith(BREF_PREFIX):
                continue
            code = join_property(self.props, name)
            if not is_citation_code(code):
                continue
            begin, stop = text.bookmark_range(para, start)
            shown = text.text[begin:stop]
            plain = _plain_citation(code)
            if plain and plain in shown:  # only the citation's own text, not a whole line
                begin += shown.rindex(plain)
                stop = begin + len(plain)
                shown = plain
            base = text.run_at(begin)
            out.append((begin, n + len(out), Slot(
                kind="citation", code=code, text=shown, note_index=self.note_index,
                where=self._where(number),
                handle=("range", para, begin, stop, base, start))))
        return out

    def _markers(self, para: Any, text: ParagraphText, number: int,
                 n: int) -> list[tuple[int, int, Slot]]:
        out: list[tuple[int, int, Slot]] = []
        full = text.text
        for start, end, kind, shown in self.find_markers(full):
            if text.inside_bookmark(start):
                continue
            page = text.page_at(start)
            where = self._where(number) + (f", page {page}" if page else "")
            out.append((start, n + len(out), Slot(
                kind=kind, code=shown, text=shown, note_index=self.note_index,  # type: ignore[arg-type]
                where=where, context=context_of(full, start, end),
                handle=("range", para, start, end, text.run_at(start), None))))
        return out


def child_is_text(run: Any) -> bool:
    return any(c.tag in (wordml.W_T, wordml.W_TAB) for c in run)


def _text_between(start: Any, end: Any) -> str:
    """The text of the runs between ``start`` and ``end``. Walked within their paragraph when
    both are in one (a field's result almost always is): walking the whole document for each
    field made reading one of 2,000 citations take 18 s."""
    paragraph = next(start.iterancestors(wordml.W_P), None)
    within = paragraph is not None and any(a is paragraph for a in end.iterancestors())
    out: list[str] = []
    seen = False
    for run in wordml.iter_runs(paragraph if within else start.getroottree().getroot()):
        if run is start:
            seen = True
            continue
        if run is end:
            break
        if seen:
            out.append(wordml.run_text(run))
    return "".join(out)


def _rewrite_field(begin: Any, separate: Any | None, end: Any, code: str,
                   runs: Sequence[Run] | None) -> None:
    """Keep the field's begin and end runs; put the new code and result between them
    (``runs`` None: only the code changes)."""
    first_result = _first_result_run(separate, end)
    base = wordml.base_rpr_of(first_result if first_result is not None else begin)
    if runs is None:
        node = begin.getnext()
        while node is not None and node is not separate and node is not end:
            following = node.getnext()
            if node.tag == wordml.W_R and node.find(wordml.W_INSTR) is not None:
                node.getparent().remove(node)
            node = following
        begin.addnext(wordml.instr_run(code, base))
        return
    root = begin.getroottree().getroot()
    between: list[Any] = []
    seen = False
    for run in root.iter(wordml.W_R):
        if run is begin:
            seen = True
            continue
        if run is end:
            break
        if seen:
            between.append(run)
    for run in between:
        run.getparent().remove(run)
    for element in reversed(wordml.field_runs(code, runs, base)[1:-1]):
        begin.addnext(element)
    if _paragraph_of(begin) is not _paragraph_of(end):
        # A citation spread over paragraphs: its end moves next to the new text.
        end.getparent().remove(end)
        last = begin
        while last.getnext() is not None and last.getnext().tag == wordml.W_R:
            last = last.getnext()
        last.addnext(end)


def _first_result_run(separate: Any | None, end: Any) -> Any | None:
    if separate is None:
        return None
    node = separate.getnext()
    while node is not None and node is not end:
        if node.tag == wordml.W_R and wordml.run_text(node):
            return node
        node = node.getnext()
    return None


def _paragraph_of(element: Any) -> Any:
    for ancestor in element.iterancestors(wordml.W_P):
        return ancestor
    return None


def _has_style(doc: Any, style_id: str) -> bool:
    try:
        return any(s.style_id == style_id for s in doc.styles)
    except Exception:
        return False


def _part(doc: Any, reltype: str) -> Any | None:
    for rel in doc.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            part = rel.target_part
            return part if isinstance(part, XmlPart) else None
    return None


def _custom_part(doc: Any) -> Any | None:
    for rel in doc.part.package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            part = rel.target_part
            return part if isinstance(part, XmlPart) else None
    return None


def _new_custom_part(doc: Any) -> Any:
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}"/>').encode()
    package = doc.part.package
    part = XmlPart.load(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, xml, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
    return part


_PLAIN_RE: Final = re.compile(r'"plainCitation"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _plain_citation(code: str) -> str:
    match = _PLAIN_RE.search(code)
    if match is None:
        return ""
    try:
        return str(json.loads(f'"{match.group(1)}"'))
    except ValueError:
        return ""

"""Citations in an .odt (odfpy): reading the places that hold them, writing Zotero's
LibreOffice format back.

Read, in document order (a footnote's content at its place): reference marks named
``ZOTERO_ITEM CSL_CITATION {json} RND…`` (Zotero's LibreOffice plug-in, Better BibTeX,
ours); fieldmarks whose code is a citation (Word's fields kept by LibreOffice, and what a
citation copied from Atlas Desktop becomes when pasted into Writer); the bibliography
section ``ZOTERO_BIBL {json} CSL_BIBLIOGRAPHY RND…``; typed markers in the text; the
preferences in the user-defined properties ``ZOTERO_PREF_n``. Writing makes every citation a
reference mark and the bibliography a section, and leaves every other element (styles,
tables, images, tracked changes, comments) as odfpy loaded it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final
from xml.parsers.expat import ExpatError

from odf import meta as odf_meta
from odf import opendocument
from odf import text as odf_text
from odf.element import Text
from odf.namespaces import FIELDNS, METANS, OFFICENS, TEXTNS

from atlas_desktop.domain.live_citations import (
    is_bibliography_code,
    is_citation_code,
    random_suffix,
)
from atlas_desktop.domain.rich_runs import Run

from .doc_slots import OLE_MAGIC, DocumentUnreadable, Slot, check_package, context_of
from .odt_text import (
    F_END,
    F_PARAM,
    F_SEP,
    F_START,
    T_H,
    T_NOTE,
    T_NOTE_BODY,
    T_P,
    T_REF_END,
    T_REF_START,
    T_SECTION,
    ParagraphText,
    RunStyles,
    attr,
    detach,
    insert_after,
    insert_before,
    qname,
    reference_mark,
    remove_leaves,
    run_nodes,
)

FIELD_CODE: Final = "vnd.oasis.opendocument.field.code"
MarkerFinder = Callable[[str], Sequence[tuple[int, int, str, str]]]


def _open(path: Path) -> Any:
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise DocumentUnreadable(f"{name} cannot be read: {exc.strerror or exc}.") from None
    if head == OLE_MAGIC:
        raise DocumentUnreadable(f"{name} is protected by a password or is not an "
                                 "OpenDocument text; remove the password in LibreOffice and "
                                 "try again.")
    check_package(path, size, f"{name} is not an OpenDocument text (.odt) or it is damaged.")
    try:
        with zipfile.ZipFile(path) as package:
            if "encryption-data" in package.read("META-INF/manifest.xml").decode(
                    "utf-8", "replace"):
                raise DocumentUnreadable(f"{name} is protected by a password; remove the "
                                         "password in LibreOffice and try again.")
        document = opendocument.load(str(path))
    except DocumentUnreadable:
        raise
    except (KeyError, ValueError, zipfile.BadZipFile, ExpatError, EOFError, AttributeError,
            NotImplementedError) as exc:
        raise DocumentUnreadable(f"{name} is damaged and cannot be read as an OpenDocument "
                                 f"text ({type(exc).__name__}).") from None
    if document.mimetype != "application/vnd.oasis.opendocument.text":
        raise DocumentUnreadable(f"{name} is not an OpenDocument text (.odt).")
    return document


class OdtDocument:
    """One .odt opened for an update: ``scan`` lists its slots, ``write_*`` change them,
    ``save`` writes a new file (never the input)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = _open(path)
        self.styles = RunStyles(self.doc)
        # odfpy's ``doc.text`` is only set for documents it creates; a loaded one has its
        # office:text inside office:body.
        body = next((c for c in self.doc.body.childNodes
                     if qname(c) == (OFFICENS, "text")), None)
        if body is None:
            raise DocumentUnreadable(f"{path.name} holds no text to update.")
        self.body: Any = body

    # --- reading -----------------------------------------------------------------------------

    def properties(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for node in self.doc.meta.childNodes:
            if qname(node) == (METANS, "user-defined"):
                out[attr(node, METANS, "name")] = "".join(
                    str(c) for c in node.childNodes if isinstance(c, Text))
        return out

    def scan(self, find_markers: MarkerFinder) -> list[Slot]:
        story = _Story(find_markers)
        story.walk(self.body, 0)
        return story.slots

    # --- writing -----------------------------------------------------------------------------

    def write_citation(self, slot: Slot, code: str, runs: Sequence[Run] | None) -> None:
        """Make ``slot`` a reference mark named for ``code`` showing ``runs`` (None: keep
        the text, for a citation the writer edited by hand)."""
        kind, paragraph, first, last = slot.handle
        name = f"ZOTERO_{_bare(code)} {random_suffix()}"
        text = ParagraphText(paragraph)
        if kind == "range":  # a typed marker: characters first..last
            leaves = text.split_range(first, last)
            shown = runs if runs is not None else [Run(slot.text)]
            nodes = reference_mark(name, run_nodes(shown, self.styles))
            anchor = leaves[0].node if leaves else None
            if anchor is None:
                return
            insert_before(anchor, nodes)
            remove_leaves(leaves)
            return
        if kind == "mark":
            if runs is not None:
                leaves = text.leaves_between(first, last)
                insert_after(first, run_nodes(runs, self.styles))
                remove_leaves(leaves)
            first.setAttrNS(TEXTNS, "name", name)
            last.setAttrNS(TEXTNS, "name", name)
            return
        # A fieldmark (start, separator, end) becomes a reference mark around its result.
        separator = last
        end = _following(paragraph, separator, F_END)
        if runs is not None and end is not None:
            leaves = text.leaves_between(separator, end)
            insert_after(separator, run_nodes(runs, self.styles))
            remove_leaves(leaves)
        start_mark = odf_text.ReferenceMarkStart(name=name)
        end_mark = odf_text.ReferenceMarkEnd(name=name)
        insert_before(first, [start_mark])
        insert_before(end if end is not None else separator, [end_mark])
        for element in (first, separator, end):
            if element is not None:
                detach(element)

    def write_bibliography(self, slot: Slot | None, code: str, entries: Sequence[Sequence[Run]],
                           *, hanging_indent: bool) -> None:
        """The entries in a section named for ``code``: in place of the bibliography section,
        of a ``{Bibliography}`` marker's paragraph, or at the end (``slot`` None)."""
        name = f"ZOTERO_{_bare(code)} {random_suffix()}"
        body = self.body
        if slot is not None and slot.handle[0] == "section":
            section = slot.handle[1]
            model = next((c for c in section.childNodes if qname(c) in (T_P, T_H)), None)
            for child in list(section.childNodes):
                detach(child)
            section.setAttrNS(TEXTNS, "name", name)
        else:
            section = odf_text.Section(name=name)
            model = slot.handle[1] if slot is not None else None
            if model is not None:
                insert_before(model, [section])
                detach(model)
            else:
                body.addElement(section)
        parent = attr(model, TEXTNS, "style-name") if model is not None else ""
        style = self.styles.paragraph_style(parent, hanging_indent)
        for runs in entries:
            paragraph = odf_text.P(**({"stylename": style} if style else {}))
            for node in run_nodes(list(runs), self.styles):
                paragraph.appendChild(node)
            section.addElement(paragraph)

    def set_properties(self, values: dict[str, str], *, drop_prefixes: Sequence[str]) -> None:
        meta = self.doc.meta
        for node in list(meta.childNodes):
            if qname(node) == (METANS, "user-defined"):
                name = attr(node, METANS, "name")
                if name in values or any(name.startswith(p) for p in drop_prefixes):
                    detach(node)
        for name, value in values.items():
            node = odf_meta.UserDefined(name=name, valuetype="string")
            node.addText(value)
            meta.addElement(node)

    def save(self, path: Path) -> None:
        # odfpy's save looks for the generator among office:meta's children and fails on
        # the whitespace of a pretty-printed meta.xml (pandoc writes one); it means nothing.
        for node in list(self.doc.meta.childNodes):
            if isinstance(node, Text) and not str(node).strip():
                detach(node)
        self.doc.save(str(path))


class _Story:
    """The body walked in order; footnotes where they are anchored."""

    def __init__(self, find_markers: MarkerFinder) -> None:
        self.find_markers = find_markers
        self.slots: list[Slot] = []
        self.paragraphs = 0
        self.notes = 0

    def walk(self, element: Any, note: int) -> None:
        for child in element.childNodes:
            name = qname(child)
            if name in (T_P, T_H):
                self.paragraph(child, note)
            elif name == T_SECTION:
                code = _bare(attr(child, TEXTNS, "name").strip())
                if is_bibliography_code(code):
                    self.slots.append(Slot(kind="bibliography", code=code, text="",
                                           where=f"paragraph {self.paragraphs + 1}",
                                           handle=("section", child)))
                else:
                    self.walk(child, note)
            elif name is not None and name != T_NOTE:
                self.walk(child, note)

    def paragraph(self, paragraph: Any, note: int) -> None:
        if not note:
            self.paragraphs += 1
        where = f"footnote {note}" if note else f"paragraph {self.paragraphs}"
        text = ParagraphText(paragraph)
        full = text.text
        placed: list[tuple[int, Slot]] = []
        covered: list[tuple[int, int]] = []
        offsets = _offsets(paragraph, text)
        for element in _elements(paragraph):
            name = qname(element)
            if name == T_REF_START:
                code = _bare(attr(element, TEXTNS, "name"))
                end = _matching_end(paragraph, element)
                if end is None or not is_citation_code(code):
                    continue
                shown = text.text_between(element, end)
                at = offsets.get(id(element), 0)
                covered.append((at, at + len(shown)))
                placed.append((at, Slot(kind="citation", code=code, text=shown,
                                        note_index=note, where=where,
                                        handle=("mark", paragraph, element, end))))
            elif name == F_START:
                code = _field_code(element)
                separator = _following(paragraph, element, F_SEP)
                end = _following(paragraph, element, F_END)
                if separator is None or end is None or not is_citation_code(code):
                    continue
                shown = text.text_between(separator, end)
                at = offsets.get(id(separator), 0)
                covered.append((at, at + len(shown)))
                placed.append((at, Slot(kind="citation", code=code.strip(), text=shown,
                                        note_index=note, where=where,
                                        handle=("field", paragraph, element, separator))))
            elif name == T_NOTE:
                self.notes += 1
                number = self.notes
                inner = _Story(self.find_markers)
                inner.notes, inner.paragraphs = self.notes, self.paragraphs
                for body in element.childNodes:
                    if qname(body) == T_NOTE_BODY:
                        inner.walk(body, number)
                self.notes = inner.notes
                placed.extend((offsets.get(id(element), 0), s) for s in inner.slots)
        for start, end, kind, shown in self.find_markers(full):
            if any(low <= start < high for low, high in covered):
                continue
            if kind == "bibliography-marker":
                if full.strip() == shown:  # a paragraph of its own becomes the section
                    placed.append((start, Slot(kind="bibliography-marker", code=shown,
                                               text=shown, where=where,
                                               handle=("paragraph", paragraph))))
                continue
            placed.append((start, Slot(kind="marker", code=shown, text=shown, note_index=note,
                                       where=where, context=context_of(full, start, end),
                                       handle=("range", paragraph, start, end))))
        self.slots.extend(slot for _, slot in sorted(placed, key=lambda p: p[0]))


def _elements(paragraph: Any) -> list[Any]:
    """The paragraph's elements in order, not looking into footnotes."""
    out: list[Any] = []

    def visit(element: Any) -> None:
        for child in element.childNodes:
            if isinstance(child, Text):
                continue
            out.append(child)
            if qname(child) != T_NOTE:
                visit(child)

    visit(paragraph)
    return out


def _offsets(paragraph: Any, text: ParagraphText) -> dict[int, int]:
    """Character offset of every element of the paragraph (where it sits in the text)."""
    leaf_at: dict[int, int] = {}
    at = 0
    for leaf in text.leaves:
        leaf_at[id(leaf.node)] = at
        at += len(leaf.text)
    out: dict[int, int] = {}
    position = 0
    lengths = {id(leaf.node): len(leaf.text) for leaf in text.leaves}

    def visit(element: Any) -> None:
        nonlocal position
        for child in element.childNodes:
            if id(child) in leaf_at:
                position = leaf_at[id(child)] + lengths[id(child)]
                continue
            if isinstance(child, Text):
                continue
            out[id(child)] = position
            if qname(child) != T_NOTE:
                visit(child)

    visit(paragraph)
    return out


def _matching_end(paragraph: Any, start: Any) -> Any | None:
    name = attr(start, TEXTNS, "name")
    return next((e for e in _elements(paragraph)
                 if qname(e) == T_REF_END and attr(e, TEXTNS, "name") == name), None)


def _following(paragraph: Any, after: Any, kind: tuple[str, str]) -> Any | None:
    seen = False
    for element in _elements(paragraph):
        if element is after:
            seen = True
        elif seen and qname(element) == kind:
            return element
    return None


def _field_code(start: Any) -> str:
    for child in start.childNodes:
        if qname(child) == F_PARAM and attr(child, FIELDNS, "name") == FIELD_CODE:
            return attr(child, FIELDNS, "value")
    return ""


def _bare(code: str) -> str:
    """``ZOTERO_ITEM CSL_CITATION {…} RND…`` or `` ADDIN ZOTERO_…`` -> the code as the
    domain parses it (``ITEM CSL_CITATION {…}``)."""
    body = code.strip()
    if body.startswith("ADDIN "):
        body = body[len("ADDIN "):].lstrip()
    if body.startswith("ZOTERO_"):
        body = body[len("ZOTERO_"):]
    cut = body.rfind(" RND")
    if cut != -1 and " " not in body[cut + 1:]:
        body = body[:cut]
    return body

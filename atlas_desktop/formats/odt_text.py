"""A paragraph of an OpenDocument text (odfpy's elements) as plain text with offsets, and
formatted runs written back as spans with automatic styles.

A paragraph's characters live in text nodes spread over nested spans, plus ``text:s``
(spaces), ``text:tab`` and ``text:line-break``; footnotes (``text:note``) sit inside it but
are stories of their own. :class:`ParagraphText` lists those characters in order with the
node each comes from, so a marker found in the plain text can be cut out of the elements
exactly, whatever spans it crosses.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from odf import style as odf_style
from odf import teletype
from odf import text as odf_text
from odf.element import Element, Text
from odf.namespaces import FIELDNS, OFFICENS, STYLENS, TEXTNS

from atlas_desktop.domain.rich_runs import Run

T_P: Final = (TEXTNS, "p")
T_H: Final = (TEXTNS, "h")
T_S: Final = (TEXTNS, "s")
T_TAB: Final = (TEXTNS, "tab")
T_BREAK: Final = (TEXTNS, "line-break")
#: The most spaces one ``text:s`` stands for (a document says how many; real ones say a few).
MAX_SPACES: Final = 1_000
T_NOTE: Final = (TEXTNS, "note")
T_NOTE_BODY: Final = (TEXTNS, "note-body")
T_SECTION: Final = (TEXTNS, "section")
T_REF_START: Final = (TEXTNS, "reference-mark-start")
T_REF_END: Final = (TEXTNS, "reference-mark-end")
F_START: Final = (FIELDNS, "fieldmark-start")
F_SEP: Final = (FIELDNS, "fieldmark-separator")
F_END: Final = (FIELDNS, "fieldmark-end")
F_PARAM: Final = (FIELDNS, "param")
OFFICE_ANNOTATION: Final = (OFFICENS, "annotation")
#: Children that are not the paragraph's own text (stories of their own, or metadata).
_SKIPPED: Final = frozenset({T_NOTE, OFFICE_ANNOTATION, (TEXTNS, "bookmark-start"),
                             (TEXTNS, "bookmark-end"), (TEXTNS, "bookmark")})


def qname(node: Any) -> tuple[str, str] | None:
    return getattr(node, "qname", None)


def attr(node: Any, ns: str, name: str) -> str:
    value = node.attributes.get((ns, name)) if hasattr(node, "attributes") else None
    return str(value) if value is not None else ""


@dataclass(slots=True)
class Leaf:
    """One character-bearing node: a text node, or a space/tab/line-break element."""

    node: Any
    text: str


class ParagraphText:
    """The paragraph's characters in order, each from a :class:`Leaf`."""

    def __init__(self, paragraph: Any) -> None:
        self.paragraph = paragraph
        self.leaves: list[Leaf] = []
        self._walk(paragraph)

    @property
    def text(self) -> str:
        return "".join(leaf.text for leaf in self.leaves)

    def _walk(self, element: Any) -> None:
        for child in element.childNodes:
            if isinstance(child, Text):
                if child.data:
                    self.leaves.append(Leaf(child, child.data))
                continue
            name = qname(child)
            if name == T_S:
                count = attr(child, TEXTNS, "c")
                # text:c counts the spaces; a document's own number, so bounded.
                spaces = min(int(count), MAX_SPACES) if count.isdigit() else 1
                self.leaves.append(Leaf(child, " " * spaces))
            elif name == T_TAB:
                self.leaves.append(Leaf(child, "\t"))
            elif name == T_BREAK:
                self.leaves.append(Leaf(child, "\n"))
            elif name in _SKIPPED or name in (T_P, T_H):
                continue
            else:
                self._walk(child)

    def text_between(self, start: Any, end: Any) -> str:
        """The text between two elements of this paragraph (marks, field parts)."""
        return "".join(leaf.text for leaf in self.leaves_between(start, end))

    def leaves_between(self, start: Any, end: Any) -> list[Leaf]:
        order = {id(n): i for i, n in enumerate(_descendants(self.paragraph))}
        low, high = order.get(id(start), -1), order.get(id(end), -1)
        return [leaf for leaf in self.leaves if low < order.get(id(leaf.node), -1) < high]

    def split_range(self, start: int, end: int) -> list[Leaf]:
        """The leaves of characters ``start``..``end``, text nodes split at the edges."""
        self._split_at(end)
        self._split_at(start)
        out, at = [], 0
        for leaf in self.leaves:
            if start <= at and at + len(leaf.text) <= end and leaf.text:
                out.append(leaf)
            at += len(leaf.text)
        return out

    def _split_at(self, offset: int) -> None:
        at = 0
        for index, leaf in enumerate(self.leaves):
            if at < offset < at + len(leaf.text) and isinstance(leaf.node, Text):
                cut = offset - at
                head, tail = leaf.text[:cut], leaf.text[cut:]
                second = Text(tail)
                leaf.node.parentNode.insertBefore(second, leaf.node.nextSibling)
                leaf.node.data, leaf.text = head, head
                self.leaves.insert(index + 1, Leaf(second, tail))
                return
            at += len(leaf.text)


def _descendants(element: Any) -> Iterator[Any]:
    for child in element.childNodes:
        yield child
        if not isinstance(child, Text) and qname(child) not in (T_NOTE, OFFICE_ANNOTATION):
            yield from _descendants(child)


def detach(node: Any) -> None:
    """Take ``node`` out of its parent. odfpy's ``removeChild`` refuses text nodes (its
    element caches assert on them), so their links are undone here."""
    parent = node.parentNode
    if parent is None:
        return
    if not isinstance(node, Text):
        parent.removeChild(node)
        return
    parent.childNodes.remove(node)
    if node.nextSibling is not None:
        node.nextSibling.previousSibling = node.previousSibling
    if node.previousSibling is not None:
        node.previousSibling.nextSibling = node.nextSibling
    node.nextSibling = node.previousSibling = node.parentNode = None


def remove_leaves(leaves: Sequence[Leaf]) -> None:
    for leaf in leaves:
        detach(leaf.node)


def insert_after(anchor: Any, nodes: Sequence[Any]) -> None:
    parent, following = anchor.parentNode, anchor.nextSibling
    for node in nodes:
        parent.insertBefore(node, following)


def insert_before(anchor: Any, nodes: Sequence[Any]) -> None:
    for node in nodes:
        anchor.parentNode.insertBefore(node, anchor)


class RunStyles:
    """Automatic text styles for formatted runs (one per combination, made once), and the
    hanging-indent paragraph style of a bibliography."""

    PREFIX: Final = "AtlasRun"

    def __init__(self, document: Any) -> None:
        self._document = document
        self._made: dict[tuple[bool, ...], str] = {}
        self._paragraph: dict[tuple[str, bool], str] = {}
        taken = {attr(s, STYLENS, "name") for s in document.automaticstyles.childNodes
                 if not isinstance(s, Text)}
        self._taken = taken

    def _name(self, base: str) -> str:
        n = 1
        while f"{base}{n}" in self._taken:
            n += 1
        name = f"{base}{n}"
        self._taken.add(name)
        return name

    def text_style(self, run: Run) -> str | None:
        key = (run.italic, run.bold, run.small_caps, run.underline, run.superscript,
               run.subscript)
        if not any(key):
            return None
        if key not in self._made:
            props: dict[str, str] = {}
            if run.italic:
                props["fontstyle"] = "italic"
            if run.bold:
                props["fontweight"] = "bold"
            if run.small_caps:
                props["fontvariant"] = "small-caps"
            if run.underline:
                props["textunderlinestyle"] = "solid"
                props["textunderlinewidth"] = "auto"
                props["textunderlinecolor"] = "font-color"
            if run.superscript or run.subscript:
                props["textposition"] = "super 58%" if run.superscript else "sub 58%"
            name = self._name(self.PREFIX)
            made = odf_style.Style(name=name, family="text")
            made.addElement(odf_style.TextProperties(**props))
            self._document.automaticstyles.addElement(made)
            self._made[key] = name
        return self._made[key]

    def paragraph_style(self, parent: str, hanging: bool) -> str | None:
        if not hanging:
            return parent or None
        key = (parent, hanging)
        if key not in self._paragraph:
            name = self._name("AtlasBibliography")
            made = odf_style.Style(name=name, family="paragraph",
                                   **({"parentstylename": parent} if parent else {}))
            made.addElement(odf_style.ParagraphProperties(marginleft="0.5in",
                                                          textindent="-0.5in"))
            self._document.automaticstyles.addElement(made)
            self._paragraph[key] = name
        return self._paragraph[key]


def run_nodes(runs: Sequence[Run], styles: RunStyles) -> list[Element]:
    """Runs as ODF nodes: plain text as it is (spaces and tabs as ODF writes them), formatted
    text in a span of its automatic style."""
    holder = odf_text.Span()
    for run in runs:
        if not run.text:
            continue
        name = styles.text_style(run)
        if name is None:
            teletype.addTextToElement(holder, run.text)
        else:
            span = odf_text.Span(stylename=name)
            teletype.addTextToElement(span, run.text)
            holder.addElement(span)
    nodes = list(holder.childNodes)
    for node in nodes:
        holder.removeChild(node)
    return nodes


def reference_mark(name: str, runs_nodes: Sequence[Any]) -> list[Any]:
    return [odf_text.ReferenceMarkStart(name=name), *runs_nodes,
            odf_text.ReferenceMarkEnd(name=name)]

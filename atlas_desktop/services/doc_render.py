"""Rendering a document's live citations: the one path the LibreOffice extension (through the
window's local endpoint) and the document update both take.

The item data of a citation is the library entry's CSL item when the entry exists here (so a
corrected entry refreshes the document), otherwise the ``itemData`` embedded in the document
(so a document refreshes on a machine lacking some entries, or with a colleague's Zotero
items). Works are keyed across the document by the entry id, else by their URI or data, so
the same work cited twice is one work to the engine (numbering, ibid., disambiguation) while
two different works with the same document-local id (Mendeley's ``ITEM-1``) stay apart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from atlas_desktop.citations import EngineCache, resolve_style
from atlas_desktop.citations.clusters import render_document
from atlas_desktop.citations.engine import Layout
from atlas_desktop.citations.errors import EngineClosed
from atlas_desktop.citations.locales import normalise_locale
from atlas_desktop.domain.csl import entry_to_csl
from atlas_desktop.domain.entry import Entry
from atlas_desktop.domain.live_citations import (
    CiteItem,
    LiveCitation,
    entry_uri,
    new_citation_id,
)
from atlas_desktop.domain.rich_runs import Run, html_to_lines, html_to_runs, plain_text
from atlas_desktop.store import catalogue as cat

from .cited import cited_entries
from .context import LibraryContext


@dataclass(frozen=True, slots=True)
class RenderedCitation:
    #: The citation as it is to be stored (fresh item data, formatted and plain text).
    citation: LiveCitation
    runs: tuple[Run, ...]
    #: The document's text differs from what was last rendered there: edited by hand.
    edited: bool = False
    #: The citation as the style renders it now, even one kept as worded by hand.
    fresh: LiveCitation | None = None


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    citations: tuple[RenderedCitation, ...]
    #: One list of runs per bibliography entry, in the style's order.
    bibliography: tuple[tuple[Run, ...], ...] = ()
    layout: Layout = field(default_factory=Layout)
    style_id: str = ""
    style_label: str = ""
    note_style: bool = False
    has_bibliography: bool = True
    #: Sentences for the user: works that could not be formatted, and why.
    problems: tuple[str, ...] = ()


class DocumentRenderer:
    def __init__(self, ctx: LibraryContext, engines: EngineCache) -> None:
        self._ctx = ctx
        self._engines = engines

    def render(self, citations: Sequence[LiveCitation], *, style: str, locale: str | None,
               bibliography: bool = True,
               current_texts: Sequence[str | None] = ()) -> RenderedDocument:
        """Render ``citations`` (document order) in ``style``. ``current_texts[i]`` is the
        text the document shows for citation i (None: unknown), to spot hand edits."""
        source = resolve_style(style)
        tag = normalise_locale(locale) if locale else None
        citations = _unique_ids(citations)
        library = self._library_entries(citations)
        items: dict[str, dict[str, Any]] = {}
        requests: list[dict[str, Any]] = []
        problems: list[str] = []
        kept: list[LiveCitation] = []
        for citation in citations:
            cite_items: list[dict[str, Any]] = []
            new_items: list[CiteItem] = []
            for item in citation.items:
                key, data = _item_data(item, library)
                if data is None:
                    problems.append(f"A citation ({citation.plain or citation.citation_id}) "
                                    "names a work with no data in the document and none in "
                                    "this library; it was left out.")
                    continue
                items.setdefault(key, data)
                cite_items.append(_cite_item(key, item))
                new_items.append(replace(item, key=key, item_data=_stored(items[key])))
            kept.append(replace(citation, items=tuple(new_items)))
            requests.append({"citationID": citation.citation_id, "citationItems": cite_items,
                             "properties": {"noteIndex": citation.note_index}})
        with_items = [(c, r) for c, r in zip(kept, requests, strict=True)
                      if r["citationItems"]]
        rendering = None
        for attempt in (1, 2):
            engine = self._engines.engine(source, tag)
            try:
                rendering = render_document(engine, list(items.values()),
                                            [r for _, r in with_items],
                                            bibliography=bibliography)
                break
            except EngineClosed:
                if attempt == 2:
                    raise
        assert rendering is not None
        problems.extend(f"{f.entry_id}: {f.reason}" for f in rendering.failures)
        out: list[RenderedCitation] = []
        texts = list(current_texts) + [None] * (len(kept) - len(current_texts))
        for citation, shown in zip(kept, texts, strict=False):
            html = rendering.citations.get(citation.citation_id, "")
            runs = tuple(html_to_runs(html))
            plain = plain_text(list(runs))
            edited = bool(shown is not None and citation.plain and not citation.dont_update
                          and _norm(shown) != _norm(citation.plain))
            fresh = replace(citation, formatted=html, plain=plain, dont_update=False)
            stored = citation if citation.dont_update else fresh
            out.append(RenderedCitation(citation=stored, runs=runs, edited=edited,
                                        fresh=fresh))
        entries = tuple(tuple(_bib_runs(html)) for _, html in rendering.bibliography)
        return RenderedDocument(
            citations=tuple(out), bibliography=entries, layout=rendering.layout,
            style_id=source.info.style_id, style_label=source.info.label,
            note_style=rendering.style_class == "note",
            has_bibliography=rendering.has_bibliography, problems=tuple(problems))

    def _library_entries(self, citations: Sequence[LiveCitation]) -> dict[str, Entry]:
        ids = {i.entry_id for c in citations for i in c.items if i.entry_id}
        if not ids:
            return {}
        with self._ctx.db.read() as conn:
            # As cited: with what PubMed or Crossref completed (volume, pages, all authors).
            cited, _ = cited_entries(conn, cat.get_entries(conn, sorted(ids)))
        return {e.id: e for e in cited}


def citation_for_entries(entries: Sequence[Entry], options: Sequence[dict[str, Any]] = (),
                         *, note_index: int = 0) -> LiveCitation:
    """A new citation of library ``entries`` (in order); ``options[i]`` holds entry i's
    ``locator``, ``label``, ``prefix``, ``suffix``, ``suppress-author``."""
    items = []
    for n, entry in enumerate(entries):
        opt = options[n] if n < len(options) else {}
        items.append(CiteItem(
            key=entry.id, item_data=_stored(entry_to_csl(entry)),
            locator=str(opt.get("locator") or ""), label=str(opt.get("label") or ""),
            prefix=str(opt.get("prefix") or ""), suffix=str(opt.get("suffix") or ""),
            suppress_author=bool(opt.get("suppress-author")), uris=(entry_uri(entry.id),)))
    return LiveCitation(citation_id=new_citation_id(), items=tuple(items),
                        note_index=note_index)


def _item_data(item: CiteItem, library: dict[str, Entry]) -> tuple[str, dict[str, Any] | None]:
    entry = library.get(item.entry_id or "")
    if entry is not None:
        return entry.id, {**entry_to_csl(entry), "id": entry.id}
    if item.entry_id:
        key = item.entry_id
    elif item.uris:
        key = "doc-" + _digest(item.uris[0])
    elif item.item_data is not None:
        data = {k: v for k, v in item.item_data.items() if k != "id"}
        key = "doc-" + _digest(json.dumps(data, sort_keys=True, default=str))
    else:
        return item.key, None
    if item.item_data is None:
        return key, None
    return key, {**_clean(item.item_data), "id": key}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Embedded data as the engine takes it: Zotero's numeric ids and Mendeley's
    ``parse-names`` flags are harmless; anything not JSON-shaped is dropped."""
    return {str(k): v for k, v in data.items()
            if isinstance(v, str | int | float | list | dict | bool)}


def _stored(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items()}


def _cite_item(key: str, item: CiteItem) -> dict[str, Any]:
    out: dict[str, Any] = {"id": key}
    if item.locator:
        out["locator"] = item.locator
        out["label"] = item.label or "page"
    if item.prefix:
        out["prefix"] = item.prefix
    if item.suffix:
        out["suffix"] = item.suffix
    if item.suppress_author:
        out["suppress-author"] = True
    if item.author_only:
        out["author-only"] = True
    return out


def _unique_ids(citations: Sequence[LiveCitation]) -> list[LiveCitation]:
    """A document copied together from pieces can hold one citationID twice; the engine
    needs them unique."""
    seen: set[str] = set()
    out = []
    for citation in citations:
        unique = citation
        if citation.citation_id in seen or not citation.citation_id:
            unique = replace(citation, citation_id=new_citation_id())
        seen.add(unique.citation_id)
        out.append(unique)
    return out


def _bib_runs(html: str) -> list[Run]:
    lines = html_to_lines(html)
    out: list[Run] = []
    for n, line in enumerate(lines):
        if n and out and line:
            out.append(Run(" "))
        out.extend(line)
    return out


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())

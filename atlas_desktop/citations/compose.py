"""Entries + what to copy + a style -> one :class:`CitationCopy` (text, HTML and RTF).

Invariants: the output holds every entry asked for except those in ``failures`` (each with
its reason); several entries come out in the style's bibliography order; nothing here blocks
on anything but the engine (callers run it off the UI thread unless the engine is warm).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from atlas_desktop.domain.citation import CitationCopy, CopyKind, ItemFailure, RichText
from atlas_desktop.domain.completion import CompletedRecord
from atlas_desktop.domain.csl import describe_gaps, entry_to_csl, is_citable
from atlas_desktop.domain.entry import Entry, reader_name
from atlas_desktop.domain.live_citations import (
    CiteItem,
    LiveCitation,
    entry_uri,
    new_citation_id,
    word_citation_code,
)

from . import documents, evidence
from .cache import EngineCache
from .engine import FORMATS, Format, Layout, Rendering
from .errors import EngineClosed
from .styles import StyleSource


def compose(entries: Sequence[Entry], *, kind: CopyKind, source: StyleSource | None,
            engines: EngineCache, formats: Sequence[Format] = FORMATS,
            locale: str | None = None,
            records: Mapping[str, CompletedRecord] | None = None,
            double_spacing: bool = False) -> CitationCopy:
    """Render ``entries`` (unique ids, in the user's order, already as cited: see
    :mod:`atlas_desktop.domain.cited`) as ``kind``.

    ``source`` is needed for the kinds that use a style. ``formats`` limits the engine's work
    (the CLI asks for one); the clipboard wants all three. ``records``: the completed
    records, whose notices "copy with evidence" states.
    """
    if kind is CopyKind.SNAPSHOT:
        return _snapshots(entries)
    if kind in (CopyKind.BIBTEX, CopyKind.RIS, CopyKind.CSL_JSON):
        # One writer per format: the services copy through the file export's writers.
        raise ValueError(f"{kind.value} is written by the export's writer, not composed")
    if source is None:
        raise ValueError(f"{kind.value} needs a citation style")
    names = {e.id: reader_name(e) for e in entries}
    items = {e.id: entry_to_csl(e) for e in entries}
    refused = [ItemFailure(e.id, NOTHING_TO_CITE) for e in entries
               if not is_citable(items[e.id])]
    entries = [e for e in entries if is_citable(items[e.id])]
    rendering = _render([items[e.id] for e in entries], kind=kind, source=source,
                        engines=engines, formats=formats, locale=locale) \
        if entries else Rendering(order=(), layout=Layout())
    by_id = {e.id: e for e in entries}
    ordered = [by_id[i] for i in rendering.order if i in by_id]
    label = source.info.label
    if kind is CopyKind.IN_TEXT:
        content = _pick(rendering.cluster)
        # The RTF carries the citation as Zotero's Word field: pasted into Word or Writer it
        # stays a field, which Writer's extension and `document update` take for live.
        code = _field_code(entries, items, content) if content.text else None
        rich = documents.inline(content, field_code=code) if content.text else RichText(text="")
        noun = "in-text citation"
    else:
        refs = [_pick(_entry_texts(rendering, e.id)) for e in ordered]
        if kind is CopyKind.BIBLIOGRAPHY:
            rich = documents.bibliography(refs, rendering.layout,
                                          double_spacing=double_spacing) \
                if refs else RichText(text="")
            noun = "bibliography" if len(refs) > 1 else "reference"
        else:
            groups = [evidence.evidence_group(e, ref, (records or {}).get(e.id))
                      for e, ref in zip(ordered, refs, strict=True)]
            rich = documents.blocks(groups, rendering.layout) if groups else RichText(text="")
            noun = "reference with evidence" if len(groups) == 1 else "references with evidence"
    count = f", {len(ordered)} entries" if len(ordered) > 1 else ""
    return CitationCopy(
        kind=kind,
        content=rich,
        description=f"{label} {noun}{count}",
        entry_ids=tuple(e.id for e in ordered),
        failures=tuple(replace(f, name=names.get(f.entry_id, "")) for f in (
            *refused, *rendering.failures)),
        warnings=tuple(describe_gaps(ordered) if kind is not CopyKind.IN_TEXT else ()),
        reader_warnings=tuple(describe_gaps(ordered, name=reader_name)
                              if kind is not CopyKind.IN_TEXT else ()),
    )


NOTHING_TO_CITE = ("it has no title, no authors or editors and no journal, so there is "
                   "nothing to cite")


def _field_code(entries: Sequence[Entry], items: Mapping[str, dict[str, Any]],
                content: RichText) -> str:
    """`` ADDIN ZOTERO_ITEM CSL_CITATION {…} ``: the works with the data they were cited
    with."""
    cited = tuple(CiteItem(key=e.id, item_data=dict(items[e.id]), uris=(entry_uri(e.id),))
                  for e in entries)
    citation = LiveCitation(citation_id=new_citation_id(), items=cited,
                            formatted=content.html or "", plain=content.text)
    return word_citation_code(citation)


def _render(items: Sequence[dict[str, Any]], *, kind: CopyKind, source: StyleSource,
            engines: EngineCache, formats: Sequence[Format], locale: str | None) -> Rendering:
    for attempt in (1, 2):
        engine = engines.engine(source, locale)
        # A note style without a bibliography: its full note is the reference.
        each = not engine.has_bibliography and kind is not CopyKind.IN_TEXT
        try:
            return engine.render(items, formats=formats, each=each,
                                 cluster=kind is CopyKind.IN_TEXT)
        except EngineClosed:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _entry_texts(rendering: Rendering, entry_id: str) -> dict[str, str]:
    source = rendering.entries if rendering.has_bibliography else rendering.each
    return {fmt: texts[entry_id] for fmt, texts in source.items() if entry_id in texts}


def _pick(by_format: dict[str, str]) -> RichText:
    html, rtf = by_format.get("html"), by_format.get("rtf")
    # When only HTML or RTF was asked for (the CLI), ``text`` holds that, so is_empty and
    # the output still work.
    text = by_format.get("text") or html or rtf or ""
    return RichText(text=text, html=html, rtf=rtf)


def _snapshots(entries: Sequence[Entry]) -> CitationCopy:
    refs: list[RichText] = []
    ids: list[str] = []
    failures: list[ItemFailure] = []
    for entry in entries:
        ref = evidence.snapshot_reference(entry)
        if ref is None:
            failures.append(ItemFailure(entry.id, "the atlas records no date for its reading "
                                                  "of this paper, so there is nothing to cite"))
            continue
        refs.append(ref)
        ids.append(entry.id)
    rich = documents.bibliography(refs, Layout()) if refs else RichText(text="")
    noun = "atlas snapshot reference" + ("s" if len(refs) > 1 else "")
    return CitationCopy(kind=CopyKind.SNAPSHOT, content=rich, description=noun,
                        entry_ids=tuple(ids), failures=tuple(failures))

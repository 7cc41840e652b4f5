"""A document's citations rendered together, as a word processor's plug-in needs them.

citeproc-js's citation-cluster processing (``rebuildProcessorState``) renders every citation
in document order against all the others: numbered styles number works by first citation,
author-date styles add year suffixes and initials where two works would read the same, and
note styles give "ibid." and short forms by footnote number (``noteIndex``). The bibliography
is made from the same state, so its numbers match the text.

Invariants: the engine's lock is held for the one call (``CiteprocEngine.call_glue``); an
item the engine cannot render is taken out of its citations (named in ``failures``) and the
rest is rendered again, so one bad work never loses a document's numbering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from atlas_desktop.domain.citation import ItemFailure

from .engine import CiteprocEngine, Layout, _layout, engine_reason


@dataclass(frozen=True, slots=True)
class DocumentRendering:
    """``citations[citationID]`` is the citation's HTML (citeproc-js's own markup: ``<i>``,
    ``<b>``, ``<sup>``, small caps as a span); ``bibliography`` is (item id, HTML) in the
    style's order; empty when the style has none or none was asked for."""

    citations: dict[str, str]
    bibliography: tuple[tuple[str, str], ...] = ()
    layout: Layout = field(default_factory=Layout)
    failures: tuple[ItemFailure, ...] = ()
    style_class: str = "in-text"
    has_bibliography: bool = True


def render_document(engine: CiteprocEngine, items: Sequence[dict[str, Any]],
                    citations: Sequence[dict[str, Any]], *,
                    bibliography: bool = True) -> DocumentRendering:
    """Render ``citations`` (citeproc-js citation objects in document order, each with a
    unique ``citationID``; their items' ids are ``items``' ids) and the bibliography."""
    from py_mini_racer import JSEvalException

    request = {"items": list(items), "citations": list(citations),
               "bibliography": bibliography}
    failures: list[ItemFailure] = []
    try:
        raw = engine.call_glue("ATLAS.renderDocument", request)
    except JSEvalException as exc:
        # Which works break it: the copy path's halving finds them one by one.
        probe = engine.render(list(items), formats=("text",), each=True)
        failures = list(probe.failures)
        bad = {f.entry_id for f in failures}
        if not bad:
            from .errors import RenderFailed

            raise RenderFailed("The citation engine could not format this document's "
                               f"citations: {engine_reason(exc)}") from None
        kept = [c for c in (_without(c, bad) for c in citations) if c is not None]
        request = {"items": [i for i in items if str(i["id"]) not in bad], "citations": kept,
                   "bibliography": bibliography}
        raw = engine.call_glue("ATLAS.renderDocument", request)
    rendered = {str(row["citationID"]): str(row.get("html") or "").strip()
                for row in raw.get("citations", []) if isinstance(row, dict)}
    order = [str(i) for i in raw.get("order", [])]
    entries = [str(e).strip() for e in raw.get("entries", [])]
    skipped = {str(e["id"]) for e in raw.get("errors", []) if isinstance(e, dict)}
    bib = tuple((i, e) for i, e in zip(order, entries, strict=False) if i not in skipped)
    return DocumentRendering(citations=rendered, bibliography=bib,
                             layout=_layout(raw.get("layout")), failures=tuple(failures),
                             style_class=engine.style_class,
                             has_bibliography=engine.has_bibliography)


def _without(citation: dict[str, Any], bad: set[str]) -> dict[str, Any] | None:
    items = [i for i in citation["citationItems"] if str(i["id"]) not in bad]
    return {**citation, "citationItems": items} if items else None

"""Live citations in documents: rendering a word processor's citations (the LibreOffice
extension, through the window's local endpoint) and updating a .docx or .odt written
anywhere (the route for Word users, like Zotero's RTF/ODF Scan).

``update_file`` reads the citation fields Zotero and Mendeley wrote, Zotero's bookmark mode,
typed markers (``[@id, p. 12]``, ``{Heins, 2013}``) and in-text citations Atlas Desktop
copied (they carry a Zotero field), renders them all together, and writes a new document:
every citation a live Zotero field, the bibliography where a bibliography field or a
``{Bibliography}`` marker stands, or at the end. The input is never written; a marker that
names no entry is listed with its place and left as it was.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from atlas_desktop.citations import CitationError, EngineCache, resolve_style, shared_engines
from atlas_desktop.domain.cite_markers import (
    BIBLIOGRAPHY_MARKER_RE,
    Marker,
    MarkerItem,
    find_markers,
    first_author_family,
)
from atlas_desktop.domain.csl import entry_to_csl
from atlas_desktop.domain.entry import Entry, author_short
from atlas_desktop.domain.live_citations import (
    CiteItem,
    DocumentPrefs,
    FieldCodeError,
    LiveCitation,
    csl_item_label,
    entry_uri,
    join_property,
    new_citation_id,
    parse_bibliography,
    parse_citation,
    parse_prefs,
    prefs_xml,
    split_property,
    style_url,
    word_bibliography_code,
    word_citation_code,
)
from atlas_desktop.domain.query import parse_query
from atlas_desktop.domain.references import reference_id
from atlas_desktop.domain.rich_runs import Run
from atlas_desktop.formats.doc_slots import DocumentUnreadable, Slot
from atlas_desktop.formats.files import atomic_path
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import search as store_search
from atlas_desktop.store import user as user_store

from .citations import DEFAULT_STYLE_SETTING, LOCALE_SETTING
from .cited import cited_entries
from .context import LibraryContext
from .doc_render import DocumentRenderer, RenderedDocument, citation_for_entries

if TYPE_CHECKING:  # python-docx and odfpy are loaded when a document is opened
    from atlas_desktop.formats.docx_fields import DocxDocument
    from atlas_desktop.formats.odt_fields import OdtDocument

__all__ = ["DocumentError", "DocumentService", "Unresolved", "UpdateReport"]


class DocumentError(CitationError):
    """The document cannot be updated (one sentence for the user; nothing was written)."""


@dataclass(frozen=True, slots=True)
class Unresolved:
    marker: str
    where: str
    context: str
    reason: str

    def describe(self) -> str:
        return f"{self.marker} ({self.where}): {self.reason} — “{self.context}”"


@dataclass(frozen=True, slots=True)
class UpdateReport:
    output: Path
    style_label: str
    from_fields: int = 0
    from_markers: int = 0
    bibliography: str = "none"
    unresolved: tuple[Unresolved, ...] = ()
    kept_edited: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def citations(self) -> int:
        return self.from_fields + self.from_markers


class DocumentService:
    def __init__(self, ctx: LibraryContext, engines: EngineCache | None = None) -> None:
        self._ctx = ctx
        self._engines = engines or shared_engines()
        self._renderer = DocumentRenderer(ctx, self._engines)

    def render(self, *, citations: Sequence[LiveCitation], style: str, locale: str | None,
               bibliography: bool = True,
               current_texts: Sequence[str | None] = ()) -> RenderedDocument:
        """Render a document's citations together (document order). Blocks on the engine:
        call it off the UI thread."""
        return self._renderer.render(citations, style=style, locale=locale,
                                     bibliography=bibliography, current_texts=current_texts)

    def new_citation(self, *, entry_ids: Sequence[str],
                     options: Sequence[dict[str, Any]] = ()) -> LiveCitation:
        """A citation of library entries, with their data embedded."""
        with self._ctx.db.read() as conn:
            # As cited: with what PubMed or Crossref completed (volume, pages, all authors).
            cited, _ = cited_entries(conn, cat.get_entries(conn, list(entry_ids)))
        found = {e.id: e for e in cited}
        missing = [i for i in entry_ids if i not in found]
        if missing:
            raise DocumentError(f"No entry with the id {', '.join(missing)} in this library.")
        return citation_for_entries([found[i] for i in entry_ids], options)

    def citation_from_items(self, *, items: Sequence[CiteItem],
                            citation_id: str | None = None) -> LiveCitation:
        """A citation of ``items`` as the quick-cite picker left them: a library work (its
        ``entry_id``) gets the entry's data embedded; a work only the document knows (a
        colleague's Zotero item) keeps its own."""
        wanted = [i.entry_id for i in items if i.entry_id]
        with self._ctx.db.read() as conn:
            # As copies cite them: completed records laid over the atlas's entries.
            cited, _ = cited_entries(conn, cat.get_entries(conn, wanted)) if wanted else ([], {})
        found = {e.id: e for e in cited}
        out: list[CiteItem] = []
        for given in items:
            entry = found.get(given.entry_id or "")
            if entry is not None:
                out.append(replace(given, key=entry.id, item_data=entry_to_csl(entry),
                                   uris=(entry_uri(entry.id),)))
            elif given.item_data is None:
                raise DocumentError(f"No entry with the id {given.entry_id or given.key} in "
                                    "this library.")
            else:
                out.append(given)
        if not out:
            raise DocumentError("A citation needs at least one work.")
        return LiveCitation(citation_id=citation_id or new_citation_id(), items=tuple(out))

    def preview(self, *, items: Sequence[CiteItem], style: str, locale: str | None) -> str:
        """``items`` as one citation in ``style``, alone (in a document, numbers and short
        forms follow the citations before it). Blocks on the engine: off the UI thread."""
        citation = self.citation_from_items(items=items)
        done = self.render(citations=[citation], style=style, locale=locale,
                           bibliography=False)
        return done.citations[0].citation.plain if done.citations else ""

    def item_labels(self, *, items: Sequence[CiteItem]) -> list[str]:
        """How the picker names each work: "Author (year) — title", from the library entry
        when there is one, else from the data the document holds."""
        wanted = [i.entry_id for i in items if i.entry_id]
        with self._ctx.db.read() as conn:
            found = {e.id: e for e in cat.get_entries(conn, wanted)} if wanted else {}
        out = []
        for item in items:
            entry = found.get(item.entry_id or "")
            if entry is not None:
                year = f" ({entry.year})" if entry.year else ""
                out.append(f"{author_short(entry.authors) or 'Anonymous'}{year} — "
                           f"{entry.display_title()}")
            else:
                out.append(csl_item_label(item.item_data or {}) or item.key)
        return out

    def is_note_style(self, *, style: str, locale: str | None = None) -> bool:
        """Whether ``style`` puts citations in footnotes (builds its engine: off the UI
        thread)."""
        engine = self._engines.engine(resolve_style(style), locale)
        return engine.style_class == "note"

    def default_prefs(self) -> DocumentPrefs:
        """Preferences for a new document: the user's default style and language."""
        with self._ctx.db.read() as conn:
            style = user_store.get_setting(conn, DEFAULT_STYLE_SETTING, "apa") or "apa"
            locale = user_store.get_setting(conn, LOCALE_SETTING, None) or "en-US"
        return DocumentPrefs(style=style_url(resolve_style(str(style)).info.style_id),
                             locale=str(locale))

    # --- updating a document -------------------------------------------------------------

    def update_file(self, *, source: Path, target: Path, style: str | None = None,
                    locale: str | None = None, overwrite_edited: bool = False) -> UpdateReport:
        """Write ``target``: ``source`` with live citations. Raises DocumentError (nothing
        written) for a damaged, protected or unsupported document or a bad target."""
        source, target = Path(source), Path(target)
        _check_paths(source, target)
        kind = source.suffix.lower()
        if kind not in (".docx", ".odt"):
            raise DocumentError(f"{source.name}: only Word (.docx) and OpenDocument (.odt) "
                                "documents can be updated; save it as one of those first.")
        doc: DocxDocument | OdtDocument
        try:
            doc = _open_document(source, kind)
            slots = doc.scan(_marker_finder)
        except DocumentUnreadable as exc:
            raise DocumentError(str(exc)) from None
        prefs = parse_prefs(join_property(doc.properties())) or self.default_prefs()
        chosen = style or prefs.style_spec
        try:
            info = resolve_style(chosen).info
        except CitationError:
            if style:
                raise
            info = resolve_style(self.default_prefs().style_spec).info
        # Word keeps citations in fields; an .odt in reference marks (Zotero's two formats).
        prefs = replace(prefs, style=style_url(info.style_id),
                        field_type="Field" if kind == ".docx" else "ReferenceMark",
                        locale=locale or prefs.locale)
        plan = self._plan(slots)
        rendered = self.render(citations=[c for _, c in plan.citations], style=info.style_id,
                               locale=prefs.locale,
                               current_texts=[s.text if s.kind == "citation" else None
                                              for s, _ in plan.citations])
        kept: list[str] = []
        writes: list[tuple[Slot, str, Sequence[Run] | None]] = []
        for (slot, _), done in zip(plan.citations, rendered.citations, strict=True):
            if not overwrite_edited and (done.edited or done.citation.dont_update):
                # Worded by hand (now, or kept so before): the text stays as it is.
                kept.append(f"{slot.text!r} ({slot.where})")
                as_edited = replace(done.citation, dont_update=True, plain=slot.text)
                writes.append((slot, word_citation_code(as_edited), None))
                continue
            writes.append((slot, word_citation_code(done.fresh or done.citation),
                           list(done.runs)))
        for slot, code, runs in reversed(writes):  # right to left: earlier offsets stay valid
            doc.write_citation(slot, code, runs)
        where = self._write_bibliography(doc, plan, rendered)
        doc.set_properties(dict(split_property(prefs_xml(prefs))), drop_prefixes=["ZOTERO_PREF_"])
        _save(doc, target)
        return UpdateReport(
            output=target, style_label=info.label, from_fields=plan.fields,
            from_markers=len(plan.citations) - plan.fields, bibliography=where,
            unresolved=tuple(plan.unresolved), kept_edited=tuple(kept),
            problems=tuple(plan.problems) + rendered.problems)

    def _plan(self, slots: Sequence[Slot]) -> _Plan:
        plan = _Plan()
        for slot in slots:
            if slot.kind == "citation":
                try:
                    citation = parse_citation(slot.code)
                except FieldCodeError as exc:
                    plan.problems.append(f"{slot.where}: {exc}")
                    continue
                plan.citations.append((slot, replace(citation, note_index=slot.note_index)))
                plan.fields += 1
            elif slot.kind == "marker":
                resolved, reason = self._resolve_marker(slot)
                if resolved is None:
                    plan.unresolved.append(Unresolved(slot.text, slot.where, slot.context,
                                                      reason))
                else:
                    plan.citations.append((slot, resolved))
            else:
                plan.bibliographies.append(slot)
        return plan

    def _resolve_marker(self, slot: Slot) -> tuple[LiveCitation | None, str]:
        markers = find_markers(slot.text)
        if not markers:
            return None, "not a citation"
        marker: Marker = markers[0]
        entries: list[Entry] = []
        with self._ctx.db.read() as conn:
            for item in marker.items:
                entry, reason = _find_entry(conn, item)
                if entry is None:
                    return None, reason
                entries.append(entry)
        options = [{"locator": i.locator, "label": i.label, "prefix": i.prefix,
                    "suffix": i.suffix, "suppress-author": i.suppress_author}
                   for i in marker.items]
        citation = citation_for_entries(entries, options, note_index=slot.note_index)
        return citation, ""

    def _write_bibliography(self, doc: DocxDocument | OdtDocument, plan: _Plan,
                            rendered: RenderedDocument) -> str:
        if not rendered.has_bibliography:
            return "none (the style has no bibliography)"
        entries = [list(e) for e in rendered.bibliography]
        hanging = rendered.layout.hanging_indent
        targets = plan.bibliographies
        if not entries:
            # No citation was rendered: a bibliography the document has stays as it was.
            return "left as it was (no citations)" if targets else "none"
        if not targets:
            doc.write_bibliography(None, word_bibliography_code(), entries,
                                   hanging_indent=hanging)
            return "added at the end"
        for slot in reversed(targets):
            options = parse_bibliography(slot.code) if slot.kind == "bibliography" else {}
            doc.write_bibliography(slot, word_bibliography_code(options), entries,
                                   hanging_indent=hanging)
        return f"written at {targets[0].where}"


@dataclass
class _Plan:
    citations: list[tuple[Slot, LiveCitation]] = field(default_factory=list)
    bibliographies: list[Slot] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fields: int = 0


def _marker_finder(text: str) -> list[tuple[int, int, str, str]]:
    out = [(m.start, m.end, "marker", m.text) for m in find_markers(text)]
    out.extend((m.start(), m.end(), "bibliography-marker", m.group(0))
               for m in BIBLIOGRAPHY_MARKER_RE.finditer(text))
    return sorted(out)


def _find_entry(conn: Any, item: MarkerItem) -> tuple[Entry | None, str]:
    if item.key:
        for candidate in (item.key, reference_id(item.key)):
            entry = cat.get_entry(conn, candidate)
            if entry is not None:
                return entry, ""
        return None, f"no entry with the id or citation key “{item.key}” in this library"
    family = first_author_family(item.author)
    year = item.year.rstrip("abcdefghijklmnopqrstuvwxyz")
    query = parse_query(f'author:"{family}" year:{year}' if year.isdigit() else
                        f'author:"{family}"')
    result = store_search.run_search(conn, query, limit=10)
    entries = cat.get_entries_by_pk(conn, list(result.pks)[:10])
    matching = [e for e in entries if e.authors and
                e.authors[0].family.strip().lower().endswith(family.lower())]
    if len(matching) == 1:
        return matching[0], ""
    if not matching:
        return None, f"no entry by {family} from {item.year} in this library"
    return None, (f"{len(matching)} entries by {family} from {item.year} match; use "
                  "[@id] to say which")


def _check_paths(source: Path, target: Path) -> None:
    if not source.is_file():
        raise DocumentError(f"{source} does not exist or is not a file.")
    if target.resolve() == source.resolve() or (
            target.exists() and os.path.samefile(source, target)):
        raise DocumentError("The updated document must be a new file: the original is never "
                            "written over.")
    if target.suffix.lower() != source.suffix.lower():
        raise DocumentError(f"The new document must be of the same kind as the first "
                            f"({source.suffix}).")
    if not target.parent.is_dir():
        raise DocumentError(f"The folder {target.parent} does not exist.")


def _save(doc: DocxDocument | OdtDocument, target: Path) -> None:
    with atomic_path(target) as tmp:
        doc.save(tmp)


def _open_document(source: Path, kind: str) -> DocxDocument | OdtDocument:
    if kind == ".docx":
        from atlas_desktop.formats.docx_fields import DocxDocument
        return DocxDocument(source)
    from atlas_desktop.formats.odt_fields import OdtDocument
    return OdtDocument(source)

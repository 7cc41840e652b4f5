"""The extension's requests, answered with the document service (no Qt, no sockets here).

Requests and answers are JSON. ``render``: the document's preferences (Zotero's XML), how it
keeps citations (``field_type``) and its citations in document order (field code, shown
text, footnote number) -> new preferences, each citation's new code and formatted runs, the
bibliography, and whether the style puts citations in notes (now and before, so the
extension moves them into footnotes or out of them). ``pick`` and ``prefs``
ask the user through ``Ui`` (the window's picker and preferences dialog).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from atlas_desktop.domain.live_citations import (
    DocumentPrefs,
    FieldCodeError,
    LiveCitation,
    bibliography_code,
    citation_code,
    parse_citation,
    parse_prefs,
    prefs_xml,
)
from atlas_desktop.domain.rich_runs import Run
from atlas_desktop.services import Library

#: How a document keeps its citations (Zotero's ``fieldType``): reference marks (.odt),
#: Word fields (.docx), or Zotero's bookmark mode.
_FIELD_TYPES = frozenset({"ReferenceMark", "Field", "Bookmark"})


class Ui(Protocol):
    def pick(self, prefs: DocumentPrefs, citation: LiveCitation | None) -> LiveCitation | None:
        """The quick-cite picker (None: cancelled)."""

    def preferences(self, prefs: DocumentPrefs) -> DocumentPrefs | None:
        """The document preferences dialog (None: cancelled)."""

    def overwrite_edits(self, texts: list[str]) -> bool:
        """Ask whether citations edited by hand may be overwritten."""


class RequestError(Exception):
    """A request that cannot be answered (a sentence for the user)."""


def answer(library: Library, ui: Ui, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    if action == "hello":
        return {"app": "Atlas Desktop", "bibliography_code": bibliography_code()}
    given = parse_prefs(str(payload.get("prefs") or ""))
    prefs = given or library.documents.default_prefs()
    if action == "render":
        return _render(library, ui, prefs, payload, had_prefs=given is not None)
    if action == "pick":
        existing = None
        if payload.get("citation"):
            try:
                existing = parse_citation(str(payload["citation"]))
            except FieldCodeError as exc:
                raise RequestError(str(exc)) from None
        chosen = ui.pick(prefs, existing)
        if chosen is None:
            return {"cancelled": True}
        # Shown as a placeholder until the refresh that follows: not a text to compare with.
        chosen = replace(chosen, formatted="", plain="", dont_update=False)
        note = library.documents.is_note_style(style=prefs.style_spec, locale=prefs.locale)
        return {"citation": citation_code(chosen), "note_style": note}
    if action == "prefs":
        changed = ui.preferences(prefs)
        return {"cancelled": True} if changed is None else {"prefs": prefs_xml(changed)}
    raise RequestError(f"Unknown request {action!r}.")


def _render(library: Library, ui: Ui, prefs: DocumentPrefs, payload: dict[str, Any], *,
            had_prefs: bool) -> dict[str, Any]:
    raw = payload.get("citations") or []
    citations: list[LiveCitation] = []
    texts: list[str] = []
    problems: list[str] = []
    index: list[int] = []
    for n, row in enumerate(raw if isinstance(raw, list) else []):
        try:
            citation = parse_citation(str(row.get("code", "")))
        except (FieldCodeError, AttributeError) as exc:
            problems.append(f"Citation {n + 1}: {exc}")
            continue
        note = row.get("noteIndex")
        citations.append(replace(citation, note_index=note if isinstance(note, int) and
                                 0 <= note < 1_000_000 else 0))
        texts.append(str(row.get("text", "")))
        index.append(n)
    done = library.documents.render(citations=citations, style=prefs.style_spec,
                                    locale=prefs.locale, current_texts=texts)
    edited = [texts[i] for i, r in enumerate(done.citations) if r.edited]
    overwrite = ui.overwrite_edits(edited) if edited else True
    answers: list[dict[str, Any]] = [{"changed": False} for _ in raw]
    for n, rendered, shown in zip(index, done.citations, texts, strict=True):
        citation, runs = rendered.citation, list(rendered.runs)
        keep = citation.dont_update or (rendered.edited and not overwrite)
        if keep:
            # The writer's own wording stays, formatting and all; only the code is new.
            citation = replace(citation, dont_update=True, plain=shown)
            runs = [Run(shown)]
        code = citation_code(citation)
        old = str(raw[n].get("code", ""))
        answers[n] = {"code": code, "runs": [r.as_json() for r in runs], "keep_text": keep,
                      "changed": code != old or shown != "".join(r.text for r in runs)}
    field_type = str(payload.get("field_type") or prefs.field_type)
    new_prefs = replace(prefs, note_type=1 if done.note_style else 0,
                        field_type=field_type if field_type in _FIELD_TYPES else "ReferenceMark")
    bibliography = None
    if payload.get("bibliography"):
        bibliography = {"code": bibliography_code(),
                        "entries": [[r.as_json() for r in e] for e in done.bibliography],
                        "hanging": done.layout.hanging_indent}
    # A document without preferences yet had no style: nothing is moved in or out of notes.
    was_note = prefs.note_type != 0 if had_prefs else done.note_style
    return {"prefs": prefs_xml(new_prefs), "citations": answers, "bibliography": bibliography,
            "note_style": done.note_style, "was_note_style": was_note,
            "problems": [*problems, *done.problems]}

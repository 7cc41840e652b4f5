"""Citing library entries: every copy format, the default style, engine warm-up.

The CLI's ``cite`` and the window's Copy menu, Ctrl+Shift+C and drags all come here. Engines
are shared by every library in the process (building one takes up to a second; rendering with
a built one a few milliseconds), so :meth:`CitationService.prefetch` at start-up means the
first copy never waits.

Entries are cited as :mod:`.cited` makes them: with what PubMed, Crossref or doi.org completed
laid over the atlas's values (the rules are in :mod:`atlas_desktop.domain.cited`). Every copy
names the retracted papers in it (``CitationCopy.retracted``), every time; the window and the
command line decide how to show them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from atlas_desktop.citations import (
    DEFAULT_STYLE,
    FORMATS,
    CitationError,
    EngineCache,
    Format,
    StyleSource,
    compose,
    offered_styles,
    resolve_style,
    search_styles,
    shared_engines,
    snapshot_action_label,
)
from atlas_desktop.citations.assets import licence_notices
from atlas_desktop.citations.documents import plain_reference
from atlas_desktop.citations.locales import locale_names, normalise_locale
from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.citation import (
    CitationCopy,
    CopyKind,
    RetractionWarning,
    RichText,
    StyleInfo,
)
from atlas_desktop.domain.cited import difference_warnings
from atlas_desktop.domain.csl import describe_gaps
from atlas_desktop.domain.entry import Entry, reader_name
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import user as user_store

from .cited import cited_entries, retraction_warnings
from .context import LibraryContext
from .exporting import ExportFormat, ExportService

__all__ = ["DEFAULT_STYLE_SETTING", "DOUBLE_SPACING_SETTING", "LOCALE_SETTING",
           "CitationError", "CitationService", "UnknownEntries"]

DEFAULT_STYLE_SETTING = "citation.default_style"
#: The citation language (e.g. en-GB); unset means each style's own, else en-US.
LOCALE_SETTING = "citation.locale"
#: Bibliographies on the clipboard double-spaced (a manuscript's); off: single, whatever
#: the style says (APA asks for double spacing in manuscripts only).
DOUBLE_SPACING_SETTING = "citation.double_spacing"


#: Copies that are data, not citations: written by the file export's writer for the format,
#: so copying entries and exporting them give the same text (issue 18 item 8).
_EXPORT_KINDS: Final = {CopyKind.BIBTEX: ExportFormat.BIBTEX, CopyKind.RIS: ExportFormat.RIS,
                        CopyKind.CSL_JSON: ExportFormat.CSL_JSON}


class UnknownEntries(CitationError):
    """Some of the ids asked for are not in the library (nothing was rendered)."""

    def __init__(self, missing: Sequence[str]) -> None:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        noun = "entry" if len(missing) == 1 else "entries"
        super().__init__(f"No {noun} with the id {shown} in this library.")
        self.missing = tuple(missing)


class CitationService:
    def __init__(self, ctx: LibraryContext, engines: EngineCache | None = None) -> None:
        self._ctx = ctx
        self._engines = engines or shared_engines()

    # --- styles -------------------------------------------------------------------------

    def default_style(self) -> str:
        """The style spec Ctrl+Shift+C and ``cite`` without ``--style`` use (``apa`` unless
        the user chose another)."""
        with self._ctx.db.read() as conn:
            value = user_store.get_setting(conn, DEFAULT_STYLE_SETTING, DEFAULT_STYLE)
        return value if isinstance(value, str) and value.strip() else DEFAULT_STYLE

    def set_default_style(self, *, style: str) -> StyleInfo:
        """Check ``style`` resolves, then store it. Raises StyleNotFound/StyleInvalid."""
        source = resolve_style(style)
        with self._ctx.write(Changes.SETTINGS, entry_ids=()) as conn:
            user_store.set_setting(conn, DEFAULT_STYLE_SETTING, source.info.spec)
        return source.info

    def locale(self) -> str | None:
        """The user's citation language, or None for each style's own (else en-US)."""
        with self._ctx.db.read() as conn:
            value = user_store.get_setting(conn, LOCALE_SETTING, None)
        return value if isinstance(value, str) and value else None

    def set_locale(self, *, locale: str | None) -> str | None:
        """Store the citation language (normalised, e.g. ``en_gb`` -> ``en-GB``); None
        clears it. Raises LocaleNotFound for a language with no locale file."""
        tag = normalise_locale(locale) if locale else None
        with self._ctx.write(Changes.SETTINGS, entry_ids=()) as conn:
            user_store.set_setting(conn, LOCALE_SETTING, tag)
        return tag

    def double_spacing(self) -> bool:
        """Whether copied bibliographies are double-spaced (off unless the user chose it)."""
        with self._ctx.db.read() as conn:
            return user_store.get_setting(conn, DOUBLE_SPACING_SETTING, False) is True

    def set_double_spacing(self, *, enabled: bool) -> None:
        with self._ctx.write(Changes.SETTINGS, entry_ids=()) as conn:
            user_store.set_setting(conn, DOUBLE_SPACING_SETTING, bool(enabled))

    def locales(self) -> dict[str, str]:
        """Installed citation languages: tag -> English name."""
        return locale_names()

    def describe_style(self, *, style: str | None = None) -> StyleInfo:
        return self._source(style).info

    def offered_styles(self) -> list[StyleInfo]:
        """APA 7, Vancouver, AMA, Harvard and Chicago author-date, as the menus list them."""
        return offered_styles()

    def find_styles(self, *, query: str, limit: int = 200) -> list[StyleInfo]:
        """Installed styles matching every word of ``query`` (first call reads ~10,800 style
        titles, about a second: call it off the UI thread)."""
        return search_styles(query, limit=limit)

    # --- engines ------------------------------------------------------------------------

    def prepare(self, *, style: str | None = None, locale: str | None = None) -> StyleInfo:
        """Build the style's engine now (blocking, up to a second). For background threads."""
        source = self._source(style)
        self._engines.engine(source, self._locale(locale))
        return source.info

    def prefetch(self, *, style: str | None = None) -> None:
        """Start building the style's engine in the background; returns at once. Unknown
        styles are ignored here (the copy itself reports them)."""
        try:
            source = self._source(style)
            locale = self._locale(None)
        except CitationError:
            return
        self._engines.prefetch(source, locale)

    def is_ready(self, *, style: str | None = None) -> bool:
        """True when a copy in this style would not wait for an engine build."""
        try:
            return self._engines.ready(self._source(style), self._locale(None))
        except CitationError:
            return False

    # --- copying ------------------------------------------------------------------------

    def copy(self, *, entry_ids: Sequence[str], kind: CopyKind = CopyKind.BIBLIOGRAPHY,
             style: str | None = None, formats: Sequence[Format] = FORMATS,
             locale: str | None = None, double_spacing: bool | None = None) -> CitationCopy:
        """Render ``entry_ids`` as ``kind`` (style, language and line spacing: the given ones,
        else the user's preferences).

        Raises UnknownEntries if an id is not in the library, StyleNotFound/StyleInvalid for a
        bad style, EngineUnavailable if the engine is not installed. Entries the engine cannot
        render are left out and named in ``failures``; the rest are in the copy.
        """
        ids = list(dict.fromkeys(entry_ids))
        if not ids:
            raise CitationError("No entries were selected to cite.")
        source = self._source(style) if kind.uses_style else None
        tag = self._locale(locale) if kind.uses_style else None
        with self._ctx.db.read() as conn:
            entries = cat.get_entries(conn, ids)
            cited, records = cited_entries(conn, entries)
        found = {e.id for e in entries}
        missing = [i for i in ids if i not in found]
        if missing:
            raise UnknownEntries(missing)
        if kind in _EXPORT_KINDS:
            return self._export_copy(cited, kind, retraction_warnings(cited, records))
        spacing = self.double_spacing() if double_spacing is None else double_spacing
        copy = compose(cited, kind=kind, source=source, engines=self._engines,
                       formats=formats, locale=tag, records=records, double_spacing=spacing)
        shown = [] if kind is CopyKind.SNAPSHOT else [e for e in entries
                                                      if e.id in copy.entry_ids]
        differences = [w for e in shown for w in difference_warnings(e, records.get(e.id))]
        for_reader = [w for e in shown for w in difference_warnings(
            e, records.get(e.id), name=reader_name(e))]
        return replace(copy, warnings=(*copy.warnings, *differences),
                       reader_warnings=(*copy.reader_warnings, *for_reader),
                       retracted=tuple(retraction_warnings(cited, records)))



    def _export_copy(self, entries: Sequence[Entry], kind: CopyKind,
                     retracted: Sequence[RetractionWarning]) -> CitationCopy:
        """BibTeX, RIS or CSL-JSON of the entries as cited: the export's writer, on the
        entries this copy has already read."""
        out = io.StringIO()
        ExportService.write_entries(format=_EXPORT_KINDS[kind], out=out, entries=entries)
        noun = _EXPORT_KINDS[kind].label
        count = f" of {len(entries)} entries" if len(entries) > 1 else ""
        return CitationCopy(kind=kind, content=RichText(text=out.getvalue()),
                            description=noun + count, entry_ids=tuple(e.id for e in entries),
                            warnings=tuple(describe_gaps(entries, formatted=False)),
                            reader_warnings=tuple(describe_gaps(entries, formatted=False,
                                                                name=reader_name)),
                            retracted=tuple(retracted))

    def retracted(self, *, entry_ids: Sequence[str]) -> list[RetractionWarning]:
        """The retracted papers among ``entry_ids``, one warning each (for the window to
        show before or beside a copy; every copy also carries them)."""
        with self._ctx.db.read() as conn:
            entries = cat.get_entries(conn, list(dict.fromkeys(entry_ids)))
            cited, records = cited_entries(conn, entries)
        return retraction_warnings(cited, records)

    def quick_reference(self, *, entry_ids: Sequence[str]) -> RichText:
        """A plain one-line reference per entry without the engine (authors, year, title,
        journal, DOI): what a drag carries when the style's engine is not built yet."""
        with self._ctx.db.read() as conn:
            entries = cat.get_entries(conn, list(dict.fromkeys(entry_ids)))
        return RichText(text="\n".join(plain_reference(e) for e in entries))

    def snapshot_label(self, *, entry_id: str) -> str | None:
        """The Copy menu's text for the snapshot reference of one entry, with its date."""
        with self._ctx.db.read() as conn:
            entry = cat.get_entry(conn, entry_id)
        return snapshot_action_label(entry) if entry is not None else None

    def licence_notices(self) -> dict[str, str]:
        """Licence texts of the citation engine and the styles, by credit name (About)."""
        return licence_notices()

    def _source(self, style: str | None) -> StyleSource:
        return resolve_style(style if style is not None else self.default_style())

    def _locale(self, locale: str | None) -> str | None:
        return normalise_locale(locale) if locale else self.locale()

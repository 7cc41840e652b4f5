"""Exporting entries: BibTeX, RIS, CSL-JSON or an atlas bundle, for any scope.

The scope is a selection (entry ids, in the order given), a collection (in the order its
entries were added), a search result (in the list's default order) or everything. Withdrawn
atlas entries are left out unless selected by id.

A file is written to a temporary name beside the target and renamed over it only when it is
complete (:func:`~atlas_desktop.formats.files.atomic_text_writer`), so a failed or cancelled
export never leaves half a file. Entries are read a chunk at a time inside one read
transaction: one consistent snapshot, without holding every entry in memory.

BibTeX, RIS and CSL-JSON write each entry as it is cited: with what PubMed, Crossref or
doi.org completed laid over it (:mod:`.cited`), and the retracted papers among them are
listed in the result (``ExportResult.retracted``) every time. An atlas bundle is the atlas's
data alone: nothing completed goes into it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, TextIO

from atlas_desktop.domain.citation import RetractionWarning
from atlas_desktop.domain.entry import Entry
from atlas_desktop.domain.listing import SortKey
from atlas_desktop.domain.query import parse_query
from atlas_desktop.formats.bibtex_writer import write_bibtex
from atlas_desktop.formats.bundle import write_bundle
from atlas_desktop.formats.csljson import write_csl_json
from atlas_desktop.formats.files import atomic_text_writer
from atlas_desktop.formats.ris_writer import write_ris
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import references as ref_store
from atlas_desktop.store import search as store_search
from atlas_desktop.store import user as user_store

from .cited import iter_cited
from .context import LibraryContext


class ExportFormat(StrEnum):
    BIBTEX = "bibtex"
    RIS = "ris"
    CSL_JSON = "csljson"
    BUNDLE = "bundle"

    @property
    def suffix(self) -> str:
        return {"bibtex": ".bib", "ris": ".ris", "csljson": ".json", "bundle": ".json"}[
            self.value]

    @property
    def label(self) -> str:
        return {"bibtex": "BibTeX", "ris": "RIS", "csljson": "CSL-JSON",
                "bundle": "Atlas bundle"}[self.value]


_WRITERS: Final[dict[ExportFormat, Callable[[TextIO, Iterable[Entry]], int]]] = {
    ExportFormat.BIBTEX: write_bibtex,
    ExportFormat.RIS: write_ris,
    ExportFormat.CSL_JSON: write_csl_json,
    ExportFormat.BUNDLE: write_bundle,
}
_CHUNK: Final = 1000


class ExportError(ValueError):
    """The export cannot run as asked (unknown collection, two scopes…); nothing written."""


class ExportWouldEmpty(ExportError):
    """The export found no entries and would replace an existing file with an empty one."""


class ExportCancelled(Exception):
    """The user cancelled; no file was written (an earlier file at the path is untouched)."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    count: int
    format: ExportFormat
    path: str | None
    #: Retracted papers among the entries written (reference formats; shown every time).
    retracted: tuple[RetractionWarning, ...] = ()


class ExportService:
    def __init__(self, ctx: LibraryContext) -> None:
        self._ctx = ctx

    def export(
        self,
        *,
        format: ExportFormat,
        path: Path | None = None,
        out: TextIO | None = None,
        entry_ids: Sequence[str] | None = None,
        query: str | None = None,
        collection: str | None = None,
        cancel: threading.Event | None = None,
        replace_with_nothing: bool = False,
    ) -> ExportResult:
        """Write the scope's entries to ``path`` (atomically) or to ``out``.

        An export that finds no entries does not replace an existing file (a mistyped
        library folder or query must not wipe ``refs.bib``) unless ``replace_with_nothing``:
        it raises :class:`ExportWouldEmpty` and the file is left as it was."""
        scopes = [s for s in (entry_ids, query, collection) if s is not None]
        if len(scopes) > 1:
            raise ExportError("Choose one of: selected entries, a search or a collection.")
        if (path is None) == (out is None):
            raise ExportError("Give either a file to write or an output stream.")
        writer = _WRITERS[ExportFormat(format)]
        bundle = ExportFormat(format) is ExportFormat.BUNDLE
        retracted: list[RetractionWarning] = []
        with self._ctx.db.read() as conn:
            entries = self._entries(conn, entry_ids=entry_ids, query=query,
                                    collection=collection, full=bundle)
            if not bundle:
                entries = iter_cited(conn, entries, retracted)
            if cancel is not None:
                entries = _cancellable(entries, cancel)
            if path is None:
                assert out is not None
                count = writer(out, entries)
            else:
                with atomic_text_writer(path) as handle:
                    count = writer(handle, entries)
                    if count == 0 and not replace_with_nothing and Path(path).exists():
                        raise ExportWouldEmpty(
                            f"Nothing to export: no entries matched, and {path} already "
                            "exists, so it was left as it was.")
        return ExportResult(count, ExportFormat(format), str(path) if path else None,
                            tuple(retracted))

    @staticmethod
    def write_entries(*, format: ExportFormat, out: TextIO, entries: Iterable[Entry]) -> int:
        """``entries`` (already read, as cited) in ``format``: the export's own writer, for
        a copy of entries the caller holds."""
        return _WRITERS[ExportFormat(format)](out, entries)

    def count(self, *, entry_ids: Sequence[str] | None = None, query: str | None = None,
              collection: str | None = None) -> int:
        """How many entries an export of this scope would write."""
        with self._ctx.db.read() as conn:
            return sum(1 for _ in self._entries(conn, entry_ids=entry_ids, query=query,
                                                collection=collection))

    def _entries(self, conn: Any, *, entry_ids: Sequence[str] | None, query: str | None,
                 collection: str | None, full: bool = True) -> Iterator[Entry]:
        """The scope's entries. Bundles need whole entries; reference formats only the
        bibliographic part, which is read without the prose (twice as fast)."""
        if entry_ids is not None:
            return _by_ids(conn, list(dict.fromkeys(entry_ids)), live_only=False, full=full)
        if collection is not None:
            found = user_store.collection_by_name(conn, collection.strip())
            if found is None:
                raise ExportError(f"There is no collection called “{collection.strip()}”.")
            return _by_ids(conn, user_store.collection_entry_ids(conn, found.id),
                           live_only=True, full=full)
        result = store_search.run_search(conn, parse_query(query or ""), sort=SortKey.YEAR_DESC)
        pks = list(result.pks)
        entries = cat.iter_entries_by_pk(conn, pks) if full else \
            ref_store.iter_bibliographic(conn, pks=pks)
        return (e for e in entries if not e.withdrawn)


def _by_ids(conn: Any, ids: list[str], *, live_only: bool, full: bool) -> Iterator[Entry]:
    if not full:
        entries: Iterable[Entry] = ref_store.iter_bibliographic(conn, ids=ids)
    else:
        entries = (e for start in range(0, len(ids), _CHUNK)
                   for e in cat.get_entries(conn, ids[start : start + _CHUNK]))
    for entry in entries:
        if not (live_only and entry.withdrawn):
            yield entry


def _cancellable(entries: Iterator[Entry], cancel: threading.Event) -> Iterator[Entry]:
    for entry in entries:
        if cancel.is_set():
            raise ExportCancelled
        yield entry

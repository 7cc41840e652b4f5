"""Importing files into the library: parse everything first, then write in one transaction.

Files are atlas pages and bundles (the atlas's entries) or the user's own references
(BibTeX, RIS, CSL-JSON; see :mod:`.reference_import`). The kind comes from the content, and
each kind's reader from the registry in :mod:`atlas_desktop.formats.registry`.

An import lands whole or not at all. If any file or entry fails, nothing is written unless
the caller asked for ``keep_going`` (the GUI's "import the valid entries" after showing the
problems): then the readable files, and the readable entries of partly broken files, are
written. Cancelling, from another thread, rolls the transaction back.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.contract import (
    EntryFormatError,
    canonical_entry_dict,
    entry_from_canonical,
)
from atlas_desktop.domain.entry import Entry, Origin
from atlas_desktop.domain.slug import ascii_fold, unique_slug
from atlas_desktop.formats.bundle import (
    EntryLines,
    LayoutSurprise,
    bundle_problems_message,
    describe_entry_problem,
)
from atlas_desktop.formats.registry import read_file
from atlas_desktop.store import catalogue as cat

from .context import LibraryContext
from .import_report import BULK_THRESHOLD, FileResult, ImportReport
from .reference_import import assign_ids, finish_references, report_duplicates_and_links

ProgressCallback = Callable[[int, int, str], None]


class ImportCancelled(Exception):
    """The user cancelled; the library is as it was."""


def read_file_entries(path: Path, *, by_line: bool = True) -> FileResult:
    """Parse one file into entries without touching the library (the reader is the one the
    file's content calls for: :func:`~atlas_desktop.formats.registry.read_file`).

    ``by_line``: a bundle in the one-entry-per-line layout keeps its entries unparsed, to be
    parsed while they are written (see :class:`EntryLines`); False parses it whole."""
    read = read_file(path, by_line=by_line)
    # Everything the reader found, field by field (a new one the report lacks fails here,
    # rather than being dropped); the kind as the report spells it.
    found = {f.name: getattr(read, f.name) for f in dataclasses.fields(read)}
    found["kind"] = read.kind.value if read.kind is not None else None
    return FileResult(file=str(path), **found)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large import builds millions of objects.

    Nothing created here forms reference cycles; without the pause the collector rescans the
    growing heap again and again, which doubled the time of a 100,000-entry import.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _same_paper(a: Entry, b: Entry) -> bool:
    """Whether two entries without atlas URLs describe the same paper."""
    if a.doi and b.doi:
        return a.doi.lower() == b.doi.lower()
    if a.pmid and b.pmid:
        return a.pmid == b.pmid

    def norm(text: str | None) -> str:
        return "".join(ch for ch in ascii_fold(text or "").lower() if ch.isalnum())

    first_a = a.authors[0].family if a.authors else ""
    first_b = b.authors[0].family if b.authors else ""
    same = norm(a.title) == norm(b.title) and a.year == b.year and norm(first_a) == norm(first_b)
    if same and not (a.title or b.title):
        # Without titles, the journal has to agree too.
        same = norm(a.journal) == norm(b.journal)
    return same


class ImportService:
    def __init__(self, ctx: LibraryContext) -> None:
        self._ctx = ctx

    def import_files(
        self,
        *,
        paths: Sequence[Path],
        keep_going: bool = False,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportReport:
        with paused_gc():
            try:
                return self._import_files(paths, keep_going=keep_going, progress=progress,
                                          cancel=cancel)
            except LayoutSurprise:
                # A bundle read line by line was not what it seemed; nothing was written.
                # Read everything again as a whole (which reports the fault, if any).
                return self._import_files(paths, keep_going=keep_going, progress=progress,
                                          cancel=cancel, by_line=False)

    def _import_files(
        self,
        paths: Sequence[Path],
        *,
        keep_going: bool,
        progress: ProgressCallback | None,
        cancel: threading.Event | None,
        by_line: bool = True,
    ) -> ImportReport:
        report = ImportReport()
        total = len(paths)
        seen: set[Path] = set()
        for index, path in enumerate(paths):
            if cancel is not None and cancel.is_set():
                raise ImportCancelled
            resolved = Path(path).resolve()
            if resolved in seen:  # a file chosen twice is read once
                continue
            seen.add(resolved)
            if progress is not None:
                progress(index, total, f"Reading {Path(path).name}")
            report.files.append(read_file_entries(Path(path), by_line=by_line))
        finish_references(report.files)

        failed = any(f.errors for f in report.files)
        if failed and not keep_going:
            return report
        todo = [f for f in report.files if f.importable]
        if not todo:
            return report
        atlas_files = [f for f in todo if f.origin is Origin.ATLAS]
        mine_files = [f for f in todo if f.origin is Origin.MINE]

        if progress is not None:
            progress(total, total, "Saving to the library")
        now = self._ctx.clock()
        total_entries = sum(len(f.ids) for f in todo)
        problems: dict[int, list[str]] = {}
        polled = cancel.is_set if cancel is not None else None
        try:
            # One notice for the whole import; its ids are unknown to views (None): an import
            # may touch tens of thousands of entries, and every view starts afresh anyway.
            with self._ctx.write(Changes.CATALOGUE,
                                 bulk=total_entries > BULK_THRESHOLD) as conn:
                self._assign_ids(conn, atlas_files)
                assign_ids(conn, mine_files)
                if cancel is not None and cancel.is_set():
                    raise ImportCancelled  # leaving the block rolls back
                try:
                    outcome = cat.upsert_contracts(
                        conn, _stream(atlas_files, problems),
                        ids=[i for f in atlas_files for i in f.ids],
                        now=now, origin=Origin.ATLAS, cancelled=polled,
                    )
                    if problems:
                        raise _Invalid
                    mine = cat.upsert_contracts(
                        conn, (d for f in mine_files for d in f.contracts),
                        ids=[i for f in mine_files for i in f.ids],
                        now=now, origin=Origin.MINE, cancelled=polled,
                    )
                except cat.UpsertCancelled:
                    raise ImportCancelled from None
                _record_outcome(atlas_files, outcome)
                _record_outcome(mine_files, mine)
                report_duplicates_and_links(conn, mine_files)
                if cancel is not None and cancel.is_set():
                    raise ImportCancelled
        except _Invalid:
            for index, f in enumerate(atlas_files):
                if index in problems:
                    f.errors.append(bundle_problems_message(problems[index], len(f.ids)))
            return report
        except ImportCancelled:
            for f in todo:  # nothing was written: say so in the (discarded) results too
                f.imported, f.updated, f.duplicates, f.linked = [], [], [], []
                f.unchanged = []
            raise
        report.committed = True
        for f in todo:
            f.raw_entries = []
            f.contracts = [] if f.origin is Origin.MINE else f.contracts
        return report

    def _assign_ids(self, conn: Any, files: list[FileResult]) -> None:
        """Give derived ids a numbered suffix when they would collide with another paper."""
        seen: dict[str, Entry] = {}
        for f in files:
            renamed: list[dict[str, Any]] = []
            for d in f.contracts:
                entry_id = d["id"]
                if entry_id not in f.derived:
                    renamed.append(d)
                    continue
                entry = entry_from_canonical(d)
                candidate = entry_id
                taken: set[str] = set()
                while True:
                    other = seen.get(candidate) or cat.get_entry(conn, candidate)
                    if other is None or _same_paper(other, entry):
                        break
                    taken.add(candidate)
                    candidate = unique_slug(entry_id, taken)
                seen[candidate] = entry
                renamed.append(d if candidate == entry_id else {**d, "id": candidate})
            if f.derived:
                f.contracts = renamed
                f.ids = [d["id"] for d in renamed]


def _record_outcome(files: list[FileResult], outcome: Any) -> None:
    """Sort each file's ids into imported, updated and refused."""
    new, updated = set(outcome.new), set(outcome.updated_ids)
    unchanged = set(outcome.unchanged)
    refused = dict(outcome.refused)
    for f in files:
        for entry_id in f.ids:
            if entry_id in new:
                f.imported.append(entry_id)
            elif entry_id in updated:
                f.updated.append(entry_id)
                if entry_id in unchanged:
                    f.unchanged.append(entry_id)
            elif entry_id in refused:
                f.errors.append(f"{entry_id}: not imported, {refused[entry_id]}.")
        # An id listed twice in one file is reported once.
        f.imported = list(dict.fromkeys(f.imported))
        f.updated = [i for i in dict.fromkeys(f.updated) if i not in f.imported]
        f.unchanged = [i for i in dict.fromkeys(f.unchanged) if i in f.updated]


class _Invalid(Exception):
    """Some bundle entries failed validation: roll the import back."""


def _stream(files: list[FileResult], problems: dict[int, list[str]]) -> Iterator[dict[str, Any]]:
    """Canonical entries of all files in order. Bundle entries are validated here, while the
    store writes the previous chunk. After the first invalid entry nothing more is yielded
    (the import will roll back) but validation goes on, so every problem is reported.

    Entries still as lines were given ids before they were parsed; an entry whose parsed id
    is another raises LayoutSurprise (the import is then redone from whole parses)."""
    for index, f in enumerate(files):
        yield from f.contracts
        by_line = isinstance(f.raw_entries, EntryLines)
        for position, raw in enumerate(f.raw_entries):
            try:
                d = canonical_entry_dict(raw)
            except EntryFormatError as exc:
                problems.setdefault(index, []).append(describe_entry_problem(position, raw, exc))
                continue
            if by_line and d["id"] != f.ids[position]:
                raise LayoutSurprise(f"entry {position + 1} has another id than its line's")
            if not problems:
                yield d

"""Completing records and adding references by identifier, off the UI thread (issue 15).

Both wait on PubMed, Crossref and doi.org, so neither is an operation on the window's writer
thread (it would hold every star and note behind the network); like sync runs they run on a
thread of their own and their short writes meet the user's on SQLite's lock. One online job
at a time. Progress and outcomes come back as signals on the UI thread; a job can be
cancelled from the window (the HTTP layer stops within a tenth of a second), and lookups that
could not be made wait in the library's queue for the next sync.

Invariant: nothing on the UI thread waits for the network; with completion turned off the
services refuse before anything is sent, and the refusal is the sentence shown.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from atlas_desktop.domain.completion import NoticeKind
from atlas_desktop.services import Library
from atlas_desktop.services.adding import AddResult
from atlas_desktop.services.completion import CompletionOff
from atlas_desktop.services.completion_report import CompletionReport, EntryOutcome

from .operations import reason_of
from .runner import Runner, SerialRunner

OFF_SENTENCE = ("Completing records online is turned off, so nothing was sent. Turn it on in "
                "Edit → Preferences (Online records).")


@dataclass(frozen=True)
class CompletionOutcome:
    """A finished run: the service's report, and which of the entries it completed have a
    notice (kind -> ids)."""

    report: CompletionReport
    notices: dict[NoticeKind, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        text = "Records completed online: " + self.report.summary()
        words = {NoticeKind.RETRACTION: "retracted",
                 NoticeKind.CONCERN: "under an expression of concern",
                 NoticeKind.CORRECTION: "corrected"}
        found = [f"{len(ids)} {words[kind]}" for kind, ids in self.notices.items()
                 if kind in words and ids]
        if found:
            text += " Among them: " + ", ".join(found) + "."
        return text


@dataclass(frozen=True)
class AddOutcome:
    """The references added, and the titles of the entries they name (read on the worker,
    so that the dialog showing them does not read the library on the UI thread)."""

    results: list[AddResult]
    titles: dict[str, str] = field(default_factory=dict)


class CompletionController(QObject):
    #: A job started (True) or ended (False).
    running_changed = Signal(bool)
    #: (done, total, what is happening now), during a run.
    progress = Signal(int, int, str)
    #: A finished run's :class:`CompletionOutcome`.
    completed = Signal(object)
    #: The references added (an :class:`AddOutcome`).
    added = Signal(object)
    #: Nothing was done; the sentence says why (turned off, stopped, a failure).
    failed = Signal(str)

    def __init__(self, library: Library, runner: Runner | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._runner = runner or SerialRunner(self)
        self._cancel = threading.Event()
        self._running = False
        self._closed = False

    @property
    def running(self) -> bool:
        return self._running

    def complete(self, *, entry_ids: Sequence[str] | None = None,
                 missing: bool = False) -> bool:
        """Complete ``entry_ids`` (None: every entry with a DOI or PMID; ``missing``: only
        those not completed yet). False when another job is running."""
        service = self._library.completion
        ids = None if entry_ids is None else list(entry_ids)
        cancel = self._new_job()
        if cancel is None:
            return False

        def work() -> CompletionOutcome:
            report = service.complete(entry_ids=ids, missing=missing, cancel=cancel,
                                      progress=self.progress.emit)
            done = {r.entry_id for r in report.results if r.outcome in (
                EntryOutcome.COMPLETED, EntryOutcome.UNCHANGED)}
            notices = {kind: sorted(done & service.entries_with_notice(kind=kind))
                       for kind in (NoticeKind.RETRACTION, NoticeKind.CONCERN,
                                    NoticeKind.CORRECTION)}
            return CompletionOutcome(report, notices)

        self._runner.submit(work, lambda value: self._finish(self.completed, value),
                            self._on_error)
        return True

    def add(self, texts: Sequence[str]) -> bool:
        """Add every DOI, PMID and PMCID in ``texts`` to "my library". False when another
        job is running."""
        adding, catalogue = self._library.adding, self._library.catalogue
        given = list(texts)
        cancel = self._new_job()
        if cancel is None:
            return False
        self.progress.emit(0, 0, "Looking the identifiers up")

        def work() -> AddOutcome:
            results = adding.add(texts=given, cancel=cancel)
            ids = [i for r in results for i in (r.id, r.linked_atlas_id) if i] + [
                i for r in results for d in r.duplicates for i in (d.id, d.duplicate_of)]
            entries = catalogue.get_entries(entry_ids=list(dict.fromkeys(ids)))
            return AddOutcome(results, {e.id: e.display_title() for e in entries})

        self._runner.submit(work, lambda value: self._finish(self.added, value),
                            self._on_error)
        return True

    def cancel(self) -> None:
        """Stop the running job between two requests (what was not looked up waits for the
        next sync)."""
        self._cancel.set()

    def shutdown(self) -> None:
        """The window is closing: stop, and start nothing more."""
        self._closed = True
        self._cancel.set()

    def _new_job(self) -> threading.Event | None:
        if self._running or self._closed:
            return None
        self._cancel = threading.Event()
        self._running = True
        self.running_changed.emit(True)
        return self._cancel

    def _finish(self, signal: Any, value: Any) -> None:
        self._running = False
        self.running_changed.emit(False)
        signal.emit(value)

    def _on_error(self, exc: BaseException) -> None:
        self._running = False
        self.running_changed.emit(False)
        self.failed.emit(OFF_SENTENCE if isinstance(exc, CompletionOff) else reason_of(exc))

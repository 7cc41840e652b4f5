"""The window's citation actions: render off the UI thread, then fill the clipboard.

One controller per window. Every action takes a selection (row keys of the entry list, or
entry ids) and returns at once; the result arrives as a signal. Only the newest request
reaches the clipboard, so two quick copies never land in the wrong order.

With :attr:`CitationController.check_first` (the window sets it), a copy with something to
read first (an entry's gaps, a difference from a completed record, a notice, a retraction:
``Library.copy_checks``) is held and offered with :attr:`CitationController.warnings_pending`
instead; the window shows every warning beside the Copy button and calls :meth:`deliver`
when the user says "copy anyway" (issue 18.6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QClipboard

from atlas_desktop.domain.citation import CitationCopy, CopyKind, StyleInfo
from atlas_desktop.services import Library
from atlas_desktop.services.citations import CitationError
from atlas_desktop.services.copy_checks import EntryWarnings

from .clipboard import put_on_clipboard
from .operations import Operations
from .runner import Runner

#: A bigger selection is refused with a message rather than rendered for minutes.
MAX_COPY_ENTRIES: Final = 5_000


@dataclass(frozen=True, slots=True)
class EntrySelection:
    """What is selected: row keys of the entry list (cheap to read on the UI thread, turned
    into ids in the background) and/or entry ids, in the order shown."""

    pks: tuple[int, ...] = ()
    entry_ids: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.pks) + len(self.entry_ids)


def status_message(copy: CitationCopy) -> str:
    """The status-bar sentence after a copy: what was copied, left out, and a summary of
    what to check (the warnings themselves are listed beside the Copy button)."""
    message = copy.summary(for_reader=True)
    notes = []
    if copy.retracted:
        count = len(copy.retracted)
        notes.append(f"{count} retracted paper{'s' if count != 1 else ''}")
    if copy.warnings:
        count = len(copy.warnings)
        notes.append(f"{count} warning{'s' if count != 1 else ''}")
    if notes:
        message += " Check before publishing: " + " and ".join(notes) + "."
    return message


class CitationController(QObject):
    #: A copy reached the clipboard (the CitationCopy, with failures and warnings).
    copied = Signal(object)
    #: Nothing was copied; the sentence says why.
    copy_failed = Signal(str)
    #: The engine for this style spec is built; copies in it are now instant.
    style_ready = Signal(str)
    #: The default style preference changed (the new spec).
    default_style_changed = Signal(str)
    #: The citation language changed (the new tag, or "" for each style's own).
    locale_changed = Signal(str)
    #: A copy held until its warnings are read: the CitationCopy and, entry by entry, the
    #: list of :class:`EntryWarnings` (only with :attr:`check_first`).
    warnings_pending = Signal(object, object)

    def __init__(self, library: Library, runner: Runner, *, ops: Operations,
                 clipboard: QClipboard | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self._ops = ops
        self._clipboard = clipboard
        self._seq = 0
        self._offered: list[StyleInfo] | None = None
        #: Why citations cannot be made on this installation (None when they can).
        self.unavailable: str | None = None
        #: Hold a copy with warnings until the user has read them (the window's choice).
        self.check_first = False

    # --- styles -------------------------------------------------------------------------

    def default_style(self) -> str:
        return self.library.citations.default_style()

    def default_style_info(self) -> StyleInfo | None:
        try:
            return self.library.citations.describe_style(style=self.default_style())
        except Exception:  # a stale preference (e.g. a deleted .csl file)
            return None

    def offered_styles(self) -> list[StyleInfo]:
        """The menu's styles; none (and :attr:`unavailable` says why) on a broken install, so
        the window still opens and everything but citing works."""
        if self._offered is None:
            try:
                self._offered = self.library.citations.offered_styles()
                self.unavailable = None
            except CitationError as exc:
                self.unavailable = str(exc)
                return []
        return self._offered

    def warm_up(self, style: str | None = None) -> None:
        """Build the engine for ``style`` (default: the default style) in the background.
        Call once the window is shown, so the first Ctrl+Shift+C does not wait."""
        service = self.library.citations

        def done(info: StyleInfo) -> None:
            self.style_ready.emit(info.spec)

        def prepare() -> StyleInfo:
            service.offered_styles()  # parses the five menu styles here, not on first open
            return service.prepare(style=style)

        self.runner.submit(prepare, done, lambda exc: self.copy_failed.emit(
            f"The citation style could not be prepared: {exc}"))

    def set_default_style(self, spec: str) -> None:
        """Store ``spec`` as the default (checked first; an operation), then build its
        engine (on a worker, not the writer: it can take a second)."""
        service = self.library.citations

        def stored(info: StyleInfo) -> None:
            self.default_style_changed.emit(info.spec)
            self.runner.submit(lambda: service.prepare(style=info.spec),
                               lambda _engine: self.style_ready.emit(info.spec),
                               lambda exc: self.copy_failed.emit(
                                   f"The citation style could not be prepared: {exc}"))

        self._ops.run(lambda: service.set_default_style(style=spec), initiator=self,
                      done=stored, failed=lambda exc: self.copy_failed.emit(
                          f"The default style was not changed: {exc}"))

    def locale(self) -> str | None:
        return self.library.citations.locale()

    def set_locale(self, tag: str | None) -> None:
        """Store the citation language (None: each style's own) and rebuild the default
        style's engine for it in the background."""
        service = self.library.citations

        def stored(value: str | None) -> None:
            self.locale_changed.emit(value or "")
            self.runner.submit(service.prepare, on_error=lambda exc: self.copy_failed.emit(
                f"The citation style could not be prepared: {exc}"))

        self._ops.run(lambda: service.set_locale(locale=tag), initiator=self, done=stored,
                      failed=lambda exc: self.copy_failed.emit(
                          f"The citation language was not changed: {exc}"))

    # --- copying ------------------------------------------------------------------------

    def copy_default(self, selection: EntrySelection) -> None:
        """Ctrl+Shift+C: the reference(s) in the default style."""
        self.copy(selection, CopyKind.BIBLIOGRAPHY)

    def copy(self, selection: EntrySelection, kind: CopyKind, style: str | None = None) -> None:
        """Render ``selection`` as ``kind`` off the UI thread and put it on the clipboard."""
        if len(selection) == 0:
            self.copy_failed.emit("Select one or more entries to copy.")
            return
        if len(selection) > MAX_COPY_ENTRIES:
            self.copy_failed.emit(f"{len(selection):,} entries are selected; copy at most "
                                  f"{MAX_COPY_ENTRIES:,} at a time (export larger sets).")
            return
        self._seq += 1
        seq = self._seq
        library, check = self.library, self.check_first

        def render() -> tuple[CitationCopy, list[EntryWarnings]]:
            ids = self.entry_ids_now(selection)  # on the worker thread: a DB read
            copy = library.citations.copy(entry_ids=ids, kind=kind, style=style)
            checks = library.copy_checks.check(entry_ids=copy.entry_ids, kind=kind) \
                if check and not copy.is_empty else []
            return copy, checks

        self.runner.submit(render, lambda result: self._on_rendered(seq, *result),
                           lambda exc: self._on_failed(seq, exc))

    def _on_rendered(self, seq: int, result: CitationCopy,
                     checks: list[EntryWarnings]) -> None:
        if seq != self._seq:
            return  # a newer copy was asked for; it owns the clipboard
        if result.is_empty:
            reasons = "; ".join(f.describe_for_reader() for f in result.failures)
            self.copy_failed.emit("Nothing was copied" + (f": {reasons}" if reasons else "."))
            return
        if checks:
            self.warnings_pending.emit(result, checks)
            return
        self.deliver(result)

    def deliver(self, result: CitationCopy) -> None:
        """Put a rendered copy on the clipboard (a held one: the user said "copy anyway")."""
        put_on_clipboard(result.content, entry_ids=result.entry_ids, clipboard=self._clipboard)
        self.copied.emit(result)

    def _on_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        self.copy_failed.emit(f"Nothing was copied: {exc}")

    def entry_ids_now(self, selection: EntrySelection) -> list[str]:
        """Entry ids of a selection, on the calling thread (a small selection only)."""
        ids = list(selection.entry_ids)
        if selection.pks:
            ids = self.library.catalogue.ids_for_pks(pks=list(selection.pks)) + ids
        return ids

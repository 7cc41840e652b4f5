"""The import dialog: files in, off the UI thread, with progress, cancel and a review.

States, in order:

1. *running*: a progress bar and Cancel. Cancel sets an event the import polls; the import's
   transaction then rolls back and the dialog says the library is unchanged.
2. *problems*: if any file or entry was refused, nothing has been written. The problems are
   listed (file, line, reason) with two ways on: "Import the valid entries" (the import runs
   again with ``keep_going``) or Close.
3. *done*: what was imported, in total and per file (issue 18.19: new, updated, unchanged,
   problems); references linked to atlas entries are counted, and possible duplicates are
   listed in a :class:`DuplicatesPanel` with "Decide later" preselected. Nothing is merged or
   recorded until the user chooses something and presses "Apply decisions", which shows only
   then (issue 18.20).

The dialog only talks to the services, and every write is an operation on the window's
writer thread (``gui/operations.py``); the progress callback fires on that thread and
reaches the widgets through a queued Qt signal. The library's change notice, not this
dialog, tells the window's views to show the new entries.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.entry import Entry
from atlas_desktop.domain.wording import counted
from atlas_desktop.services import Library
from atlas_desktop.services.import_report import FileResult, ImportReport
from atlas_desktop.services.importing import ImportCancelled
from atlas_desktop.services.references import DecisionOutcome

from ..operations import Operations, reason_of
from ..plain_text import plain_label
from .duplicates_dialog import DuplicatesPanel, entries_for, summarise_outcome

FILE_FILTER = ("Reference and atlas files (*.bib *.bibtex *.ris *.txt *.json);;"
               "BibTeX (*.bib *.bibtex);;RIS (*.ris *.txt);;CSL-JSON or bundle (*.json);;"
               "All files (*)")


class _ProgressBridge(QObject):
    """Lives on the UI thread; emitting from the worker thread queues the call."""

    progressed = Signal(int, int, str)


class ImportDialog(QDialog):
    """Imports ``paths`` when :meth:`start` is called. ``import_finished`` carries the
    committed :class:`ImportReport`; ``duplicates_resolved`` the decisions' outcome."""

    import_finished = Signal(object)
    duplicates_resolved = Signal(object)

    def __init__(self, library: Library, ops: Operations, paths: Sequence[Path],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ImportDialog")
        self.setWindowTitle("Import")
        self.resize(820, 520)
        self._library, self._ops = library, ops
        self.paths = [Path(p) for p in paths]
        self._cancel = threading.Event()
        self.report: ImportReport | None = None
        self.running = False

        names = ", ".join(p.name for p in self.paths[:3])
        more = len(self.paths) - 3
        self.heading = plain_label(QLabel(
            f"Importing {names}{f' and {more} more' if more > 0 else ''}", self))
        self.heading.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("ImportProgress")
        self.progress.setAccessibleName("Import progress")
        self.status = plain_label(QLabel("", self))
        self.status.setObjectName("ImportStatus")
        self.status.setWordWrap(True)
        self.problems = QPlainTextEdit(self)
        self.problems.setObjectName("ImportProblems")
        self.problems.setAccessibleName("Problems found in the files")
        self.problems.setReadOnly(True)
        self.problems.hide()
        self.per_file = _per_file_table(self)
        self.per_file.hide()
        self.duplicates = DuplicatesPanel(self)
        self.duplicates.hide()
        self.duplicates.decisions_changed.connect(self._show_apply)

        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel)
        self.valid_button = QPushButton("Import the valid entries", self)
        self.valid_button.setObjectName("ImportValidButton")
        self.valid_button.clicked.connect(self.import_valid_entries)
        self.valid_button.hide()
        self.apply_button = QPushButton("Apply decisions", self)
        self.apply_button.clicked.connect(self.apply_decisions)
        self.apply_button.hide()
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()
        buttons = QDialogButtonBox(self)
        for button in (self.valid_button, self.apply_button, self.cancel_button,
                       self.close_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        for widget in (self.heading, self.progress, self.status, self.per_file, self.problems,
                       self.duplicates):
            layout.addWidget(widget)
        layout.addWidget(buttons)

        self._bridge = _ProgressBridge(self)
        self._bridge.progressed.connect(self._on_progress)

    # ------------------------------------------------------------------ entry points

    @classmethod
    def choose_and_start(cls, library: Library, ops: Operations,
                         parent: QWidget | None = None) -> ImportDialog | None:
        """Ask for files (a file dialog), then open the dialog importing them."""
        names, _ = QFileDialog.getOpenFileNames(parent, "Import files", "", FILE_FILTER)
        if not names:
            return None
        return cls.open_for(library, ops, [Path(n) for n in names], parent)

    @classmethod
    def open_for(cls, library: Library, ops: Operations, paths: Sequence[Path],
                 parent: QWidget | None = None) -> ImportDialog:
        """Show a dialog importing ``paths`` (dropped files, chosen files)."""
        dialog = cls(library, ops, paths, parent)
        dialog.show()
        dialog.start()
        return dialog

    def start(self, *, keep_going: bool = False) -> None:
        self._cancel.clear()
        self.running = True
        self.progress.setRange(0, 0)  # busy until the first report
        self.status.setText("Reading the files…")
        self.problems.hide()
        self.per_file.hide()
        self.valid_button.hide()
        self.close_button.hide()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        library, paths, cancel = self._library, list(self.paths), self._cancel
        emit = self._bridge.progressed.emit

        def work() -> tuple[ImportReport, dict[str, Entry]]:
            report = library.importer.import_files(
                paths=paths, keep_going=keep_going, cancel=cancel,
                progress=emit)
            ids = [i for pair in report.duplicates for i in (pair.id, pair.duplicate_of)]
            return report, (entries_for(library, ids) if ids else {})

        self._ops.run(work, what="The import", initiator=self, done=self._on_done,
                      failed=self._on_failed)

    def cancel(self) -> None:
        """Stop the import; the library stays as it was."""
        if self.running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")
        else:
            super().reject()

    def reject(self) -> None:
        """Escape or the window's close button while importing means Cancel: an import the
        user can no longer see must not land behind their back."""
        self.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def import_valid_entries(self) -> None:
        """The user saw the problems and wants the rest imported."""
        self.start(keep_going=True)

    # ------------------------------------------------------------------ results

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.status.setText(message)

    def _finish_running(self) -> None:
        self.running = False
        self.cancel_button.hide()
        self.close_button.show()
        self.progress.setRange(0, 1)
        self.progress.setValue(1)

    def _on_done(self, value: tuple[ImportReport, dict[str, Entry]]) -> None:
        report, entries = value
        self.report = report
        self._finish_running()
        _fill_per_file(self.per_file, report)
        self.per_file.show()
        if not report.committed:
            self._show_problems(report)
            return
        self.status.setText(_summary(report))
        if report.errors or report.warnings:
            self._fill_problems(report)
        pairs = report.duplicates
        if pairs:
            self.duplicates.set_pairs(pairs, entries)
            self.duplicates.show()
        self._show_apply()
        if report.wants_tidying:
            # A bulk import leaves the search index in pieces and the write-ahead log full:
            # tidy both in the background (seconds at 100,000 entries).
            # Only speed is at stake if it fails: a later import or start tidies again.
            self._ops.run(self._library.maintain, initiator=self, failed=lambda _exc: None)
        self.import_finished.emit(report)

    def _show_problems(self, report: ImportReport) -> None:
        self._fill_problems(report)
        valid = report.valid_entry_count
        if report.errors and valid:
            self.status.setText(
                "Nothing was imported: some files or entries have problems (listed below). "
                f"You can import the {counted(valid, 'valid entry')} and leave the rest out, "
                "or close and fix the files first.")
            self.valid_button.setText(f"Import the {counted(valid, 'valid entry')}")
            self.valid_button.show()
        else:
            self.status.setText("Nothing was imported: no file could be read (see below).")

    def _fill_problems(self, report: ImportReport) -> None:
        lines: list[str] = []
        for f in report.files:
            if f.errors or f.warnings:
                lines.append(f.file)
                lines.extend(f"  problem: {m}" for m in f.errors)
                lines.extend(f"  note: {m}" for m in f.warnings)
        self.problems.setPlainText("\n".join(lines))
        self.problems.show()

    def _on_failed(self, exc: BaseException) -> None:
        self._finish_running()
        if isinstance(exc, ImportCancelled):
            self.status.setText("Import cancelled. Your library is unchanged.")
        else:
            self.status.setText(f"The import failed and nothing was saved. {reason_of(exc)}")

    # ------------------------------------------------------------------ duplicates

    def _show_apply(self) -> None:
        """"Apply decisions" only while there is something to apply."""
        self.apply_button.setVisible(not self.duplicates.isHidden()
                                     and self.duplicates.has_decisions())

    def apply_decisions(self) -> None:
        if not self.duplicates.confirmed():
            return
        decisions = self.duplicates.decisions()
        self.apply_button.setEnabled(False)
        references = self._library.references
        self._ops.run(lambda: references.resolve_duplicates(decisions=decisions),
                      initiator=self, done=self._on_applied, failed=self._on_apply_failed)

    def _on_applied(self, outcome: DecisionOutcome) -> None:
        self.status.setText(summarise_outcome(outcome))
        self.apply_button.setEnabled(True)
        self.duplicates.keep_undecided()  # pairs left for later stay listed
        self.duplicates.setVisible(bool(self.duplicates.pairs()))
        self._show_apply()
        self.duplicates_resolved.emit(outcome)

    def _on_apply_failed(self, exc: BaseException) -> None:
        self.status.setText("The decisions could not be applied, nothing was changed. "
                            + reason_of(exc))
        self.apply_button.setEnabled(True)


def _summary(report: ImportReport) -> str:
    new = len(report.imported)
    changed = sum(len(f.changed) for f in report.files)
    unchanged = sum(len(f.unchanged) for f in report.files)
    parts = [f"Imported {counted(new, 'new entry')}"]
    if changed:
        parts.append(f"updated {changed:,}")
    if unchanged:
        parts.append(f"{unchanged:,} already as in the file{'s' if len(report.files) > 1 else ''}")
    text = ", ".join(parts) + "."
    if report.linked:
        text += f" {len(report.linked):,} of your references link to atlas entries."
    if report.duplicates:
        count = len(report.duplicates)
        text += (f" {counted(count, 'possible duplicate')} found: choose below what to do "
                 "(nothing is merged unless you say so).")
    return text


_PER_FILE_COLUMNS = ("File", "Read as", "Entries", "New", "Updated", "Unchanged", "Problems")
_KIND_NAMES = {"atlas-page": "Atlas page", "atlas-bundle": "Atlas bundle", "bibtex": "BibTeX",
               "ris": "RIS", "wos": "Web of Science", "csl-json": "CSL-JSON"}


def _per_file_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(_PER_FILE_COLUMNS), parent)
    table.setObjectName("ImportPerFile")
    table.setAccessibleName("What each file gave")
    table.setHorizontalHeaderLabels(list(_PER_FILE_COLUMNS))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(_PER_FILE_COLUMNS)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def per_file_counts(f: FileResult, committed: bool) -> tuple[str, ...]:
    """A file's row: name, kind, entries read, new, updated, unchanged, problems ("–" for
    what an import that wrote nothing cannot say)."""
    kind = _KIND_NAMES.get(f.kind or "", f.kind or "not read")
    done = (str(len(f.imported)), str(len(f.changed)), str(len(f.unchanged))) if committed \
        else ("–", "–", "–")
    return (Path(f.file).name, kind, str(f.entries_read), *done, str(len(f.errors)))


def _fill_per_file(table: QTableWidget, report: ImportReport) -> None:
    table.setRowCount(len(report.files))
    for row, f in enumerate(report.files):
        for column, text in enumerate(per_file_counts(f, report.committed)):
            table.setItem(row, column, QTableWidgetItem(text))
    # As tall as its rows (up to six; more scroll), so the problems and duplicates keep room.
    shown = min(6, len(report.files))
    table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                         + shown * table.verticalHeader().defaultSectionSize())

"""Reviewing possible duplicates among the user's references: merge, keep both, or decide
later (issue 18.17).

:class:`DuplicatesPanel` is the table: one row per pair, each side with what a person tells
references apart by (title, year, key and type, DOI, authors, journal), a column naming what
differs, and a choice per row, "Decide later" preselected so that nothing is merged or
recorded unless the user says so. The import dialog embeds it. :class:`DuplicatesDialog` is
the same panel for the whole library (a menu command). "Apply decisions" shows only while a
row has a decision (issue 18.20); recording many pairs as "kept apart" for good asks first.
Decisions are applied by :meth:`ReferenceService.resolve_duplicates`, off the UI thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.entry import Entry
from atlas_desktop.domain.references import (
    DuplicateDecision,
    DuplicatePair,
    differences,
    reference_facts,
)
from atlas_desktop.domain.wording import counted, plural
from atlas_desktop.services import Library
from atlas_desktop.services.references import DecisionOutcome

from ..operations import Operations, reason_of
from ..plain_text import plain_label
from ..runner import Runner

DECISION_LABELS: dict[DuplicateDecision, str] = {
    DuplicateDecision.DECIDE_LATER: "Decide later",
    DuplicateDecision.KEEP_BOTH: "Different papers: keep both",
    DuplicateDecision.MERGE_INTO_EARLIER: "Merge into the one already there",
    DuplicateDecision.MERGE_INTO_LATER: "Merge into the newer one",
}
#: From this many pairs recorded as different papers at once, the user confirms first.
CONFIRM_KEPT_APART = 3
_DECISION_COLUMN = 3


class DuplicatesPanel(QWidget):
    """A table of duplicate pairs with one decision per pair."""

    #: A row's decision changed (the dialogs show "Apply decisions" only when there is one).
    decisions_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DuplicatesPanel")
        self._pairs: list[DuplicatePair] = []
        self._entries: dict[str, Entry] = {}
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("DuplicatesTable")
        self.table.setAccessibleName("Possible duplicates")
        self.table.setHorizontalHeaderLabels(["Reference", "Looks like", "What differs",
                                              "Decision"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_DECISION_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def set_pairs(self, pairs: Sequence[DuplicatePair], entries: Mapping[str, Entry]) -> None:
        """Show ``pairs``; ``entries`` holds both references of each (read off the UI
        thread: :func:`entries_for`)."""
        self._pairs = list(pairs)
        self._entries = dict(entries)
        self.table.setRowCount(len(self._pairs))
        for row, pair in enumerate(self._pairs):
            later, earlier = entries.get(pair.id), entries.get(pair.duplicate_of)
            for column, entry, entry_id in ((0, later, pair.id), (1, earlier, pair.duplicate_of)):
                item = QTableWidgetItem(describe(entry) if entry else entry_id)
                self.table.setItem(row, column, item)
            differ = what_differs(later, earlier, pair.reason) if later and earlier \
                else pair.reason
            self.table.setItem(row, 2, QTableWidgetItem(differ))
            choice = QComboBox(self.table)
            choice.setAccessibleName(f"Decision for {later.display_title() if later else pair.id}")
            for decision, label in DECISION_LABELS.items():
                choice.addItem(label, decision.value)
            choice.currentIndexChanged.connect(lambda _i: self.decisions_changed.emit())
            self.table.setCellWidget(row, _DECISION_COLUMN, choice)
        self.table.resizeRowsToContents()
        self.decisions_changed.emit()

    def pairs(self) -> list[DuplicatePair]:
        return list(self._pairs)

    def set_decision(self, row: int, decision: DuplicateDecision) -> None:
        combo = self.table.cellWidget(row, _DECISION_COLUMN)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(decision.value))

    def decisions(self) -> list[tuple[DuplicatePair, DuplicateDecision]]:
        out: list[tuple[DuplicatePair, DuplicateDecision]] = []
        for row, pair in enumerate(self._pairs):
            combo = self.table.cellWidget(row, _DECISION_COLUMN)
            assert isinstance(combo, QComboBox)
            out.append((pair, DuplicateDecision(combo.currentData())))
        return out

    def has_decisions(self) -> bool:
        """Whether any row says more than "decide later"."""
        return any(d is not DuplicateDecision.DECIDE_LATER for _, d in self.decisions())

    def keep_undecided(self) -> None:
        """After the decisions were applied: the pairs left for later stay listed."""
        left = [p for p, d in self.decisions() if d is DuplicateDecision.DECIDE_LATER]
        self.set_pairs(left, self._entries)

    def confirmed(self) -> bool:
        """Ask before recording many pairs as different papers for good."""
        apart = sum(1 for _, d in self.decisions() if d is DuplicateDecision.KEEP_BOTH)
        if apart < CONFIRM_KEPT_APART:
            return True
        answer = QMessageBox.question(
            self, "Keep these references apart for good?",
            f"{counted(apart, 'pair')} of references will be recorded as different papers "
            f"and never suggested as duplicates again. Record {plural('it', apart)}?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes


def describe(entry: Entry) -> str:
    """One side of a pair, as lines: title (year), key and type, DOI, authors, journal."""
    facts = reference_facts(entry)
    title = entry.display_title() + (f" ({entry.year})" if entry.year else "")
    lines = [title, " · ".join(x for x in (facts["key"], facts["type"]) if x) or "(no key)",
             f"DOI {facts['doi']}" if facts["doi"] else "No DOI"]
    if facts["authors"]:
        lines.append(facts["authors"])
    if facts["journal"]:
        lines.append(facts["journal"])
    return "\n".join(lines)


def what_differs(later: Entry, earlier: Entry, reason: str) -> str:
    """Why the pair was found, then each compared field that differs, both values."""
    found = differences(later, earlier)
    lines = [f"Found by: {reason}"]
    if not found:
        lines.append("Nothing else differs.")
    lines.extend(f"{label}: {a or '(none)'} | {b or '(none)'}" for label, a, b in found)
    return "\n".join(lines)


def entries_for(library: Library, ids: Sequence[str]) -> dict[str, Entry]:
    """Both references of each pair (call off the UI thread)."""
    return {e.id: e for e in library.catalogue.get_entries(entry_ids=list(dict.fromkeys(ids)))}


class DuplicatesDialog(QDialog):
    """Every possible duplicate in the library, for review (found in the background)."""

    decisions_applied = Signal(object)  # DecisionOutcome

    def __init__(self, library: Library, runner: Runner, ops: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DuplicatesDialog")
        self.setWindowTitle("Possible duplicates in your references")
        self.resize(980, 520)
        self._library, self._runner, self._ops = library, runner, ops
        self.status = plain_label(QLabel("Looking for duplicates…", self))
        self.status.setWordWrap(True)
        self.panel = DuplicatesPanel(self)
        self.apply_button = QPushButton("Apply decisions", self)
        self.apply_button.clicked.connect(self.apply)
        self._applying = False
        self.panel.decisions_changed.connect(self._show_apply)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)
        self._show_apply()

    def _show_apply(self) -> None:
        self.apply_button.setVisible(self.panel.has_decisions())
        self.apply_button.setEnabled(not self._applying)

    def start(self) -> None:
        library = self._library

        def find() -> tuple[list[DuplicatePair], dict[str, Entry]]:
            pairs = library.references.find_duplicates()
            return pairs, entries_for(library, [i for p in pairs for i in (p.id,
                                                                             p.duplicate_of)])

        self._runner.submit(find, self._on_found, self._on_failed)

    def _on_found(self, value: tuple[list[DuplicatePair], dict[str, Entry]]) -> None:
        pairs, entries = value
        self.panel.set_pairs(pairs, entries)
        if pairs:
            self.status.setText(
                f"{counted(len(pairs), 'pair')} of your references look like the same paper. "
                "Nothing is merged or recorded unless you choose it below.")
        else:
            self.status.setText("No possible duplicates among your references.")

    def apply(self) -> None:
        if not self.panel.confirmed():
            return
        decisions = self.panel.decisions()
        self._applying = True
        self._show_apply()
        self.status.setText("Applying your decisions…")
        references = self._library.references
        self._ops.run(lambda: references.resolve_duplicates(decisions=decisions),
                      initiator=self, done=self._on_applied, failed=self._on_failed)

    def _on_applied(self, outcome: DecisionOutcome) -> None:
        self._applying = False
        self.status.setText(summarise_outcome(outcome))
        self.decisions_applied.emit(outcome)
        self.panel.keep_undecided()

    def _on_failed(self, exc: BaseException) -> None:
        self._applying = False
        self.status.setText(f"That did not work, and nothing was changed. {reason_of(exc)}")
        self._show_apply()


def summarise_outcome(outcome: DecisionOutcome) -> str:
    merged = len(outcome.merged)
    parts = []
    if merged:
        parts.append(f"{counted(merged, 'reference')} merged")
    if outcome.kept_apart:
        parts.append(f"{counted(outcome.kept_apart, 'pair')} kept apart")
    return ("Done: " + " and ".join(parts) + ".") if parts else "Nothing to change."

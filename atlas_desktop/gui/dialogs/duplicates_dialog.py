"""Reviewing possible duplicates among the user's references: merge, or keep both.

:class:`DuplicatesPanel` is the table (one row per pair, a choice per row, "Keep both"
preselected so that nothing is merged unless the user says so); the import dialog embeds
it. :class:`DuplicatesDialog` is the same panel for the whole library (a menu command).
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
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.references import DuplicateDecision, DuplicatePair
from atlas_desktop.domain.wording import counted
from atlas_desktop.services import Library
from atlas_desktop.services.references import DecisionOutcome

from ..operations import Operations
from ..plain_text import plain_label, tooltip
from ..runner import Runner

DECISION_LABELS: dict[DuplicateDecision, str] = {
    DuplicateDecision.KEEP_BOTH: "Keep both",
    DuplicateDecision.MERGE_INTO_EARLIER: "Merge into the one already there",
    DuplicateDecision.MERGE_INTO_LATER: "Merge into the newer one",
}


class DuplicatesPanel(QWidget):
    """A table of duplicate pairs with one decision per pair."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DuplicatesPanel")
        self._pairs: list[DuplicatePair] = []
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("DuplicatesTable")
        self.table.setAccessibleName("Possible duplicates")
        self.table.setHorizontalHeaderLabels(["Reference", "Looks like", "Why", "Decision"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def set_pairs(self, pairs: Sequence[DuplicatePair], titles: Mapping[str, str]) -> None:
        """Show ``pairs``; ``titles`` maps ids to what the user recognises (title, year)."""
        self._pairs = list(pairs)
        self.table.setRowCount(len(self._pairs))
        for row, pair in enumerate(self._pairs):
            for column, entry_id in ((0, pair.id), (1, pair.duplicate_of)):
                item = QTableWidgetItem(titles.get(entry_id, entry_id))
                item.setToolTip(tooltip(entry_id))
                self.table.setItem(row, column, item)
            self.table.setItem(row, 2, QTableWidgetItem(pair.reason))
            choice = QComboBox(self.table)
            choice.setAccessibleName(f"Decision for {pair.id}")
            for decision, label in DECISION_LABELS.items():
                choice.addItem(label, decision.value)
            self.table.setCellWidget(row, 3, choice)

    def pairs(self) -> list[DuplicatePair]:
        return list(self._pairs)

    def set_decision(self, row: int, decision: DuplicateDecision) -> None:
        combo = self.table.cellWidget(row, 3)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(decision.value))

    def decisions(self) -> list[tuple[DuplicatePair, DuplicateDecision]]:
        out: list[tuple[DuplicatePair, DuplicateDecision]] = []
        for row, pair in enumerate(self._pairs):
            combo = self.table.cellWidget(row, 3)
            assert isinstance(combo, QComboBox)
            out.append((pair, DuplicateDecision(combo.currentData())))
        return out


def describe(entry_titles: Mapping[str, tuple[str, int | None]]) -> dict[str, str]:
    """``id -> "Title (2019)"`` for the panel."""
    return {i: f"{title} ({year})" if year else title for i, (title, year) in
            entry_titles.items()}


def titles_for(library: Library, ids: Sequence[str]) -> dict[str, str]:
    """Display titles of entries (call off the UI thread)."""
    entries = library.catalogue.get_entries(entry_ids=list(dict.fromkeys(ids)))
    return describe({e.id: (e.display_title(), e.year) for e in entries})


class DuplicatesDialog(QDialog):
    """Every possible duplicate in the library, for review (found in the background)."""

    decisions_applied = Signal(object)  # DecisionOutcome

    def __init__(self, library: Library, runner: Runner, ops: Operations,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DuplicatesDialog")
        self.setWindowTitle("Possible duplicates in your references")
        self.resize(860, 480)
        self._library, self._runner, self._ops = library, runner, ops
        self.status = plain_label(QLabel("Looking for duplicates…", self))
        self.status.setWordWrap(True)
        self.panel = DuplicatesPanel(self)
        self.apply_button = QPushButton("Apply decisions", self)
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)

    def start(self) -> None:
        library = self._library

        def find() -> tuple[list[DuplicatePair], dict[str, str]]:
            pairs = library.references.find_duplicates()
            return pairs, titles_for(library, [i for p in pairs for i in (p.id, p.duplicate_of)])

        self._runner.submit(find, self._on_found, self._on_failed)

    def _on_found(self, value: tuple[list[DuplicatePair], dict[str, str]]) -> None:
        pairs, titles = value
        self.panel.set_pairs(pairs, titles)
        if pairs:
            self.status.setText(
                f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''} of your references look "
                "like the same paper. Nothing is merged unless you choose it below.")
            self.apply_button.setEnabled(True)
        else:
            self.status.setText("No possible duplicates among your references.")

    def apply(self) -> None:
        decisions = self.panel.decisions()
        self.apply_button.setEnabled(False)
        self.status.setText("Applying your decisions…")
        references = self._library.references
        self._ops.run(lambda: references.resolve_duplicates(decisions=decisions),
                      initiator=self, done=self._on_applied, failed=self._on_failed)

    def _on_applied(self, outcome: DecisionOutcome) -> None:
        self.status.setText(summarise_outcome(outcome))
        self.decisions_applied.emit(outcome)
        self.panel.set_pairs([], {})

    def _on_failed(self, exc: BaseException) -> None:
        self.status.setText(f"That did not work: {exc}. Nothing was changed.")
        self.apply_button.setEnabled(bool(self.panel.pairs()))


def summarise_outcome(outcome: DecisionOutcome) -> str:
    merged = len(outcome.merged)
    parts = []
    if merged:
        parts.append(f"{counted(merged, 'reference')} merged")
    if outcome.kept_apart:
        parts.append(f"{counted(outcome.kept_apart, 'pair')} kept apart")
    return ("Done: " + " and ".join(parts) + ".") if parts else "Nothing to change."

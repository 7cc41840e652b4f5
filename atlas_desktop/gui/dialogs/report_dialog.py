"""Reporting an error in an entry. The report is saved to the outbox in one step (an
operation, off the UI thread); nothing is sent from here (the sync sends it later, whenever
there is a connection)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from atlas_desktop.domain.entry import Entry
from atlas_desktop.domain.reports import (
    PROBLEM_MAX,
    REPORT_CHOICES,
    SUGGESTION_MAX,
    CorrectionReport,
    ReportDraft,
    ReportInvalid,
    current_value_for,
    validate_draft,
)
from atlas_desktop.services import Library

from ..forms.ui_report_dialog import Ui_ReportDialog
from ..operations import Operations, reason_of
from ..plain_text import escape, plain_label
from ..theme import set_text_colour, theme_colours


class ReportDialog(QDialog):
    """Invariant: Save is enabled only while the draft passes the contract's checks; what
    ``report`` holds after acceptance is exactly what the outbox stored."""

    def __init__(self, library: Library, entry: Entry, *, ops: Operations, field: str = "",
                 editing: CorrectionReport | None = None, problem: str = "",
                 suggestion: str = "", parent: QWidget | None = None) -> None:
        """``problem`` and ``suggestion`` pre-fill a new report (a difference found when
        the record was completed online: the record's value as the suggestion)."""
        super().__init__(parent)
        self.ui = Ui_ReportDialog()
        self.ui.setupUi(self)
        self.setObjectName("ReportDialog")
        self._library = library
        self._ops = ops
        self._saving = False
        self._entry = entry
        self.report: CorrectionReport | None = None
        self.ui.entryLabel.setText(
            f"<b>{escape(entry.display_title())}</b><br>"
            f"<span style='color:{theme_colours(self.palette()).muted}'>"
            f"{escape(_byline(entry))}</span>")
        # What the user can pick (a choice); the report carries the contract's field for it.
        self._wire_field = {choice: wire for choice, _, wire in REPORT_CHOICES}
        for choice, label, _wire in REPORT_CHOICES:
            self.ui.fieldCombo.addItem(label, choice)
        self._choose(field)
        self._editing = editing
        if editing is not None:
            # Editing a report the server refused: same report id, fields pre-filled.
            self.setWindowTitle("Edit the report and send it again")
            self._choose(editing.field)
            self.ui.problemEdit.setPlainText(editing.problem)
            self.ui.suggestEdit.setPlainText(editing.suggested_correction or "")
            self.ui.contactEdit.setText(editing.contact or "")
        else:
            self.ui.problemEdit.setPlainText(problem)
            self.ui.suggestEdit.setPlainText(suggestion)
        self.ui.fieldCombo.currentIndexChanged.connect(self._on_field_changed)
        self.ui.problemEdit.textChanged.connect(self._validate)
        self.ui.suggestEdit.textChanged.connect(self._validate)
        self.ui.contactEdit.textChanged.connect(self._validate)
        self.save_button = self.ui.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save to outbox")
        self.ui.buttons.accepted.connect(self._on_save)
        self.ui.buttons.rejected.connect(self.reject)
        # Enter in the text boxes starts a new line; Ctrl+Enter saves, as in mail programs.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self._save_by_key)
        self.save_button.setToolTip("Save the report to the outbox (Ctrl+Enter)")
        plain_label(self.ui.errorLabel)  # may quote what was typed
        set_text_colour(self.ui.errorLabel, "error_text")
        self._on_field_changed()
        self.ui.problemEdit.setFocus()

    def _save_by_key(self) -> None:
        if self.save_button.isEnabled():
            self.save_button.click()

    @property
    def choice(self) -> str:
        """What the user picked in the list (``volume_issue_pages``, ``title``…)."""
        return str(self.ui.fieldCombo.currentData())

    @property
    def field(self) -> str:
        """The contract's field the report is about (``citation`` for volume/issue/pages)."""
        return self._wire_field[self.choice]

    def _choose(self, choice: str) -> None:
        index = self.ui.fieldCombo.findData(choice)
        if index >= 0:
            self.ui.fieldCombo.setCurrentIndex(index)

    def draft(self) -> ReportDraft:
        return ReportDraft(
            entry_id=self._entry.id,
            field=self.field,
            problem=self.ui.problemEdit.toPlainText(),
            suggested_correction=self.ui.suggestEdit.toPlainText() or None,
            contact=self.ui.contactEdit.text() or None,
        )

    def _on_field_changed(self) -> None:
        value = current_value_for(self._entry, self.choice)
        self.ui.currentValue.setPlainText(value if value is not None else "(nothing recorded)")
        self._validate()

    def _validate(self) -> list[str]:
        problem_len = len(self.ui.problemEdit.toPlainText().strip())
        self.ui.problemCount.setText(f"{problem_len:,} / {PROBLEM_MAX:,}")
        _, problems = validate_draft(self.draft())
        # An empty description is the normal starting state: no red text for it yet.
        shown = [p.message for p in problems if not (p.field == "problem" and problem_len == 0)]
        suggest_len = len(self.ui.suggestEdit.toPlainText().strip())
        if suggest_len > SUGGESTION_MAX:
            shown = [m for m in shown if "suggested" not in m] + [
                f"The suggested correction is {suggest_len:,} characters long; the limit is "
                f"{SUGGESTION_MAX:,}."]
        self.ui.errorLabel.setText("\n".join(shown))
        self.save_button.setEnabled(not problems and not self._saving)
        return [p.message for p in problems]

    def _on_save(self) -> None:
        if self._validate() or self._saving:
            return
        reports, draft, editing = self._library.reports, self.draft(), self._editing
        current = current_value_for(self._entry, self.choice)

        def save() -> CorrectionReport:
            if editing is not None:
                return reports.edit_and_requeue(
                    report_id=editing.report_id, field=draft.field, problem=draft.problem,
                    suggested_correction=draft.suggested_correction, contact=draft.contact)
            return reports.create_report(draft=draft, current_value=current,
                                         use_entry_value=False)

        self._saving = True
        self.save_button.setEnabled(False)
        self.ui.errorLabel.setText("")
        self._ops.run(save, initiator=self, done=self._on_saved, failed=self._on_failed)

    def _on_saved(self, report: CorrectionReport) -> None:
        self._saving = False
        self.report = report
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        # The text stays in the dialog; the user can fix it or try again.
        self._saving = False
        if isinstance(exc, ReportInvalid):
            self.ui.errorLabel.setText("\n".join(p.message for p in exc.problems))
        else:
            self.ui.errorLabel.setText(f"The report could not be saved. {reason_of(exc)}")
        self.save_button.setEnabled(True)


def _byline(entry: Entry) -> str:
    authors = ", ".join(a.family for a in entry.authors[:3])
    if len(entry.authors) > 3 or entry.authors_truncated:
        authors += " et al."
    return " · ".join(x for x in (authors, entry.journal or "", str(entry.year or "")) if x)



"""The outbox: every correction report, its status, and what can still be done with it.

Withdrawing and retrying are operations (``gui/operations.py``); the list follows the
library's change notices, so a report sent by a sync while it is open moves too."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.reports import FIELD_LABELS, CorrectionReport, ReportStatus
from atlas_desktop.domain.sync import REVIEW_LABELS, SyncOverview, SyncState
from atlas_desktop.services import Library

from ..operations import Operations, warn_in_place
from ..plain_text import plain_label, tooltip
from .report_dialog import ReportDialog

STATUS_WORDS = {
    ReportStatus.QUEUED: "Queued",
    ReportStatus.SENDING: "Sending",
    ReportStatus.SENT: "Sent",
    ReportStatus.NEEDS_ATTENTION: "Needs attention",
    ReportStatus.WITHDRAWN: "Withdrawn",
}
SERVER_STATUS_WORDS = {key: value.lower() for key, value in REVIEW_LABELS.items()}


def local_time(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        when = datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return stamp
    return f"{when.astimezone():%d %b %Y %H:%M}"


def status_text(report: CorrectionReport) -> str:
    words = STATUS_WORDS[report.status]
    if report.status is ReportStatus.SENT:
        words += f" {local_time(report.sent_at)}"
        if report.server_status:
            words += f", {SERVER_STATUS_WORDS.get(report.server_status, report.server_status)}"
    return words


def message_text(report: CorrectionReport) -> str:
    if report.reviewer_note:
        return f"Reviewer: {report.reviewer_note}"
    return report.last_error or ""


#: The Entry column shows this much of a title; the tooltip has all of it.
ENTRY_COLUMN_MAX = 340


def _reports(n: int) -> str:
    return f"{n} report" if n == 1 else f"{n} reports"


class OutboxDialog(QDialog):
    sync_requested = Signal()

    def __init__(self, library: Library, ops: Operations, parent: QWidget | None = None, *,
                 overview: SyncOverview | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OutboxDialog")
        self._ops = ops
        self._overview = overview
        self.setWindowTitle("Outbox — correction reports")
        self.resize(900, 460)
        self._library = library
        self._reports: list[CorrectionReport] = []
        self.banner = plain_label(QLabel(self))  # quotes the server's sentences
        self.banner.setObjectName("OutboxBanner")
        self.banner.setWordWrap(True)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("OutboxTable")
        self.table.setAccessibleName("Correction reports")
        self.table.setHorizontalHeaderLabels(
            ["Created", "Entry", "Part", "Status", "Attempts", "Message"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.edit_button = QPushButton("Edit and queue again…", self)
        self.withdraw_button = QPushButton("Withdraw", self)
        self.retry_button = QPushButton("Try again", self)
        self.save_button = QPushButton("Save unsent reports to a file…", self)
        self.sync_button = QPushButton("Sync now", self)
        close = QPushButton("Close", self)
        for button, tip in (
            (self.edit_button, "The server refused this report as invalid; correct it and "
                               "it will be sent again with the same report number."),
            (self.withdraw_button, "This report will never be sent."),
            (self.retry_button, "The server turned this report away for a reason that was "
                                "not its content; queue it again unchanged."),
            (self.save_button, "Save every report that has not been sent yet to a file, to "
                               "hand over another way (for a computer that is never online)."),
            (self.sync_button, "Try to send the queued reports now."),
        ):
            button.setToolTip(tip)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_clicked)
        self.retry_button.clicked.connect(self._on_retry_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.sync_button.clicked.connect(self.sync_requested.emit)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.retry_button, self.withdraw_button,
                       self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        ops.changed.connect(self._on_ops_changed)
        self.refresh()

    def _on_ops_changed(self, notice: ChangeNotice) -> None:
        if notice.concerns(Changes.REPORTS):
            self.refresh()

    def set_overview(self, overview: SyncOverview) -> None:
        """The sync status changed (a run finished): show the reports as they are now."""
        self._overview = overview
        self.refresh()

    def refresh(self) -> None:
        self._reports = self._library.reports.list()
        self._reports.reverse()  # newest first for reading
        server = self._library.get_setting("sync.server_url")
        overview = self._overview
        unsent = sum(1 for r in self._reports if r.status in
                     (ReportStatus.QUEUED, ReportStatus.SENDING, ReportStatus.NEEDS_ATTENTION))
        if not self._reports:
            self.banner.setText("The outbox is empty. Use “Report an error…” on an entry to "
                                "tell the atlas team about a mistake.")
        elif not server and unsent:
            self.banner.setText(
                f"{_reports(unsent)} {'waits' if unsent == 1 else 'wait'} here because no "
                "atlas server is set. Set one under Sync settings, or save the reports to a "
                "file to hand them over another way.")
        elif overview is not None and overview.state is not SyncState.OK and unsent:
            self.banner.setText(f"{_reports(unsent)} not sent yet. {overview.status_line()}")
        elif unsent:
            self.banner.setText(f"{_reports(unsent)} not sent yet. Reports are sent at each "
                                "sync; a report is never sent twice.")
        else:
            self.banner.setText("Every report has been sent or withdrawn. A report is never "
                                "sent twice.")
        self.table.setRowCount(len(self._reports))
        for row, report in enumerate(self._reports):
            entry = self._library.catalogue.get_entry(entry_id=report.entry_id)
            title = entry.display_title() if entry else report.entry_id
            values = [local_time(report.created_at), title, FIELD_LABELS.get(report.field,
                      report.field), status_text(report), str(report.attempts),
                      message_text(report)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(tooltip(value))
                if column == 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        # A long title is elided (the tooltip has it whole); status and message stay in view.
        header.resizeSection(1, min(header.sectionSize(1), ENTRY_COLUMN_MAX))
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self._update_buttons()

    def selected(self) -> CorrectionReport | None:
        rows = self.table.selectionModel().selectedRows()
        return self._reports[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        report = self.selected()
        editable = report is not None and self._library.reports.can_edit(
            report, self._library.reports.last_http_status(report_id=report.report_id))
        self.edit_button.setEnabled(editable)
        self.withdraw_button.setEnabled(report is not None and report.status in (
            ReportStatus.QUEUED, ReportStatus.NEEDS_ATTENTION))
        status = (self._library.reports.last_http_status(report_id=report.report_id)
                  if report is not None else None)
        self.retry_button.setEnabled(
            report is not None and report.status is ReportStatus.NEEDS_ATTENTION
            and status not in (None, 400, 409, 413, 422))
        self.save_button.setEnabled(any(r.status in (
            ReportStatus.QUEUED, ReportStatus.SENDING, ReportStatus.NEEDS_ATTENTION)
            for r in self._reports))
        if self._library.read_only is not None:  # sending and changing reports both write
            for button in (self.edit_button, self.withdraw_button, self.retry_button,
                           self.sync_button):
                button.setEnabled(False)

    def _on_edit_clicked(self) -> None:
        report = self.selected()
        if report is None:
            return
        entry = self._library.catalogue.get_entry(entry_id=report.entry_id)
        if entry is None:
            QMessageBox.information(self, "Entry not found",
                                    "The entry of this report is no longer in the library.")
            return
        ReportDialog(self._library, entry, ops=self._ops, editing=report, parent=self).exec()

    def _on_withdraw_clicked(self) -> None:
        report = self.selected()
        if report is None:
            return
        answer = QMessageBox.question(
            self, "Withdraw this report?",
            "The report will not be sent. This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        reports = self._library.reports
        self._ops.run(lambda: reports.withdraw(report_id=report.report_id), initiator=self,
                      failed=warn_in_place(self, "Cannot withdraw"))

    def _on_retry_clicked(self) -> None:
        report = self.selected()
        if report is None:
            return
        sync = self._library.sync
        self._ops.run(lambda: sync.retry_report(report_id=report.report_id), initiator=self,
                      done=lambda _report: self.sync_requested.emit(),
                      failed=warn_in_place(self, "Not queued again"))

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save unsent reports", "atlas-corrections.json", "JSON files (*.json)")
        if not path:
            return
        try:
            count = self._library.reports.export_unsent(path=Path(path))
        except OSError as exc:
            QMessageBox.warning(self, "Not saved", f"The file could not be written: {exc}")
            return
        QMessageBox.information(self, "Saved", f"{_reports(count)} saved to {path}.")

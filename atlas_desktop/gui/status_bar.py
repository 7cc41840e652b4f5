"""The window's status bar: sync status, catalogue updates, undo, busy, queued reports and
the count of entries shown. It keeps its counts up to date from the library's change
notices (a report queued anywhere) and the sync controller's overviews."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget

from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.listing import SearchResult
from atlas_desktop.domain.sync import SyncOverview, SyncResult
from atlas_desktop.domain.wording import counted
from atlas_desktop.services import Library

from .icons import icon
from .plain_text import tooltip

#: The undo button stays this long after a collection was deleted.
UNDO_SHOWN_MS = 10_000


class WindowStatusBar:
    def __init__(self, bar: QStatusBar, library: Library, parent: QWidget) -> None:
        self.bar = bar
        self._library = library
        self.busy = QProgressBar(parent)
        self.busy.setObjectName("BusyIndicator")
        self.busy.setAccessibleName("Working")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(90)
        self.busy.setMaximumHeight(12)
        self.busy.setVisible(False)
        self.undo_button = QPushButton("Undo", parent)
        self.undo_button.setVisible(False)
        self.reports_label = QPushButton(parent)
        self.reports_label.setObjectName("QueuedReports")
        self.reports_label.setFlat(True)
        self.reports_label.setIcon(icon("outbox"))
        self.reports_label.setAccessibleName("Queued correction reports")
        self.reports_label.setToolTip("Open the outbox of correction reports")
        self.count_label = QLabel(parent)
        self.count_label.setObjectName("CountLabel")
        self.count_label.setAccessibleName("Entries shown")
        self.sync_label = QLabel(parent)
        self.sync_label.setObjectName("SyncStatus")
        self.sync_label.setAccessibleName("Sync status")
        self.sync_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote a server
        self.changes_button = QPushButton(parent)
        self.changes_button.setObjectName("CatalogueUpdates")
        self.changes_button.setFlat(True)
        self.changes_button.setVisible(False)
        self.changes_button.setToolTip(
            "What catalogue updates and completed records changed since you last looked: "
            "entries added, changed or withdrawn, and notices of retraction, correction or "
            "concern, sync by sync")
        bar.addWidget(self.sync_label, 1)
        for widget in (self.changes_button, self.undo_button, self.busy, self.reports_label,
                       self.count_label):
            bar.addPermanentWidget(widget)
        self._undo_timer = QTimer(parent)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_SHOWN_MS)
        self._undo_timer.timeout.connect(lambda: self.undo_button.setVisible(False))

    def show_message(self, text: str, msecs: int = 8000) -> None:
        self.bar.showMessage(text, msecs)

    def show_count(self, result: SearchResult, total: int) -> None:
        shown = f"{result.total:,}" if result.complete else f"{len(result.pks):,}+"
        self.count_label.setText(f"{shown} of {counted(total, 'entry')}")

    def refresh_reports(self) -> None:
        unsent = self._library.reports.count_unsent()
        self.reports_label.setText(f"{counted(unsent, 'report')} queued"
                                   if unsent else "Outbox empty")

    def apply_notice(self, notice: ChangeNotice) -> None:
        if notice.concerns(Changes.REPORTS):
            self.refresh_reports()

    def show_sync_result(self, result: SyncResult) -> None:
        """What a run changed in the catalogue; and, said first, reports on the user's own
        references (queued by an older release) withdrawn unsent (issue 18.4)."""
        if result.withheld:
            self.show_message(result.done_sentence(), 20000)
        elif not result.catalogue.empty:
            self.show_message(result.catalogue.summary(), 10000)

    def show_sync(self, overview: SyncOverview) -> None:
        self.sync_label.setText(overview.status_line())
        self.sync_label.setToolTip(tooltip(overview.message))
        unseen = overview.unseen_changes
        self.changes_button.setVisible(unseen > 0)
        # One per entry and sync (a notice found by completion is one too), not per sync.
        self.changes_button.setText(f"{counted(unseen, 'change')} to review")
        self.refresh_reports()

    def offer_undo(self, available: bool) -> None:
        self.undo_button.setVisible(available)
        if available:
            self._undo_timer.start()
        else:
            self._undo_timer.stop()

    def refresh_icons(self) -> None:
        self.reports_label.setIcon(icon("outbox"))

"""The dialogs the main window opens (import, export, update a document, duplicates,
report, outbox, sync settings, catalogue updates, preferences, about, help), each with what
it needs.

Dialogs that change the library do it through the window's operations; the window's views
follow the change notices, so nothing here tells a view to refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from atlas_desktop.domain.entry import Entry
from atlas_desktop.services import Library

from .citation_controller import CitationController
from .collections_controller import viewed_collection
from .completion_window import CompletionWindowPart
from .dialogs.about_dialog import AboutDialog
from .dialogs.catalogue_changes import CatalogueChangesDialog
from .dialogs.duplicates_dialog import DuplicatesDialog
from .dialogs.export_dialog import ExportDialog, ExportScope
from .dialogs.help_dialog import HelpDialog
from .dialogs.import_dialog import ImportDialog
from .dialogs.outbox_dialog import OutboxDialog
from .dialogs.preferences_dialog import PreferencesDialog
from .dialogs.report_dialog import ReportDialog
from .dialogs.sync_settings import SyncSettingsDialog
from .operations import Operations
from .panes.detail_pane import DetailPane
from .plain_text import escape
from .runner import Runner
from .selection import SelectionController
from .status_bar import WindowStatusBar
from .sync_controller import SyncController
from .theme import Theme, apply_theme
from .window_actions import SHORTCUTS_HELP
from .wordproc.update_dialog import UpdateDocumentDialog

#: The field a report is about when the user did not choose one: the first missing.
_REPORT_FIELD_ORDER = ("title", "authors", "journal", "year", "doi", "pmid", "summary")


class WindowDialogs:
    def __init__(self, window: QMainWindow, library: Library, runner: Runner, ops: Operations,
                 settings: QSettings, *, sync: SyncController, citations: CitationController,
                 selection: SelectionController, detail: DetailPane, status: WindowStatusBar,
                 query: Callable[[], str]) -> None:
        self._window = window
        self._library = library
        self._runner = runner
        self._ops = ops
        self._settings = settings
        self._sync = sync
        self._citations = citations
        self._selection = selection
        self._detail = detail
        self._status = status
        self._query = query
        #: Complete record, Complete all…, Add by identifier… (issue 15).
        self.completion = CompletionWindowPart(
            window, library, selected_ids=selection.selected_entry_ids,
            select_entries=selection.select_entries, select_entry=selection.select_entry,
            show_message=status.show_message, news_recorded=sync.refresh_status)

    # ----------------------------------------------------------------- files

    def import_files(self) -> None:
        if self._library.read_only is not None:
            return
        ImportDialog.choose_and_start(self._library, self._ops, self._window)

    def open_import(self, paths: list[Path]) -> None:
        if self._library.read_only is not None:  # (files dropped on the window)
            self._status.show_message(f"Nothing was imported. {self._library.read_only}",
                                      10000)
            return
        ImportDialog.open_for(self._library, self._ops, paths, self._window)

    def open_export(self, query: str | None = None, *, collection: str | None = None,
                    scope: ExportScope | None = None) -> ExportDialog:
        """The export dialog, preset to what the user was looking at: ``collection`` (the
        sidebar's Export…), ``scope`` (the list's "Export the selection…"), else several
        selected entries, else the collection or the search the list shows."""
        query = self._query() if query is None else query
        selected = self._selection.selected_entry_ids()
        if collection is not None:
            scope = ExportScope.COLLECTION
        elif scope is None:
            collection = viewed_collection(query)
            scope = (ExportScope.SELECTED if len(selected) > 1 else
                     ExportScope.COLLECTION if collection is not None else ExportScope.SEARCH)
        dialog = ExportDialog(self._library, self._runner, selected_ids=selected, query=query,
                              collection=collection, scope=scope, parent=self._window)
        dialog.show()
        return dialog

    def update_document(self, source: Path | None = None) -> UpdateDocumentDialog:
        """File → Update a document… (``source``: a document already chosen)."""
        dialog = UpdateDocumentDialog(self._library, self._runner, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if source is not None:
            dialog.set_source(source)
        dialog.show()
        return dialog

    def find_duplicates(self) -> None:
        dialog = DuplicatesDialog(self._library, self._runner, self._ops, self._window)
        dialog.show()
        dialog.start()

    # ----------------------------------------------------------------- reports and sync

    def report_error(self, field: str = "") -> None:
        entry = self._detail.entry
        if entry is None or self._library.read_only is not None:
            return
        if not self._detail.reportable:
            # Ctrl+E on one of the user's own references: they are private (issue 18.4).
            self._status.show_message(
                "Reports go to the atlas team about atlas entries only; this is one of your "
                "own references, so there is nothing to report.", 8000)
            return
        dialog = ReportDialog(self._library, entry, ops=self._ops,
                              field=field or _first_missing(entry), parent=self._window)
        if dialog.exec() and dialog.report is not None:
            self._status.show_message(
                "Report saved to the outbox; it will be sent at the next sync.", 6000)
            self._sync.sync_soon()

    def report_difference(self, field: str, problem: str, suggestion: str) -> None:
        """A report of where the atlas and a completed record disagree, pre-filled with the
        record's value (the detail pane offers it for atlas entries only)."""
        entry = self._detail.entry
        if entry is None:
            return
        dialog = ReportDialog(self._library, entry, ops=self._ops, field=field,
                              problem=problem, suggestion=suggestion, parent=self._window)
        if dialog.exec() and dialog.report is not None:
            self._status.show_message(
                "Report saved to the outbox; it will be sent at the next sync.", 6000)
            self._sync.sync_soon()

    def open_outbox(self) -> None:
        dialog = OutboxDialog(self._library, self._ops, self._window,
                              overview=self._sync.overview)
        dialog.sync_requested.connect(self._sync.sync_now)
        self._sync.status_changed.connect(dialog.set_overview)
        dialog.exec()
        self._sync.status_changed.disconnect(dialog.set_overview)

    def open_sync_settings(self) -> None:
        dialog = SyncSettingsDialog(self._library.sync, self._ops, self._runner,
                                    parent=self._window)
        dialog.settings_saved.connect(self._sync.refresh_status)
        dialog.settings_saved.connect(self._sync.sync_now)
        dialog.exec()

    def show_catalogue_changes(self) -> None:
        # What has not been seen yet, sync by sync; else what the latest sync changed (as
        # ``sync changes --unseen`` and ``sync changes`` list them).
        sync = self._library.sync
        dialog = CatalogueChangesDialog(
            sync.changes_by_sync(unseen=True) or sync.changes_by_sync(), self._window)
        dialog.entry_activated.connect(self._selection.select_entry)
        dialog.exec()
        if self._library.read_only is None:  # (seen or not is kept in the library)
            self._ops.run(self._library.sync.mark_changes_seen,
                          done=lambda _: self._sync.refresh_status())

    # ----------------------------------------------------------------- the application

    def open_preferences(self) -> None:
        self.preferences_dialog().exec()

    def preferences_dialog(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self._library, self._runner, self._settings, self._window,
                                   ops=self._ops)
        dialog.theme_changed.connect(_apply_theme)
        dialog.sync_settings_saved.connect(self._sync.refresh_status)
        dialog.sync_settings_saved.connect(self._sync.sync_now)
        dialog.default_style_chosen.connect(self._citations.set_default_style)
        dialog.locale_chosen.connect(lambda tag: self._citations.set_locale(tag or None))
        return dialog

    def show_about(self) -> None:
        self.about_dialog().exec()

    def about_dialog(self) -> AboutDialog:
        return AboutDialog(self._library.paths.data_dir, self._window,
                           notices=self._library.citations.licence_notices())

    def show_user_guide(self) -> None:
        HelpDialog(self._window).exec()

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>"
                       for k, v in SHORTCUTS_HELP)
        QMessageBox.information(self._window, "Keyboard shortcuts",
                                f"<table cellspacing='6'>{rows}</table>")


def _first_missing(entry: Entry) -> str:
    missing = entry.missing_fields()
    return next((field for field in _REPORT_FIELD_ORDER if field in missing), "")


def _apply_theme(theme: Theme) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, theme)

"""The window's parts of completing records online (issue 15): Entry → Complete record and
Complete all…, File → Add by identifier…, and what their outcomes say in the status bar.

The window creates one of these and connects its actions; the lookups run on the
controller's own thread, their dialogs are not modal, and the views follow the change notices
the writes send (the list's Retracted pills, the entry's completed record, the facets).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMainWindow

from atlas_desktop.services import Library

from .completion_controller import AddOutcome, CompletionController, CompletionOutcome
from .dialogs.add_dialog import AddByIdentifierDialog
from .dialogs.completion_dialog import CompletionDialog
from .runner import Runner


class CompletionWindowPart:
    def __init__(self, window: QMainWindow, library: Library, *,
                 selected_ids: Callable[[], list[str]],
                 select_entries: Callable[[list[str]], None],
                 select_entry: Callable[[str], None],
                 show_message: Callable[[str, int], None],
                 news_recorded: Callable[[], None] = lambda: None,
                 runner: Runner | None = None) -> None:
        """``news_recorded``: a run may have added notices to "what changed" (the window
        then counts the unseen changes again)."""
        self._window = window
        self._library = library
        self._selected_ids = selected_ids
        self._select_entries = select_entries
        self._select_entry = select_entry
        self._show_message = show_message
        self._news_recorded = news_recorded
        self.controller = CompletionController(library, runner, parent=window)
        self.controller.completed.connect(self._on_completed)
        self.controller.added.connect(self._on_added)
        #: The dialogs last opened (tests and the screenshots reach them here).
        self.dialog: CompletionDialog | None = None
        self.add_dialog: AddByIdentifierDialog | None = None

    def complete_selected(self) -> None:
        """Entry → Complete record: the selected entries, started at once."""
        ids = self._selected_ids()
        if not ids:
            self._show_message("Select the entries to complete first.", 6000)
            return
        self.dialog = CompletionDialog(self.controller, entry_ids=ids, parent=self._window)
        self.dialog.show()
        self.dialog.start()

    def complete_all(self) -> None:
        """Entry → Complete all…: says what will be sent, and starts when asked."""
        self.dialog = CompletionDialog(self.controller, parent=self._window)
        self.dialog.show()

    def add_by_identifier(self) -> None:
        dialog = AddByIdentifierDialog(self._library, self.controller, self._window)
        dialog.entries_added.connect(self._select_entries)
        dialog.entry_activated.connect(self._select_entry)
        self.add_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()  # typing goes to it at once, as for the modal dialogs
        dialog.edit.setFocus()

    def shutdown(self) -> None:
        self.controller.shutdown()
        for dialog in (self.dialog, self.add_dialog):
            if dialog is not None:
                dialog.close()

    def _on_completed(self, outcome: CompletionOutcome) -> None:
        self._show_message(outcome.summary(), 12000)
        if any(outcome.notices.values()):
            self._news_recorded()

    def _on_added(self, outcome: AddOutcome) -> None:
        added = sum(r.result == "added" for r in outcome.results)
        if added:
            self._show_message(f"Added {added} reference{'s' if added != 1 else ''} to your "
                               "library.", 8000)

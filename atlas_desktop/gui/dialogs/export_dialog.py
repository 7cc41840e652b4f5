"""The export dialog: a format, a scope and a file; the export runs off the UI thread.

Scopes: the entries selected in the list, the current search result, a collection, or
everything. Whoever opens it says which one the user was looking at (:class:`ExportScope`);
the window decides that in ``window_dialogs.py``. The file is written to a temporary name and
renamed when complete (the service does that), so Cancel or a failure leaves no half-written
file.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.wording import counted
from atlas_desktop.services import Library
from atlas_desktop.services.exporting import ExportCancelled, ExportFormat, ExportResult

from ..notices import retracted_in_export
from ..plain_text import plain_label
from ..runner import Runner
from ..theme import theme_colours


class ExportScope(Enum):
    """Which entries the dialog offers first: what the user was looking at."""

    SELECTED = "selected"
    SEARCH = "search"
    COLLECTION = "collection"
    EVERYTHING = "everything"


class ExportDialog(QDialog):
    """``selected_ids``: the list's selection; ``query``: the search box's text;
    ``collection``: the collection the user was looking at; ``scope``: the one chosen at
    first (by default the selection when there is one, else the search)."""

    export_finished = Signal(object)  # ExportResult

    def __init__(self, library: Library, runner: Runner, *, selected_ids: Sequence[str] = (),
                 query: str = "", collection: str | None = None,
                 scope: ExportScope | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExportDialog")
        self.setWindowTitle("Export")
        self._library, self._runner = library, runner
        self._selected = list(selected_ids)
        self._query = query
        self._collection = collection
        if scope is None:
            scope = ExportScope.SELECTED if self._selected else ExportScope.SEARCH
        if scope is ExportScope.SELECTED and not self._selected:
            scope = ExportScope.SEARCH
        self.preset = scope
        self._cancel = threading.Event()
        self.running = False

        self.format_box = QComboBox(self)
        self.format_box.setAccessibleName("Format")
        for fmt in ExportFormat:
            self.format_box.addItem(fmt.label, fmt.value)
        self.format_box.currentIndexChanged.connect(self._on_format_changed)

        count = len(self._selected)
        self.scope_selected = QRadioButton(
            "The selected entry" if count == 1 else f"The {count:,} selected entries", self)
        self.scope_selected.setEnabled(bool(self._selected))
        self.scope_search = QRadioButton(
            f"The current search result ({query})" if query.strip() else
            "The current search result (no search: everything)", self)
        self.scope_collection = QRadioButton("A collection:", self)
        self.collection_box = QComboBox(self)
        self.collection_box.setAccessibleName("Collection")
        self.collection_box.setEnabled(False)
        self.scope_collection.setEnabled(False)
        self.scope_collection.toggled.connect(self.collection_box.setEnabled)
        self.scope_all = QRadioButton("Everything in the library", self)
        self.scopes = QButtonGroup(self)
        for button in (self.scope_selected, self.scope_search, self.scope_collection,
                       self.scope_all):
            self.scopes.addButton(button)
        # A collection is offered once the names are read (below); until then the search,
        # which for a collection being viewed is that collection's filter, stands in.
        {ExportScope.SELECTED: self.scope_selected, ExportScope.SEARCH: self.scope_search,
         ExportScope.COLLECTION: self.scope_search,
         ExportScope.EVERYTHING: self.scope_all}[scope].setChecked(True)

        self.path_edit = QLineEdit(self)
        self.path_edit.setAccessibleName("File to write")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit)
        path_row.addWidget(browse)

        self.status = plain_label(QLabel("", self))
        self.status.setObjectName("ExportStatus")
        self.status.setWordWrap(True)
        # Retracted papers written to the file: named at every export (issue 15).
        self.retracted_label = QLabel("", self)
        self.retracted_label.setObjectName("ExportRetracted")
        self.retracted_label.setTextFormat(Qt.TextFormat.PlainText)
        self.retracted_label.setWordWrap(True)
        self.retracted_label.setStyleSheet(
            f"color: {theme_colours(self.palette()).error_text}; font-weight: bold;")
        self.retracted_label.setVisible(False)
        self.export_button = QPushButton("Export", self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        form = QFormLayout()
        form.addRow("Format", self.format_box)
        scope_box = QVBoxLayout()
        for button in (self.scope_selected, self.scope_search):
            scope_box.addWidget(button)
        collection_row = QHBoxLayout()
        collection_row.addWidget(self.scope_collection)
        collection_row.addWidget(self.collection_box, 1)
        scope_box.addLayout(collection_row)
        scope_box.addWidget(self.scope_all)
        form.addRow("Entries", scope_box)
        form.addRow("File", path_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.retracted_label)
        layout.addWidget(buttons)

        annotations = library.annotations
        runner.submit(lambda: [c.name for c in annotations.collections()],
                      self._on_collections)

    def _on_collections(self, names: list[str]) -> None:
        self.collection_box.clear()
        self.collection_box.addItems(names)
        self.scope_collection.setEnabled(bool(names))
        if self.preset is ExportScope.COLLECTION and self._collection in names:
            self.collection_box.setCurrentIndex(names.index(self._collection))
            self.scope_collection.setChecked(True)

    def chosen_scope(self) -> ExportScope:
        for scope, button in ((ExportScope.SELECTED, self.scope_selected),
                              (ExportScope.SEARCH, self.scope_search),
                              (ExportScope.COLLECTION, self.scope_collection)):
            if button.isChecked():
                return scope
        return ExportScope.EVERYTHING

    def selected_format(self) -> ExportFormat:
        return ExportFormat(self.format_box.currentData())

    def _on_format_changed(self, _index: int) -> None:
        text = self.path_edit.text().strip()
        if text:
            self.path_edit.setText(str(Path(text).with_suffix(self.selected_format().suffix)))

    def choose_path(self) -> None:
        fmt = self.selected_format()
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to", f"references{fmt.suffix}", f"{fmt.label} (*{fmt.suffix})")
        if name:
            self.path_edit.setText(name)

    def start(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self.status.setText("Choose a file to write first.")
            return
        path = Path(text)
        scope: dict[str, object] = {}
        if self.scope_selected.isChecked():
            scope["entry_ids"] = list(self._selected)
        elif self.scope_search.isChecked():
            scope["query"] = self._query
        elif self.scope_collection.isChecked():
            scope["collection"] = self.collection_box.currentText()
        fmt, exporter, cancel = self.selected_format(), self._library.exporter, self._cancel
        cancel.clear()
        self.running = True
        self.export_button.setEnabled(False)
        self.status.setText(f"Writing {path.name}…")
        self._runner.submit(
            lambda: exporter.export(format=fmt, path=path, cancel=cancel, **scope),  # type: ignore[arg-type]
            self._on_done, self._on_failed)

    def cancel(self) -> None:
        if self.running:
            self._cancel.set()
            self.status.setText("Cancelling…")
        else:
            super().reject()

    def reject(self) -> None:
        """Escape while exporting cancels the export (no file is left behind)."""
        self.cancel()

    def _on_done(self, result: ExportResult) -> None:
        self.running = False
        self.export_button.setEnabled(True)
        self.cancel_button.setText("Close")
        self.status.setText(f"Wrote {counted(result.count, 'entry')} to {result.path}.")
        self.retracted_label.setText(retracted_in_export(result.retracted))
        self.retracted_label.setVisible(bool(result.retracted))
        self.export_finished.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self.running = False
        self.export_button.setEnabled(True)
        if isinstance(exc, ExportCancelled):
            self.status.setText("Export cancelled; no file was written.")
        elif isinstance(exc, OSError):
            self.status.setText(f"The file could not be written ({exc.strerror or exc}); "
                                "nothing was left behind.")
        else:
            self.status.setText(f"The export did not run: {exc}")

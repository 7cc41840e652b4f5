"""Choosing any installed CSL style (about 10,800) or a .csl file of one's own."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.citation import StyleInfo
from atlas_desktop.services import Library

from ..runner import Runner

#: Rows shown at once; typing narrows the list.
MAX_SHOWN = 500


class StylePickerDialog(QDialog):
    """A filterable list of installed styles plus "Use a .csl file…".

    The style index is read in the background (the first time takes about a second); the
    chosen style is checked by the engine before the dialog accepts, so a broken file is
    refused here with its reason instead of failing at the next copy.
    """

    #: The styles index arrived (for tests and for a busy indicator).
    styles_loaded = Signal(int)

    def __init__(self, library: Library, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StylePickerDialog")
        self.setWindowTitle("Choose a citation style")
        self.resize(560, 520)
        self._library = library
        self._runner = runner
        self._styles: list[StyleInfo] = []
        self._chosen: StyleInfo | None = None

        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("StyleFilter")
        self.filter_box.setPlaceholderText("Filter by journal, publisher or style name…")
        self.filter_box.setAccessibleName("Filter citation styles")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self._refill)
        self.list = QListWidget(self)
        self.list.setObjectName("StyleList")
        self.list.setAccessibleName("Citation styles")
        self.list.itemDoubleClicked.connect(lambda _item: self._accept_selected())
        self.status = QLabel("Reading the installed styles…", self)
        self.status.setWordWrap(True)
        self.file_button = QPushButton("Use a .csl file…", self)
        self.file_button.clicked.connect(self._choose_file)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept_selected)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.file_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(buttons)

        service = library.citations
        runner.submit(lambda: service.find_styles(query="", limit=100_000), self._on_loaded,
                      lambda exc: self.status.setText(f"The styles could not be read: {exc}"))

    def chosen(self) -> StyleInfo | None:
        """The style the user accepted (its ``spec`` is what copies and preferences take)."""
        return self._chosen

    def _on_loaded(self, styles: list[StyleInfo]) -> None:
        self._styles = styles
        self._refill()
        self.styles_loaded.emit(len(styles))

    def _refill(self) -> None:
        words = self.filter_box.text().lower().split()
        self.list.clear()
        shown = 0
        matches = 0
        for style in self._styles:
            haystack = f"{style.style_id} {style.title}".lower()
            if not all(w in haystack for w in words):
                continue
            matches += 1
            if shown < MAX_SHOWN:
                item = QListWidgetItem(f"{style.title}  —  {style.style_id}")
                item.setData(Qt.ItemDataRole.UserRole, style.spec)
                self.list.addItem(item)
                shown += 1
        if self._styles:
            more = f" (the first {MAX_SHOWN} are listed; type to narrow)" if matches > shown else ""
            self.status.setText(f"{matches:,} styles match{more}.")
        if self.list.count():
            self.list.setCurrentRow(0)

    def _accept_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.choose(str(item.data(Qt.ItemDataRole.UserRole)))

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a CSL style file", "",
                                              "CSL styles (*.csl);;All files (*)")
        if path:
            self.choose(path)

    def choose(self, spec: str) -> None:
        """Try ``spec`` (a style id or a .csl path): its engine is built in the background and
        the dialog accepts only if it loads; otherwise the reason is shown."""
        service = self._library.citations
        self.status.setText("Loading the style…")

        def loaded(info: StyleInfo) -> None:
            self._chosen = info
            self.accept()

        self._runner.submit(lambda: service.prepare(style=spec), loaded,
                            lambda exc: self.status.setText(str(exc)))

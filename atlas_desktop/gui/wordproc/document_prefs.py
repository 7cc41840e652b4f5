"""Document Preferences, as Writer's toolbar asks for them: the document's citation style
and language (kept in the document, not in the app's own preferences)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.services import Library

from ..dialogs.preferences_dialog import OFFERED_LOCALES, citation_style_choices
from ..dialogs.style_picker import StylePickerDialog
from ..runner import Runner


class DocumentPreferencesDialog(QDialog):
    def __init__(self, library: Library, runner: Runner, *, style: str, style_label: str,
                 locale: str, parent: QWidget | None = None) -> None:
        """``style`` is the document's style spec (``apa``, a style id or a .csl path),
        ``style_label`` its name, ``locale`` its language tag."""
        super().__init__(parent)
        self.setObjectName("DocumentPreferencesDialog")
        self.setWindowTitle("Document Preferences — Atlas Desktop")
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setMinimumWidth(520)
        self._library, self._runner = library, runner

        self.style_box = QComboBox(self)
        self.style_box.setAccessibleName("Citation style of this document")
        for spec, title in citation_style_choices(library):
            self.style_box.addItem(title, spec)
        # A document names its style by id (nlm-citation-sequence); the menu by the alias
        # the user knows it by (vancouver). The same style is offered once.
        self._aliases = {info.style_id: info.spec for info in library.citations.offered_styles()}
        self._select_style(style, style_label)
        other = QPushButton("Other style…", self)
        other.setToolTip("Any of the ~10,000 CSL styles, or your own .csl file")
        other.clicked.connect(self._other_style)
        style_row = QHBoxLayout()
        style_row.addWidget(self.style_box, 1)
        style_row.addWidget(other)

        self.locale_box = QComboBox(self)
        self.locale_box.setAccessibleName("Language of this document's citations")
        names = library.citations.locales()
        tags = [t for t in OFFERED_LOCALES if t in names]
        if locale and locale not in tags:
            tags.append(locale)
        for tag in tags:
            self.locale_box.addItem(f"{names.get(tag, tag)} ({tag})", tag)
        self.locale_box.setCurrentIndex(max(0, self.locale_box.findData(locale or "en-US")))

        form = QFormLayout()
        form.addRow("Citation style:", style_row)
        form.addRow("Language:", self.locale_box)
        note = QLabel("Changing the style reformats every citation and the bibliography of "
                      "this document. Note styles (Chicago notes…) put citations in "
                      "footnotes; moving back to an in-text style takes them out again.",
                      self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, str]:
        """(style spec, language tag) as the user left them."""
        return str(self.style_box.currentData()), str(self.locale_box.currentData() or "")

    def choose_style(self, spec: str, label: str) -> None:
        self._select_style(spec, label)

    def _select_style(self, spec: str, label: str) -> None:
        spec = self._aliases.get(spec, spec)
        index = self.style_box.findData(spec)
        if index < 0:
            self.style_box.addItem(label or spec, spec)
            index = self.style_box.count() - 1
        self.style_box.setCurrentIndex(index)

    def _other_style(self) -> None:
        picker = StylePickerDialog(self._library, self._runner, self)
        if picker.exec() and (info := picker.chosen()) is not None:
            self._select_style(info.spec, info.label)

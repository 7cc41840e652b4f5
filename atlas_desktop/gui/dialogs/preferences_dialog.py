"""Preferences: the default citation style, appearance, the sync server, the library folder.

Everything has a sensible default; nothing here is needed to start working.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.paths import choose_data_dir, chosen_data_dir, platform_data_dir
from atlas_desktop.services import Library

from ..operations import Operations, warn_in_place
from ..plain_text import tooltip
from ..read_marker import AUTO_READ_KEY, READ_AFTER_MS, marks_read_when_shown
from ..runner import Runner
from ..theme import THEME_KEY, THEMES, Theme
from .completion_settings import CompletionSettingsBox
from .style_picker import StylePickerDialog
from .sync_settings import SyncSettingsDialog

#: Citation languages offered here (every installed one works from the command line).
OFFERED_LOCALES = ("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "nb-NO",
                   "sv-SE", "da-DK", "pt-BR")


def citation_style_choices(library: Library) -> list[tuple[str, str]]:
    """(style spec, name) pairs offered as the default style: the five common ones, and the
    current default if it is another (an installed style or the user's own .csl file)."""
    service = library.citations
    choices = [(s.spec, s.title) for s in service.offered_styles()]
    current = service.default_style()
    if current not in {spec for spec, _ in choices}:
        # A stale preference (a .csl file since deleted) is not offered.
        with contextlib.suppress(Exception):
            choices.append((current, service.describe_style(style=current).label))
    return choices


class PreferencesDialog(QDialog):
    theme_changed = Signal(str)
    sync_settings_saved = Signal()
    #: The default citation style was changed (its spec); the window stores it and builds
    #: its engine in the background.
    default_style_chosen = Signal(str)
    #: The citation language was changed ("" for each style's own).
    locale_chosen = Signal(str)

    def __init__(self, library: Library, runner: Runner, settings: QSettings,
                 parent: QWidget | None = None, *, ops: Operations) -> None:
        super().__init__(parent)
        self.setObjectName("PreferencesDialog")
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(520)
        self._library, self._runner, self._settings = library, runner, settings
        self._ops = ops

        self.style_box = QComboBox(self)
        self.style_box.setAccessibleName("Default citation style")
        self._initial_style = library.citations.default_style()
        for key, title in citation_style_choices(library):
            self.style_box.addItem(title, key)
            if key == self._initial_style:
                self.style_box.setCurrentIndex(self.style_box.count() - 1)
        other_style = QPushButton("Other style…", self)
        other_style.setToolTip("Any of the ~10,000 CSL styles, or your own .csl file")
        other_style.clicked.connect(self._on_other_style_clicked)
        style_row = QHBoxLayout()
        style_row.addWidget(self.style_box, 1)
        style_row.addWidget(other_style)
        self.locale_box = QComboBox(self)
        self.locale_box.setAccessibleName("Citation language")
        self._initial_locale = library.citations.locale() or ""
        names = library.citations.locales()
        self.locale_box.addItem("Each style's own (else English, US)", "")
        tags = [t for t in OFFERED_LOCALES if t in names]
        if self._initial_locale and self._initial_locale not in tags:
            tags.append(self._initial_locale)
        for tag in tags:
            self.locale_box.addItem(f"{names.get(tag, tag)} ({tag})", tag)
        self.locale_box.setCurrentIndex(max(0, self.locale_box.findData(self._initial_locale)))
        self.double_spacing_box = QCheckBox(
            "Double-space copied reference lists (as journals ask of manuscripts)", self)
        self.double_spacing_box.setObjectName("DoubleSpacing")
        self._initial_double = library.citations.double_spacing()
        self.double_spacing_box.setChecked(self._initial_double)
        self.double_spacing_box.setToolTip(tooltip(
            "Copied references and reference lists are pasted into Word or Writer at this "
            "spacing; plain text has none. The command line's styles --set-double-spacing "
            "sets the same preference."))
        citing = QGroupBox("Citations", self)
        form = QFormLayout(citing)
        form.addRow("Default style (Ctrl+Shift+C):", style_row)
        form.addRow("Language of citations:", self.locale_box)
        form.addRow("", self.double_spacing_box)

        self.theme_box = QComboBox(self)
        self.theme_box.setAccessibleName("Appearance")
        theme = settings.value(THEME_KEY, "system", type=str)
        for key, title in THEMES:
            self.theme_box.addItem(title, key)
            if key == theme:
                self.theme_box.setCurrentIndex(self.theme_box.count() - 1)
        look = QGroupBox("Appearance", self)
        QFormLayout(look).addRow("Theme:", self.theme_box)

        self.auto_read_box = QCheckBox(
            f"Mark an entry read once it has been shown for {READ_AFTER_MS // 1000} seconds",
            self)
        self.auto_read_box.setObjectName("AutoMarkRead")
        self.auto_read_box.setChecked(marks_read_when_shown(settings))
        reading = QGroupBox("Reading", self)
        QVBoxLayout(reading).addWidget(self.auto_read_box)

        self.server_label = QLabel(self)
        self.server_label.setTextFormat(Qt.TextFormat.PlainText)
        self.server_label.setWordWrap(True)
        sync_button = QPushButton("Server and token…", self)
        sync_button.clicked.connect(self._on_sync_clicked)
        sync = QGroupBox("Sync", self)
        sync_row = QHBoxLayout(sync)
        sync_row.addWidget(self.server_label, 1)
        sync_row.addWidget(sync_button)
        self._show_server()
        self.online = CompletionSettingsBox(library, runner, self)

        self.folder_label = QLabel(self)
        self.folder_label.setObjectName("LibraryFolder")
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)
        self.folder_label.setWordWrap(True)
        choose = QPushButton("Choose another folder…", self)
        choose.clicked.connect(self._on_choose_folder_clicked)
        reset = QPushButton("Use the standard folder", self)
        reset.clicked.connect(self._on_reset_folder_clicked)
        self.folder_note = QLabel(self)
        self.folder_note.setWordWrap(True)
        folder = QGroupBox("Library folder", self)
        folder_layout = QVBoxLayout(folder)
        folder_layout.addWidget(self.folder_label)
        folder_buttons = QHBoxLayout()
        folder_buttons.addWidget(choose)
        folder_buttons.addWidget(reset)
        folder_buttons.addStretch(1)
        folder_layout.addLayout(folder_buttons)
        folder_layout.addWidget(self.folder_note)
        self._show_folder()

        if library.read_only is not None:
            # The style, the language and the server are kept in the library.
            for widget in (self.style_box, other_style, self.locale_box,
                           self.double_spacing_box, sync_button):
                widget.setEnabled(False)
            citing.setToolTip(tooltip(f"{library.read_only} These cannot be changed."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for box in (citing, look, reading, sync, self.online, folder):
            layout.addWidget(box)
        layout.addWidget(buttons)

    # ----------------------------------------------------------------- pieces

    def _show_server(self) -> None:
        url = self._library.get_setting("sync.server_url")
        self.server_label.setText(
            f"Atlas server: {url}" if url else
            "No atlas server is set: reports wait in the outbox, nothing leaves this computer.")

    def _show_folder(self) -> None:
        current = self._library.paths.data_dir
        chosen = chosen_data_dir()
        self.folder_label.setText(f"This library: {current}")
        default = chosen or platform_data_dir()
        note = f"Atlas Desktop opens {default} when started without a folder."
        if chosen is not None and Path(chosen).resolve() != current.resolve():
            note += " The change takes effect the next time you start Atlas Desktop."
        self.folder_note.setText(note)

    def _on_sync_clicked(self) -> None:
        dialog = SyncSettingsDialog(self._library.sync, self._ops, self._runner, parent=self)
        dialog.settings_saved.connect(self._show_server)
        dialog.settings_saved.connect(self.sync_settings_saved.emit)
        dialog.exec()

    def _on_choose_folder_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder for your library", str(self._library.paths.data_dir.parent))
        if folder:
            choose_data_dir(Path(folder))
            self._show_folder()

    def _on_reset_folder_clicked(self) -> None:
        choose_data_dir(None)
        self._show_folder()

    def _on_other_style_clicked(self) -> None:
        picker = StylePickerDialog(self._library, self._runner, self)
        chosen = picker.chosen() if picker.exec() else None
        if chosen is None:
            return
        index = self.style_box.findData(chosen.spec)
        if index < 0:
            self.style_box.addItem(chosen.label, chosen.spec)
            index = self.style_box.count() - 1
        self.style_box.setCurrentIndex(index)

    def accept(self) -> None:
        style = self.style_box.currentData()
        if style and style != self._initial_style:
            self.default_style_chosen.emit(style)
        locale = self.locale_box.currentData()
        if locale != self._initial_locale:
            self.locale_chosen.emit(locale)
        double = self.double_spacing_box.isChecked()
        if double != self._initial_double:
            citations = self._library.citations
            self._ops.run(lambda: citations.set_double_spacing(enabled=double), initiator=self,
                          failed=warn_in_place(self.parentWidget(), "Line spacing not changed"))
        self._settings.setValue(AUTO_READ_KEY, self.auto_read_box.isChecked())
        theme: Theme = self.theme_box.currentData()
        if theme != self._settings.value(THEME_KEY, "system", type=str):
            self._settings.setValue(THEME_KEY, theme)
            self.theme_changed.emit(theme)
        save_online = self.online.changes()
        if save_online is not None:
            self._ops.run(save_online, initiator=self, failed=warn_in_place(
                self.parentWidget(), "Online records settings not saved"))
        super().accept()

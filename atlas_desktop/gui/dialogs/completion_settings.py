"""The preferences' "Online records" part: completing records online on or off, a contact
e-mail for NCBI and Crossref, and an NCBI API key.

Invariants: the API key goes only to the system keyring (like the sync token) and is never
shown: the box says whether one is saved, and a new one is typed into a password field.
Reading the keyring may wait on the system (an unlock prompt), so it is read off the UI
thread; saving is an operation. With completion off, the services send nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.services import Library

from ..plain_text import tooltip
from ..runner import ImmediateRunner, Runner

KEY_SET = "An API key is saved in your system keyring."
KEY_NOT_SET = "No API key is saved: PubMed is asked at most 3 times a second."
NO_KEYRING = ("This computer has no system keyring Atlas Desktop can use, so an API key "
              "cannot be saved (it is never written to a file). For one run, set "
              "ATLAS_DESKTOP_NCBI_API_KEY.")


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class CompletionSettingsBox(QGroupBox):
    def __init__(self, library: Library, runner: Runner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Online records", parent)
        self.setObjectName("CompletionSettings")
        service = library.completion
        self._service = service
        self._initial_enabled = service.enabled()
        self._initial_email = service.email() or ""
        self._has_key: bool | None = None  # unknown until the keyring answered
        self.enabled_box = QCheckBox(
            "Complete records and check for retractions online (PubMed, Crossref, doi.org)",
            self)
        self.enabled_box.setChecked(self._initial_enabled)
        self.what_label = _note(
            "Only identifiers are sent (PMIDs to NCBI's PubMed, DOIs to Crossref and doi.org), "
            "at each Sync now, at most once a day otherwise, and when you ask (Entry → "
            "Complete record). Nothing else of your library. Turned off, nothing is sent.")
        self.email_edit = QLineEdit(self._initial_email, self)
        self.email_edit.setAccessibleName("Contact e-mail for NCBI and Crossref")
        self.email_edit.setPlaceholderText("Optional; NCBI and Crossref ask for one")
        self.key_status = _note()
        self.key_status.setObjectName("ApiKeyStatus")
        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("ApiKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName("NCBI API key")
        self.key_edit.setPlaceholderText("Paste a key to save it (letters and digits)")
        self.remove_key = QCheckBox("Remove the saved key", self)
        self.remove_key.setVisible(False)
        info = library.sync.keyring_info()  # which keyring, from the library's settings
        self._keyring = info.available
        if not info.available:
            self.key_edit.setEnabled(False)
            self.key_edit.setPlaceholderText("Cannot be saved on this computer")
            self.key_status.setText(NO_KEYRING)
        else:
            self.key_status.setText("Looking in the system keyring…")
            (runner or ImmediateRunner()).submit(service.has_api_key, self._on_has_key,
                                                 lambda _exc: self._on_has_key(False))
        form = QFormLayout()
        form.addRow("Contact e-mail:", self.email_edit)
        form.addRow("NCBI API key:", self.key_edit)
        form.addRow("", self.remove_key)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled_box)
        layout.addWidget(self.what_label)
        layout.addLayout(form)
        layout.addWidget(self.key_status)  # full width: a wrapped line in a form row clips
        self.enabled_box.toggled.connect(self._on_enabled_toggled)
        self._on_enabled_toggled(self._initial_enabled)
        if library.read_only is not None:  # its choices are kept in the library
            self.setEnabled(False)
            self.setToolTip(tooltip(library.read_only))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        # Wrapped lines need the height they take at their width: a label's minimum is one
        # line, and the dialog, sized for it, clipped them.
        for label in (self.what_label, self.key_status):
            width = max(label.width(), self.width() - 40)
            label.setMinimumHeight(label.heightForWidth(width))

    def _on_has_key(self, has: Any) -> None:
        self._has_key = bool(has)
        self.key_status.setText(KEY_SET if has else KEY_NOT_SET)
        self.remove_key.setVisible(bool(has))
        if has:
            self.key_edit.setPlaceholderText("Paste a new key to replace the saved one")

    def _on_enabled_toggled(self, on: bool) -> None:
        self.email_edit.setEnabled(on)
        self.key_edit.setEnabled(on and self._keyring)
        self.remove_key.setEnabled(on and self._keyring)

    def changes(self) -> Callable[[], None] | None:
        """What saving these settings does (a function for an operation), or None when
        nothing changed."""
        enabled = self.enabled_box.isChecked()
        email = self.email_edit.text().strip()
        key = self.key_edit.text().strip()
        remove = self.remove_key.isChecked() and not key
        service = self._service
        if (enabled == self._initial_enabled and email == self._initial_email and not key
                and not remove):
            return None

        def save() -> None:
            # The e-mail first: a typo stops the save before anything else is changed.
            if email != self._initial_email:
                service.set_email(email=email or None)
            if key or remove:
                service.set_api_key(key=key or None)
            if enabled != self._initial_enabled:
                service.set_enabled(enabled=enabled)

        return save

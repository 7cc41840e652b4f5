"""The sync settings: the atlas server's address and its token.

Invariants: the address is saved only once the service accepts it (https://, or http:// to
this computer); the token goes only to the OS keyring, and when there is none the token
field is disabled with a sentence that says why. Server text is shown as plain text. A new
address is checked on a worker thread first (the check may look its host name up in the
DNS), then saving is an operation (``gui/operations.py``): the keyring may wait on the
system (an unlock prompt) and the library on its write lock, never the window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.services.sync import SyncService, check_server_url

from ..operations import Operations, reason_of
from ..runner import ImmediateRunner, Runner
from ..theme import set_text_colour


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class SyncSettingsDialog(QDialog):
    #: Emitted after the settings were saved (the controller should refresh its status).
    settings_saved = Signal()

    def __init__(self, service: SyncService, ops: Operations, runner: Runner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._ops = ops
        self._runner = runner or ImmediateRunner()
        self.setWindowTitle("Sync settings")
        self.setMinimumWidth(460)

        intro = _note(
            "Correction reports wait in the outbox until they reach the atlas server below. "
            "Catalogue updates come from the same server. No server is assumed: until you "
            "set one, nothing leaves this computer.")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://atlas.example.org/api")
        self.url_edit.setAccessibleName("Server address")
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setAccessibleName("Token")
        self.token_edit.setPlaceholderText("Optional; given by the server's team")
        self.remove_token = QCheckBox("Remove the saved token")
        self.remove_token.setVisible(False)
        self.token_note = _note()
        self.error_label = _note()
        self.error_label.setObjectName("syncSettingsError")
        set_text_colour(self.error_label, "error_text")  # 2.1:1 on dark in a fixed red
        self.error_label.setVisible(False)
        self.checking_label = _note("Checking the address…")
        self.checking_label.setObjectName("syncSettingsChecking")
        self.checking_label.setVisible(False)

        form = QFormLayout()
        form.addRow("Server address:", self.url_edit)
        form.addRow("Token:", self.token_edit)
        form.addRow("", self.remove_token)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.token_note)
        layout.addWidget(self.checking_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.url_edit.setText(service.server_url() or "")
        info = service.keyring_info()
        self._keyring_available = info.available
        if not info.available:
            self.token_edit.setEnabled(False)
            self.token_edit.setPlaceholderText("Cannot be saved on this computer")
            self.token_note.setText(info.description)
        else:
            self.token_note.setText(f"The token is kept in your system keyring "
                                    f"({info.description}), never in the library.")
            # Reading the keyring may wait on the system (an unlock prompt): off the UI thread.
            self._runner.submit(service.has_token, self._on_has_token)

    def _on_has_token(self, has: Any) -> None:
        if has:
            self.token_edit.setPlaceholderText("A token is saved; type a new one to replace it")
            self.remove_token.setVisible(True)

    def show_error(self, message: str) -> None:
        """Show ``message`` below the keyring's note. The dialog grows to hold both: at its
        old height the wrapped note was squeezed under the error (they overlapped)."""
        self.error_label.setText(message)
        self.error_label.setVisible(True)
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _on_buttons_accepted(self) -> None:
        url = self.url_edit.text().strip()
        token = self.token_edit.text().strip()
        remove = self.remove_token.isChecked()
        if token and not url:
            self.show_error("A token needs a server address.")
            return
        self.buttons.setEnabled(False)
        self.error_label.setVisible(False)
        if not url or url == (self._service.server_url() or ""):
            self._save(url, token, remove)
            return
        # A new address: checked on a worker (it may wait on the DNS), then saved.
        self.checking_label.setVisible(True)
        self._runner.submit(lambda: check_server_url(url),
                            lambda checked: self._save(checked, token, remove),
                            self._on_failed)

    def _save(self, url: str, token: str, remove: bool) -> None:
        self.checking_label.setVisible(False)
        service = self._service

        def save() -> None:
            if url != (service.server_url() or ""):
                service.set_server_url(url=url or None)
            if token:
                service.set_token(token=token)
            elif remove and service.server_url():
                service.set_token(token=None)

        self._ops.run(save, initiator=self, done=self._on_saved, failed=self._on_failed)

    def _on_saved(self, _: None) -> None:
        self.buttons.setEnabled(True)
        self.token_edit.clear()
        self.settings_saved.emit()
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.checking_label.setVisible(False)
        self.buttons.setEnabled(True)
        self.show_error(reason_of(exc))

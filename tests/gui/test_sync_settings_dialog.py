"""The sync settings dialog: the address is checked, the token goes to the keyring only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from atlas_desktop.gui.dialogs.sync_settings import SyncSettingsDialog
from tests.gui.conftest import ops
from tests.sync_support import memory_keyring, no_keyring  # noqa: F401 - fixtures


def save(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)


def test_an_unusable_address_is_explained_and_nothing_is_saved(qtbot, library,
                                                                memory_keyring):  # noqa: F811
    dialog = SyncSettingsDialog(library.sync, ops(library))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.url_edit, "http://atlas.example.org/<b>api</b>")
    save(qtbot, dialog)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisible()
    assert "encrypted connection" in dialog.error_label.text()
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    assert library.sync.server_url() is None


def test_address_and_token_are_saved_the_token_only_in_the_keyring(qtbot, library,
                                                                   memory_keyring):  # noqa: F811
    dialog = SyncSettingsDialog(library.sync, ops(library))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.token_edit.isEnabled() and not dialog.remove_token.isVisible()
    qtbot.keyClicks(dialog.url_edit, "https://atlas.example.org/api/")
    qtbot.keyClicks(dialog.token_edit, "t0ken-xyz")
    with qtbot.waitSignal(dialog.settings_saved, timeout=2000):
        save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert library.sync.server_url() == "https://atlas.example.org/api"
    assert memory_keyring.store == {("atlas-desktop", "https://atlas.example.org/api"):
                                    "t0ken-xyz"}
    assert library.get_setting("sync.token") is None

    again = SyncSettingsDialog(library.sync, ops(library))
    qtbot.addWidget(again)
    again.show()
    assert again.url_edit.text() == "https://atlas.example.org/api"
    assert again.token_edit.text() == "" and again.remove_token.isVisible()
    again.remove_token.setChecked(True)
    save(qtbot, again)
    assert memory_keyring.store == {}


def test_without_a_keyring_the_token_field_is_off_and_says_why(qtbot, library,
                                                               no_keyring):  # noqa: F811
    dialog = SyncSettingsDialog(library.sync, ops(library))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.token_edit.isEnabled()
    assert "no keyring" in dialog.token_note.text()
    qtbot.keyClicks(dialog.url_edit, "http://localhost:8080")
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert library.sync.server_url() == "http://localhost:8080"


def test_a_new_address_is_checked_on_a_worker_never_on_the_ui_thread(
        qtbot, library, runner, memory_keyring, monkeypatch):  # noqa: F811
    """The check may look the host name up (an http:// address is this computer only by
    the addresses it resolves to): it runs on a worker, and the dialog says it is checking."""
    import socket
    import threading

    from atlas_desktop.gui.runner import SerialRunner

    looked_up_on: list[threading.Thread] = []
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(*args, **kwargs):  # the process edge: where a name meets the DNS
        looked_up_on.append(threading.current_thread())
        return real_getaddrinfo(*args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    writer = SerialRunner()
    dialog = SyncSettingsDialog(library.sync, ops(library, writer), runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.url_edit, "http://localhost:8080/api/")
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000):
        save(qtbot, dialog)
        # Back from the click at once: the check is under way elsewhere.
        assert dialog.checking_label.isVisible()
        assert not dialog.buttons.isEnabled()
        assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert library.sync.server_url() == "http://localhost:8080/api"
    assert threading.main_thread() not in looked_up_on

    again = SyncSettingsDialog(library.sync, ops(library, writer), runner)
    qtbot.addWidget(again)
    again.show()
    again.url_edit.setText("http://atlas.example.org/api")
    save(qtbot, again)
    qtbot.waitUntil(again.error_label.isVisible, timeout=10_000)
    assert "encrypted connection" in again.error_label.text()
    assert not again.checking_label.isVisible() and again.buttons.isEnabled()
    assert library.sync.server_url() == "http://localhost:8080/api"
    assert threading.main_thread() not in looked_up_on
    writer.wait()

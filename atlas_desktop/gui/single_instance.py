"""One window per library: a second launch on the same library folder brings the first
window forward instead of opening a second writer.

The first instance listens on a local socket named after the library folder; a later one
connects, asks it to come forward and exits. A socket left behind by a crashed instance is
detected (nobody answers) and replaced.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 1500
ACTIVATE = b"activate\n"


def server_name(data_dir: Path) -> str:
    """Per user and per library folder; short enough for every platform's socket names."""
    key = f"{getpass.getuser()}:{Path(data_dir).expanduser().resolve()}"
    return "atlas-desktop-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class SingleInstance(QObject):
    #: Another launch on this library asked us to come forward.
    activation_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        """True when this process is now the library's instance. False when another
        instance answered; it has been asked to come forward."""
        if self._ask_running_instance():
            return False
        QLocalServer.removeServer(self.name)  # a stale socket from a crash, if any
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Another process won the race between our check and listen(): defer to it.
            return not self._ask_running_instance()
        server.newConnection.connect(self._on_server_new_connection)
        self._server = server
        return True

    def _ask_running_instance(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            socket.abort()
            return False
        socket.write(ACTIVATE)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return True

    def _on_server_new_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            # The socket is a child of the server and dies with it; no deleteLater, which
            # could run after the server (and so the socket) is already gone.
            socket.readyRead.connect(lambda s=socket: self._on_socket_ready_read(s))

    def _on_socket_ready_read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(ACTIVATE.strip()):
            self.activation_requested.emit()

    def release(self) -> None:
        if self._server is not None:
            # Closed, not deleted: the server is our child and is deleted with us (a
            # deleteLater here could fire after that and delete it twice).
            self._server.close()
            self._server = None

"""Writer's way in: the loopback endpoint and the window's answers, started with the window
and stopped with it (``application.run_gui``)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from atlas_desktop.services import Library

from ..runner import Runner
from .endpoint import Endpoint
from .window_ui import WindowUi


class WriterIntegration:
    def __init__(self, library: Library, runner: Runner, window: QWidget) -> None:
        self.ui = WindowUi(library, runner, window)
        self.endpoint = Endpoint(library, self.ui, data_dir=library.paths.data_dir)
        self.running = False

    def start(self) -> str | None:
        """Listen for the extension; a sentence for the status bar if that is impossible
        (the window works on without it)."""
        try:
            self.endpoint.start()
        except OSError as exc:
            return ("LibreOffice Writer cannot reach Atlas Desktop this time: "
                    f"{exc.strerror or exc}.")
        self.running = True
        return None

    def stop(self) -> None:
        """Questions still open end as cancelled, then the endpoint stops."""
        self.ui.shutdown()
        if self.running:
            self.endpoint.stop()
            self.running = False

"""What the window does for the library between the user's actions (issues 19.10, 19.13).

- **Changes made elsewhere.** Every second the window asks the library whether another
  program committed to it (the command line wrote a note, imported 100,000 entries; another
  window starred an entry): ``Library.notice_changes_elsewhere``, a counter in SQLite's shared
  memory, on a worker thread. If so the library sends one notice of everything, and every
  view follows it as it follows the window's own writes: the list searches again, the entry
  and its note are read again (a note being typed is merged when it is saved, never lost).
- **Checkpoints when idle.** A few seconds after the user's last write, a passive checkpoint
  folds the write-ahead log into the library file, so a day's notes do not live in the
  ``-wal`` alone (which folds back by itself only every 16 MB with 16 KiB pages). It runs on
  the writer thread after the writes before it, and waits for nobody.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from atlas_desktop.domain.changes import ELSEWHERE, ChangeNotice, Changes
from atlas_desktop.services import Library

from .operations import Operations
from .runner import Runner

#: How often the window looks for changes made by other programs.
POLL_MS = 1000
#: How long after the user's last write the log is folded into the file.
IDLE_MS = 4000
#: The writes worth a checkpoint: the user's own data and settings (a catalogue import has
#: its own tidying, ``Library.maintain``).
_USER_WRITES = Changes.user_data() | Changes.SETTINGS


class LibraryWatch(QObject):
    #: Another program changed the library, and the views were told.
    changed_elsewhere = Signal()
    #: An idle checkpoint ran (True: the whole log is in the file now).
    checkpointed = Signal(bool)

    def __init__(self, library: Library, runner: Runner, ops: Operations,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._runner = runner
        self._ops = ops
        self._polling = False
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.poll)
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_MS)
        self._idle.timeout.connect(self.checkpoint)
        ops.changed.connect(self._on_ops_changed)
        self.start()

    def set_intervals(self, *, poll_ms: int = POLL_MS, idle_ms: int = IDLE_MS) -> None:
        self._poll.setInterval(poll_ms)
        self._idle.setInterval(idle_ms)

    def start(self) -> None:
        """Take the library's present state as the mark, then look every second."""
        self.poll()
        self._poll.start()

    def stop(self) -> None:
        self._poll.stop()
        self._idle.stop()

    def poll(self) -> None:
        if self._polling:
            return  # the last look has not come back yet
        self._polling = True
        self._runner.submit(self._library.notice_changes_elsewhere, self._on_polled,
                            self._on_poll_failed)

    def _on_polled(self, changed: bool) -> None:
        self._polling = False
        if changed:
            self.changed_elsewhere.emit()

    def _on_poll_failed(self, _exc: BaseException) -> None:
        # A failing library shows itself at the next read or write, with its sentence; the
        # watch just looks again later.
        self._polling = False

    def _on_ops_changed(self, notice: ChangeNotice) -> None:
        if notice.initiator != ELSEWHERE and notice.concerns(_USER_WRITES):
            self._idle.start()  # (re)started: a checkpoint once the writes pause

    def checkpoint(self) -> None:
        self._ops.run(self._library.checkpoint_idle, what="Saving to the library file",
                      done=self.checkpointed.emit,
                      # Only how soon the log is folded in is at stake: the next one tries.
                      failed=lambda _exc: None)

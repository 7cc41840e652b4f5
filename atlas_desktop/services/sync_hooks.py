"""What else a sync run does once the atlas server's part is over (records completed online
and checked for notices, issue 15), kept out of ``sync.py``."""

from __future__ import annotations

import threading
from collections.abc import Callable

from atlas_desktop.domain.sync import SyncResult

Hook = Callable[..., object]


class AfterRun(list[Hook]):
    """Hooks called with ``explicit`` and ``cancel`` after a run, while it still shows as
    running. Only "Sync now", or an automatic run that reached the atlas server, calls
    them: a library with no server set sends nothing anywhere on its own. A hook's failure
    is a line in the result, never a failed sync or a traceback."""

    def run(self, result: SyncResult, *, explicit: bool,
            cancel: threading.Event | None) -> None:
        if not (explicit or result.contacted):
            return
        for hook in self:
            if cancel is not None and cancel.is_set():
                return
            try:
                hook(explicit=explicit, cancel=cancel)
            except Exception as exc:
                result.errors.append(f"Records could not be completed online ({exc}).")

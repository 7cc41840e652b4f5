"""The self-test's tools: waiting on a signal or a callback with a deadline (never on a
sleep), turning exceptions Qt would only print into a failed step, reading a rich-text
document's images, putting the clipboard back, and a scratch settings file
(``gui/self_test.py`` runs the steps)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEventLoop,
    QMimeData,
    QSettings,
    QTimer,
    QUrl,
    SignalInstance,
)
from PySide6.QtGui import QClipboard, QTextDocument

#: How long one step may wait for the window or a background task (a slow CI machine
#: opening a library and painting the first page takes well under a second).
STEP_TIMEOUT_S = 60.0


class SelfTestFailed(Exception):
    """A step did not do what it should; ``str`` says what happened instead."""


class Watch:
    """Collects exceptions raised inside Qt slots and callbacks (which Qt would only print) so
    the step that caused them fails at once with the reason."""

    def __init__(self) -> None:
        self.errors: list[BaseException] = []
        self._loop: QEventLoop | None = None
        self._previous_hook = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self._hook

    def uninstall(self) -> None:
        sys.excepthook = self._previous_hook

    def _hook(self, kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        self.errors.append(exc)
        traceback.print_exception(kind, exc, tb, file=sys.stderr)
        if self._loop is not None:
            self._loop.quit()

    def check(self) -> None:
        if self.errors:
            exc = self.errors[0]
            raise SelfTestFailed(f"{type(exc).__name__}: {exc}")

    def wait(self, what: str, start: Callable[[Callable[..., None], Callable[[BaseException],
                                                                              None]], None],
             timeout_s: float = STEP_TIMEOUT_S) -> tuple[Any, ...]:
        """Run ``start(done, failed)`` and wait (running the event loop) until it calls one of
        them, a slot raises, or ``timeout_s`` passes."""
        loop = QEventLoop()
        outcome: dict[str, Any] = {}

        def done(*args: Any) -> None:
            if not outcome:
                outcome["value"] = args
            loop.quit()

        def failed(exc: BaseException) -> None:
            if not outcome:
                outcome["error"] = exc
            loop.quit()

        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        start(done, failed)
        if not outcome:
            self._loop = loop
            deadline.start(int(timeout_s * 1000))
            loop.exec()
            deadline.stop()
            self._loop = None
        self.check()
        if "error" in outcome:
            exc = outcome["error"]
            kind = "" if isinstance(exc, SelfTestFailed) else f"{type(exc).__name__}: "
            raise SelfTestFailed(f"{what}: {kind}{exc}")
        if "value" not in outcome:
            raise SelfTestFailed(f"gave up after {timeout_s:g} s waiting for {what}")
        return tuple(outcome["value"])

    def signal(self, what: str, signal: SignalInstance, trigger: Callable[[], object] | None = None,
               accept: Callable[..., bool] = lambda *_: True,
               timeout_s: float = STEP_TIMEOUT_S) -> tuple[Any, ...]:
        """Connect to ``signal``, run ``trigger``, wait for an emission that ``accept``s."""
        connection: list[Any] = []

        def start(done: Callable[..., None], _failed: Callable[[BaseException], None]) -> None:
            def on_signal(*args: Any) -> None:
                if accept(*args):
                    done(*args)

            connection.append(on_signal)
            signal.connect(on_signal)
            if trigger is not None:
                trigger()

        try:
            return self.wait(what, start, timeout_s)
        finally:
            for slot in connection:
                signal.disconnect(slot)


def image_names(document: QTextDocument) -> list[str]:
    names: list[str] = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat() and fmt.toImageFormat().name() not in names:
                names.append(fmt.toImageFormat().name())
            it += 1
        block = block.next()
    return names


def loads(document: QTextDocument, name: str) -> bool:
    resource = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
    return resource is not None and not getattr(resource, "isNull", lambda: True)()


def clipboard_snapshot(clipboard: QClipboard) -> dict[str, QByteArray]:
    """What the clipboard holds now, format by format (empty offscreen)."""
    mime = clipboard.mimeData()
    if mime is None:
        return {}
    return {fmt: QByteArray(mime.data(fmt)) for fmt in mime.formats()}


def clipboard_restore(clipboard: QClipboard, saved: dict[str, QByteArray]) -> None:
    """Put back what :func:`clipboard_snapshot` saw (on a real desktop the self-test must not
    leave its citation in the user's clipboard)."""
    if not saved:
        clipboard.clear()
        return
    mime = QMimeData()
    for fmt, data in saved.items():
        mime.setData(fmt, data)
    clipboard.setMimeData(mime)


@contextmanager
def scratch_settings(scratch: Path) -> Iterator[None]:
    """Any ``QSettings()`` made while the self-test runs goes to a scratch file."""
    previous = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(scratch))
    try:
        yield
    finally:
        QSettings.setDefaultFormat(previous)

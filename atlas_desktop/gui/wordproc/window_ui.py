"""The window's answers to the Writer extension: the quick-cite picker, Document Preferences
and the question before hand-edited citations are overwritten.

The endpoint serves each request on a thread of its own, and those threads may not touch
widgets. A request that needs the user (:class:`~.protocol.Ui`) sends a signal to the UI
thread, which opens the dialog without blocking (``open()``, never ``exec()``), and waits for
the answer on a future. Everything that reads the library (the works' names before the
picker opens, their data after it closes, the chosen style) is done on the request's thread,
so the UI thread only shows dialogs. Unanswered questions end as "cancelled" when the window
closes or after :data:`ANSWER_TIMEOUT_S`, and their dialog closes with them.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from typing import Any, Final

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from atlas_desktop.domain.live_citations import CiteItem, DocumentPrefs, LiveCitation, style_url
from atlas_desktop.services import Library

from ..runner import Runner
from .document_prefs import DocumentPreferencesDialog
from .picker import PickedWork, QuickCitePicker

#: The extension waits 15 minutes for an answer; the window gives up a little before it.
ANSWER_TIMEOUT_S: Final = 14 * 60

Opener = Callable[[Callable[[Any], None]], QDialog]


class WindowUi(QObject):
    """:class:`~.protocol.Ui` for the endpoint, answered by the window's dialogs."""

    _asked = Signal(object)
    _expired = Signal(object)
    #: A dialog was opened for the extension (for tests, and the user guide's screenshots).
    dialog_opened = Signal(object)

    def __init__(self, library: Library, runner: Runner, window: QWidget) -> None:
        super().__init__(window)
        self._library, self._runner, self._window = library, runner, window
        self._lock = threading.Lock()
        self._closed = False
        self._dialogs: dict[int, QDialog] = {}
        self._waiting: set[Future[Any]] = set()
        self._asked.connect(self._on_asked, Qt.ConnectionType.QueuedConnection)
        self._expired.connect(self._on_expired, Qt.ConnectionType.QueuedConnection)

    # --- Ui: called on the endpoint's threads ---------------------------------------------

    def pick(self, prefs: DocumentPrefs, citation: LiveCitation | None) -> LiveCitation | None:
        documents = self._library.documents
        items = list(citation.items) if citation is not None else []
        labels = documents.item_labels(items=items) if items else []
        works = [PickedWork(i, label) for i, label in zip(items, labels, strict=True)]
        chosen: list[CiteItem] | None = self._ask(
            lambda done: self._open_picker(prefs, works, done))
        if not chosen:
            return None
        made = documents.citation_from_items(
            items=chosen, citation_id=citation.citation_id if citation else None)
        if citation is None:
            return made
        # Edited: the same citation (id, note, properties) with the new works; a text the
        # user had kept by hand is given up, as Zotero does when a citation is edited.
        return replace(citation, items=made.items, dont_update=False)

    def preferences(self, prefs: DocumentPrefs) -> DocumentPrefs | None:
        citations = self._library.citations
        try:
            label = citations.describe_style(style=prefs.style_spec).label
        except Exception:  # a style this machine lacks: offered by its name in the document
            label = prefs.style_spec
        chosen: tuple[str, str] | None = self._ask(
            lambda done: self._open_preferences(prefs, label, done))
        if chosen is None:
            return None
        spec, locale = chosen
        info = citations.describe_style(style=spec)
        stored = spec if info.path else style_url(info.style_id)
        return replace(prefs, style=stored, locale=locale or prefs.locale)

    def overwrite_edits(self, texts: list[str]) -> bool:
        return bool(self._ask(lambda done: self._open_overwrite_question(texts, done)))

    # --- waiting for the UI thread --------------------------------------------------------

    def _ask(self, opener: Opener) -> Any:
        if QThread.currentThread() is self.thread():
            raise RuntimeError("The extension's questions are asked from the endpoint's "
                               "threads, never the UI thread.")
        future: Future[Any] = Future()
        with self._lock:
            if self._closed:
                return None
            self._waiting.add(future)
        self._asked.emit((opener, future))
        try:
            return future.result(timeout=ANSWER_TIMEOUT_S)
        except (FutureTimeout, CancelledError):
            self._expired.emit(future)
            return None
        finally:
            with self._lock:
                self._waiting.discard(future)

    def _on_asked(self, request: tuple[Opener, Future[Any]]) -> None:
        opener, future = request
        if future.done():
            return

        def done(value: Any) -> None:
            self._dialogs.pop(id(future), None)
            if not future.done():
                future.set_result(value)

        try:
            dialog = opener(done)
        except Exception as exc:  # the request answers with a sentence, not a hang
            future.set_exception(exc)
            return
        self._dialogs[id(future)] = dialog
        bring_forward(self._window, dialog)
        self.dialog_opened.emit(dialog)

    def _on_expired(self, future: Future[Any]) -> None:
        dialog = self._dialogs.pop(id(future), None)
        if dialog is not None:
            dialog.reject()

    def shutdown(self) -> None:
        """The window is closing: every open question ends as cancelled."""
        with self._lock:
            self._closed = True
            waiting = list(self._waiting)
        for dialog in list(self._dialogs.values()):
            dialog.reject()
        self._dialogs.clear()
        for future in waiting:  # asked, but the UI thread never got to open its dialog
            if not future.done():
                future.set_result(None)

    # --- the dialogs (UI thread) ----------------------------------------------------------

    def _open_picker(self, prefs: DocumentPrefs, works: list[PickedWork],
                     done: Callable[[Any], None]) -> QDialog:
        dialog = QuickCitePicker(self._library, self._runner, style=prefs.style_spec,
                                 locale=prefs.locale, works=works, parent=self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda result: done(
            dialog.items() if result == QDialog.DialogCode.Accepted else None))
        dialog.open()
        return dialog

    def _open_preferences(self, prefs: DocumentPrefs, label: str,
                          done: Callable[[Any], None]) -> QDialog:
        dialog = DocumentPreferencesDialog(self._library, self._runner,
                                           style=prefs.style_spec, style_label=label,
                                           locale=prefs.locale, parent=self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda result: done(
            dialog.chosen() if result == QDialog.DialogCode.Accepted else None))
        dialog.open()
        return dialog

    def _open_overwrite_question(self, texts: list[str],
                                 done: Callable[[Any], None]) -> QDialog:
        shown = "".join(f"<li>{html.escape(t[:200])}</li>" for t in texts[:10])
        more = f"<p>…and {len(texts) - 10} more.</p>" if len(texts) > 10 else ""
        box = QMessageBox(QMessageBox.Icon.Question, "Citations edited by hand",
                          f"<p>You changed the text of {len(texts)} citation"
                          f"{'s' if len(texts) != 1 else ''} by hand:</p><ul>{shown}</ul>"
                          f"{more}<p>Refresh can replace your wording with the style's "
                          "text, or keep it (those citations then stay as you wrote them "
                          "until you edit them in Atlas Desktop).</p>",
                          QMessageBox.StandardButton.NoButton, self._window)
        box.setObjectName("OverwriteEditsQuestion")
        box.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        replace_button = box.addButton("Replace my edits", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep my edits", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: done(box.clickedButton() is replace_button))
        box.open()
        return box


def bring_forward(window: QWidget, dialog: QWidget) -> None:
    """Writer asked: the dialog comes above it (the window first, if it was minimised)."""
    if window.isMinimized():
        window.showNormal()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()

"""``atlas-desktop --self-test``: start the real window on a throw-away library, use it, exit.

It answers "does this build work here?" (a packaged build on a new machine, CI after
``make package``): the Qt platform plugin loads, the library opens and fills with the sample
entries, the window lists them, an entry can be read, its reference is formatted by the
citation engine (citeproc-js on V8) and put on the clipboard as text and HTML, the Help window
shows the user guide, the user's layer can be written and read back, and the window closes
cleanly. Each step prints one line ``self-test: <step> ok (...)``; the first failure prints
``self-test: <step> FAILED: <why>`` on stderr and the exit code is 1.

What it never touches: the user's library (a temporary folder is used unless ``--data-dir``
is given; ``ATLAS_DESKTOP_DATA_DIR`` is ignored on purpose), the user's window settings (a
temporary settings file), the single-instance lock of any library (it never claims one, so it
also runs beside an open window), and the network (sync is not started). With ``--data-dir``
the note it writes is put back as it was; an empty library there gets the sample entries. The
clipboard is put back as it was too (it matters on a real display, e.g. QT_QPA_PLATFORM=xcb).

Waiting is always on a signal or a callback, with a deadline; never on a sleep.
"""

from __future__ import annotations

import os
import sys
import tempfile
import textwrap
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import (
    QSettings,
    QTimer,
    SignalInstance,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from atlas_desktop.domain.citation import CitationCopy
from atlas_desktop.paths import LibraryPaths, resolve_library
from atlas_desktop.services import Library, StoreError

from .dialogs.help_dialog import HelpDialog, guide_path
from .main_window import MainWindow
from .opening import open_in_background
from .runner import ThreadPoolRunner
from .self_test_tools import (
    STEP_TIMEOUT_S,
    SelfTestFailed,
    Watch,
    clipboard_restore,
    clipboard_snapshot,
    image_names,
    loads,
    scratch_settings,
)


class SelfTest:
    def __init__(self, app: QApplication, *, data_dir: str | None, out: TextIO, err: TextIO,
                 scratch: Path) -> None:
        self.app = app
        self.out = out
        self.err = err
        self.scratch = scratch
        self.watch = Watch()
        if data_dir:
            self.paths = resolve_library(data_dir)
            self.temporary = False
        else:
            # A brand-new library standing in for the default one, so it starts as a first
            # run does: with the sample library.
            self.paths = LibraryPaths(scratch / "library", is_default=True)
            self.temporary = True
        self.runner = ThreadPoolRunner()
        self.library: Library | None = None
        self.window: MainWindow | None = None
        self.entry_id: str | None = None
        self.passed = 0

    # ------------------------------------------------------------------ running

    def run(self) -> int:
        steps: list[tuple[str, Callable[[], str]]] = [
            ("library", self.step_library),
            ("window", self.step_window),
            ("entry", self.step_entry),
            ("citation", self.step_citation),
            ("help", self.step_help),
            ("about", self.step_about),
            ("note", self.step_note),
            ("close", self.step_close),
        ]
        self.watch.install()
        try:
            for name, step in steps:
                try:
                    detail = step()
                    self.watch.check()
                except SelfTestFailed as exc:
                    return self.fail(name, str(exc))
                except Exception as exc:
                    traceback.print_exc(file=self.err)
                    return self.fail(name, f"{type(exc).__name__}: {exc}")
                self.passed += 1
                print(f"self-test: {name} ok ({detail})", file=self.out, flush=True)
        finally:
            self.cleanup()
            self.watch.uninstall()
        print(f"self-test: passed ({self.passed} steps)", file=self.out, flush=True)
        return 0

    def fail(self, step: str, message: str) -> int:
        print(f"self-test: {step} FAILED: {message}", file=self.err, flush=True)
        return 1

    def cleanup(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.runner.wait()
        if self.library is not None:
            self.library.close()
            self.library = None

    # ------------------------------------------------------------------ steps

    def step_library(self) -> str:
        # The window's own way in: opened on a worker thread, integrity check separately.
        try:
            self.library = open_in_background(self.paths, self.runner)
        except (StoreError, OSError) as exc:
            raise SelfTestFailed(f"the library in {self.paths.data_dir} cannot be opened: "
                                 f"{exc}") from exc
        library = self.library
        self.watch.wait("the integrity check",
                        lambda done, failed: self.runner.submit(library.verify, done, failed))
        added = ""
        if library.catalogue.count_all() == 0:
            if self.temporary:
                raise SelfTestFailed("a new library did not start with the sample entries")
            added = "; the sample entries were added to the empty library"
            library.add_sample_library()
        count = library.catalogue.count_all()
        if count == 0:
            raise SelfTestFailed("the library is still empty after adding the sample entries")
        where = "a temporary library" if self.temporary else str(self.paths.data_dir)
        return f"{count} entries in {where}, integrity check passed{added}"

    def step_window(self) -> str:
        assert self.library is not None
        settings = QSettings(str(self.scratch / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(self.library, self.runner, settings=settings)
        self.window = window
        # The window asked for the first page in its constructor; it arrives through the
        # event loop, so connecting now cannot miss it.
        self.watch.signal("the first page of the list", window.search.page_ready,
                          trigger=window.show)
        rows = window.model.rowCount()
        if rows == 0:
            raise SelfTestFailed("the list is empty although the library is not")
        if not window.isVisible():
            raise SelfTestFailed("the window is not visible after show()")
        image = window.grab().toImage()
        if image.isNull() or image.width() < 100 or image.height() < 100:
            raise SelfTestFailed(f"rendering the window gave a {image.width()}x{image.height()} "
                                 "image")
        colours = {image.pixel(x, y) for x in range(0, image.width(), 23)
                   for y in range(0, image.height(), 23)}
        if len(colours) < 3:
            raise SelfTestFailed("the rendered window is blank")
        platform = QApplication.platformName()
        return (f"{rows} rows listed ({window.count_label.text()}), "
                f"{image.width()}x{image.height()} rendered on the {platform} platform")

    def step_entry(self) -> str:
        window = self.window
        assert window is not None and self.library is not None
        # The last row, so that the selection moves (the window selects the first itself).
        row = window.model.list_row(window.model.rowCount() - 1)
        if row is None:
            raise SelfTestFailed("the list has no rows to select")
        self.entry_id = row.id
        self.watch.signal(f"the entry pane to show {row.id}", window.entry_shown,
                          trigger=lambda: window.select_entry(row.id),
                          accept=lambda shown: shown == row.id)
        if window.current_entry_id() != row.id:
            raise SelfTestFailed(f"the list's current entry is {window.current_entry_id()}, "
                                 f"not {row.id}")
        shown = window.detail.entry
        if shown is None or shown.id != row.id:
            raise SelfTestFailed("the entry pane does not show the selected entry")
        text = window.detail.document().toPlainText()
        if shown.title and shown.title not in text:
            raise SelfTestFailed(f"the entry pane does not show the title {shown.title!r}")
        return f"{row.id} selected and shown"

    def step_citation(self) -> str:
        """The window's "Copy citation" (Ctrl+Shift+C) on the selected entry: its citation
        controller renders the reference off the UI thread with citeproc-js and fills the
        clipboard; read both formats back."""
        window = self.window
        assert window is not None and self.library is not None and self.entry_id is not None
        entry = self.library.catalogue.get_entry(entry_id=self.entry_id)
        assert entry is not None
        selected = window.citation_selection()
        if list(selected.pks) != [self.library.catalogue.pk_for_id(entry_id=entry.id)]:
            raise SelfTestFailed(f"the window would cite {selected}, not {entry.id}")
        style = self.library.citations.describe_style()
        controller = window.citations
        clipboard = QGuiApplication.clipboard()
        saved = clipboard_snapshot(clipboard)
        connections: list[tuple[SignalInstance, Callable[..., None]]] = []

        def start(done: Callable[..., None], failed: Callable[[BaseException], None]) -> None:
            def on_failed(message: str) -> None:
                failed(SelfTestFailed(message))

            def copy_anyway(_copy: object, _checks: object) -> None:
                # The sample papers record no volume or pages, so the copy lists that by
                # the Copy button first (issue 18.6); read, and copied anyway, as a user would.
                panel = window.copy_warnings.panel
                if panel is not None:
                    QTimer.singleShot(0, panel.copy_button.click)

            connections.extend([(controller.copied, done), (controller.copy_failed, on_failed),
                                (controller.warnings_pending, copy_anyway)])
            for signal, slot in connections:
                signal.connect(slot)
            window.copy_default_action.trigger()

        try:
            (copy,) = self.watch.wait(f"the citation of {entry.id} on the clipboard", start)
            assert isinstance(copy, CitationCopy)
            if copy.failures:
                raise SelfTestFailed("; ".join(f.describe() for f in copy.failures))
            mime = clipboard.mimeData()
            if mime is None:
                raise SelfTestFailed("the clipboard is empty after the copy")
            plain = mime.text() if mime.hasText() else ""
            rich = mime.html() if mime.hasHtml() else ""
            if plain != copy.content.text:
                raise SelfTestFailed(f"the clipboard's text/plain is {plain!r}, not the "
                                     f"citation {copy.content.text!r}")
            if not copy.content.html or rich != copy.content.html:
                raise SelfTestFailed("the clipboard's text/html is not the citation's HTML")
        finally:
            for signal, slot in connections:
                signal.disconnect(slot)
            clipboard_restore(clipboard, saved)
        expected = [str(entry.year)] if entry.year else []
        if entry.authors:
            expected.append(entry.authors[0].family)
        missing = [word for word in expected if word not in plain]
        if missing:
            raise SelfTestFailed(f"the citation {plain!r} lacks {', '.join(missing)}")
        shown = textwrap.shorten(plain, 72, placeholder=" …")
        return (f"{style.label} via Copy citation: text/plain and text/html on the clipboard "
                f"and read back ({shown!r})")

    def step_help(self) -> str:
        """The Help window finds the user guide (in a build: bundled beside the application)
        and every screenshot it shows."""
        window = self.window
        assert window is not None
        path = guide_path()
        if path is None:
            if getattr(sys, "frozen", False):
                raise SelfTestFailed("the user guide is not in this build")
            return "no user guide installed with this copy (only checkouts and builds have it)"
        dialog = HelpDialog(window)
        try:
            document = dialog.browser.document()
            if len(document.toPlainText()) < 500:
                raise SelfTestFailed(f"the Help window shows almost nothing of {path}")
            names = image_names(document)
            missing = [name for name in names if not loads(document, name)]
            if missing:
                raise SelfTestFailed(f"the Help window cannot load {', '.join(missing)}")
        finally:
            dialog.deleteLater()
        return f"the user guide and its {len(names)} screenshots load from {path.parent}"

    def step_about(self) -> str:
        """The About window shows the licences that must ship: citeproc-js's own licence
        file, the CSL styles' licence statement and the LGPL that covers Qt."""
        window = self.window
        assert window is not None
        dialog = window.about_dialog()
        try:
            licences = dialog.licences_view.toPlainText()
            wanted = {
                "citeproc-js's licence": "Common Public Attribution License",
                "the CSL styles' licence": "Creative Commons Attribution-ShareAlike",
                "the LGPL (Qt)": "GNU LESSER GENERAL PUBLIC LICENSE",
            }
            missing = [what for what, text in wanted.items() if text not in licences]
            if missing:
                raise SelfTestFailed(f"the About window lacks {', '.join(missing)}")
        finally:
            dialog.deleteLater()
        return "citeproc-js, CSL styles and Qt licences shown"

    def step_note(self) -> str:
        window = self.window
        assert window is not None and self.library is not None and self.entry_id is not None
        notes = self.library.annotations
        entry_id = self.entry_id
        before = notes.get_note(entry_id=entry_id)
        text = f"Self-test note {uuid.uuid4()} — “quotes”, accents (é), 日本語"
        try:
            notes.set_note(entry_id=entry_id, text=text)
            stored = notes.get_note(entry_id=entry_id)
            if stored is None or stored.text != text:
                raise SelfTestFailed(f"the note read back is {stored and stored.text!r}, "
                                     f"not {text!r}")
            pk = self.library.catalogue.pk_for_id(entry_id=entry_id)
            row = window.model.row_of_pk(pk) if pk is not None else None
            list_row = window.model.list_row(row) if row is not None else None
            if list_row is None or list_row.id != entry_id or not list_row.noted:
                raise SelfTestFailed("the list does not mark the entry as having a note")
        finally:
            notes.set_note(entry_id=entry_id, text=before.text if before else "")
        restored = notes.get_note(entry_id=entry_id)
        if (restored.text if restored else None) != (before.text if before else None):
            raise SelfTestFailed("the note could not be put back as it was")
        return f"written and read back on {entry_id}, then put back as it was"

    def step_close(self) -> str:
        window = self.window
        assert window is not None
        if not window.close():
            raise SelfTestFailed("the window refused to close")
        self.window = None
        window.deleteLater()
        if not self.runner.wait(int(STEP_TIMEOUT_S * 1000)):
            raise SelfTestFailed("background work did not finish")
        assert self.library is not None
        self.library.close()
        self.library = None
        return "window closed, background work finished, library closed"


def run_self_test(app: QApplication, *, data_dir: str | None = None,
                  out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every step; 0 when all passed, 1 at the first failure."""
    with tempfile.TemporaryDirectory(prefix="atlas-desktop-self-test-") as scratch_name:
        scratch = Path(scratch_name)
        with scratch_settings(scratch):
            test = SelfTest(app, data_dir=data_dir, out=out or sys.stdout,
                            err=err or sys.stderr, scratch=scratch)
            return test.run()


def prefer_offscreen() -> None:
    """The self-test needs no screen: use Qt's offscreen platform unless one was chosen
    (``QT_QPA_PLATFORM=xcb`` tests the desktop plugin). Call before QApplication exists."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

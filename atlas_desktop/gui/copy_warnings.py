"""Every warning of a copy, where it stays until read (issue 18.6): a small window by the Copy
button listing, entry by entry, its gaps, where the citation follows a completed record,
its notices, and in red a retraction; with "Copy anyway" and "Don't copy", and for each entry
that is not retracted "Don't warn me about this entry again".

The copy waits (held by the citation controller) until the user chooses; closing the panel,
Escape or "Don't copy" leaves the clipboard as it was. The status bar then only sums up.
Entry text is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.citation import CitationCopy
from atlas_desktop.services import Library
from atlas_desktop.services.copy_checks import EntryWarnings

from .badges import is_dark
from .citation_controller import CitationController
from .operations import Operations
from .panes.detail_pane import DetailPane

#: Wider than this, a warning wraps.
READING_WIDTH = 460


def _label(text: str, *, style: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


def copied_summary(copy: CitationCopy, checks: list[EntryWarnings], most: int = 4) -> str:
    """The status bar after "Copy anyway": what was copied, and the papers to check by
    first author and year (the panel listed why)."""
    def names(labels: list[str]) -> str:
        shown = ", ".join(labels[:most])
        return shown + (f" and {len(labels) - most} more" if len(labels) > most else "")

    retracted = [c.label for c in checks if c.retraction is not None]
    others = [c.label for c in checks if c.retraction is None]
    notes = ([f"retracted: {names(retracted)}"] if retracted else []) + (
        [names(others)] if others else [])
    return f"{copy.summary(for_reader=True)} Check before publishing: {'; '.join(notes)}."


def in_window_words(sentence: str) -> str:
    """The copy's sentences are the command line's too; here the window's own command is
    named."""
    return sentence.replace("(atlas-desktop complete)", "(Entry → Complete record)")


class CopyWarningsPanel(QFrame):
    #: The user chose "Copy anyway": the ids of the entries not to warn about again.
    copy_anyway = Signal(list)
    #: Closed without copying.
    dismissed = Signal()

    def __init__(self, copy: CitationCopy, checks: list[EntryWarnings],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool)
        self.setObjectName("CopyWarningsPanel")
        # A frame of its own: a tool window has none where no window manager draws one.
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(1)
        self.setWindowTitle("Check before you paste")
        self.setAccessibleName("Warnings about the copy")
        self._decided = False
        self.checks = checks
        dark = is_dark(self.palette())
        red = "color: #ffb4a9;" if dark else "color: #b42318;"
        amber = "color: #f5c07a;" if dark else "color: #7a3e00;"
        retracted = sum(c.retraction is not None for c in checks)
        heading = f"Read before you paste: {copy.description}."
        if retracted:
            heading += (f" {retracted} of the papers {'is' if retracted == 1 else 'are'} "
                        "retracted.")
        self.heading = _label(heading, style="font-weight: bold;")
        body = QWidget(self)
        rows = QVBoxLayout(body)
        rows.setContentsMargins(0, 0, 0, 0)
        #: entry id -> its "don't warn me again" box (entries that are not retracted).
        self.quiet_boxes: dict[str, QCheckBox] = {}
        # Retracted papers first: they are what must not be missed.
        for check in sorted(checks, key=lambda c: c.retraction is None):
            rows.addWidget(_label(check.label, style="font-weight: bold; margin-top: 6px;"))
            if check.retraction is not None:
                rows.addWidget(_label("RETRACTED: " + check.retraction.notice + ". Cite it only "
                                      "as a retracted paper.", style=red + "font-weight: bold;"))
            for notice in check.notices:
                rows.addWidget(_label(notice[:1].upper() + notice[1:] + ".", style=amber))
            for warning in check.warnings:
                rows.addWidget(_label("• " + in_window_words(warning)))
            if check.may_quiet:
                box = QCheckBox("Don't warn me about this entry again", body)
                box.setAccessibleName(f"Don't warn me about {check.label} again")
                self.quiet_boxes[check.entry_id] = box
                rows.addWidget(box)
        rows.addStretch(1)
        body.setFixedWidth(READING_WIDTH)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(READING_WIDTH + 24)
        # As tall as what it lists, up to a third of a small screen; then it scrolls.
        needed = rows.heightForWidth(READING_WIDTH) if rows.hasHeightForWidth() else \
            body.sizeHint().height()
        scroll.setFixedHeight(min(max(needed, 40), 360))
        self.copy_button = QPushButton("Copy anyway", self)
        self.copy_button.setDefault(True)
        self.cancel_button = QPushButton("Don't copy", self)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.cancel_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.copy_button.setFocus()

    def text(self) -> str:
        """Everything the panel says, as a reader would read it (tests, accessibility)."""
        return "\n".join(label.text() for label in self.findChildren(QLabel))

    def place_by(self, anchor: QWidget) -> None:
        """Just below ``anchor`` (the Copy button used), kept on its screen."""
        self.adjustSize()
        spot = anchor.mapToGlobal(QPoint(0, anchor.height() + 4))
        screen = anchor.screen().availableGeometry()
        x = min(max(screen.left(), spot.x()), screen.right() - self.width())
        y = min(max(screen.top(), spot.y()), screen.bottom() - self.height())
        self.move(x, y)

    def _on_copy_clicked(self) -> None:
        self._decided = True
        quiet = [entry_id for entry_id, box in self.quiet_boxes.items() if box.isChecked()]
        self.copy_anyway.emit(quiet)
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_copy_clicked()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._decided:
            self._decided = True
            self.dismissed.emit()
        super().closeEvent(event)


class CopyWarnings:
    """The window's part: shows a held copy's warnings by the Copy button that was used,
    copies when asked, and remembers the entries the user quieted (an operation)."""

    def __init__(self, window: QMainWindow, library: Library, citations: CitationController,
                 ops: Operations, *, toolbar_button: QWidget, detail: DetailPane,
                 show_message: Callable[[str, int], None]) -> None:
        self._window = window
        self._library = library
        self._citations = citations
        self._toolbar_button = toolbar_button
        self._detail = detail
        self._ops = ops
        self._show_message = show_message
        #: The panel on screen (None when none is).
        self.panel: CopyWarningsPanel | None = None
        citations.check_first = True
        citations.warnings_pending.connect(self._on_warnings_pending)

    def _on_warnings_pending(self, copy: CitationCopy, checks: list[EntryWarnings]) -> None:
        if self.panel is not None:  # a newer copy replaces the one not yet decided
            self.panel.dismissed.disconnect()
            self.panel.close()
        panel = CopyWarningsPanel(copy, checks, self._window)
        panel.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        panel.copy_anyway.connect(lambda quiet: self._copy(panel, copy, quiet))
        panel.dismissed.connect(lambda: self._dismissed(panel))
        self.panel = panel
        panel.place_by(self._anchor(copy))
        panel.show()
        panel.raise_()
        panel.activateWindow()

    def _anchor(self, copy: CitationCopy) -> QWidget:
        """The Copy button a copy came from, near enough: the entry's own when it copied
        just the entry shown."""
        shown = self._detail.entry
        if shown is not None and copy.entry_ids == (shown.id,) and \
                self._detail.copy_button.isVisible():
            return self._detail.copy_button
        return self._toolbar_button

    def _forget(self, panel: CopyWarningsPanel) -> None:
        if self.panel is panel:
            self.panel = None

    def _dismissed(self, panel: CopyWarningsPanel) -> None:
        self._forget(panel)
        self._show_message("Nothing was copied; the clipboard is as it was.", 8000)

    def _copy(self, panel: CopyWarningsPanel, copy: CitationCopy, quiet: list[str]) -> None:
        self._forget(panel)
        self._citations.deliver(copy)
        self._show_message(copied_summary(copy, panel.checks), 10000)
        if quiet:
            checks = self._library.copy_checks
            self._ops.run(lambda: checks.set_quiet(entry_ids=quiet), what="Your choice")

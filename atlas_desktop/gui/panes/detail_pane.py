"""The detail pane: everything the atlas says about the selected entry, safely rendered,
with the user's own note beneath.

It owns the star and the note of the entry it shows: a click on the star is drawn at once and
written as an operation (``gui/operations.py``); changes made elsewhere (Ctrl+D on a
selection, a merge, another window's sync) reach it as change notices, and it skips its own.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.annotations import UserData
from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.completion import CompletedRecord
from atlas_desktop.domain.entry import Entry, Origin
from atlas_desktop.services import Library

from ..badges import pill_colours
from ..icons import icon
from ..operations import Operations, failure_sentence
from ..plain_text import escape, tooltip
from ..theme import theme_colours
from .completion_html import REPORT_DIFFERENCE, report_draft
from .detail_html import render_entry
from .note_editor import NoteEditor

#: What the pane shows of the user's layer (the star; labels and the rest through UserData).
_USER_KINDS = Changes.STATE | Changes.NOTES | Changes.LABELS | Changes.COLLECTIONS

SAFE_SCHEMES = {"http", "https"}


class SafeBrowser(QTextBrowser):
    """A text browser that never fetches anything: no images, no files, no network. The only
    images it shows are the badge pills the pane drew itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pills: dict[str, QImage] = {}

    def loadResource(self, kind: int, name: QUrl | str) -> object:  # noqa: N802
        url = name if isinstance(name, QUrl) else QUrl(name)
        if kind == QTextDocument.ResourceType.ImageResource.value and url.scheme() == "atlas-pill":
            return self.pills.get(url.toString())
        return None


class DetailPane(QWidget):
    tag_clicked = Signal(str, str)  # category, label
    report_requested = Signal(str)  # the field the user wants to report, "" for a choice
    #: A report of where the atlas and a completed record disagree, pre-filled: the field,
    #: the problem and the suggested correction (the record's value).
    correction_suggested = Signal(str, str, str)
    #: The user's data of the shown entry as the pane now shows it (UserData).
    user_data_shown = Signal(object)

    def __init__(self, library: Library, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DetailPane")
        self._library = library
        self._ops = ops
        self.entry: Entry | None = None
        self.user: UserData | None = None
        #: What was completed online for the shown entry (None: nothing).
        self.record: CompletedRecord | None = None
        #: Why the library cannot be changed (no star, no report), or None.
        self.read_only = library.read_only
        #: Whether this window may queue reports at all (a read-only library may not).
        self.can_report = self.read_only is None
        self._empty_message = ""
        self._built = False
        self._pill_images: dict[tuple[str, str, str, float], QImage] = {}

        self.star_button = QToolButton(self)
        self.star_button.setObjectName("StarButton")
        self.star_button.setCheckable(True)
        self.star_button.setIcon(icon("star"))
        self.star_button.setText("Star")
        self.star_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.star_button.setAccessibleName("Star this entry")
        self.star_button.toggled.connect(self._on_star_button_toggled)
        if library.read_only is not None:
            self.star_button.setToolTip(tooltip(f"{library.read_only} Nothing can be changed."))
        self.report_button = QToolButton(self)
        self.report_button.setObjectName("ReportButton")
        self.report_button.setIcon(icon("flag"))
        self.report_button.setText("Report an error…")
        self.report_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.report_button.setAccessibleName("Report an error in this entry")
        self.report_button.setToolTip("Tell the atlas team about a mistake in this entry. "
                                      "Reports are private and read by a person.")
        self.report_button.clicked.connect(lambda: self.report_requested.emit(""))
        # The pane's narrowest is the same with or without the button's words (the window
        # drops them when narrow, set_compact), so a remembered size restores as it was.
        self.report_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.report_button.setMinimumWidth(self.report_button.sizeHint().width())
        self.report_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # The window gives it its menu (every copy format) and what a click copies.
        self.copy_button = QToolButton(self)
        self.copy_button.setObjectName("DetailCopyButton")
        self.copy_button.setIcon(icon("copy"))
        self.copy_button.setText("Copy citation")
        self.copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.copy_button.setAccessibleName("Copy this entry's citation")
        self.actions_row = QHBoxLayout()
        self.actions_row.setContentsMargins(10, 6, 10, 0)
        self.actions_row.addWidget(self.copy_button)
        self.actions_row.addWidget(self.star_button)
        self.actions_row.addStretch(1)
        self.actions_row.addWidget(self.report_button)

        self.browser = SafeBrowser(self)
        self.browser.setObjectName("DetailBrowser")
        self.browser.setAccessibleName("Entry details")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.browser.document().setDocumentMargin(14)

        self.notes = NoteEditor(library, ops, self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("DetailSplitter")
        splitter.addWidget(self.browser)
        splitter.addWidget(self.notes)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 170])
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self.actions_row)
        layout.addWidget(splitter)
        ops.changed.connect(self._on_ops_changed)
        self.show_empty()
        self._built = True

    # ----------------------------------------------------------------- content

    @property
    def reportable(self) -> bool:
        """Whether the shown entry can be reported: an atlas entry, in a window that may
        queue reports. The user's own references are private: nothing about them is ever
        offered to the atlas team (issue 18.4)."""
        return (self.can_report and self.entry is not None
                and self.entry.origin is Origin.ATLAS)

    def show_empty(self, message: str = "Select an entry to read it here.") -> None:
        self.entry = None
        self.user = None
        self.record = None
        self._empty_message = message
        self.notes.set_entry(None)
        self.star_button.setEnabled(False)
        self.report_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.browser.setHtml(f"<p style='color:{theme_colours(self.palette()).muted}; "
                             f"margin:30px; font-size:large;'>{escape(message)}</p>")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """A theme switch: the entry's HTML carries colours, so it is laid out again."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._built:
            self.report_button.setIcon(icon("flag"))
            self.star_button.setIcon(icon("star-filled" if self.star_button.isChecked()
                                          else "star"))
            self.copy_button.setIcon(icon("copy"))
            if self.entry is not None:
                self.show_entry(self.entry, self.user)
            else:
                self.show_empty(self._empty_message)

    def show_entry(self, entry: Entry, user: UserData | None = None) -> None:
        self.entry = entry
        self.star_button.setEnabled(self.read_only is None)
        self.copy_button.setEnabled(True)
        self.report_button.setEnabled(self.reportable)
        self.report_button.setVisible(entry.origin is Origin.ATLAS)
        self._show_user(user)
        # One small read (the entry's completed records, if any) beside the entry's own.
        record = self._library.completion.record(entry_id=entry.id)
        self.record = None if record.empty else record
        self.browser.pills.clear()
        html = render_entry(entry, self.palette(), pill_image=self._pill,
                            can_report=self.reportable, record=self.record)
        # Replacing the text empties the document first, which hides the scroll bar; the
        # new entry then brings it back and is laid out a second time at the narrower width.
        # Holding the bar for the swap saves that second layout (about 1.5 ms of the 16 a
        # frame has); a short entry lets it go again right after.
        self.browser.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.browser.setHtml(html)
        self.browser.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        if user is not None:
            self.notes.set_entry(entry.id, user.note)
        else:
            self.notes.set_entry(entry.id)

    def set_compact(self, compact: bool) -> None:
        """On a narrow window the report button shows its flag alone (its tooltip and
        accessible name still say what it does), leaving the list more room."""
        self.report_button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonIconOnly if compact
            else Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

    def document(self) -> QTextDocument:
        return self.browser.document()

    def _pill(self, kind: str, text: str) -> str:
        """A badge pill for the browser to show (drawn once per look); its resource name."""
        name = QUrl(f"atlas-pill:{len(self.browser.pills)}").toString()
        ratio = max(1.0, self.devicePixelRatioF())
        key = (kind, text, self.palette().color(self.palette().ColorRole.Window).name(), ratio)
        cached = self._pill_images.get(key)
        if cached is not None:
            self.browser.pills[name] = cached
            return name
        font = QFont(self.browser.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.9))
        metrics = QFontMetrics(font)
        size = QSize(metrics.horizontalAdvance(text) + 18, metrics.height() + 6)
        image = QImage(size * ratio, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        colours = pill_colours(kind, text, self.palette())
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        painter.setPen(QPen(QColor(colours.border), 1))
        painter.setBrush(QColor(colours.fill))
        radius = size.height() / 2
        painter.drawRoundedRect(QRectF(0.5, 0.5, size.width() - 1, size.height() - 1),
                                radius, radius)
        painter.setPen(QColor(colours.text))
        painter.drawText(QRectF(0, 0, size.width(), size.height()),
                         Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        self._pill_images[key] = image
        self.browser.pills[name] = image
        return name

    # ----------------------------------------------------------------- interaction

    def _show_user(self, user: UserData | None) -> None:
        self.user = user
        starred = bool(user and user.starred)
        self.star_button.blockSignals(True)
        self.star_button.setChecked(starred)
        self.star_button.blockSignals(False)
        self.star_button.setIcon(icon("star-filled" if starred else "star"))
        self.star_button.setText("Starred" if starred else "Star")
        if user is not None:
            self.user_data_shown.emit(user)

    def _on_star_button_toggled(self, on: bool) -> None:
        """Drawn at once; written as an operation whose notice this pane then skips. If
        the write fails, the star goes back to what the library holds."""
        entry = self.entry
        if entry is None:
            return
        self._show_user(replace(self.user or UserData(entry_id=entry.id), starred=on))
        annotations = self._library.annotations

        def failed(exc: BaseException) -> None:
            if self.entry is not None and self.entry.id == entry.id:
                self._show_user(annotations.user_data(entry_id=entry.id))
            self._ops.failed.emit(failure_sentence(exc, "The star"))

        self._ops.run(lambda: annotations.set_starred(entry_id=entry.id, starred=on),
                      initiator=self, failed=failed)

    def _on_ops_changed(self, notice: ChangeNotice) -> None:
        entry = self.entry
        if entry is None or notice.initiator is self or not notice.touches(entry.id):
            return
        if notice.concerns(Changes.CATALOGUE | Changes.COMPLETION):
            # A pull, an import, another program changed it, or its record was completed.
            self._read_again(entry.id)
        elif notice.concerns(_USER_KINDS):
            self._show_user(self._library.annotations.user_data(entry_id=entry.id))

    def _read_again(self, entry_id: str) -> None:
        """Show the entry as the library holds it now, where the reader was."""
        found = self._library.catalogue.show(entry_id=entry_id)
        if found is None:
            self.show_empty("This entry is no longer in the library.")
            return
        bar = self.browser.verticalScrollBar()
        position = bar.value()
        self.show_entry(*found)
        bar.setValue(position)

    def _report_difference(self, index: str) -> None:
        entry, record = self.entry, self.record
        if entry is None or record is None or not index.isdigit():
            return
        draft = report_draft(entry, record, int(index))
        if draft is not None:
            self.correction_suggested.emit(*draft)

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == "atlas-tag":
            path = url.path(QUrl.ComponentFormattingOption.FullyEncoded)
            category, _, label = path.partition("/")
            self.tag_clicked.emit(unquote(category), unquote(label))
        elif scheme == "atlas-action" and self.reportable:
            path = url.path()
            if path.startswith(REPORT_DIFFERENCE):
                self._report_difference(path[len(REPORT_DIFFERENCE):])
            else:
                self.report_requested.emit("")
        elif not scheme and url.fragment():
            self.browser.scrollToAnchor(url.fragment())
        elif scheme in SAFE_SCHEMES:
            QDesktopServices.openUrl(url)

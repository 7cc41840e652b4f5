"""The quick-cite picker: what Add/Edit Citation in Writer brings to the front.

Search as you type over the library's index (the same search as the main window's box, on a
worker thread, stale answers dropped); Enter or a double click adds the highlighted work to
the citation; each work in the citation has its locator (with its kind), prefix, suffix and
"omit the author". A preview shows the citation in the document's style. The dialog answers
with the citation's items (``CiteItem``; library works named by their entry id, the data is
filled in by the document service off the UI thread).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.listing import ListRow
from atlas_desktop.domain.live_citations import CiteItem, entry_uri
from atlas_desktop.services import Library

from ..plain_text import plain_label, tooltip
from ..runner import Runner

#: Results listed at once; typing narrows them.
MAX_RESULTS: Final = 50
SEARCH_DELAY_MS: Final = 120
PREVIEW_DELAY_MS: Final = 250
#: CSL's locator kinds, as offered (the first is the default).
LOCATOR_LABELS: Final = ("page", "chapter", "section", "paragraph", "figure", "table",
                         "volume", "line", "note", "appendix", "part")
W = TypeVar("W", bound=QWidget)
_COLUMNS: Final = ("Work", "Kind", "Locator", "Prefix", "Suffix", "Omit author")
#: Widths of the option columns (the work takes the rest): wide enough for "paragraph",
#: "12-14" and a short prefix such as "see also" without scrolling.
_WIDTHS: Final = (0, 120, 90, 110, 110, 95)


@dataclass(frozen=True, slots=True)
class PickedWork:
    """One work in the citation being edited: its item (options included) and how the
    picker names it."""

    item: CiteItem
    label: str


def row_label(row: ListRow) -> str:
    year = f" ({row.year})" if row.year else ""
    return f"{row.authors_short or 'Anonymous'}{year} — {row.display_title}"


class QuickCitePicker(QDialog):
    #: A search's rows were shown (their count), for tests and a busy indicator.
    results_shown = Signal(int)
    #: The preview text changed.
    preview_shown = Signal(str)

    def __init__(self, library: Library, runner: Runner, *, style: str, locale: str | None,
                 works: Sequence[PickedWork] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QuickCitePicker")
        self.setWindowTitle("Add citation — Atlas Desktop" if not works
                            else "Edit citation — Atlas Desktop")
        # Writer asked for it: it must come above Writer's window, not behind it.
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.resize(960, 580)
        self._library, self._runner = library, runner
        self._style, self._locale = style, locale
        self._seq = 0
        self._preview_seq = 0
        self._works: list[PickedWork] = []

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("PickerSearch")
        self.search_box.setPlaceholderText(
            "Search the library: words of the title, an author, a year…  (Enter adds)")
        self.search_box.setAccessibleName("Search the library for a work to cite")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)
        self.results = QListWidget(self)
        self.results.setObjectName("PickerResults")
        self.results.setAccessibleName("Works found")
        self.results.itemActivated.connect(self._add_item)
        self.status = plain_label(QLabel("", self))  # may quote an error
        self.status.setWordWrap(True)

        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setObjectName("PickerCitation")
        self.table.setAccessibleName("Works in this citation")
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, _WIDTHS[column])
        self.remove_button = QPushButton("Remove", self)
        self.up_button = QPushButton("Move up", self)
        self.down_button = QPushButton("Move down", self)
        self.remove_button.clicked.connect(self._remove_current)
        self.up_button.clicked.connect(lambda: self._move_current(-1))
        self.down_button.clicked.connect(lambda: self._move_current(1))
        # The citation as text: a title may hold "<" (citeproc's &lt;, unescaped into runs).
        self.preview = plain_label(QLabel("", self))
        self.preview.setObjectName("PickerPreview")
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Insert citation" if not works else "Update citation")
        ok.setAutoDefault(False)
        self.buttons.accepted.connect(self._accept_if_any)
        self.buttons.rejected.connect(self.reject)

        edit_row = QHBoxLayout()
        edit_row.addWidget(QLabel("In this citation, in this order:", self), 1)
        for button in (self.up_button, self.down_button, self.remove_button):
            button.setAutoDefault(False)
            edit_row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_box)
        layout.addWidget(self.results, 2)
        layout.addWidget(self.status)
        layout.addLayout(edit_row)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.preview)
        layout.addWidget(self.buttons)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._render_preview)
        for work in works:
            self.add_work(work)
        self._update_buttons()
        self.search_box.setFocus()

    # --- the answer -----------------------------------------------------------------------

    def items(self) -> list[CiteItem]:
        """The citation's items as the user left them (options read from the table)."""
        out = []
        for row, work in enumerate(self._works):
            label = self._cell(row, 1, QComboBox)
            out.append(replace(
                work.item,
                label=str(label.currentData()) if label is not None else "page",
                locator=self._text(row, 2), prefix=self._text(row, 3),
                suffix=self._text(row, 4),
                suppress_author=bool((box := self._cell(row, 5, QCheckBox)) is not None
                                     and box.isChecked())))
        return out

    def add_work(self, work: PickedWork) -> None:
        row = len(self._works)
        self._works.append(work)
        self.table.insertRow(row)
        self._fill_row(row, work)
        self.table.selectRow(row)
        self._changed()

    # --- searching ------------------------------------------------------------------------

    def search(self, text: str) -> None:
        """Search now (the box's text is set; the typing delay is skipped)."""
        self.search_box.setText(text)
        self._search_timer.stop()
        self._search()

    def _search(self) -> None:
        self._seq += 1
        seq, text, catalogue = self._seq, self.search_box.text(), self._library.catalogue
        if not text.strip():
            self.results.clear()
            self.status.setText("")
            return

        def find() -> tuple[list[ListRow], int]:
            searched, _hint = catalogue.as_typed(text=text)
            result = catalogue.search(text=searched, limit=MAX_RESULTS, exact_total=False)
            pks = list(result.pks[:MAX_RESULTS])
            rows = catalogue.list_rows(pks=pks)
            return [rows[pk] for pk in pks if pk in rows], result.total

        self._runner.submit(find, lambda found: self._show(seq, *found),
                            lambda exc: self.status.setText(f"The search could not run: {exc}"))

    def _show(self, seq: int, rows: list[ListRow], total: int) -> None:
        if seq != self._seq:
            return  # the user typed on; a newer search is under way
        self.results.clear()
        for row in rows:
            item = QListWidgetItem(row_label(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(tooltip(f"{row.display_title}\n{row.journal or ''}".strip()))
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)
            more = f" (the first {len(rows)} shown)" if total > len(rows) or total < 0 else ""
            self.status.setText(f"Enter or a double click adds the highlighted work{more}.")
        else:
            self.status.setText("Nothing in the library matches this search.")
        self.results_shown.emit(len(rows))

    def _add_item(self, item: QListWidgetItem) -> None:
        entry_id = str(item.data(Qt.ItemDataRole.UserRole))
        self.add_work(PickedWork(CiteItem(key=entry_id, uris=(entry_uri(entry_id),),
                                          label="page"), item.text()))
        self.search_box.clear()
        self.search_box.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(0, self.results.currentRow() + step), self.results.count() - 1)
                self.results.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._search_timer.isActive():  # typed faster than the delay: search now
                    self._search_timer.stop()
                    self._search()
                current = self.results.currentItem()
                if current is not None and self.search_box.text().strip():
                    self._add_item(current)
                elif self._works and not self.search_box.text().strip():
                    self._accept_if_any()
                return True
        return super().eventFilter(watched, event)

    # --- the citation's table -------------------------------------------------------------

    def _fill_row(self, row: int, work: PickedWork) -> None:
        name = QTableWidgetItem(work.label)
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        name.setToolTip(tooltip(work.label))  # may come from the document's own item data
        self.table.setItem(row, 0, name)
        kind = QComboBox(self.table)
        kind.setAccessibleName("Kind of locator")
        for label in LOCATOR_LABELS:
            kind.addItem(label, label)
        if work.item.label and work.item.label not in LOCATOR_LABELS:
            kind.addItem(work.item.label, work.item.label)
        kind.setCurrentIndex(max(0, kind.findData(work.item.label or "page")))
        kind.currentIndexChanged.connect(lambda _i: self._changed())
        self.table.setCellWidget(row, 1, kind)
        for column, value, name_ in ((2, work.item.locator, "Locator (e.g. 12-14)"),
                                     (3, work.item.prefix, "Prefix (e.g. see)"),
                                     (4, work.item.suffix, "Suffix")):
            edit = QLineEdit(value, self.table)
            edit.setAccessibleName(name_)
            edit.setPlaceholderText(name_.split(" (")[0])
            edit.textChanged.connect(lambda _t: self._changed())
            self.table.setCellWidget(row, column, edit)
        omit = QCheckBox(self.table)
        omit.setAccessibleName("Omit the author (the sentence names them)")
        omit.setChecked(work.item.suppress_author)
        omit.toggled.connect(lambda _on: self._changed())
        self.table.setCellWidget(row, 5, omit)

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._works):
            self._take_row(row)
            self._changed()

    def _move_current(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if not (0 <= row < len(self._works) and 0 <= target < len(self._works)):
            return
        items = self.items()
        moved = replace(self._works[row], item=items[row])
        self._take_row(row)
        self._works.insert(target, moved)
        self.table.insertRow(target)
        self._fill_row(target, moved)
        self.table.selectRow(target)
        self._changed()

    def _take_row(self, row: int) -> None:
        self._works.pop(row)
        self.table.removeRow(row)

    def _changed(self) -> None:
        self._update_buttons()
        self._preview_timer.start()

    def _update_buttons(self) -> None:
        has = bool(self._works)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(has)
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setEnabled(has)

    def _accept_if_any(self) -> None:
        if self._works:
            self.accept()

    # --- the preview ----------------------------------------------------------------------

    def _render_preview(self) -> None:
        self._preview_seq += 1
        seq, items, documents = self._preview_seq, self.items(), self._library.documents
        if not items:
            self._set_preview(seq, "")
            return
        style, locale = self._style, self._locale
        self._runner.submit(
            lambda: documents.preview(items=items, style=style, locale=locale),
            lambda text: self._set_preview(seq, text),
            lambda exc: self._set_preview(seq, f"No preview: {exc}"))

    def _set_preview(self, seq: int, text: str) -> None:
        if seq != self._preview_seq:
            return
        self.preview.setText(f"Preview: {text}" if text else "")
        self.preview_shown.emit(text)

    # --- cells ----------------------------------------------------------------------------

    def _cell(self, row: int, column: int, kind: type[W]) -> W | None:
        widget = self.table.cellWidget(row, column)
        return widget if isinstance(widget, kind) else None

    def _text(self, row: int, column: int) -> str:
        edit = self._cell(row, column, QLineEdit)
        return edit.text().strip() if edit is not None else ""

"""The window's toolbar: the search box (with its hints and keys), the order of the list, and
room for the window's own buttons."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QToolBar, QWidget

from atlas_desktop.domain.listing import SortKey
from atlas_desktop.domain.query import QUERY_HELP

from .icons import icon
from .plain_text import plain_label, tooltip
from .theme import set_text_colour

#: A pause in typing this long searches.
SEARCH_DEBOUNCE_MS = 120
SORT_CHOICES = (
    (SortKey.RELEVANCE, "Best match"),
    (SortKey.YEAR_DESC, "Newest first"),
    (SortKey.YEAR_ASC, "Oldest first"),
    (SortKey.TITLE, "Title"),
    (SortKey.FIRST_AUTHOR, "First author"),
)


class SearchBar(QToolBar):
    #: Search now (typing paused, Enter, the order changed).
    search_requested = Signal()
    #: Down, Enter or Escape on an empty box: the list should take the focus.
    list_requested = Signal()
    #: The order of the list changed (SortKey), however it was chosen.
    sort_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Search", parent)
        self.setObjectName("MainToolbar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("SearchBox")
        self.search_box.setAccessibleName("Search the library")
        self.search_box.setPlaceholderText(
            'Search: words, "phrases", -exclude, author:, year:2010-2015, '
            'tag:"Post-Exertional Malaise", pem:required, is:starred…')
        self.search_box.setToolTip(tooltip(QUERY_HELP))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.installEventFilter(self)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.search_requested.emit)
        self.search_box.textChanged.connect(lambda _text: self.debounce.start())
        self.sort_combo = QComboBox(self)
        self.sort_combo.setObjectName("SortCombo")
        self.sort_combo.setAccessibleName("Order of the list")
        for key, label in SORT_CHOICES:
            self.sort_combo.addItem(label, key)
        self.sort_combo.currentIndexChanged.connect(self._on_sort_index_changed)
        self.hint_label = plain_label(QLabel(self))  # hints quote what was typed
        self.hint_label.setObjectName("SearchHint")
        set_text_colour(self.hint_label, "warning_text")
        self.addWidget(self.search_box)
        # A toolbar shows or hides its widgets through their actions.
        self.hint_action = self.addWidget(self.hint_label)
        self.hint_action.setVisible(False)
        self.addWidget(QLabel(" Order: ", self))
        self.addWidget(self.sort_combo)
        self.addSeparator()

    def sort(self) -> SortKey:
        return SortKey(self.sort_combo.currentData())

    def set_sort(self, key: SortKey | str, *, search: bool = True) -> None:
        """Choose the order (``search``: and search in it, as a user's choice does)."""
        for i in range(self.sort_combo.count()):
            if self.sort_combo.itemData(i) == key:
                self.sort_combo.blockSignals(not search)
                self.sort_combo.setCurrentIndex(i)
                self.sort_combo.blockSignals(False)
                if not search:
                    self.sort_changed.emit(self.sort())
                return

    def _on_sort_index_changed(self, _index: int) -> None:
        self.sort_changed.emit(self.sort())
        self.search_requested.emit()

    def set_text_quietly(self, text: str) -> None:
        """Put ``text`` in the box without searching (a remembered search, at start)."""
        self.search_box.blockSignals(True)
        self.search_box.setText(text)
        self.search_box.blockSignals(False)

    def show_hints(self, hints: tuple[str, ...]) -> None:
        self.hint_action.setVisible(bool(hints))
        self.hint_label.setText(" ".join(hints))
        self.hint_label.setToolTip(tooltip(" ".join(hints)))

    def focus(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            key = event.key()
            if key == Qt.Key.Key_Escape:
                if self.search_box.text():
                    self.search_box.clear()
                else:
                    self.list_requested.emit()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.search_requested.emit()
                self.list_requested.emit()
                return True
        return super().eventFilter(watched, event)

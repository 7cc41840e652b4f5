"""The list pane's model: only the ordered row keys of the current result live here.

Rows are fetched from the library a block at a time when the view first asks for them and kept
in a small LRU cache (Anki's browser table works this way), so a 100,000-row result costs
one array of integers. Filtering and sorting happen in SQL; the model is then reset.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.listing import ListRow, SearchResult, SortKey

from ..clipboard import ENTRY_IDS_MIME, RTF_MIME
from ..notices import list_pills
from ..plain_text import tooltip

RowFetcher = Callable[[Sequence[int]], dict[int, ListRow]]
#: Builds the payload dragged out of the list: MIME type -> bytes, for entry ids.
#: Builds a drag's data for the dragged cells (the window's: ids plus the citation).
DragSource = Callable[[Sequence[QModelIndex]], QMimeData]
Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TITLE = 0
    AUTHORS = 1
    YEAR = 2
    JOURNAL = 3
    BADGES = 4
    STATE = 5


class Role(IntEnum):
    ROW = Qt.ItemDataRole.UserRole + 1  # the ListRow
    ENTRY_ID = Qt.ItemDataRole.UserRole + 2
    PK = Qt.ItemDataRole.UserRole + 3
    BADGES = Qt.ItemDataRole.UserRole + 4


_ANSWERED_ROLES = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole, *Role))


HEADERS = {
    Column.TITLE: "Title",
    Column.AUTHORS: "First author",
    Column.YEAR: "Year",
    Column.JOURNAL: "Journal",
    Column.BADGES: "Badges",
    Column.STATE: "Mine",
}
HEADER_TIPS = {
    Column.TITLE: "Title of the paper (incomplete entries say what they lack). "
                  "Click to sort by title, A to Z.",
    Column.AUTHORS: "First author, et al. when there are more. "
                    "Click to sort by first author, A to Z.",
    Column.YEAR: "Year of publication. Click to sort newest first; click again for oldest "
                 "first.",
    Column.JOURNAL: "Journal. The list is not sorted by journal; search journal:… to "
                    "narrow it to one.",
    Column.BADGES: "Atlas badges: evidence tier, confidence, PEM criteria, study type, review. "
                   "The list is not sorted by badges; filter by them in the sidebar.",
    Column.STATE: "Your own marks: starred, has a note, report queued. The list is not "
                  "sorted by them; filter with Starred or With a note in the sidebar.",
}
#: Why a column's header does not sort (a status-bar sentence after a click on it).
NOT_SORTABLE = {
    Column.JOURNAL: "The list cannot be sorted by journal; search journal:… to see one "
                    "journal's papers.",
    Column.BADGES: "The list cannot be sorted by badges; choose a badge in the sidebar to "
                   "show only its papers.",
    Column.STATE: "The list cannot be sorted by your marks; choose Starred or With a note in "
                  "the sidebar to show only those.",
}
#: Which SQL order each sortable column asks for (its first click).
SORT_FOR_COLUMN = {
    Column.TITLE: SortKey.TITLE,
    Column.AUTHORS: SortKey.FIRST_AUTHOR,
    Column.YEAR: SortKey.YEAR_DESC,
}
#: The header's sort indicator for each order (none for best match).
INDICATOR_FOR_SORT: dict[SortKey, tuple[Column, Qt.SortOrder]] = {
    SortKey.TITLE: (Column.TITLE, Qt.SortOrder.AscendingOrder),
    SortKey.FIRST_AUTHOR: (Column.AUTHORS, Qt.SortOrder.AscendingOrder),
    SortKey.YEAR_DESC: (Column.YEAR, Qt.SortOrder.DescendingOrder),
    SortKey.YEAR_ASC: (Column.YEAR, Qt.SortOrder.AscendingOrder),
}


def sort_for_header_click(column: Column, current: SortKey) -> SortKey | None:
    """The order a click on ``column``'s header asks for, given the current one (None: the
    column does not sort). The year flips between newest and oldest first."""
    if column is Column.YEAR and current is SortKey.YEAR_DESC:
        return SortKey.YEAR_ASC
    return SORT_FOR_COLUMN.get(column)

_COLUMNS = tuple(Column)
_ROW_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
              | Qt.ItemFlag.ItemIsDragEnabled)
BLOCK = 64
CACHE_ROWS = 4096
#: The user's marks a row paints (ListRow.starred, noted, reported, read), and the notices
#: found when records are completed (its Retracted pill).
ROW_MARKS = Changes.STATE | Changes.NOTES | Changes.REPORTS | Changes.COMPLETION


class EntryTableModel(QAbstractTableModel):
    """Invariant: ``_pks`` is the whole ordered result; ``_cache`` holds at most
    ``CACHE_ROWS`` display rows, any of which may be dropped and fetched again."""

    sort_requested = Signal(object)  # SortKey
    rows_fetched = Signal(int)

    def __init__(self, fetch_rows: RowFetcher, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._pks: Sequence[int] = ()
        self._cache: OrderedDict[int, ListRow] = OrderedDict()
        self._sort = SortKey.RELEVANCE
        self.drag_source: DragSource | None = None

    # ----------------------------------------------------------------- result

    def set_result(self, result: SearchResult, rows: Mapping[int, ListRow] | None = None) -> None:
        """Show ``result``. ``rows``: display rows already read for its first page (on a
        worker thread), so painting it needs no query. Rows cached for earlier results stay
        (successive searches share most of them) until :meth:`refresh_rows`."""
        self.beginResetModel()
        self._pks = result.pks
        self._sort = result.sort
        for pk, row in (rows or {}).items():
            self._cache[pk] = row
            self._cache.move_to_end(pk)
        self._trim()
        self.endResetModel()

    def complete_result(self, result: SearchResult) -> bool:
        """Append the rest of a result whose first page is shown. The shown rows keep their
        place (and the selection); returns False if the result no longer starts with them,
        in which case it is shown afresh."""
        shown = len(self._pks)
        if len(result.pks) < shown or list(result.pks[:shown]) != list(self._pks):
            self.set_result(result)
            return False
        if len(result.pks) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(result.pks) - 1)
            self._pks = result.pks
            self.endInsertRows()
        return True

    @property
    def sort_key(self) -> SortKey:
        return self._sort

    def pks(self) -> Sequence[int]:
        return self._pks

    def pk_at(self, row: int) -> int | None:
        return self._pks[row] if 0 <= row < len(self._pks) else None

    def row_of_pk(self, pk: int) -> int | None:
        try:
            return list(self._pks).index(pk) if len(self._pks) < 200_000 else None
        except ValueError:
            return None

    def list_row(self, row: int) -> ListRow | None:
        pk = self.pk_at(row)
        if pk is None:
            return None
        cached = self._cache.get(pk)
        if cached is not None:
            self._cache.move_to_end(pk)
            return cached
        self._fetch_block(row)
        return self._cache.get(pk)

    def drop_cached_rows(self) -> None:
        """Forget the cached rows (they are read again when painted next)."""
        self._cache.clear()

    def refresh_rows(self) -> None:
        """User data or the catalogue changed: drop cached rows and repaint what is visible."""
        self.drop_cached_rows()
        if self._pks:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._pks) - 1, len(Column) - 1)
            )

    def refresh_entries(self, entry_ids: frozenset[str] | None) -> None:
        """These entries' marks changed (None: any entry's): their cached rows are read
        again when painted; the others stay."""
        if entry_ids is None:
            self.refresh_rows()
            return
        stale = [pk for pk, row in self._cache.items() if row.id in entry_ids]
        for pk in stale:
            del self._cache[pk]
        if stale:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._pks) - 1, len(Column) - 1)
            )

    def apply_notice(self, notice: ChangeNotice) -> None:
        """A catalogue change is followed by a new result (the search controller's); until
        then no old row is painted again. A change of the marks repaints its rows."""
        if notice.concerns(Changes.CATALOGUE):
            self.drop_cached_rows()
        elif notice.concerns(ROW_MARKS):
            self.refresh_entries(notice.entry_ids)

    def _fetch_block(self, row: int) -> None:
        start = (row // BLOCK) * BLOCK
        wanted = [pk for pk in self._pks[start : start + BLOCK] if pk not in self._cache]
        if not wanted:
            return
        fetched = self._fetch_rows(wanted)
        for pk in wanted:
            found = fetched.get(pk)
            if found is not None:
                self._cache[pk] = found
        self._trim()
        self.rows_fetched.emit(len(fetched))

    def _trim(self) -> None:
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)

    # ----------------------------------------------------------------- Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._pks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(HEADER_TIPS[column])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A painted cell is asked for a dozen roles; most have no answer here. Saying so
        # first keeps the list's repaint cheap (it runs on every keystroke).
        if role not in _ANSWERED_ROLES:
            return None
        if not index.isValid() or not 0 <= index.row() < len(self._pks):
            return None
        if role == Role.PK:
            return self._pks[index.row()]
        row = self.list_row(index.row())
        if row is None:
            return None
        column = _COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row, column)
        if role == Role.ROW:
            return row
        if role == Role.ENTRY_ID:
            return row.id
        if role == Role.BADGES:
            return pills(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(_tooltip(row, column))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _accessible(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.YEAR:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column is Column.TITLE:
            italic, struck = title_style(row)
            if italic or struck:
                font = QFont()
                font.setItalic(italic)
                font.setStrikeOut(struck)
                return font
            return None
        if role == Qt.ItemDataRole.ForegroundRole and title_dimmed(row, column):
            return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ENTRY_IDS_MIME, "text/plain", "text/html", RTF_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        """Dragged entries carry their ids (for collections) and, through the window's
        ``drag_source``, their citation."""
        if self.drag_source is not None:
            return self.drag_source(indexes)
        rows = sorted({i.row() for i in indexes})
        ids = [r.id for r in (self.list_row(row) for row in rows) if r is not None]
        mime = QMimeData()
        mime.setData(ENTRY_IDS_MIME, json.dumps(ids).encode("utf-8"))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is SQL's job: tell the window which order is wanted (nothing for a column
        that does not sort)."""
        key = SORT_FOR_COLUMN.get(Column(column)) if 0 <= column < len(Column) else None
        if key is SortKey.YEAR_DESC and Qt.SortOrder(order) == Qt.SortOrder.AscendingOrder:
            key = SortKey.YEAR_ASC
        if key is not None:
            self.sort_requested.emit(key)


# What each cell shows, for the model's roles and the list's painting alike.


def cell_text(row: ListRow, column: Column) -> str | None:
    if column is Column.TITLE:
        prefix = "Withdrawn — " if row.withdrawn else ""
        return prefix + row.display_title
    if column is Column.AUTHORS:
        return row.authors_short or "—"
    if column is Column.YEAR:
        return str(row.year) if row.year else "—"
    if column is Column.JOURNAL:
        return row.journal or "—"
    if column is Column.BADGES:
        return " · ".join(text for _, text in pills(row))
    if column is Column.STATE:
        return state_text(row)
    return None


def pills(row: ListRow) -> tuple[tuple[str, str], ...]:
    """The Badges column's pills: a notice's first (Retracted), then the atlas's badges."""
    return list_pills(row.notices) + row.badges if row.notices else row.badges


def title_style(row: ListRow) -> tuple[bool, bool]:
    """(italic, struck out) for the title: an untitled entry's stand-in is in italics, a
    withdrawn entry is struck out."""
    return row.incomplete and not row.title, row.withdrawn


def title_dimmed(row: ListRow, column: Column) -> bool:
    """A withdrawn entry's cells, and an untitled entry's stand-in, are greyed."""
    return row.withdrawn or (column is Column.TITLE and not row.title)


def state_text(row: ListRow) -> str:
    marks = []
    if row.starred:
        marks.append("Starred")
    if row.noted:
        marks.append("Note")
    if row.reported:
        marks.append("Report queued")
    return ", ".join(marks)


def _tooltip(row: ListRow, column: Column) -> str | None:
    if column is Column.TITLE:
        tip = row.display_title
        if row.incomplete:
            tip += "\nThis entry is incomplete; open it to see what is missing."
        if row.withdrawn:
            tip += "\nThe atlas has withdrawn this entry; your notes on it are kept."
        if row.origin == "mine":
            tip += "\nFrom your own library (imported), not from the atlas."
        if "retraction" in row.notices:
            tip += "\nThis paper has been retracted; the entry links to the notice."
        return tip
    if column is Column.STATE:
        return state_text(row) or "Nothing of yours on this entry yet"
    return cell_text(row, column)


def _accessible(row: ListRow, column: Column) -> str | None:
    if column is Column.BADGES:
        return "Badges: " + (", ".join(t for _, t in pills(row)) or "none")
    if column is Column.STATE:
        return state_text(row) or "No marks"
    return cell_text(row, column)

"""Painting the list's cells without the per-cell cost of QStyledItemDelegate.

The list repaints on every keystroke of a search. QStyledItemDelegate asks the model for
seven roles per cell before it paints (each one a call into Python) and lays its text out
again every time. The delegates here read the row once per cell and keep laid-out text.
They draw what the standard delegate draws: the style's item panel (selection), the text,
elided, in the same place and colours. The one cell with the keyboard focus, and anything
unusual (right-to-left text, no row), is left to QStyledItemDelegate, so its focus frame is
the style's own.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from ..models.entry_table import Column, EntryTableModel, cell_text, title_dimmed, title_style

Index = QModelIndex | QPersistentModelIndex

_PANEL: Final = QStyle.PrimitiveElement.PE_PanelItemViewItem
# State bits as plain integers: each operation on a PySide flag enum builds Python enum
# objects, about 1,000 per repaint of the list (a sixth of its time).
_FOCUS: Final = QStyle.StateFlag.State_HasFocus.value
_SELECTED: Final = QStyle.StateFlag.State_Selected.value
_ENABLED: Final = QStyle.StateFlag.State_Enabled.value
_ACTIVE: Final = QStyle.StateFlag.State_Active.value
_RTL: Final = Qt.LayoutDirection.RightToLeft
# Enum members looked up once (each class attribute access of one runs Python code).
_DISABLED_GROUP: Final = QPalette.ColorGroup.Disabled
_ACTIVE_GROUP: Final = QPalette.ColorGroup.Active
_INACTIVE_GROUP: Final = QPalette.ColorGroup.Inactive
_TEXT: Final = QPalette.ColorRole.Text
_HIGHLIGHTED_TEXT: Final = QPalette.ColorRole.HighlightedText
_PLACEHOLDER_TEXT: Final = QPalette.ColorRole.PlaceholderText
_FOCUS_MARGIN: Final = QStyle.PixelMetric.PM_FocusFrameHMargin
_TITLE: Final = Column.TITLE
_YEAR: Final = Column.YEAR
_COLUMNS: Final = tuple(Column)
#: Laid-out texts kept per delegate; a screen shows a few hundred, typing revisits them.
_MAX_TEXTS: Final = 4000


def cell_state(option: QStyleOptionViewItem) -> int:
    """The option's state flags as an integer (read once per cell)."""
    return option.state.value


def standard_cell(option: QStyleOptionViewItem, state: int) -> bool:
    """Whether a cell can be painted the quick way (see the module's note)."""
    return not state & _FOCUS and option.direction != _RTL


def draw_panel(painter: QPainter, option: QStyleOptionViewItem, state: int) -> None:
    """The style's item panel: the selection highlight (the view has drawn the row's
    alternating background already). Unselected, with no background brush (the list sets
    none), the panel is empty and is not asked for."""
    if not state & _SELECTED:
        return
    widget = option.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawPrimitive(_PANEL, option, painter, widget)


def paint_background(delegate: QStyledItemDelegate, painter: QPainter,
                     option: QStyleOptionViewItem, index: Index) -> None:
    """The cell's panel (selection) under what the delegate draws itself."""
    state = cell_state(option)
    if standard_cell(option, state):
        draw_panel(painter, option, state)
        return
    opt = QStyleOptionViewItem(option)  # the focus frame, right-to-left: the style's way
    delegate.initStyleOption(opt, index)
    opt.text = ""
    widget = opt.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)


def colour_group(state: int) -> QPalette.ColorGroup:
    if not state & _ENABLED:
        return _DISABLED_GROUP
    return _ACTIVE_GROUP if state & _ACTIVE else _INACTIVE_GROUP


class EntryTextDelegate(QStyledItemDelegate):
    """The list's text columns (title, first author, year, journal)."""

    def __init__(self, model: EntryTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        #: (text, width, font key) -> (laid-out elided text, its height)
        self._texts: dict[tuple[str, int, str], tuple[QStaticText, int]] = {}
        self._fonts: dict[tuple[str, bool, bool], QFont] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        state = cell_state(option)
        row = self._model.list_row(index.row()) if standard_cell(option, state) else None
        if row is None:
            super().paint(painter, option, index)
            return
        draw_panel(painter, option, state)
        column = _COLUMNS[index.column()]
        text = cell_text(row, column)
        if not text:
            return
        font = option.font
        if column is _TITLE:
            italic, struck = title_style(row)
            if italic or struck:
                font = self._font(font, italic, struck)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        margin = style.pixelMetric(_FOCUS_MARGIN, None, widget) + 1
        rect = option.rect.adjusted(margin, 0, -margin, 0)
        if rect.width() <= 0:
            return
        static, height = self._laid_out(text, rect.width(), font)
        group = colour_group(state)
        if state & _SELECTED:
            colour = option.palette.color(group, _HIGHLIGHTED_TEXT)
        elif title_dimmed(row, column):
            colour = QApplication.palette().color(_PLACEHOLDER_TEXT)
        else:
            colour = option.palette.color(group, _TEXT)
        x = float(rect.left())
        if column is _YEAR:  # right-aligned, as the model's alignment role says
            x = rect.right() + 1 - static.size().width()
        y = rect.top() + (rect.height() - height) // 2
        painter.save()
        painter.setFont(font)
        painter.setPen(QColor(colour))
        painter.setClipRect(option.rect)
        painter.drawStaticText(QPointF(x, y), static)
        painter.restore()

    def _font(self, base: QFont, italic: bool, struck: bool) -> QFont:
        key = (base.key(), italic, struck)
        font = self._fonts.get(key)
        if font is None:
            font = self._fonts[key] = QFont(base)
            font.setItalic(italic)
            font.setStrikeOut(struck)
        return font

    def _laid_out(self, text: str, width: int, font: QFont) -> tuple[QStaticText, int]:
        key = (text, width, font.key())
        found = self._texts.get(key)
        if found is None:
            metrics = QFontMetrics(font)
            static = QStaticText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width))
            static.setTextFormat(Qt.TextFormat.PlainText)  # a title is never markup
            static.prepare(QTransform(), font)
            if len(self._texts) >= _MAX_TEXTS:
                self._texts.clear()
            found = self._texts[key] = (static, metrics.height())
        return found

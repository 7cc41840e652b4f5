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
_FOCUS: Final = QStyle.StateFlag.State_HasFocus
_SELECTED: Final = QStyle.StateFlag.State_Selected
_ENABLED: Final = QStyle.StateFlag.State_Enabled
_ACTIVE: Final = QStyle.StateFlag.State_Active
_COLUMNS: Final = tuple(Column)
#: Laid-out texts kept per delegate; a screen shows a few hundred, typing revisits them.
_MAX_TEXTS: Final = 4000


def standard_cell(option: QStyleOptionViewItem) -> bool:
    """Whether a cell can be painted the quick way (see the module's note)."""
    return not option.state & _FOCUS and \
        option.direction != Qt.LayoutDirection.RightToLeft


def draw_panel(painter: QPainter, option: QStyleOptionViewItem) -> None:
    """The style's item panel: the selection highlight (the view has drawn the row's
    alternating background already). Unselected, with no background brush (the list sets
    none), the panel is empty and is not asked for."""
    if not option.state & _SELECTED:
        return
    widget = option.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawPrimitive(_PANEL, option, painter, widget)


def paint_background(delegate: QStyledItemDelegate, painter: QPainter,
                     option: QStyleOptionViewItem, index: Index) -> None:
    """The cell's panel (selection) under what the delegate draws itself."""
    if standard_cell(option):
        draw_panel(painter, option)
        return
    opt = QStyleOptionViewItem(option)  # the focus frame, right-to-left: the style's way
    delegate.initStyleOption(opt, index)
    opt.text = ""
    widget = opt.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)


def colour_group(option: QStyleOptionViewItem) -> QPalette.ColorGroup:
    if not option.state & _ENABLED:
        return QPalette.ColorGroup.Disabled
    return QPalette.ColorGroup.Active if option.state & _ACTIVE else \
        QPalette.ColorGroup.Inactive


class EntryTextDelegate(QStyledItemDelegate):
    """The list's text columns (title, first author, year, journal)."""

    def __init__(self, model: EntryTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        #: (text, width, font key) -> (laid-out elided text, its height)
        self._texts: dict[tuple[str, int, str], tuple[QStaticText, int]] = {}
        self._fonts: dict[tuple[str, bool, bool], QFont] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = self._model.list_row(index.row()) if standard_cell(option) else None
        if row is None:
            super().paint(painter, option, index)
            return
        draw_panel(painter, option)
        column = _COLUMNS[index.column()]
        text = cell_text(row, column)
        if not text:
            return
        font = option.font
        if column is Column.TITLE:
            italic, struck = title_style(row)
            if italic or struck:
                font = self._font(font, italic, struck)
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = option.rect.adjusted(margin, 0, -margin, 0)
        if rect.width() <= 0:
            return
        static, height = self._laid_out(text, rect.width(), font)
        group = colour_group(option)
        if option.state & _SELECTED:
            colour = option.palette.color(group, QPalette.ColorRole.HighlightedText)
        elif title_dimmed(row, column):
            colour = QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        else:
            colour = option.palette.color(group, QPalette.ColorRole.Text)
        x = float(rect.left())
        if column is Column.YEAR:  # right-aligned, as the model's alignment role says
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

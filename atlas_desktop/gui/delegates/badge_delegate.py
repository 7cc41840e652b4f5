"""Painting badges as compact pills (text always, colour only as a repeat of the text), and
the user's own marks as icons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from atlas_desktop.domain.listing import ListRow

from ..badges import badge_tooltip, pill_colours
from ..icons import icon
from ..models.entry_table import Role, state_text
from ..plain_text import tooltip
from .cells import paint_background

Index = QModelIndex | QPersistentModelIndex
PILL_HEIGHT = 18
PILL_PAD_X = 7
PILL_GAP = 4


@dataclass(frozen=True)
class Pill:
    kind: str
    text: str
    rect: QRect


def pill_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(7.0, base.pointSizeF() * 0.85))
    return font


_WIDTHS: dict[tuple[str, str], int] = {}


def _text_width(font: QFont, text: str) -> int:
    key = (font.key(), text)
    width = _WIDTHS.get(key)
    if width is None:
        width = _WIDTHS[key] = QFontMetrics(font).horizontalAdvance(text)
    return width


#: (badges, width, height, font) -> pills placed in a rect at the origin; a screen of rows
#: has only a few distinct badge sets, so each paint is a lookup and a translation.
_LAYOUTS: dict[tuple[Any, ...], list[tuple[str, str, int, int, int]]] = {}


def layout_pills(badges: tuple[tuple[str, str], ...], rect: QRect, font: QFont) -> list[Pill]:
    """Place pills left to right; the last slot becomes "+N" when they do not all fit."""
    left, top = rect.left(), rect.top()
    return [Pill(kind, text, QRect(left + x, top + y, w, PILL_HEIGHT))
            for kind, text, x, y, w in placed_pills(badges, rect.width(), rect.height(), font)]


def placed_pills(badges: tuple[tuple[str, str], ...], width: int, height: int,
                 font: QFont) -> list[tuple[str, str, int, int, int]]:
    """(kind, text, x, y, width) of each pill in a cell of that size, from the cache."""
    key = (badges, width, height, font.key())
    placed = _LAYOUTS.get(key)
    if placed is None:
        placed = _place(badges, width, height, font)
        if len(_LAYOUTS) > 4096:
            _LAYOUTS.clear()
        _LAYOUTS[key] = placed
    return placed


def _place(badges: tuple[tuple[str, str], ...], width: int, height: int,
           font: QFont) -> list[tuple[str, str, int, int, int]]:
    placed: list[tuple[str, str, int, int, int]] = []
    x = 2
    right = width - 1
    top = max(0, (height - PILL_HEIGHT) // 2)
    for i, (kind, text) in enumerate(badges):
        pill_width = _text_width(font, text) + 2 * PILL_PAD_X
        remaining = len(badges) - i
        more_width = _text_width(font, f"+{remaining}") + 2 * PILL_PAD_X
        fits = x + pill_width <= right - (more_width + PILL_GAP if remaining > 1 else 0)
        if not fits:
            placed.append(("more", f"+{remaining}", x, top, more_width))
            break
        placed.append((kind, text, x, top, pill_width))
        x += pill_width + PILL_GAP
    return placed


class BadgeDelegate(QStyledItemDelegate):
    """Paints the Badges column. Hovering a pill explains it in plain words.

    Each distinct pill (kind, text, scale, palette) is drawn once into a pixmap and reused:
    a list of 100,000 entries shows only a few dozen different pills."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pixmaps: dict[tuple[str, str, float, int, int], QPixmap] = {}
        self._fonts: dict[str, QFont] = {}

    def _pixmap(self, kind: str, text: str, width: int, font: QFont, palette: QPalette,
                ratio: float, shade: int) -> QPixmap:
        """``shade``: the palette's window colour, telling light and dark apart."""
        key = (kind, text, ratio, shade, width)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        size = QSize(width, PILL_HEIGHT)
        pixmap = QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        if kind == "more":
            fill, text_colour, border = (palette.button().color(), palette.buttonText().color(),
                                         palette.mid().color())
        else:
            colours = pill_colours(kind, text, palette)
            fill, text_colour, border = (QColor(colours.fill), QColor(colours.text),
                                         QColor(colours.border))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        painter.setPen(QPen(border, 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(0.5, 0.5, size.width() - 1, size.height() - 1),
                                size.height() / 2, size.height() / 2)
        painter.setPen(text_colour)
        painter.drawText(QRect(0, 0, size.width(), size.height()), Qt.AlignmentFlag.AlignCenter,
                         text)
        painter.end()
        if len(self._pixmaps) > 2000:
            self._pixmaps.clear()
        self._pixmaps[key] = pixmap
        return pixmap

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        paint_background(self, painter, option, index)
        badges = index.data(Role.BADGES)
        if not badges:
            return
        base = option.font
        font = self._fonts.get(base.key())
        if font is None:
            font = self._fonts[base.key()] = pill_font(base)
        device = painter.device()
        ratio = device.devicePixelRatioF() if device else 1.0
        palette, rect = option.palette, option.rect
        shade = palette.color(QPalette.ColorRole.Window).rgba()
        left, top = rect.left(), rect.top()
        for kind, text, x, y, width in placed_pills(tuple(badges), rect.width(), rect.height(),
                                                    font):
            pixmap = self._pixmap(kind, text, width, font, palette, ratio, shade)
            painter.drawPixmap(left + x, top + y, pixmap)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), PILL_HEIGHT + 8))

    def helpEvent(  # noqa: N802
        self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        badges = index.data(Role.BADGES) or ()
        font = pill_font(option.font)
        for pill in layout_pills(tuple(badges), option.rect, font):
            if pill.rect.contains(event.pos()):
                if pill.kind == "more":
                    hidden = badges[len(layout_pills(tuple(badges), option.rect, font)) - 1:]
                    tip = "\n".join(text for _, text in hidden)
                else:
                    tip = badge_tooltip(pill.kind, pill.text)
                QToolTip.showText(event.globalPos(), tooltip(tip), view)
                return True
        if badges:
            QToolTip.showText(event.globalPos(), tooltip("\n".join(t for _, t in badges)),
                              view)
            return True
        return super().helpEvent(event, view, option, index)


class StateDelegate(QStyledItemDelegate):
    """The user's own marks (starred, note, report queued) as icons, named in tooltips."""

    ICON = 16

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        paint_background(self, painter, option, index)
        row: ListRow | None = index.data(Role.ROW)
        if row is None:
            return
        x = option.rect.left() + 4
        y = option.rect.top() + (option.rect.height() - self.ICON) // 2
        for name, on in (("star-filled", row.starred), ("note", row.noted),
                         ("flag", row.reported)):
            if on:
                icon(name).paint(painter, QRect(QPoint(x, y), QSize(self.ICON, self.ICON)))
                x += self.ICON + 4

    def helpEvent(  # noqa: N802
        self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        row: ListRow | None = index.data(Role.ROW)
        QToolTip.showText(event.globalPos(), tooltip(
            (state_text(row) if row else "") or "Nothing of yours here yet"), view)
        return True

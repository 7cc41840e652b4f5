"""Painting badges as compact pills (text always, colour only as a repeat of the text), and
the user's own marks as icons."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from atlas_desktop.domain.listing import ListRow

from ..badges import badge_tooltip, pill_colours
from ..icons import icon
from ..models.entry_table import Role, state_text

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


def layout_pills(badges: tuple[tuple[str, str], ...], rect: QRect, font: QFont) -> list[Pill]:
    """Place pills left to right; the last slot becomes "+N" when they do not all fit."""
    metrics = QFontMetrics(font)
    pills: list[Pill] = []
    x = rect.left() + 2
    top = rect.top() + max(0, (rect.height() - PILL_HEIGHT) // 2)
    for i, (kind, text) in enumerate(badges):
        width = metrics.horizontalAdvance(text) + 2 * PILL_PAD_X
        remaining = len(badges) - i
        more_width = metrics.horizontalAdvance(f"+{remaining}") + 2 * PILL_PAD_X
        fits = x + width <= rect.right() - (more_width + PILL_GAP if remaining > 1 else 0)
        if not fits:
            label = f"+{remaining}"
            pills.append(Pill("more", label, QRect(x, top, more_width, PILL_HEIGHT)))
            break
        pills.append(Pill(kind, text, QRect(x, top, width, PILL_HEIGHT)))
        x += width + PILL_GAP
    return pills


class BadgeDelegate(QStyledItemDelegate):
    """Paints the Badges column. Hovering a pill explains it in plain words."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        badges = index.data(Role.BADGES) or ()
        if not badges:
            return
        font = pill_font(opt.font)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        palette = opt.palette
        for pill in layout_pills(tuple(badges), opt.rect, font):
            if pill.kind == "more":
                fill, text, border = palette.button().color(), palette.buttonText().color(), \
                    palette.mid().color()
            else:
                colours = pill_colours(pill.kind, pill.text, palette)
                fill, text, border = QColor(colours.fill), QColor(colours.text), \
                    QColor(colours.border)
            painter.setPen(QPen(border, 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(pill.rect).adjusted(0.5, 0.5, -0.5, -0.5),
                                    PILL_HEIGHT / 2, PILL_HEIGHT / 2)
            painter.setPen(text)
            painter.drawText(pill.rect, Qt.AlignmentFlag.AlignCenter, pill.text)
        painter.restore()

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
                QToolTip.showText(event.globalPos(), tip, view)
                return True
        if badges:
            QToolTip.showText(event.globalPos(), "\n".join(t for _, t in badges), view)
            return True
        return super().helpEvent(event, view, option, index)


class StateDelegate(QStyledItemDelegate):
    """The user's own marks (starred, note, report queued) as icons, named in tooltips."""

    ICON = 16

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        row: ListRow | None = index.data(Role.ROW)
        if row is None:
            return
        x = opt.rect.left() + 4
        y = opt.rect.top() + (opt.rect.height() - self.ICON) // 2
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
        QToolTip.showText(event.globalPos(),
                          (state_text(row) if row else "") or "Nothing of yours here yet", view)
        return True

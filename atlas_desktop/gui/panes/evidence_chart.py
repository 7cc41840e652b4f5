"""Evidence overview: entries of the current result per year, stacked by PEM criteria.

Each bar carries its numbers in a tooltip and the chart's accessible description; colours
repeat what the legend says in words. Clicking a bar narrows the list to those years; so do
Enter and Space on the bar chosen with the arrow keys (Tab reaches the chart; Left, Right,
Home and End move between bars). Where everything goes is ``chart_layout.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from atlas_desktop.domain.listing import Facets
from atlas_desktop.domain.wording import counted

from ..badges import pill_colours
from ..plain_text import tooltip
from .chart_layout import ChartLayout, chart_layout

#: Stack order, bottom to top, with the words the legend uses.
SERIES = (
    ("required", "PEM required"),
    ("not_required", "PEM not required"),
    ("unknown", "PEM unknown"),
    ("", "PEM not stated"),
)


TITLE = "Evidence by year"


@dataclass(frozen=True)
class Bin:
    low: int
    high: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def label(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def bins_from_facets(facets: Facets, max_bins: int = 48) -> tuple[list[Bin], int]:
    """Year bins (widened to 2, 5 or 10 years when the span is long) and the count of
    entries without a year."""
    per_year: dict[int, dict[str, int]] = {}
    no_year = 0
    for value in facets.groups.get("chart", ()):
        year_text, _, pem = value.value.partition("|")
        if not year_text:
            no_year += value.count
            continue
        counts = per_year.setdefault(int(year_text), {})
        counts[pem] = counts.get(pem, 0) + value.count
    if not per_year:
        return [], no_year
    first, last = min(per_year), max(per_year)
    width = next(w for w in (1, 2, 5, 10, 25, 50, 100) if (last - first) // w + 1 <= max_bins)
    start = first - first % width
    bins: list[Bin] = []
    for low in range(start, last + 1, width):
        merged: dict[str, int] = {}
        for year in range(low, low + width):
            for key, n in per_year.get(year, {}).items():
                merged[key] = merged.get(key, 0) + n
        bins.append(Bin(low, low + width - 1, merged))
    return bins, no_year


class EvidenceChart(QWidget):
    years_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EvidenceChart")
        self.setAccessibleName("Evidence overview chart")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._bins: list[Bin] = []
        self._no_year = 0
        self._summary = ""
        #: The bar the keyboard is on (an index into the bins), None before any.
        self._current: int | None = None
        self._layout: ChartLayout | None = None
        self._fit_height()

    # ----------------------------------------------------------------- size and layout

    def layout_at(self, width: int) -> ChartLayout:
        bold = QFont(self.font())
        bold.setBold(True)
        return chart_layout(width, QFontMetrics(self.font()), QFontMetrics(bold), SERIES,
                            [str(b.low) for b in self._bins], TITLE)

    def chart_layout(self) -> ChartLayout:
        """The rectangles at the chart's present width."""
        if self._layout is None:
            self._layout = self.layout_at(self.width())
        return self._layout

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.layout_at(width).height

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, self.heightForWidth(600))

    def _fit_height(self) -> None:
        """The legend may need a row more or less at this width: take the height it needs."""
        self._layout = None
        height = self.chart_layout().height
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    # ----------------------------------------------------------------- content

    def set_facets(self, facets: Facets) -> None:
        previous = self._bins[self._current] if self._current is not None and \
            self._current < len(self._bins) else None
        self._bins, self._no_year = bins_from_facets(facets)
        self._current = next((i for i, b in enumerate(self._bins) if previous is not None
                              and (b.low, b.high) == (previous.low, previous.high)), None)
        total = sum(b.total for b in self._bins)
        if self._bins:
            busiest = max(self._bins, key=lambda b: b.total)
            summary = (f"{counted(total, 'entry')} from {self._bins[0].low} to "
                       f"{self._bins[-1].high}; most in {busiest.label()} ({busiest.total:,}).")
        else:
            summary = "No entries with a year in this result."
        if self._no_year:
            summary += f" {self._no_year:,} without a year."
        self._summary = summary
        self._describe()
        self.setToolTip("" if self._bins else tooltip(summary))
        self._fit_height()
        self.update()

    def bins(self) -> list[Bin]:
        return list(self._bins)

    @property
    def current_bin(self) -> Bin | None:
        return self._bins[self._current] if self._current is not None else None

    def _describe(self) -> None:
        """The accessible description: the whole result, then the bar the keyboard is on."""
        b = self.current_bin
        text = self._summary
        if b is not None:
            text = f"{bin_text(b)} Enter shows only these years. {text}"
        self.setAccessibleDescription(text)

    # ----------------------------------------------------------------- painting

    def _colour(self, key: str) -> QColor:
        if not key:
            return self.palette().color(self.palette().ColorRole.Mid)
        return QColor(pill_colours("pem", dict(SERIES)[key], self.palette()).border)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        del event
        layout = self.chart_layout()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(palette.ColorRole.WindowText)
        muted = palette.color(palette.ColorRole.PlaceholderText)
        painter.setPen(text)
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(layout.title, int(Qt.AlignmentFlag.AlignLeft), TITLE)
        font.setBold(False)
        painter.setFont(font)
        for item in layout.legend:
            painter.fillRect(item.swatch, self._colour(item.key))
            painter.setPen(muted)
            painter.drawText(item.text, int(Qt.AlignmentFlag.AlignLeft), item.words)
        plot = layout.plot
        if not self._bins:
            painter.setPen(muted)
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter),
                             "No entries with a year in this result")
            return
        peak = max(b.total for b in self._bins) or 1
        for i, b in enumerate(self._bins):
            slot = layout.slots[i]
            bar_width = max(2.0, slot.width() * 0.72)
            left = slot.left() + (slot.width() - bar_width) / 2
            bottom = plot.bottom()
            for key, _ in SERIES:
                n = b.counts.get(key, 0)
                if not n:
                    continue
                height = plot.height() * n / peak
                painter.fillRect(QRectF(left, bottom - height, bar_width, height),
                                 self._colour(key))
                bottom -= height
        painter.setPen(QPen(muted, 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        for i, rect in layout.labels:
            painter.drawText(rect, str(self._bins[i].low))
        if self.hasFocus() and self._current is not None:
            painter.setPen(QPen(palette.color(palette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(layout.slots[self._current].adjusted(1, 1, -1, -1))

    # ----------------------------------------------------------------- the mouse

    def bin_at(self, x: float, y: float) -> Bin | None:
        for rect, b in zip(self.chart_layout().slots, self._bins, strict=False):
            if rect.contains(QPointF(x, y)):
                return b
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        b = self.bin_at(event.position().x(), event.position().y())
        if b is None:
            QToolTip.hideText()
            self.unsetCursor()
            return
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        QToolTip.showText(event.globalPosition().toPoint(),
                          tooltip(bin_text(b) + "\nClick to show only these years"), self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        b = self.bin_at(event.position().x(), event.position().y())
        if b is not None and b.total:
            self.years_clicked.emit(b.low, b.high)

    # ----------------------------------------------------------------- the keyboard

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        bars = [i for i, b in enumerate(self._bins) if b.total]
        if not bars or key not in _CHART_KEYS:
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            b = self.current_bin
            if b is not None and b.total:
                self.years_clicked.emit(b.low, b.high)
            return
        here = self._current
        if key == Qt.Key.Key_Home or (here is None and key == Qt.Key.Key_Right):
            self._current = bars[0]
        elif key == Qt.Key.Key_End or here is None:
            self._current = bars[-1]
        elif key == Qt.Key.Key_Right:
            self._current = next((i for i in bars if i > here), here)
        else:
            self._current = next((i for i in reversed(bars) if i < here), here)
        self._describe()
        self._show_current_tip()
        self.update()

    def _show_current_tip(self) -> None:
        b = self.current_bin
        if b is None:
            return
        slot = self.chart_layout().slots[self._bins.index(b)]
        QToolTip.showText(self.mapToGlobal(QPoint(int(slot.center().x()), int(slot.top()))),
                          tooltip(bin_text(b) + "\nEnter shows only these years"), self)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if self._current is None:
            self._current = next((i for i, b in enumerate(self._bins) if b.total), None)
            self._describe()
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.update()


_CHART_KEYS = frozenset({Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End,
                         Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space})


def bin_text(b: Bin) -> str:
    """A bar in words: its years, its count and its parts."""
    parts = [f"{words}: {b.counts[key]:,}" for key, words in SERIES if b.counts.get(key)]
    return f"{b.label()}: {counted(b.total, 'entry')}\n" + "\n".join(parts)

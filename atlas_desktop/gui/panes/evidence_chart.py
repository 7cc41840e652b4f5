"""Evidence overview: entries of the current result per year, stacked by PEM criteria.

Each bar carries its numbers in a tooltip and the chart's accessible description; colours
repeat what the legend says in words. Clicking a bar narrows the list to those years.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from atlas_desktop.domain.listing import Facets

from ..badges import pill_colours
from ..plain_text import tooltip

#: Stack order, bottom to top, with the words the legend uses.
SERIES = (
    ("required", "PEM required"),
    ("not_required", "PEM not required"),
    ("unknown", "PEM unknown"),
    ("", "PEM not stated"),
)


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
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(118)
        self._bins: list[Bin] = []
        self._no_year = 0
        self._bar_rects: list[QRectF] = []

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, 126)

    def set_facets(self, facets: Facets) -> None:
        self._bins, self._no_year = bins_from_facets(facets)
        total = sum(b.total for b in self._bins)
        if self._bins:
            busiest = max(self._bins, key=lambda b: b.total)
            summary = (f"{total:,} entries from {self._bins[0].low} to {self._bins[-1].high}; "
                       f"most in {busiest.label()} ({busiest.total:,}).")
        else:
            summary = "No entries with a year in this result."
        if self._no_year:
            summary += f" {self._no_year:,} without a year."
        self.setAccessibleDescription(summary)
        self.setToolTip("" if self._bins else tooltip(summary))
        self.update()

    def bins(self) -> list[Bin]:
        return list(self._bins)

    # ----------------------------------------------------------------- painting

    def _colour(self, key: str) -> QColor:
        if not key:
            return self.palette().color(self.palette().ColorRole.Mid)
        return QColor(pill_colours("pem", dict(SERIES)[key], self.palette()).border)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(palette.ColorRole.WindowText)
        muted = palette.color(palette.ColorRole.PlaceholderText)
        rect = self.rect().adjusted(10, 6, -10, -6)
        painter.setPen(text)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                         "Evidence by year")
        font.setBold(False)
        painter.setFont(font)
        # Legend on the right of the title line: swatch + words for every series.
        x = rect.right()
        metrics = painter.fontMetrics()
        for key, words in reversed(SERIES):
            width = metrics.horizontalAdvance(words)
            x -= width
            painter.setPen(muted)
            painter.drawText(QRect(x, rect.top(), width, metrics.height()),
                             int(Qt.AlignmentFlag.AlignLeft), words)
            x -= 14
            painter.fillRect(QRect(x, rect.top() + 3, 10, 10), self._colour(key))
            x -= 14
        self._bar_rects = []
        plot = QRectF(rect.left(), rect.top() + metrics.height() + 6, rect.width(),
                      rect.height() - 2 * metrics.height() - 10)
        if not self._bins:
            painter.setPen(muted)
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter),
                             "No entries with a year in this result")
            return
        peak = max(b.total for b in self._bins) or 1
        # Few bins: keep bars slim and centred rather than stretching one across the chart.
        slot = min(plot.width() / len(self._bins), 56.0)
        plot.setLeft(plot.left() + (plot.width() - slot * len(self._bins)) / 2)
        plot.setWidth(slot * len(self._bins))
        bar_width = max(2.0, slot * 0.72)
        for i, b in enumerate(self._bins):
            left = plot.left() + i * slot + (slot - bar_width) / 2
            bottom = plot.bottom()
            for key, _ in SERIES:
                n = b.counts.get(key, 0)
                if not n:
                    continue
                height = plot.height() * n / peak
                painter.fillRect(QRectF(left, bottom - height, bar_width, height),
                                 self._colour(key))
                bottom -= height
            self._bar_rects.append(QRectF(plot.left() + i * slot, plot.top(), slot,
                                          plot.height()))
        painter.setPen(QPen(muted, 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        # Axis labels: first, last and a few in between.
        step = max(1, len(self._bins) // 6)
        labels = {0, len(self._bins) - 1} | set(range(0, len(self._bins), step))
        for i in sorted(labels):
            label = str(self._bins[i].low)
            centre = plot.left() + (i + 0.5) * slot
            width = metrics.horizontalAdvance(label)
            painter.drawText(QRectF(centre - width / 2, plot.bottom() + 2, width,
                                    metrics.height()), label)

    # ----------------------------------------------------------------- interaction

    def bin_at(self, x: float, y: float) -> Bin | None:
        for rect, b in zip(self._bar_rects, self._bins, strict=False):
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
        parts = [f"{words}: {b.counts[key]:,}" for key, words in SERIES if b.counts.get(key)]
        QToolTip.showText(event.globalPosition().toPoint(),
                          tooltip(f"{b.label()}: {b.total:,} entries\n" + "\n".join(parts)
                                  + "\nClick to show only these years"), self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        b = self.bin_at(event.position().x(), event.position().y())
        if b is not None and b.total:
            self.years_clicked.emit(b.low, b.high)

"""Where the evidence chart puts its title, legend, bars and year labels (issue 18.13).

A pure function of the chart's width, the font's metrics and the bins, so painting, mouse,
keyboard and tests all see the same rectangles:

- the legend sits right of the title when both fit on one line, else it flows onto rows of
  its own below the title (at 1024 px the title and the legend overlapped);
- year labels are placed first and last, then every few bins, and a label that would come
  closer than :data:`LABEL_GAP` to one already placed is left out ("20152020" collided);
- the chart's height follows from the rows the legend needs (``height_for_width``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetrics

#: Padding around the chart's content (left/right, top/bottom).
PAD_X, PAD_Y = 10, 6
#: A swatch's side, and the space around it in the legend.
SWATCH, SWATCH_GAP, ITEM_GAP = 10, 4, 14
#: The least space between two year labels.
LABEL_GAP = 8
#: Height of the bars' area.
PLOT_HEIGHT = 62
#: The widest a bar's slot gets (a few bins stay slim and centred).
MAX_SLOT = 56.0


@dataclass(frozen=True)
class LegendItem:
    key: str
    words: str
    swatch: QRectF
    text: QRectF


@dataclass
class ChartLayout:
    title: QRectF
    legend: list[LegendItem]
    plot: QRectF
    #: One per bin: the bar's slot (the whole column, for the mouse and the focus frame).
    slots: list[QRectF] = field(default_factory=list)
    #: (bin index, rectangle) of each year label drawn.
    labels: list[tuple[int, QRectF]] = field(default_factory=list)
    height: int = 0


def chart_layout(width: int, metrics: QFontMetrics, bold: QFontMetrics,
                 series: Sequence[tuple[str, str]], labels: Sequence[str],
                 title: str) -> ChartLayout:
    """The chart's rectangles at ``width`` for bins labelled ``labels`` (empty: no bins)."""
    line = metrics.height()
    left, right = PAD_X, width - PAD_X
    title_rect = QRectF(left, PAD_Y, bold.horizontalAdvance(title), bold.height())
    widths = [SWATCH + SWATCH_GAP + metrics.horizontalAdvance(words) for _, words in series]
    whole = sum(widths) + ITEM_GAP * (len(widths) - 1)
    legend: list[LegendItem] = []
    beside = title_rect.right() + 2 * ITEM_GAP + whole <= right
    rows: list[list[int]] = []
    top = float(PAD_Y)
    if beside:
        rows.append(list(range(len(series))))  # one row, right of the title
    else:  # rows of their own below the title, as many as the width needs
        current: list[int] = []
        used = 0.0
        for i, w in enumerate(widths):
            extra = float(w if not current else w + ITEM_GAP)
            if current and used + extra > right - left:
                rows.append(current)
                current, used, extra = [], 0.0, float(w)
            current.append(i)
            used += extra
        rows.append(current)
        top = title_rect.bottom() + 2
    for row in rows:
        x = float(right)
        for i in reversed(row):
            key, words = series[i]
            text_width = metrics.horizontalAdvance(words)
            x -= text_width
            text = QRectF(x, top, text_width, line)
            x -= SWATCH_GAP + SWATCH
            swatch = QRectF(x, top + (line - SWATCH) / 2, SWATCH, SWATCH)
            legend.append(LegendItem(key, words, swatch, text))
            x -= ITEM_GAP
        top += line
    header_bottom = max(title_rect.bottom(), PAD_Y + line) if beside else top
    plot = QRectF(left, header_bottom + 6, right - left, PLOT_HEIGHT)
    layout = ChartLayout(title_rect, legend, plot,
                         height=int(plot.bottom() + 2 + line + PAD_Y))
    if not labels:
        return layout
    slot = min(plot.width() / len(labels), MAX_SLOT)
    first = plot.left() + (plot.width() - slot * len(labels)) / 2
    layout.plot = QRectF(first, plot.top(), slot * len(labels), plot.height())
    layout.slots = [QRectF(first + i * slot, plot.top(), slot, plot.height())
                    for i in range(len(labels))]
    layout.labels = _year_labels(layout.slots, labels, metrics, plot.bottom() + 2,
                                 left, right)
    return layout


def _year_labels(slots: Sequence[QRectF], labels: Sequence[str], metrics: QFontMetrics,
                 top: float, left: float, right: float) -> list[tuple[int, QRectF]]:
    """First and last always; in between every ``step``-th, each only where it keeps
    :data:`LABEL_GAP` from its neighbours."""
    count = len(labels)
    step = max(1, count // 6)
    line = metrics.height()

    def rect(i: int) -> QRectF:
        width = metrics.horizontalAdvance(labels[i])
        x = slots[i].center().x() - width / 2
        x = min(max(x, left), right - width)  # never past the chart's edges
        return QRectF(x, top, width, line)

    def apart(a: QRectF, b: QRectF) -> bool:
        return a.right() + LABEL_GAP <= b.left() or b.right() + LABEL_GAP <= a.left()

    placed: list[tuple[int, QRectF]] = [(0, rect(0))]
    last = (count - 1, rect(count - 1)) if count > 1 else None
    for i in range(step, count - 1, step):
        candidate = rect(i)
        if apart(placed[-1][1], candidate) and (last is None or apart(candidate, last[1])):
            placed.append((i, candidate))
    if last is not None:
        while len(placed) > 1 and not apart(placed[-1][1], last[1]):
            placed.pop()  # the last year is worth more than one in the middle
        if apart(placed[-1][1], last[1]):
            placed.append(last)
    return placed

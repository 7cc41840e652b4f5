"""A short welcome on first run: what the badges mean and where to start.

Its background and its example badges take their colours from the theme when they are
painted or the palette changes, so it stays readable when the theme is switched while the
window is open (it kept a light background under light text, 1.07:1)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..badges import badge_tooltip, pill_colours
from ..plain_text import tooltip
from ..theme import follow_palette, theme_colours

EXAMPLE_BADGES = (
    ("pem", "PEM required"),
    ("pem", "PEM not required"),
    ("evidence_tier", "E0"),
    ("confidence", "Moderate"),
    ("study_type", "Review-Narrative"),
)


class WelcomePanel(QFrame):
    """Invariant: ``dismissed_for_good`` is emitted only by the explicit "don't show again"
    choice; closing it otherwise shows it again on the next start."""

    search_requested = Signal()
    dismissed_for_good = Signal()
    #: The library is empty and the user asked for the sample papers.
    sample_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WelcomePanel")
        self.setAccessibleName("Welcome")
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self.title = QLabel(self)
        self.title.setObjectName("WelcomeTitle")
        self.title.setWordWrap(True)
        # Example badges as rich text, so the row wraps on a narrow window.
        self.pills = pills = QLabel(self)
        pills.setObjectName("WelcomeBadges")
        pills.setWordWrap(True)
        pills.setTextFormat(Qt.TextFormat.RichText)
        follow_palette(pills, self._show_pills)
        pills.setToolTip(tooltip("\n\n".join(badge_tooltip(k, t) for k, t in EXAMPLE_BADGES)))
        pills.setAccessibleName("Example badges: " + ", ".join(t for _, t in EXAMPLE_BADGES))
        explain = QLabel(
            "“PEM required” means post-exertional malaise was needed to <i>include</i> "
            "participants, not that the study measured it. The evidence tier (E0 is the "
            "highest) describes the kind of study, not its quality. Hover any badge for its "
            "meaning.", self)
        explain.setWordWrap(True)
        steps = QLabel(
            "<b>1.</b> Search with Ctrl+F (try <i>pem:required</i> or <i>author:heins</i>). "
            "&nbsp; <b>2.</b> Copy a citation: select a paper and press Ctrl+Shift+C, or "
            "right-click it. &nbsp; <b>3.</b> Spot a mistake? “Report an error…” queues a "
            "private report for the atlas team. &nbsp; Press F1 for all shortcuts.", self)
        steps.setWordWrap(True)
        steps.setTextFormat(Qt.TextFormat.RichText)
        self.search_button = search = QPushButton("Start searching", self)
        search.clicked.connect(self.search_requested.emit)
        self.sample_button = QPushButton("Add the sample papers", self)
        self.sample_button.setObjectName("AddSamplePapers")
        self.sample_button.setToolTip("Five papers of the atlas, to try searching and citing")
        self.sample_button.clicked.connect(self.sample_requested.emit)
        self.close_button = later = QPushButton("Close", self)
        later.setToolTip("Hide the welcome until the next start")
        later.clicked.connect(self.hide)
        self.never_button = never = QPushButton("Don't show again", self)
        never.setObjectName("DismissWelcome")
        never.clicked.connect(self._on_never_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(search)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        buttons.addWidget(later)
        buttons.addWidget(never)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(pills)
        layout.addWidget(explain)
        layout.addWidget(steps)
        layout.addLayout(buttons)

        self.set_library_empty(False)

    def _show_pills(self) -> None:
        self.pills.setText("Badges: " + " ".join(
            f"<span style='background-color:{c.fill}; color:{c.text};'>&nbsp;{text}&nbsp;</span>"
            for c, text in ((pill_colours(kind, text, self.pills.palette()), text)
                            for kind, text in EXAMPLE_BADGES)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """The panel's tint, from the theme in use now."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme_colours(self.palette()).welcome_fill))
        painter.end()
        super().paintEvent(event)

    def set_library_empty(self, empty: bool) -> None:
        """An empty library gets a different first line and the offer of the sample papers."""
        self.title.setText(
            "<b>Welcome to Atlas Desktop.</b> Everything here works offline. "
            + ("This library is empty: add the five sample papers to try it, import atlas "
               "pages or a bundle (File → Import…), or sync with the atlas server." if empty
               else "Search the papers of your library, read what each does and does not "
               "show, and cite them."))
        self.sample_button.setVisible(empty)
        self.search_button.setVisible(not empty)

    def _on_never_clicked(self) -> None:
        self.hide()
        self.dismissed_for_good.emit()

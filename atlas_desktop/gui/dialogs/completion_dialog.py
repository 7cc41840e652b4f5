"""Entry → Complete record and Complete all…: what will be sent, progress, Cancel, and what
came of it. Not modal: the window stays usable while records are looked up, and the run
goes on (in :class:`~atlas_desktop.gui.completion_controller.CompletionController`) if the
dialog is closed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..completion_controller import CompletionController, CompletionOutcome

WHAT_IS_SENT = ("Only identifiers are sent: PMIDs to PubMed (NCBI), DOIs to Crossref and "
                "doi.org; nothing else of your library. The atlas's own values are never "
                "changed.")


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class CompletionDialog(QDialog):
    """``entry_ids``: the entries to complete (the run starts at once); None: every entry
    with an identifier, after the user says Start."""

    def __init__(self, controller: CompletionController, *,
                 entry_ids: Sequence[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CompletionDialog")
        self.setWindowTitle("Complete records online")
        self.setModal(False)
        self.setMinimumWidth(480)
        self._controller = controller
        self._entry_ids = None if entry_ids is None else list(entry_ids)
        self._mine = False
        if self._entry_ids is None:
            intro = ("Look up every entry that has a PMID or a DOI, to complete its record "
                     "(volume, issue, pages, the journal's abbreviation, the full author "
                     "list) and to find retractions, corrections and expressions of concern.")
        else:
            count = len(self._entry_ids)
            intro = (f"Looking up the {count} selected entries" if count > 1 else
                     "Looking up the selected entry") + " in PubMed and Crossref."
        self.intro = _label(intro + " " + WHAT_IS_SENT)
        self.missing_box = QCheckBox("Only entries not completed before", self)
        self.missing_box.setVisible(self._entry_ids is None)
        self.stage_label = _label()
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Progress")
        self.bar.setVisible(False)
        self.result_label = _label()
        self.result_label.setObjectName("CompletionResult")
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.start_button = QPushButton("Start", self)
        self.start_button.setDefault(True)
        self.cancel_button = QPushButton("Stop", self)
        self.cancel_button.setToolTip("Stop after the request under way; what was not looked "
                                      "up waits for the next sync")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        for button in (self.start_button, self.cancel_button):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button.setVisible(self._entry_ids is None)
        self.cancel_button.setVisible(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.close_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.missing_box, self.stage_label, self.bar,
                       self.result_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        controller.progress.connect(self._on_progress)
        controller.completed.connect(self._on_completed)
        controller.failed.connect(self._on_failed)

    def start(self) -> None:
        if not self._controller.complete(entry_ids=self._entry_ids,
                                         missing=self.missing_box.isChecked()):
            self.result_label.setText("Records are being looked up already; this can start "
                                      "once that is done.")
            return
        self._mine = True
        self.start_button.setVisible(False)
        self.missing_box.setEnabled(False)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.bar.setVisible(True)
        self.bar.setRange(0, 0)  # busy until the first entries are saved
        self.stage_label.setText("Starting…")
        self.result_label.setText("")

    def _on_progress(self, done: int, total: int, stage: str) -> None:
        if not self._mine:
            return
        self.stage_label.setText(f"{stage}… ({total:,} entries)" if total else f"{stage}…")
        if done and total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def _on_cancel_clicked(self) -> None:
        self._controller.cancel()
        self.cancel_button.setEnabled(False)
        self.stage_label.setText("Stopping after the request under way…")

    def _on_completed(self, outcome: CompletionOutcome) -> None:
        if self._end():
            self.result_label.setText(outcome.summary())

    def _on_failed(self, text: str) -> None:
        if self._end():
            self.result_label.setText(text)

    def _end(self) -> bool:
        if not self._mine:
            return False
        self._mine = False
        self.cancel_button.setVisible(False)
        self.bar.setVisible(False)
        self.stage_label.setText("")
        self.close_button.setFocus()
        return True

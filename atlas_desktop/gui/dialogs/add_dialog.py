"""File → Add by identifier… (Ctrl+Shift+N): one DOI, PMID, PMCID or link, or a pasted block
of text (a reference list) from which every DOI and PMID is taken. The references are made
from PubMed's, Crossref's or doi.org's record in "my library"; the dialog shows what was
created, what was there already, duplicates found and the atlas entries they are linked to,
and the window selects the new references.

The lookup runs on the completion controller's thread; the dialog never waits for it.
Everything shown is plain text (titles come from a source's record)."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.domain.identifiers import IdKind, find_identifiers
from atlas_desktop.services import Library
from atlas_desktop.services.adding import AddResult

from ..completion_controller import AddOutcome, CompletionController
from ..plain_text import tooltip

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_RESULT_WORDS = {"added": "Added", "exists": "Already in your library",
                 "not found": "Not found"}


def identifier_lines(text: str) -> list[str]:
    """The pasted text as the service takes it: one line each, so a list of bare PMIDs (one
    a line) is read as PMIDs, and a DOI in a reference as a DOI."""
    return [line for line in text.splitlines() if line.strip()]


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


#: Up to this many characters the identifiers are counted at each change; past it, once
#: typing pauses for COUNT_DELAY_MS.
COUNT_AT_ONCE_CHARS: Final = 20_000
COUNT_DELAY_MS: Final = 150


class AddByIdentifierDialog(QDialog):
    #: New references were made (their ids, in the order given): the window selects them.
    entries_added = Signal(list)
    #: The user double-clicked a reference or an atlas entry in the results.
    entry_activated = Signal(str)

    def __init__(self, library: Library, controller: CompletionController,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AddByIdentifierDialog")
        self.setWindowTitle("Add by identifier")
        self.setModal(False)
        self.resize(620, 480)
        self._library = library
        self._controller = controller
        self._mine = False
        self.intro = _label(
            "Paste a DOI, a PMID, a PMCID or a link to a paper, or a block of text such as a "
            "reference list: every DOI and PMID in it is added to your library as a complete "
            "reference, made from PubMed's or Crossref's record. Only the identifiers are "
            "sent.")
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("IdentifiersEdit")
        self.edit.setAccessibleName("Identifiers or text")
        self.edit.setPlaceholderText("10.1016/j.brat.2013.02.001\nPMID: 23639303\n"
                                     "https://pubmed.ncbi.nlm.nih.gov/23639303/")
        self.edit.setTabChangesFocus(True)
        self.found_label = _label()
        self.results = QTreeWidget(self)
        self.results.setObjectName("AddResults")
        self.results.setHeaderLabels(["Identifier", "Result", "Reference"])
        self.results.setRootIsDecorated(True)
        self.results.setVisible(False)
        self.results.itemActivated.connect(self._on_item_activated)
        self.status_label = _label()
        self.status_label.setObjectName("AddStatus")
        self.buttons = QDialogButtonBox(self)
        self.add_button = QPushButton("Add", self)
        self.add_button.setDefault(True)
        self.stop_button = QPushButton("Stop", self)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.stop_button.setVisible(False)  # after addButton, which shows it
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.add_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(controller.cancel)
        self.close_button.clicked.connect(self.close)
        # A long pasted list is counted once typing pauses, not at every keystroke (1,000
        # references: 15 ms a keystroke); a short one at once.
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)
        self.edit.textChanged.connect(self._on_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.found_label)
        layout.addWidget(self.results, 2)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        controller.added.connect(self._on_added)
        controller.failed.connect(self._on_failed)
        self._count()

    def _on_text_changed(self) -> None:
        if self.edit.document().characterCount() <= COUNT_AT_ONCE_CHARS:
            self._count_timer.stop()
            self._count()
        else:
            self._count_timer.start()

    def _count(self) -> None:
        found = find_identifiers(identifier_lines(self.edit.toPlainText()))
        kinds = {kind: sum(i.kind is kind for i in found) for kind in IdKind}
        words = [f"{n} {name}{'s' if n != 1 else ''}" for kind, name in (
            (IdKind.DOI, "DOI"), (IdKind.PMID, "PMID"), (IdKind.PMCID, "PMCID"))
            if (n := kinds[kind])]
        self.found_label.setText("Found: " + ", ".join(words) if words else
                                 "No DOI, PMID or PMCID found yet.")
        self.add_button.setEnabled(bool(found) and not self._mine)

    def start(self) -> None:
        lines = identifier_lines(self.edit.toPlainText())
        if not find_identifiers(lines):
            return
        if not self._controller.add(lines):
            self.status_label.setText("Records are being looked up already; add these once "
                                      "that is done.")
            return
        self._mine = True
        self.add_button.setEnabled(False)
        self.stop_button.setVisible(True)
        self.status_label.setText("Looking the identifiers up…")

    def _on_added(self, outcome: AddOutcome) -> None:
        if not self._end():
            return
        self.results.clear()
        results, titles = outcome.results, outcome.titles
        for result in results:
            self.results.addTopLevelItem(self._item(result, titles))
        self.results.expandAll()
        self.results.resizeColumnToContents(0)
        self.results.resizeColumnToContents(1)
        self.results.setVisible(True)
        new = [r.id for r in results if r.result == "added" and r.id]
        self.status_label.setText(_summary(results))
        if new:
            self.entries_added.emit(new)

    def _item(self, result: AddResult, titles: dict[str, str]) -> QTreeWidgetItem:
        words = _RESULT_WORDS.get(result.result, result.result.capitalize())
        item = QTreeWidgetItem([result.identifier, words,
                                titles.get(result.id or "", "")])
        item.setData(0, ENTRY_ID_ROLE, result.id)
        item.setToolTip(2, tooltip(titles.get(result.id or "", "")))  # a source's title
        if result.linked_atlas_id:
            child = QTreeWidgetItem(["", "Linked to the atlas entry",
                                     titles.get(result.linked_atlas_id, result.linked_atlas_id)])
            child.setData(0, ENTRY_ID_ROLE, result.linked_atlas_id)
            item.addChild(child)
        for pair in result.duplicates:
            other = pair.duplicate_of if pair.id == result.id else pair.id
            child = QTreeWidgetItem(["", f"Looks like ({pair.reason})",
                                     titles.get(other, other)])
            child.setData(0, ENTRY_ID_ROLE, other)
            item.addChild(child)
        return item

    def _on_failed(self, text: str) -> None:
        if self._end():
            self.status_label.setText(text)

    def _end(self) -> bool:
        if not self._mine:
            return False
        self._mine = False
        self.stop_button.setVisible(False)
        self._count()
        return True

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        entry_id = item.data(0, ENTRY_ID_ROLE)
        if isinstance(entry_id, str):
            self.entry_activated.emit(entry_id)


def _summary(results: list[AddResult]) -> str:
    added = sum(r.result == "added" for r in results)
    there = sum(r.result == "exists" for r in results)
    missing = len(results) - added - there
    parts = [f"{added} added" if added else "nothing added"]
    if there:
        parts.append(f"{there} already in your library")
    if missing:
        parts.append(f"{missing} not found or failed")
    linked = sum(bool(r.linked_atlas_id) for r in results)
    if linked:
        parts.append(f"{linked} linked to atlas entries")
    duplicates = sum(bool(r.duplicates) for r in results)
    if duplicates:
        parts.append(f"{duplicates} look like references you have (see below; merge them "
                     "with File → Find duplicates)")
    return "; ".join(parts).capitalize() + "."

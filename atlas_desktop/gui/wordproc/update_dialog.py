"""File → Update a document…: the window's face of ``atlas-desktop document update``.

A Word (.docx) or LibreOffice (.odt) document comes in with Zotero's or Mendeley's citation
fields, typed markers (``[@id]``, ``{Author, 2013}``) or citations copied from Atlas Desktop;
a new document goes out with every citation live and a bibliography. The update reads the
library and two files, so it runs on a worker thread; the original is never written. What
could not be resolved is listed with where it is, word for word, and left as it was.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from atlas_desktop.services import Library
from atlas_desktop.services.documents import UpdateReport

from ..dialogs.preferences_dialog import OFFERED_LOCALES, citation_style_choices
from ..dialogs.style_picker import StylePickerDialog
from ..runner import Runner

DOCUMENT_FILTER = "Word and LibreOffice documents (*.docx *.odt);;All files (*)"


def updated_name(source: Path) -> Path:
    """``Letter.docx`` -> ``Letter (updated).docx`` beside it."""
    return source.with_name(f"{source.stem} (updated){source.suffix}")


class UpdateDocumentDialog(QDialog):
    #: The update finished: the report (for tests), or None when it failed.
    finished_update = Signal(object)

    def __init__(self, library: Library, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UpdateDocumentDialog")
        self.setWindowTitle("Update a document")
        self.resize(680, 560)
        self._library, self._runner = library, runner
        self.report: UpdateReport | None = None

        self.source_edit = QLineEdit(self)
        self.source_edit.setAccessibleName("Document to update")
        self.source_edit.setPlaceholderText("A .docx or .odt document")
        self.source_edit.textChanged.connect(self._source_changed)
        self.target_edit = QLineEdit(self)
        self.target_edit.setAccessibleName("Where the updated copy goes")
        self.style_box = QComboBox(self)
        self.style_box.setAccessibleName("Citation style")
        self.style_box.addItem("The document's own (else your default)", "")
        for spec, title in citation_style_choices(library):
            self.style_box.addItem(title, spec)
        other = QPushButton("Other style…", self)
        other.clicked.connect(self._other_style)
        style_row = QHBoxLayout()
        style_row.addWidget(self.style_box, 1)
        style_row.addWidget(other)
        self.locale_box = QComboBox(self)
        self.locale_box.setAccessibleName("Citation language")
        self.locale_box.addItem("The document's own", "")
        names = library.citations.locales()
        for tag in (t for t in OFFERED_LOCALES if t in names):
            self.locale_box.addItem(f"{names[tag]} ({tag})", tag)
        self.overwrite_box = QCheckBox("Re-render citations edited by hand (kept as they are "
                                       "otherwise)", self)

        form = QFormLayout()
        form.addRow("Document:", _with_button(self.source_edit, "Choose…", self._choose_source))
        form.addRow("Save the updated copy as:",
                    _with_button(self.target_edit, "Choose…", self._choose_target))
        form.addRow("Style:", style_row)
        form.addRow("Language:", self.locale_box)
        form.addRow("", self.overwrite_box)
        self.result_view = QTextBrowser(self)
        self.result_view.setObjectName("UpdateResult")
        self.result_view.setOpenLinks(False)
        self.result_view.setHtml(
            "<p>The document's citations (Zotero and Mendeley fields, markers such as "
            "<code>[@id, p. 12]</code> or <code>{Heins, 2013}</code>, and citations copied "
            "from Atlas Desktop) become live citations in the style, with the bibliography "
            "where a bibliography field or <code>{Bibliography}</code> stands, else at the "
            "end. The document you choose is never changed.</p>")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.update_button = self.buttons.addButton(
            "Update", QDialogButtonBox.ButtonRole.ApplyRole)
        self.open_button = self.buttons.addButton(
            "Open the updated document", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.update_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self._open_result)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_view, 1)
        layout.addWidget(self.buttons)
        self._source_changed(self.source_edit.text())

    # --- choosing -------------------------------------------------------------------------

    def set_source(self, path: Path) -> None:
        self.source_edit.setText(str(path))

    def _source_changed(self, text: str) -> None:
        self.update_button.setEnabled(bool(text.strip()))
        if text.strip():
            self.target_edit.setText(str(updated_name(Path(text.strip()))))

    def _choose_source(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Document to update", "", DOCUMENT_FILTER)
        if path:
            self.set_source(Path(path))

    def _choose_target(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the updated copy as",
                                              self.target_edit.text(), DOCUMENT_FILTER)
        if path:
            self.target_edit.setText(path)

    def _other_style(self) -> None:
        picker = StylePickerDialog(self._library, self._runner, self)
        if picker.exec() and (info := picker.chosen()) is not None:
            index = self.style_box.findData(info.spec)
            if index < 0:
                self.style_box.addItem(info.label, info.spec)
                index = self.style_box.count() - 1
            self.style_box.setCurrentIndex(index)

    # --- updating -------------------------------------------------------------------------

    def start(self) -> None:
        source = Path(self.source_edit.text().strip()).expanduser()
        target = Path(self.target_edit.text().strip() or str(updated_name(source))).expanduser()
        style = str(self.style_box.currentData() or "") or None
        locale = str(self.locale_box.currentData() or "") or None
        overwrite = self.overwrite_box.isChecked()
        documents = self._library.documents
        self.update_button.setEnabled(False)
        self.open_button.setEnabled(False)
        self.result_view.setHtml(f"<p>Updating {html.escape(source.name)}…</p>")
        self._runner.submit(
            lambda: documents.update_file(source=source, target=target, style=style,
                                          locale=locale, overwrite_edited=overwrite),
            self._done, self._failed)

    def _done(self, report: UpdateReport) -> None:
        self.report = report
        self.update_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self.result_view.setHtml(report_html(report))
        self.finished_update.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.update_button.setEnabled(True)
        self.result_view.setHtml(f"<p><b>Nothing was written.</b> {html.escape(str(exc))}</p>")
        self.finished_update.emit(None)

    def _open_result(self) -> None:
        if self.report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.output)))


def report_html(report: UpdateReport) -> str:
    """What the update did, in the words the command line uses."""
    esc = html.escape
    parts = [f"<p><b>Wrote {esc(report.output.name)}</b>: {report.citations} citation"
             f"{'s' if report.citations != 1 else ''} in {esc(report.style_label)} "
             f"({report.from_fields} from citation fields, {report.from_markers} from "
             f"markers); bibliography {esc(report.bibliography)}.</p>"]
    if report.unresolved:
        one = len(report.unresolved) == 1
        left = "was left as it was" if one else "were left as they were"
        parts.append(f"<p><b>{len(report.unresolved)} marker{'' if one else 's'} could not "
                     f"be resolved</b> and {left}:</p><ul>")
        parts.extend(f"<li><b>{esc(u.marker)}</b> ({esc(u.where)}): {esc(u.reason)}<br>"
                     f"<i>“{esc(u.context)}”</i></li>" for u in report.unresolved)
        parts.append("</ul>")
    if report.kept_edited:
        parts.append("<p>Kept as edited by hand:</p><ul>")
        parts.extend(f"<li>{esc(k)}</li>" for k in report.kept_edited)
        parts.append("</ul>")
    if report.problems:
        parts.append("<p>Problems:</p><ul>")
        parts.extend(f"<li>{esc(p)}</li>" for p in report.problems)
        parts.append("</ul>")
    return "".join(parts)


def _with_button(edit: QLineEdit, text: str, slot: object) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    button = QPushButton(text, edit.parentWidget())
    button.clicked.connect(slot)
    row.addWidget(button)
    return row

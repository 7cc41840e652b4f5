"""Reporting an error: validation in the dialog, the outbox, withdrawing, saving to a file."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QMessageBox

from atlas_desktop.domain.reports import ReportStatus
from atlas_desktop.gui.dialogs.outbox_dialog import OutboxDialog
from atlas_desktop.gui.dialogs.report_dialog import ReportDialog
from tests.gui.conftest import ops


def dialog(qtbot, library, entry_id="van-der-vaart-2019", field=""):
    entry = library.catalogue.get_entry(entry_id=entry_id)
    d = ReportDialog(library, entry, ops=ops(library), field=field)
    qtbot.addWidget(d)
    return d


def test_save_needs_a_description_and_shows_limits(qtbot, seeded_library):
    d = dialog(qtbot, seeded_library, field="title")
    assert d.field == "title"
    assert d.ui.currentValue.toPlainText() == "(nothing recorded)"
    assert not d.save_button.isEnabled()
    d.ui.problemEdit.setPlainText("x" * 100_000)
    assert not d.save_button.isEnabled()
    assert "100,000 characters" in d.ui.errorLabel.text()
    d.ui.problemEdit.setPlainText("Title is missing: it is “Implementing ICBT…”")
    d.ui.contactEdit.setText("not-an-email")
    assert "not an e-mail address" in d.ui.errorLabel.text()
    assert not d.save_button.isEnabled()
    d.ui.contactEdit.setText("gp@example.org")
    d.ui.problemEdit.setPlainText("bell\x07char")
    assert "control character" in d.ui.errorLabel.text()
    assert seeded_library.reports.list() == []


def test_saving_queues_one_report_with_a_fixed_id(qtbot, seeded_library):
    d = dialog(qtbot, seeded_library, "heins-2013-role-therapeutic")
    d.ui.fieldCombo.setCurrentIndex(3)  # year
    assert d.ui.currentValue.toPlainText() == "2013"
    d.ui.problemEdit.setPlainText("The year is wrong.")
    d.ui.suggestEdit.setPlainText("2014")
    d.save_button.click()
    assert d.result() == d.DialogCode.Accepted
    (report,) = seeded_library.reports.list()
    assert report.report_id == d.report.report_id
    body = json.loads(report.body)
    assert (body["field"], body["current_value"], body["suggested_correction"]) == (
        "year", "2013", "2014")


def test_ctrl_enter_saves_and_enter_starts_a_new_line(qtbot, seeded_library):
    from PySide6.QtCore import Qt

    d = dialog(qtbot, seeded_library, "heins-2013-role-therapeutic")
    d.show()
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow)  # dialog shortcuts need the active window
    editor = d.ui.problemEdit
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert d.isVisible() and seeded_library.reports.list() == []  # nothing to save yet
    qtbot.keyClicks(editor, "First line.")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "Second line.")
    assert d.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert d.result() == d.DialogCode.Accepted
    (report,) = seeded_library.reports.list()
    assert json.loads(report.body)["problem"] == "First line.\nSecond line."


def test_volume_issue_and_pages_can_be_reported(qtbot, seeded_library):
    """Issue 18.25: the most common gap in a citation has its own line in the list. The
    contract has no field for it: the report goes as "citation" with what the entry records
    of them as the value the user saw."""
    d = dialog(qtbot, seeded_library, "heins-2013-role-therapeutic")
    labels = [d.ui.fieldCombo.itemText(i) for i in range(d.ui.fieldCombo.count())]
    assert labels.index("Volume, issue or pages") == labels.index("Year") + 1
    d.ui.fieldCombo.setCurrentIndex(labels.index("Volume, issue or pages"))
    shown = "Volume not recorded, issue not recorded, pages not recorded"
    assert d.ui.currentValue.toPlainText() == shown
    d.ui.problemEdit.setPlainText("The volume and pages are missing: 51(6), 310-318.")
    d.save_button.click()
    (report,) = seeded_library.reports.list()
    body = json.loads(report.body)
    assert (body["field"], body["current_value"]) == ("citation", shown)


def test_outbox_lists_withdraws_and_saves_unsent(qtbot, seeded_library, tmp_path, monkeypatch):
    from atlas_desktop.domain.reports import ReportDraft

    lib = seeded_library
    first = lib.reports.create_report(draft=ReportDraft(
        entry_id="heins-2013-role-therapeutic", field="title", problem="One."))
    lib.reports.create_report(draft=ReportDraft(
        entry_id="twisk-2009-review-cognitive", field="badges", problem="Two."))
    box = OutboxDialog(lib, ops(lib))
    qtbot.addWidget(box)
    assert box.table.rowCount() == 2
    assert "no atlas server is set" in box.banner.text()
    row = next(r for r in range(2) if box._reports[r].report_id == first.report_id)
    box.table.selectRow(row)
    assert box.withdraw_button.isEnabled() and not box.edit_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    box._on_withdraw_clicked()
    assert lib.reports.get(report_id=first.report_id).status is ReportStatus.WITHDRAWN
    target = tmp_path / "out.json"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    box._on_save_clicked()
    saved = json.loads(target.read_text())
    assert saved["format"] == "atlas-corrections"
    assert [r["problem"] for r in saved["reports"]] == ["Two."]

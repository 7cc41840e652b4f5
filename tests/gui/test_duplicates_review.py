"""Reviewing possible duplicates (issues 18.17, 18.19, 18.20): the dialog shows what differs
(key, type, DOI, authors, journal), "decide later" is the default, "Apply decisions" shows only
with something to apply, many "kept apart" are confirmed first, and the import report gives
per-file counts."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from atlas_desktop.domain.references import DuplicateDecision
from atlas_desktop.gui.dialogs.duplicates_dialog import DuplicatesDialog
from atlas_desktop.gui.dialogs.import_dialog import ImportDialog
from tests.conftest import MENDELEY
from tests.gui.conftest import ops

FIRST = r"""@article{okafor2019,
  author = {Okafor, Ada and Lind, Per},
  title = {Heart rate after exertion in ME/CFS},
  journal = {Journal of Exertion},
  year = {2019},
  doi = {10.1234/exert.2019.1}
}
@article{berg2018,
  author = {Berg, Tim},
  title = {Sleep in ME/CFS},
  journal = {Sleep Notes},
  year = {2018}
}
"""
SECOND = r"""@inproceedings{okafor2019conf,
  author = {Okafor, A.},
  title = {Heart rate after exertion in ME/CFS},
  booktitle = {Proceedings of the Exertion Meeting},
  year = {2019},
  doi = {10.1234/EXERT.2019.1}
}
"""


@pytest.fixture
def operations(library, runner):
    """The window's operations, one for the test (it stays subscribed to the library)."""
    return ops(library, runner)


def import_with_dialog(qtbot, library, operations, paths):
    dialog = ImportDialog(library, operations, paths)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    return dialog


def test_the_import_report_counts_each_file(qtbot, library, operations, tmp_path):
    first, second, broken = tmp_path / "first.bib", tmp_path / "second.bib", tmp_path / "b.bib"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    dialog = import_with_dialog(qtbot, library, operations, [first, second])
    table = dialog.per_file

    def rows():
        return [[table.item(r, c).text() for c in range(table.columnCount())]
                for r in range(table.rowCount())]

    assert not table.isHidden()
    assert rows() == [["first.bib", "BibTeX", "2", "2", "0", "0", "0"],
                      ["second.bib", "BibTeX", "1", "1", "0", "0", "0"]]
    first.write_text(FIRST.replace("Sleep in ME/CFS", "Sleep and pain in ME/CFS"), "utf-8")
    broken.write_text("@article{fine, title={Fine}, year={2020}}\n"
                      "@article{bad, title={Broken} year={2021}}\n", encoding="utf-8")
    dialog = import_with_dialog(qtbot, library, operations, [first, second, broken])
    table = dialog.per_file
    assert rows()[:2] == [["first.bib", "BibTeX", "2", "–", "–", "–", "0"],
                          ["second.bib", "BibTeX", "1", "–", "–", "–", "0"]]
    assert rows()[2] == ["b.bib", "BibTeX", "1", "–", "–", "–", "1"]  # nothing written yet
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        dialog.valid_button.click()
    assert rows() == [["first.bib", "BibTeX", "2", "0", "1", "1", "0"],
                      ["second.bib", "BibTeX", "1", "0", "0", "1", "0"],
                      ["b.bib", "BibTeX", "1", "1", "0", "0", "1"]]


def test_the_review_shows_what_differs_and_decides_later_by_default(qtbot, library, runner,
                                                                    operations, tmp_path):
    (tmp_path / "first.bib").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.bib").write_text(SECOND, encoding="utf-8")
    for name in ("first.bib", "second.bib"):
        assert library.importer.import_files(paths=[tmp_path / name]).committed
    dialog = DuplicatesDialog(library, runner, operations)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.panel.table.rowCount() == 1, timeout=10_000)
    table = dialog.panel.table
    later, earlier, differ = (table.item(0, c).text() for c in range(3))
    assert later.splitlines()[:3] == ["Heart rate after exertion in ME/CFS (2019)",
                                      "okafor2019conf · inproceedings", "DOI 10.1234/EXERT.2019.1"]
    assert earlier.splitlines()[:5] == ["Heart rate after exertion in ME/CFS (2019)",
                                        "okafor2019 · article", "DOI 10.1234/exert.2019.1",
                                        "Okafor, Ada; Lind, Per", "Journal of Exertion"]
    assert differ.splitlines() == [
        "Found by: same DOI",
        "Authors: Okafor, A. | Okafor, Ada; Lind, Per",
        "Journal: Proceedings of the Exertion Meeting | Journal of Exertion",
        "Key: okafor2019conf | okafor2019",
        "Type: inproceedings | article"]  # the DOI differs only in case: the same
    assert dialog.panel.decisions()[0][1] is DuplicateDecision.DECIDE_LATER
    assert dialog.apply_button.isHidden()
    dialog.panel.set_decision(0, DuplicateDecision.KEEP_BOTH)
    assert not dialog.apply_button.isHidden()
    dialog.panel.set_decision(0, DuplicateDecision.DECIDE_LATER)
    assert dialog.apply_button.isHidden()


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No,
                                    QMessageBox.StandardButton.Yes])
def test_many_kept_apart_are_confirmed_first(qtbot, library, operations, monkeypatch,
                                             answer):
    dialog = import_with_dialog(qtbot, library, operations, [MENDELEY])
    pairs = dialog.duplicates.pairs()
    assert len(pairs) >= 3
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    for row in range(len(pairs)):
        dialog.duplicates.set_decision(row, DuplicateDecision.KEEP_BOTH)
    if answer == QMessageBox.StandardButton.No:
        dialog.apply_button.click()
        assert len(library.references.find_duplicates()) == len(pairs)  # nothing recorded
        assert len(dialog.duplicates.pairs()) == len(pairs)
    else:
        with qtbot.waitSignal(dialog.duplicates_resolved, timeout=30_000):
            dialog.apply_button.click()
        assert library.references.find_duplicates() == []
    assert asked == [f"{len(pairs)} pairs of references will be recorded as different papers "
                     "and never suggested as duplicates again. Record them?"]

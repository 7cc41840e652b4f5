"""The import dialog on a real library with a real worker thread: progress, problems,
"import the valid entries", cancel, and the duplicate review."""

from __future__ import annotations

import hashlib

from atlas_desktop.domain.references import DuplicateDecision
from atlas_desktop.gui.dialogs.import_dialog import ImportDialog
from tests.conftest import MENDELEY, REFS
from tests.gui.conftest import ops


def state(library):
    ids = library.catalogue.ids_for_pks(pks=list(library.catalogue.search(text="").pks))
    data = [library.catalogue.show(entry_id=i) for i in ids]
    return hashlib.sha256(repr(data).encode()).hexdigest()


def finished(dialog):
    return lambda: not dialog.running


def test_import_runs_in_the_background_and_reports(qtbot, library, runner):
    dialog = ImportDialog(library, ops(library, runner), [MENDELEY])
    qtbot.addWidget(dialog)
    progress_seen = []
    dialog._bridge.progressed.connect(lambda d, t, m: progress_seen.append(m))
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000) as blocker:
        dialog.start()
        assert dialog.running
    report = blocker.args[0]
    assert report.committed and len(report.imported) == 512
    assert progress_seen[0] == "Reading mendeley-idiocy.bib"
    assert "Imported 512 new entries." in dialog.status.text()
    assert "possible duplicates found" in dialog.status.text()
    assert not dialog.duplicates.isHidden() and dialog.duplicates.table.rowCount() == 6
    assert library.catalogue.count(text="is:mine") == 512


def test_problems_first_then_the_valid_entries_on_request(qtbot, library, runner, tmp_path):
    broken = tmp_path / "broken.bib"
    broken.write_text((REFS / "bib/pybtex/xampl.bib").read_text().replace(
        "   year = 1986,\n}", "   year = 1986\n   x\n}", 1))
    dialog = ImportDialog(library, ops(library, runner), [broken])
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(finished(dialog), timeout=30_000)
    assert library.catalogue.count_all() == 0
    assert "Nothing was imported" in dialog.status.text()
    assert "line 15: in “article-minimal”" in dialog.problems.toPlainText()
    assert not dialog.valid_button.isHidden()
    assert dialog.valid_button.text() == "Import the 35 valid entries"
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        dialog.valid_button.click()
    assert library.catalogue.count(text="is:mine") == 35
    assert library.catalogue.get_entry(entry_id="my-article-minimal") is None


def test_one_valid_entry_is_one_entry(qtbot, library, runner, tmp_path):
    """Issue 18.23: "Import the 1 valid entry", not "the 1 valid entries"."""
    broken = tmp_path / "one.bib"
    broken.write_text("@article{good, title={Fine}, year={2020}}\n"
                      "@article{bad, title={Broken} year={2021}}\n")
    dialog = ImportDialog(library, ops(library, runner), [broken])
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(finished(dialog), timeout=30_000)
    assert dialog.valid_button.text() == "Import the 1 valid entry"
    assert "import the 1 valid entry and leave" in dialog.status.text()
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        dialog.valid_button.click()
    assert dialog.status.text().startswith("Imported 1 new entry.")


def test_cancel_leaves_the_library_unchanged(qtbot, seeded_library, runner):
    before = state(seeded_library)
    dialog = ImportDialog(seeded_library, ops(seeded_library, runner), [REFS / "bib/bbt/unabbreviate-1436-3.bib"])
    qtbot.addWidget(dialog)
    dialog.start()
    dialog.cancel()  # at once: the import takes about a second and checks between steps
    qtbot.waitUntil(finished(dialog), timeout=30_000)
    assert dialog.status.text() == "Import cancelled. Your library is unchanged."
    assert dialog.report is None
    assert state(seeded_library) == before


def test_closing_the_dialog_while_importing_cancels(qtbot, seeded_library, runner):
    before = state(seeded_library)
    dialog = ImportDialog(seeded_library, ops(seeded_library, runner), [REFS / "bib/bbt/unabbreviate-1436-3.bib"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    dialog.close()  # the window's close button
    assert dialog.isVisible()  # stays open to say what happened
    qtbot.waitUntil(finished(dialog), timeout=30_000)
    assert dialog.status.text() == "Import cancelled. Your library is unchanged."
    assert state(seeded_library) == before
    dialog.close()
    assert not dialog.isVisible()


def test_duplicates_are_merged_only_where_the_user_says_so(qtbot, library, runner):
    dialog = ImportDialog(library, ops(library, runner), [MENDELEY])
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        dialog.start()
    pairs = dialog.duplicates.pairs()
    row = next(i for i, p in enumerate(pairs) if p.id == "my-mabbott2017-2")
    # "Decide later" is the default, and with nothing decided there is nothing to apply.
    assert {d for _, d in dialog.duplicates.decisions()} == {DuplicateDecision.DECIDE_LATER}
    assert dialog.apply_button.isHidden()
    dialog.duplicates.set_decision(row, DuplicateDecision.MERGE_INTO_EARLIER)
    assert not dialog.apply_button.isHidden()
    with qtbot.waitSignal(dialog.duplicates_resolved, timeout=30_000) as blocker:
        dialog.apply_button.click()
    outcome = blocker.args[0]
    assert outcome.merged == [("my-mabbott2017-2", "my-mabbott2017")]
    assert outcome.kept_apart == 0  # the others were left for later, not recorded
    assert library.catalogue.get_entry(entry_id="my-mabbott2017-2") is None
    assert library.catalogue.get_entry(entry_id="my-milazzo2017-2") is not None
    assert len(library.references.find_duplicates()) == len(pairs) - 1
    assert [p.id for p in dialog.duplicates.pairs()] == [
        p.id for p in pairs if p.id != "my-mabbott2017-2"]  # still listed, to decide later
    assert dialog.apply_button.isHidden()

"""Every warning of a copy, where it stays until read (issue 18.6, and issue 15's retraction
warnings): the panel by the Copy button lists each entry's gaps and notices, the clipboard
waits for "Copy anyway", "Don't warn me about this entry again" holds for gaps but never for
a retraction, and an export names the retracted papers it wrote. Real window, real engine,
real clipboard; retractions from records completed against the replay server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.online.replay import ReplayServer
from tests.online.support import ALL, WAKEFIELD, add_entries, service

HEINS = "heins-2013-role-therapeutic"
VAN_DER_VAART = "van-der-vaart-2019"


def select(window, *entry_ids):
    window.set_query("")
    rows = [r for r in range(window.model.rowCount())
            if window.model.list_row(r).id in entry_ids]
    assert len(rows) == len(entry_ids)
    model = window.table.selectionModel()
    flags = model.SelectionFlag
    model.setCurrentIndex(window.model.index(rows[0], 0), flags.ClearAndSelect | flags.Rows)
    for row in rows[1:]:
        model.select(window.model.index(row, 0), flags.Select | flags.Rows)


def copy_and_wait_for_panel(qtbot, window):
    with qtbot.waitSignal(window.citations.warnings_pending, timeout=30_000):
        window.copy_default_action.trigger()
    panel = window.copy_warnings.panel
    assert panel is not None
    qtbot.waitExposed(panel)
    return panel


def test_the_copy_waits_beside_the_copy_button_until_the_warnings_are_read(
        qtbot, window, clipboard):
    clipboard.setText("what the user had")
    select(window, HEINS, VAN_DER_VAART)
    panel = copy_and_wait_for_panel(qtbot, window)
    text = panel.text()
    # Each entry under its own name, with each of its gaps.
    assert "Heins et al. (2013)" in text
    assert "• No volume or pages are recorded" in text
    assert "van der Vaart et al. (2019)" in text
    assert "• Only the first authors are recorded" in text
    assert "• No title is recorded" in text
    assert clipboard.text() == "what the user had"  # nothing copied yet
    # By the toolbar's Copy button (two entries were copied), on screen.
    button = window.toolbar_copy_button
    assert panel.geometry().top() >= button.mapToGlobal(button.rect().bottomLeft()).y()
    with qtbot.waitSignal(window.citations.copied):
        qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text().startswith("Heins, M. J.")
    assert window.copy_warnings.panel is None
    status = window.statusBar().currentMessage()
    # The status bar only sums up, naming the papers; the sentences were in the panel.
    assert status == ("Copied APA Style 7th edition bibliography, 2 entries. Check before "
                      "publishing: Heins et al. (2013), van der Vaart et al. (2019).")


def test_dont_copy_and_escape_leave_the_clipboard_as_it_was(qtbot, window, clipboard):
    clipboard.setText("what the user had")
    select(window, HEINS)
    panel = copy_and_wait_for_panel(qtbot, window)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "what the user had"
    assert "Nothing was copied" in window.statusBar().currentMessage()
    panel = copy_and_wait_for_panel(qtbot, window)
    qtbot.keyClick(panel, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.copy_warnings.panel is None)
    assert clipboard.text() == "what the user had"


def test_dont_warn_me_again_holds_for_that_entry_only(qtbot, window, clipboard):
    select(window, HEINS)
    panel = copy_and_wait_for_panel(qtbot, window)
    panel.quiet_boxes[HEINS].setChecked(True)
    with qtbot.waitSignal(window.citations.copied):
        panel.copy_button.click()
    assert window.library.copy_checks.quiet_entries() == {HEINS}
    # The next copy of Heins goes straight to the clipboard...
    with qtbot.assertNotEmitted(window.citations.warnings_pending), \
            qtbot.waitSignal(window.citations.copied, timeout=30_000):
        window.copy_default_action.trigger()
    assert clipboard.text().startswith("Heins")
    # ...and another entry still warns.
    select(window, VAN_DER_VAART)
    panel = copy_and_wait_for_panel(qtbot, window)
    assert "van der Vaart et al. (2019)" in panel.text() and "Heins" not in panel.text()
    panel.close()


@pytest.fixture
def completed_window(qtbot, library, settings):
    from atlas_desktop.gui.main_window import MainWindow
    from atlas_desktop.gui.runner import ImmediateRunner

    add_entries(library, ALL)
    with ReplayServer() as server:
        service(library, server).complete()
    win = MainWindow(library, ImmediateRunner(), settings=settings, writer=ImmediateRunner())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def test_a_retracted_paper_warns_at_every_copy_and_cannot_be_silenced(
        qtbot, completed_window, clipboard):
    window = completed_window
    clipboard.setText("what the user had")
    window.select_entry(WAKEFIELD["id"])
    qtbot.waitUntil(lambda: window.detail.entry is not None
                    and window.detail.entry.id == WAKEFIELD["id"])
    panel = copy_and_wait_for_panel(qtbot, window)
    # Both of its retraction notices (the partial one of 2004 and the full one of 2010).
    assert "RETRACTED: retracted on 2004-03-06" in panel.text()
    assert "retracted on 2010-02-06 (notice doi:10.1016/S0140-6736(10)60175-4" in panel.text()
    assert "Cite it only as a retracted paper." in panel.text()
    assert "is retracted" in panel.heading.text()
    assert WAKEFIELD["id"] not in panel.quiet_boxes  # no "don't warn me again"
    # By the entry's own Copy button: it copied just the entry shown.
    button = window.detail.copy_button
    assert panel.geometry().top() >= button.mapToGlobal(button.rect().bottomLeft()).y()
    with qtbot.waitSignal(window.citations.copied):
        panel.copy_button.click()
    assert "Check before publishing: retracted: Wakefield et al. (1998)." in \
        window.statusBar().currentMessage()
    # Even an entry the user quieted is warned about, because it is retracted; and a copy
    # as BibTeX too.
    window.library.copy_checks.set_quiet(entry_ids=[WAKEFIELD["id"]])
    window.copy_menu.rebuild()
    bibtex = next(a for a in _all_actions(window.copy_menu)
                  if a.objectName().startswith("Copy-bibtex"))
    with qtbot.waitSignal(window.citations.warnings_pending, timeout=30_000) as held:
        bibtex.trigger()
    [check] = held.args[1]
    assert check.retraction is not None and check.warnings == ()  # quieted: only the notice
    window.copy_warnings.panel.close()
    assert clipboard.text().startswith("Wakefield")  # the earlier copy, not the BibTeX


def test_an_export_names_the_retracted_papers_it_wrote(qtbot, completed_window, tmp_path):
    from atlas_desktop.gui.dialogs.export_dialog import ExportDialog
    from atlas_desktop.gui.runner import ImmediateRunner

    window = completed_window
    dialog = ExportDialog(window.library, ImmediateRunner(),
                          selected_ids=[WAKEFIELD["id"], "neirinckx-2013-bone-marrow"],
                          parent=window)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "refs.bib"))
    with qtbot.waitSignal(dialog.export_finished):
        dialog.start()
    assert dialog.retracted_label.isVisibleTo(dialog)
    text = dialog.retracted_label.text()
    assert text.startswith("The file holds a retracted paper")
    assert f"[{WAKEFIELD['id']}]: retracted on 2004-03-06" in text
    assert "retracted on 2010-02-06 (notice doi:10.1016/S0140-6736(10)60175-4" in text
    assert "neirinckx" not in text  # an expression of concern is not a retraction


def _all_actions(menu):
    for a in menu.actions():
        yield a
        if a.menu() is not None:
            yield from _all_actions(a.menu())

"""The catalogue-changes dialog lists what a real pull changed, grouped, as plain text."""

from __future__ import annotations

from atlas_desktop.gui.dialogs.catalogue_changes import CatalogueChangesDialog
from tests.sync_support import contract_entry, make_service, refserver  # noqa: F401


def test_the_dialog_groups_a_pulls_changes_and_opens_an_entry(qtbot, library, refserver):  # noqa: F811
    refserver.put_entries([contract_entry("study-a"), contract_entry("study-b"),
                           contract_entry("study-c")])
    service = make_service(library)
    service.set_server_url(url=refserver.url)
    service.run(explicit=True)
    refserver.put_entries([contract_entry("study-a", title="<b>Bold</b> new title",
                                          badges={"review_status": "Editor reviewed"}),
                           contract_entry("study-d")])
    refserver.delete_entries(["study-b"])
    service.run(explicit=True)

    dialog = CatalogueChangesDialog(service.latest_changes())
    qtbot.addWidget(dialog)
    groups = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    assert [g.text(0) for g in groups] == ["New entries (1)", "Changed entries (1)",
                                           "Withdrawn by the atlas (1)"]
    changed = groups[1].child(0).text(0)
    assert changed.startswith("Changed: <b>Bold</b> new title")
    assert "review status Reviewed → Editor reviewed" in changed
    assert "notes on it are kept" in groups[2].child(0).text(0)
    assert dialog.summary_label.text() == (
        "Catalogue: 1 new, 1 changed, 1 withdrawn (1 with badge or review-status changes).")
    with qtbot.waitSignal(dialog.entry_activated) as signal:
        dialog.tree.itemActivated.emit(groups[2].child(0), 0)
    assert signal.args == ["study-b"]

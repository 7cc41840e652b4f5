"""What the catalogue updates changed (issue 18.15), against a real pull: listed sync by sync
with each sync's date, one row per entry (an entry sent on two pages of one sync is one row),
the changed fields readable in full, no internal ids on hover, and the window and
``sync changes`` agree."""

from __future__ import annotations

import json

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics

from atlas_desktop.domain.sync_changes import day_and_time
from atlas_desktop.gui.dialogs.catalogue_changes import CatalogueChangesDialog
from tests.sync_support import (
    MovableClock,
    ScriptedServer,
    contract_entry,
    json_reply,
    make_service,
)

LONG_TITLE = ("Post-exertional malaise, orthostatic intolerance and cognitive symptoms after "
              "mild exertion in a cohort followed for five years")


def page(entries, *, deleted=(), cursor, more):
    return json_reply(200, {"entries": entries, "deleted": list(deleted),
                            "next_cursor": cursor, "has_more": more})


PAGES = {
    None: page([contract_entry("study-a"), contract_entry("study-b"),
                contract_entry("study-c")], cursor="c1", more=False),
    # The second sync sends study-a on both of its pages.
    "c1": page([contract_entry("study-a", title=LONG_TITLE,
                               badges={"pem": "required", "review_status": "Editor reviewed"})],
               cursor="c2", more=True),
    "c2": page([contract_entry("study-a", title=LONG_TITLE, summary="Rewritten in full.",
                               why_it_matters="Because.", does_not_prove="Causation.",
                               badges={"pem": "required", "review_status": "Editor reviewed"}),
                contract_entry("study-d")], deleted=["study-b"], cursor="c3", more=False),
}


def reply(seen):
    cursor = seen.path.split("since=")[1].split("&")[0] if "since=" in seen.path else None
    return PAGES[cursor]


def two_syncs(library):
    clock = MovableClock()
    with ScriptedServer(reply) as server:
        service = make_service(library, clock=clock)
        service.set_server_url(url=server.url)
        assert service.run(explicit=True).ok
        first = clock()
        clock.advance(86_400 + 3_600)
        assert service.run(explicit=True).ok
    return service, first, clock()


def test_the_window_lists_each_sync_with_its_date_and_one_row_per_entry(qtbot, library):
    service, first, second = two_syncs(library)
    syncs = service.changes_by_sync(unseen=True)
    dialog = CatalogueChangesDialog(syncs)
    qtbot.addWidget(dialog)
    dialog.resize(520, 600)  # narrow: long texts must wrap, not be cut off
    dialog.show()
    qtbot.waitExposed(dialog)
    tree = dialog.tree
    groups = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    stamp = lambda moment: day_and_time(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))  # noqa: E731
    assert [g.text(0) for g in groups] == [
        f"Update of {stamp(second)}: 1 new, 1 changed, 1 withdrawn",
        f"Update of {stamp(first)}: 3 new, 0 changed, 0 withdrawn"]
    rows = [groups[0].child(i) for i in range(groups[0].childCount())]
    assert [r.text(0) for r in rows] == ["New: A study called study-d",
                                         f"Changed: {LONG_TITLE}",
                                         "Withdrawn: A study called study-b"]
    assert rows[1].text(1) == ("review status Reviewed → Editor reviewed; changed: title, "
                               "summary, why it matters, does not prove")
    metrics = QFontMetrics(tree.font())
    for item in [*rows, *(groups[1].child(i) for i in range(groups[1].childCount()))]:
        for column in (0, 1):
            assert item.toolTip(column) == ""  # no internal id on hover
            cell = tree.visualRect(tree.indexFromItem(item, column))
            needed = metrics.boundingRect(QRect(0, 0, cell.width() - 12, 10_000),
                                          int(Qt.TextFlag.TextWordWrap), item.text(column))
            assert cell.height() >= needed.height(), (item.text(column), cell, needed)
    with qtbot.waitSignal(dialog.entry_activated) as signal:
        tree.itemActivated.emit(rows[2], 0)
    assert signal.args == ["study-b"]


def test_the_window_and_sync_changes_agree(qtbot, library, capsys):
    from atlas_desktop.app import main

    service, _, _ = two_syncs(library)
    latest = service.changes_by_sync()
    dialog = CatalogueChangesDialog(service.changes_by_sync(unseen=True))
    qtbot.addWidget(dialog)
    folder = library.paths.data_dir
    library.close()
    assert main(["--data-dir", str(folder), "sync", "changes"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == dialog.tree.topLevelItem(0).text(0) + "."
    assert out[0] == latest[0].heading() + "."
    assert [line for line in out if "study-a" in line or LONG_TITLE in line] == [
        f"  Changed: {LONG_TITLE} (review status Reviewed → Editor reviewed; changed: title, "
        "summary, why it matters, does not prove)"]  # once, though sent on two pages
    assert main(["--data-dir", str(folder), "sync", "changes", "--unseen", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(len(s["new"]), len(s["changed"]), len(s["withdrawn"])) for s in data["syncs"]] \
        == [(1, 1, 1), (3, 0, 0)]


def test_the_status_bar_counts_a_change_per_entry_and_sync_until_they_are_seen(qtbot, library):
    from PySide6.QtWidgets import QMainWindow

    from atlas_desktop.gui.status_bar import WindowStatusBar

    service, _first, _second = two_syncs(library)
    host = QMainWindow()
    qtbot.addWidget(host)
    status = WindowStatusBar(host.statusBar(), library, host)
    status.show_sync(service.overview())
    # 3 entries in the first sync, 3 in the second (study-a on two pages is one change).
    assert not status.changes_button.isHidden()
    assert status.changes_button.text() == "6 changes to review"
    service.mark_changes_seen()
    status.show_sync(service.overview())
    assert status.changes_button.isHidden()

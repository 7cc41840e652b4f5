"""The sync migration on a library made by the first release, and the outbox queries."""

from __future__ import annotations

import shutil

from atlas_desktop.domain.listing import EntryChange
from atlas_desktop.domain.sync import ChangeKind
from atlas_desktop.store import LibraryDB, sync_state
from tests.conftest import DATA_DIR


def test_an_upgraded_first_release_library_records_catalogue_changes(tmp_path):
    path = tmp_path / "library.sqlite3"
    shutil.copy(DATA_DIR / "library-v1.sqlite3", path)
    db = LibraryDB(path)
    with db.write() as conn:
        titles = sync_state.titles_for(conn, ["heins-2013-role-therapeutic"])
        sync_state.record_changes(
            conn, run_id="r1", pulled_at="2026-11-21T09:30:00Z",
            new=[], withdrawn=["heins-2013-role-therapeutic"], titles=titles,
            changed=[EntryChange("twisk-2009-review-cognitive", ("badges",),
                                 {"review_status": ("Reviewed", "Editor reviewed")})])
        sync_state.set_cursor(conn, server_url="https://a.example", cursor="c9")
    with db.read() as conn:
        changes = sync_state.list_changes(conn, run_id="r1")
        assert sync_state.get_cursor(conn) == ("https://a.example", "c9")
        assert sync_state.latest_change(conn)[1] == "r1"
    assert [(c.entry_id, c.kind) for c in changes] == [
        ("twisk-2009-review-cognitive", ChangeKind.CHANGED),
        ("heins-2013-role-therapeutic", ChangeKind.WITHDRAWN)]
    assert changes[0].review_status_change == ("Reviewed", "Editor reviewed")
    assert changes[1].title and changes[1].title.startswith("The role of the therapeutic")
    assert db.integrity_check() == ["ok"]
    db.close()

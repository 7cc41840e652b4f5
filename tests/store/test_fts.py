"""The full-text and tag indexes follow the catalogue in the same transaction."""

from __future__ import annotations

from atlas_desktop.domain.entry import Author, Entry
from atlas_desktop.domain.query import parse_query
from atlas_desktop.store import LibraryDB
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store.search import run_search

NOW = "2026-11-21T00:00:00Z"


def ids(db, text):
    with db.read() as conn:
        return cat.ids_for_pks(conn, list(run_search(conn, parse_query(text)).pks))


def test_updates_and_withdrawals_keep_the_index_in_step(tmp_path):
    db = LibraryDB(tmp_path / "lib.sqlite3")
    first = Entry(id="a-2020", title="Orthostatic intolerance in adolescents",
                  authors=(Author("Åberg", "Ingrid"),), year=2020,
                  tags={"Symptom": ("Orthostatic Intolerance",)})
    with db.write() as conn:
        cat.upsert_entries(conn, [first], now=NOW)
    assert ids(db, "adolesc") == ["a-2020"]
    assert ids(db, "author:aberg") == ["a-2020"]  # diacritics folded
    assert ids(db, 'tag:"orthostatic intolerance"') == ["a-2020"]

    changed = first.with_changes(title="Sleep in adults", tags={"Symptom": ("Unrefreshing Sleep",)})
    with db.write() as conn:
        result = cat.upsert_entries(conn, [changed], now=NOW)
    assert [c.id for c in result.changed] == ["a-2020"]
    assert set(result.changed[0].fields) == {"title", "tags"}
    assert ids(db, "adolesc") == []
    assert ids(db, "sleep") == ["a-2020"]
    assert ids(db, 'tag:"orthostatic intolerance"') == []

    with db.write() as conn:
        assert cat.withdraw_entries(conn, ["a-2020"], now=NOW) == ["a-2020"]
    assert ids(db, "sleep") == []
    assert ids(db, "sleep is:withdrawn") == ["a-2020"]

    with db.write() as conn:
        cat.check_indexes(conn)  # FTS5 integrity-check against the entries themselves
    assert db.integrity_check() == ["ok"]
    db.close()


def test_a_rolled_back_import_leaves_no_index_rows(tmp_path):
    db = LibraryDB(tmp_path / "lib.sqlite3")
    try:
        with db.write() as conn:
            cat.upsert_entries(conn, [Entry(id="x-1", title="Vanishing entry")], now=NOW)
            raise RuntimeError
    except RuntimeError:
        pass
    assert ids(db, "vanishing") == []
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM entries_vocab").scalar() == 0
    db.close()


def test_badge_changes_are_called_out(tmp_path):
    from atlas_desktop.domain.entry import Badges

    db = LibraryDB(tmp_path / "lib.sqlite3")
    e = Entry(id="b-1", title="T", badges=Badges(pem="required", review_status="Reviewed"))
    with db.write() as conn:
        cat.upsert_entries(conn, [e], now=NOW)
        result = cat.upsert_entries(
            conn, [e.with_changes(badges=Badges(pem="not_required", review_status="Reviewed"))],
            now=NOW)
    assert result.changed[0].badges == {"pem": ("required", "not_required")}
    db.close()


def test_integrity_check_notices_an_index_out_of_step(tmp_path):
    """The guard the other tests rely on really fails when the index is stale."""
    import pytest

    from atlas_desktop.store import LibraryCorrupt

    db = LibraryDB(tmp_path / "lib.sqlite3")
    with db.write() as conn:
        cat.upsert_entries(conn, [Entry(id="c-1", title="Original words")], now=NOW)
        conn.exec_driver_sql("UPDATE entries SET title = 'Sneaky other words' WHERE id = 'c-1'")
    with pytest.raises(LibraryCorrupt), db.write() as conn:
        cat.check_indexes(conn)
    with db.write() as conn:
        cat.rebuild_indexes(conn)
        cat.check_indexes(conn)
    assert ids(db, "sneaky") == ["c-1"]
    db.close()

"""The bulk path of a big import: chunked writes with the index built on a second thread."""

from __future__ import annotations

import pytest

from atlas_desktop.domain.contract import canonical_entry_dict
from atlas_desktop.domain.query import parse_query
from atlas_desktop.store import LibraryDB
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store.search import run_search

N = 23_000  # more than two chunks of 10,000


def entries(n: int, *, marker: str = "alpha"):
    for i in range(n):
        word = marker if i % 1000 == 0 else "common"
        yield canonical_entry_dict({
            "id": f"bulk-{i}",
            "title": f"Entry {i} about {word} things",
            "authors": [{"family": f"Author{i % 97}", "given": "A"}],
            "year": 1990 + i % 35,
            "tags": {"Symptom": ["Fatigue"] if i % 2 else ["Pain"]},
        })


def test_bulk_insert_indexes_everything_and_restores_settings(tmp_path):
    db = LibraryDB(tmp_path / "lib.sqlite3")
    ids = [f"bulk-{i}" for i in range(N)] + ["bulk-5"]  # a duplicate: the last one wins
    stream = [*list(entries(N)), canonical_entry_dict({"id": "bulk-5", "title": "Replaced"})]
    with db.write(bulk=True) as conn:
        result = cat.upsert_contracts(conn, stream, ids=ids, now="t")
    assert len(result.new) == N
    with db.read() as conn:
        cat.check_indexes(conn)
        assert conn.exec_driver_sql(
            "SELECT v FROM entries_fts_config WHERE k = 'automerge'").scalar() == 4
        assert cat.get_entry(conn, "bulk-5").title == "Replaced"
        hits = run_search(conn, parse_query("alpha"))
        assert hits.total == N // 1000 + 1 - 1  # bulk-0, bulk-1000, … (bulk-5 unaffected)
        # Odd entries carry Fatigue; bulk-5 was replaced by an entry without tags.
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM entry_tag_keys k JOIN tag_dict d ON d.id = k.tag "
            "WHERE d.label = 'Fatigue'").scalar() == N // 2 - 1
        # Newest first: the sort-key order matches the SQL order by year, then title.
        page = run_search(conn, parse_query("common"), limit=50)
        years = [e.year for e in cat.get_entries_by_pk(conn, list(page.pks))]
        assert years == sorted(years, reverse=True)
    db.close()


def test_cancelling_a_bulk_insert_rolls_it_back(tmp_path):
    db = LibraryDB(tmp_path / "lib.sqlite3")
    polls = []

    def cancelled():
        polls.append(1)
        return len(polls) > 2

    ids = [f"bulk-{i}" for i in range(N)]
    with pytest.raises(cat.UpsertCancelled), db.write(bulk=True) as conn:
        cat.upsert_contracts(conn, entries(N), ids=ids, now="t", cancelled=cancelled)
    with db.read() as conn:
        assert cat.count_entries(conn) == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM entry_tag_keys").scalar() == 0
        cat.check_indexes(conn)
    db.close()

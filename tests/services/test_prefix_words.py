"""Typed prefixes spelled out as the index's words: the same matches as the prefix itself,
and never a stale word list, whoever changed the library."""

from __future__ import annotations

import json
import random

import pytest

from atlas_desktop.domain.listing import SortKey
from atlas_desktop.domain.query import parse_query
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from atlas_desktop.store import search as store_search
from atlas_desktop.store.engine import sqlite_connection
from atlas_desktop.store.rows import PK_MASK
from atlas_desktop.store.search import plan as search_plan
from benchmarks.synth import make_entry
from tests.conftest import synthetic_library

QUERIES = ["fat", "fatig", "mit", "post exer", "cor -mito", "author:oka", "title:hypo",
           "pem:required fatig", "okafor fatig", "zzzq", "inf", "-fatig", "fatigue",
           "thalamic ser"]


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    library = synthetic_library(tmp_path_factory.mktemp("terms"), 600, seed=7)
    yield library
    library.close()


def prefix_matches(library, text: str) -> set[int]:
    """What the prefixes as typed find, straight from the full-text index."""
    compiled = store_search.compile_query(parse_query(text))
    with library.ctx.db.read() as conn:
        if compiled.match is None:
            every = {r[0] for r in conn.exec_driver_sql("SELECT pk FROM entries")}
            excluded = {r[0] for r in conn.exec_driver_sql(
                f"SELECT rowid & {PK_MASK} FROM entries_fts WHERE entries_fts MATCH ?",
                (compiled.exclude_match,))}
            return every - excluded
        return {r[0] for r in conn.exec_driver_sql(
            f"SELECT rowid & {PK_MASK} FROM entries_fts WHERE entries_fts MATCH ?",
            (compiled.match,))}


@pytest.mark.parametrize("with_list", [True, False], ids=["word list", "looked up"])
def test_spelled_out_prefixes_find_what_the_prefixes_find(lib, with_list):
    catalogue = lib.catalogue
    if with_list:
        catalogue.refresh_terms()
    else:
        catalogue._terms = None  # as the command line searches: no list held
    for text in QUERIES:
        if ":" in text and not text.startswith(("author:", "title:")):
            continue  # filters are checked below, with the list and without
        # Ranking (every result is short here) uses the prefixes as typed; these sorts use
        # the spelled-out words.
        for sort in (SortKey.YEAR_DESC, SortKey.TITLE, SortKey.RELEVANCE):
            found = catalogue.search(text=text, sort=sort)
            assert set(found.pks) == prefix_matches(lib, text), (text, sort)
    found = [text for text in QUERIES if catalogue.search(text=text).total]
    assert len(found) >= 10  # the queries do find things in this library


def test_same_result_and_order_with_and_without_the_list(lib):
    catalogue = lib.catalogue
    catalogue.refresh_terms()
    listed = {(text, sort): catalogue.search(text=text, sort=sort)
              for text in QUERIES
              for sort in (SortKey.RELEVANCE, SortKey.YEAR_DESC, SortKey.TITLE)}
    catalogue._terms = None
    for (text, sort), result in listed.items():
        plain = catalogue.search(text=text, sort=sort)
        assert list(plain.pks) == list(result.pks), (text, sort)
        assert plain.ranked == result.ranked and plain.total == result.total
    assert any(r.ranked and r.total > 1 for r in listed.values())  # ranking was compared


def test_a_first_page_is_the_head_of_the_complete_result(lib):
    catalogue = lib.catalogue
    catalogue.refresh_terms()
    for text in QUERIES:
        for sort in (SortKey.RELEVANCE, SortKey.YEAR_DESC):
            complete = catalogue.search(text=text, sort=sort)
            page = catalogue.search(text=text, sort=sort, limit=25, exact_total=False)
            assert list(page.pks) == list(complete.pks[:25]), (text, sort)
            assert page.ranked == complete.ranked


def test_counts_use_the_same_matches(lib):
    catalogue = lib.catalogue
    catalogue.refresh_terms()
    for text in ("fatig", "post exer", "author:oka"):
        assert counted(catalogue, text) == len(prefix_matches(lib, text)), text


def counted(catalogue, text: str) -> int:
    """The facets' "All entries" count for ``text``."""
    state = catalogue.facets(text=text).groups["state"]
    return next(v.count for v in state if v.value == "")


def write_entry(path, word: str, index: int):
    entry = make_entry(random.Random(index), 900_000 + index)
    entry["title"] = f"A {word} trial in post-exertional malaise"
    path.write_text(json.dumps({"format": "atlas-bundle", "version": 1,
                                "generated_at": "2026-11-21T00:00:00Z",
                                "entries": [entry]}), encoding="utf-8")
    return entry["id"]


def test_a_change_in_this_process_is_seen_at_once(tmp_path):
    lib = synthetic_library(tmp_path, 50, seed=3)
    try:
        assert lib.catalogue.refresh_terms() is True
        assert lib.catalogue.refresh_terms() is False  # still current: not read again
        entry_id = write_entry(tmp_path / "one.json", "quokkatropin", 1)
        assert lib.importer.import_files(paths=[tmp_path / "one.json"]).committed
        hits = lib.catalogue.search(text="quokkat")
        assert lib.catalogue.ids_for_pks(pks=list(hits.pks)) == [entry_id]
        assert lib.catalogue.refresh_terms() is True
        hits = lib.catalogue.search(text="quokkat", limit=10, exact_total=False)
        assert lib.catalogue.ids_for_pks(pks=list(hits.pks)) == [entry_id]
    finally:
        lib.close()


def test_a_change_by_another_program_is_seen_at_once(tmp_path):
    lib = synthetic_library(tmp_path, 50, seed=4)
    other = open_library(LibraryPaths(tmp_path / "lib"))  # its own connections, no signals
    try:
        lib.catalogue.refresh_terms()
        assert lib.catalogue.search(text="wombatiz").total == 0
        entry_id = write_entry(tmp_path / "one.json", "wombatizumab", 2)
        assert other.importer.import_files(paths=[tmp_path / "one.json"]).committed
        for limit in (None, 10):
            hits = lib.catalogue.search(text="wombatiz", limit=limit)
            assert lib.catalogue.ids_for_pks(pks=list(hits.pks)) == [entry_id]
        assert counted(lib.catalogue, "wombatiz") == 1
    finally:
        other.close()
        lib.close()


@pytest.mark.parametrize("text", ["pem:required fatigue", 'tag:"Symptom: Fatigue" sleep',
                                  "type:review fatig"])
def test_words_with_filters_read_the_covering_index_not_the_entries(lib, text):
    """Joined on the sort key, a filtered word search finds the filter columns in the index
    entries_search_key instead of reading each matching entry's row (ten times the cost)."""
    statements: list[str] = []
    with lib.ctx.db.read() as conn:
        raw = sqlite_connection(conn)
        raw.set_trace_callback(statements.append)
        try:
            store_search.run_search(conn, parse_query(text), sort=SortKey.YEAR_DESC, limit=20,
                                    exact_total=False)
        finally:
            raw.set_trace_callback(None)
        joins = [s for s in statements if "CROSS JOIN entries e" in s]
        assert joins, statements
        for sql in joins:
            plan = " | ".join(r[3] for r in raw.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert "COVERING INDEX entries_search_key" in plan, plan


def test_a_long_pasted_query_still_finds_what_its_prefixes_find(lib):
    catalogue = lib.catalogue
    catalogue._terms = None  # the command line: beyond six prefixes none are looked up
    text = "fat mit cor pos exe sle inf imm"
    assert len(store_search.spelled_prefixes(parse_query(text))) == 8
    for sort in (SortKey.YEAR_DESC, SortKey.RELEVANCE):
        found = set(catalogue.search(text=text, sort=sort).pks)
        assert found and found == prefix_matches(lib, text)


def test_a_looked_up_list_is_never_used_beyond_what_was_read(lib, monkeypatch):
    """Per-query lookups read at most SPELLED_OUT_LOOKED_UP + 1 words a prefix; a prefix with
    more stays a prefix even though the window's own list may spell that many out."""
    monkeypatch.setattr(search_plan, "SPELLED_OUT_LOOKED_UP", 3)
    query = parse_query("fat")
    with lib.ctx.db.read() as conn:
        looked_up = store_search.query_terms(conn, query, None, first_page=True)
        assert looked_up is not None and looked_up[1] == 3
        assert store_search.compile_query(query, spell=looked_up).match == '"fat"*'
    lib.catalogue.refresh_terms()
    with lib.ctx.db.read() as conn:
        listed = store_search.query_terms(conn, query, lib.catalogue._terms, first_page=True)
        assert listed is not None and listed[1] == store_search.SPELLED_OUT_FIRST_PAGE
        spelled = store_search.compile_query(query, spell=listed).match
        assert spelled is not None and spelled.count(" OR ") >= 3  # more than 3 words
    for terms in (None, lib.catalogue._terms):
        lib.catalogue._terms = terms
        found = lib.catalogue.search(text="fat", sort=SortKey.YEAR_DESC, limit=20)
        expected = prefix_matches(lib, "fat")
        assert len(found.pks) == min(20, len(expected)) and set(found.pks) <= expected
        assert found.total == len(expected)  # counted exactly, whatever was spelled out


# ----- a beginning too broad to rank with ("okafor the" while "the" is being typed)

def broad_library(root):
    assert store_search.RANK_PREFIX_WORDS < 128
    # "zeb" begins 128 words, in two entries; most entries have none, so that as typed the
    # beginning would weigh in the ranking as much as "okafor".
    fillers = [{"id": f"lexicon-{half}", "title": "Word list",
                "summary": " ".join(f"zeba{i:03d}" for i in range(half * 64, half * 64 + 64))}
               for half in (0, 1)]
    fillers += [{"id": f"plain-{i}", "title": f"Cohort study {i}", "year": 2001}
                for i in range(400)]
    papers = [
        {"id": "o-body", "title": "A cohort study", "summary": "Okafor and okafor measured zeba05.",
         "year": 2021},
        {"id": "o-title-twice", "title": "Okafor okafor zeba07", "year": 2019},
        {"id": "o-title", "title": "Okafor zeba09 trial", "year": 2020,
         "badges": {"pem": "required"}},
        {"id": "o-no-zeb", "title": "Okafor trial without the beginning", "year": 2022},
        {"id": "o-withdrawn", "title": "Okafor okafor okafor zeba11", "year": 2018},
        # As typed, "zeb…" would lift this one above o-body by its three "zeb…" words.
        {"id": "o-zeb-heavy", "title": "Zeba01 zeba02 zeba03", "year": 2017,
         "summary": "Okafor measured it."},
    ]
    path = root / "broad.json"
    path.write_text(json.dumps({"format": "atlas-bundle", "version": 1,
                                "entries": fillers + papers}))
    library = open_library(LibraryPaths(root / "lib"))
    assert library.importer.import_files(paths=[path]).committed
    with library.ctx.db.write() as conn:
        from atlas_desktop.store import catalogue as cat
        assert cat.withdraw_entries(conn, ["o-withdrawn"], now="2026-11-21T00:00:00Z")
    return library


def ids_of(library, pks) -> list[str]:
    return [e.id for e in library.catalogue.get_entries_by_pk(pks=list(pks))]


def bm25_order(library, match: str, among: set[int]) -> list[int]:
    """The index's own bm25 order for ``match``, kept to ``among``."""
    with library.ctx.db.read() as conn:
        rows = conn.exec_driver_sql(
            f"SELECT rowid & {PK_MASK} FROM entries_fts WHERE entries_fts MATCH ? ORDER BY "
            f"bm25(entries_fts, {store_search.BM25_WEIGHTS}), rowid", (match,)).fetchall()
    return [r[0] for r in rows if r[0] in among]


@pytest.mark.parametrize("with_list", [True, False], ids=["word list", "looked up"])
def test_a_broad_beginning_filters_but_the_other_words_rank(tmp_path, with_list):
    library = broad_library(tmp_path)
    try:
        catalogue = library.catalogue
        if with_list:
            catalogue.refresh_terms()
        else:
            catalogue._terms = None
        found = catalogue.search(text="okafor zeb")
        assert found.ranked
        # Only entries with a "zeb…" word, none withdrawn, ranked by "okafor" alone: most
        # often in the title first.
        assert ids_of(library, found.pks) == ["o-title-twice", "o-title", "o-body",
                                              "o-zeb-heavy"]
        with library.ctx.db.read() as conn:
            withdrawn = conn.exec_driver_sql(
                "SELECT pk FROM entries WHERE id = 'o-withdrawn'").scalar()
        assert withdrawn in prefix_matches(library, "okafor zeb")  # in the index, hidden
        matches = prefix_matches(library, "okafor zeb") - {withdrawn}
        assert list(found.pks) == bm25_order(library, "okafor", matches)
        page = catalogue.search(text="okafor zeb", limit=2)
        assert list(page.pks) == list(found.pks)[:2] and page.total == 4
        # With a filter the same order, kept to what passes it.
        filtered = catalogue.search(text="okafor zeb pem:required")
        assert ids_of(library, filtered.pks) == ["o-title"]
        # A beginning of a few words still ranks as typed, with its own weight.
        narrow = catalogue.search(text="okafor zeba05")  # zeba05, zeba050 … zeba059
        assert list(narrow.pks) == bm25_order(
            library, 'okafor AND "zeba05"*', prefix_matches(library, "okafor zeba05"))
        assert narrow.ranked and ids_of(library, narrow.pks) == ["o-body"]
    finally:
        library.close()

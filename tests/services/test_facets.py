"""Facet counts follow the query and the user's data; broad results add up the same way."""

from __future__ import annotations

import pytest

from tests.conftest import synthetic_library as make_synthetic_library


def facet(facets, group):
    return {v.value: v.count for v in facets.groups[group]}


def test_counts_for_the_whole_library(seeded_library):
    f = seeded_library.catalogue.facets(text="")
    assert f.groups["state"][0].count == 5
    assert facet(f, "pem") == {"pem:required": 1}
    assert facet(f, "evidence_tier") == {'tier:"E0 Consensus"': 1}
    assert facet(f, "review_status") == {'status:"Editor reviewed"': 1}
    assert facet(f, "tag:Symptom")['tag:"Symptom: Fatigue"'] == 1
    assert facet(f, "decade") == {"year:2010-2019": 3, "year:2000-2009": 1}
    assert facet(f, "state")["is:incomplete"] == 2


def test_counts_narrow_with_the_query_and_tokens_round_trip(seeded_library):
    lib = seeded_library
    f = lib.catalogue.facets(text="year:2010-2019")
    assert f.groups["state"][0].count == 3
    assert "pem" not in f.groups or not f.groups["pem"]
    # Every facet token is itself a valid query giving exactly that count.
    f_all = lib.catalogue.facets(text="")
    for group, values in f_all.groups.items():
        if group == "chart":
            continue
        for value in values:
            if value.value:
                assert lib.catalogue.search(text=value.value).total == value.count, value


def test_user_data_moves_counts_and_the_cache_follows(seeded_library):
    lib = seeded_library
    assert "is:starred" not in facet(lib.catalogue.facets(text=""), "state")
    lib.annotations.set_starred(entry_id="heins-2013-role-therapeutic", starred=True)
    lib.annotations.add_to_collection(name="Clinic talk", entry_ids=["twisk-2009-review-cognitive"])
    f = lib.catalogue.facets(text="")
    assert facet(f, "state")["is:starred"] == 1
    assert facet(f, "collections") == {'collection:"Clinic talk"': 1}
    assert facet(lib.catalogue.facets(text="therap"), "state")["is:starred"] == 1


@pytest.fixture(scope="module")
def synthetic_library(tmp_path_factory):
    """800 generated entries (the benchmark generator), some starred, noted, collected."""
    lib = make_synthetic_library(tmp_path_factory.mktemp("facets"), 800, seed=7)
    ids = lib.catalogue.ids_for_pks(pks=list(lib.catalogue.search(text="").pks[:140]))
    for entry_id in ids[:25]:
        lib.annotations.set_starred(entry_id=entry_id, starred=True)
    for entry_id in ids[20:40]:
        lib.annotations.set_note(entry_id=entry_id, text="seen in clinic")
    lib.annotations.add_to_collection(name="Reading", entry_ids=ids[30:60])
    # The atlas withdraws some: those with the user's data stay visible, the others hide.
    from atlas_desktop.store import catalogue as cat

    with lib.ctx.db.write() as conn:
        cat.withdraw_entries(conn, ids[10:30] + ids[100:140], now="2026-11-21T00:00:00Z")
    yield lib
    lib.close()


@pytest.mark.parametrize("query", [
    "", "fatigue", "mitochondrial", "-fatigue", "pem:required", "year:2000-2015",
    "is:starred", "is:unread", '"white matter"', "nosuchwordatall",
])
def test_every_count_equals_the_search_it_stands_for(synthetic_library, query):
    """Narrow and broad results alike: each value's count is what searching the query plus
    that value's token finds (two independent paths: bitsets and SQL)."""
    lib = synthetic_library
    facets = lib.catalogue.facets(text=query)
    total = facets.groups["state"][0].count
    assert total == lib.catalogue.search(text=query).total
    checked = 0
    for group, values in facets.groups.items():
        if group == "chart":
            continue
        for value in values:
            if value.value:
                found = lib.catalogue.search(text=f"{query} {value.value}").total
                assert found == value.count, (group, value)
                checked += 1
    assert checked > 5 if total else checked == 0
    if query in ("fatigue", "-fatigue", ""):
        assert total > 100


def test_the_chart_adds_up_to_the_result(synthetic_library):
    facets = synthetic_library.catalogue.facets(text="fatigue")
    assert sum(v.count for v in facets.groups["chart"]) == facets.groups["state"][0].count


def test_a_catalogue_change_rebuilds_the_counts(seeded_library, tmp_path):
    lib = seeded_library
    assert facet(lib.catalogue.facets(text=""), "state")[""] == 5  # indexed and cached
    bib = tmp_path / "mine.bib"
    bib.write_text("@article{k1, title={Orthostatic intolerance in adolescents}, "
                   "author={Rowe, Peter}, journal={J Pediatr}, year={2017}}\n", "utf-8")
    assert lib.importer.import_files(paths=[bib]).committed
    state = facet(lib.catalogue.facets(text=""), "state")
    assert state[""] == 6 and state["is:mine"] == 1
    assert facet(lib.catalogue.facets(text="orthostatic"), "decade") == {"year:2010-2019": 1}


def test_a_short_word_being_typed_does_not_blank_the_result(seeded_library):
    """"therap zq": "zq" matches nothing whole, so the window searches "therap" meanwhile;
    a short word that exists as a word is kept."""
    lib = seeded_library
    assert lib.catalogue.search(text="therap zq").total == 0
    searched, hint = lib.catalogue.as_typed(text="therap zq")
    assert searched == "therap" and "Keep typing" in hint
    assert lib.catalogue.as_typed(text="therap ")[0] == "therap "
    assert lib.catalogue.as_typed(text="f") == ("", lib.catalogue.as_typed(text="f")[1])
    # "of" is a whole word in the seed titles: it is searched as it is.
    assert lib.catalogue.search(text="therap of").total > 0
    assert lib.catalogue.as_typed(text="therap of") == ("therap of", None)


def test_a_key_beyond_the_cached_width_still_counts():
    """An entry added after the catalogue's bitsets were built has a larger key."""
    from atlas_desktop.store.facets import bitset

    assert bitset([1, 100], 1) == (1 << 1) | (1 << 100)
    assert bitset([], 4) == 0

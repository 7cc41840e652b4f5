"""Facet counts follow the query and the user's data; broad results add up the same way."""

from __future__ import annotations

import pytest


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


@pytest.mark.parametrize("query", ["therap", "-heins", "is:unread", "the"])
def test_broad_results_counted_by_complement_match_a_direct_count(seeded_library, query):
    """The complement path (result > half the library) must equal counting directly."""
    from atlas_desktop.domain.query import parse_query
    from atlas_desktop.store import facets as store_facets

    db = seeded_library.ctx.db
    with db.read() as conn:
        library = store_facets.library_counts(conn)
        via_complement = store_facets.raw_counts(conn, parse_query(query), library=library)
        direct = store_facets.raw_counts(conn, parse_query(query), library=None)
    assert via_complement == direct

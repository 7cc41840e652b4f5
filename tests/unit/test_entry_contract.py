"""The entry object of the contract: validation, round trip, unknown fields kept."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain.contract import EntryFormatError, entry_from_contract, entry_to_contract
from atlas_desktop.domain.entry import Author, Entry

FULL = {
    "id": "heins-2013-role-therapeutic",
    "title": "The role of the therapeutic relationship.",
    "authors": [{"family": "Heins", "given": "Marianne J"}, {"family": "Knoop", "given": None}],
    "journal": "Behaviour research and therapy",
    "year": 2013,
    "doi": "10.1016/j.brat.2013.02.001",
    "pmid": "23639303",
    "url": "https://www.mecfsatlas.com/evidence/heins-2013-role-therapeutic",
    "summary": "S",
    "why_it_matters": "W",
    "does_not_prove": "D",
    "observed_findings": ["f1", "f2"],
    "inferred_conclusions": ["c1"],
    "remaining_questions": [],
    "badges": {"pem": "required", "evidence_tier": "E0 Consensus", "confidence": "Moderate",
               "study_type": "Review-Narrative", "peer_reviewed": True,
               "review_status": "Reviewed", "funding": "independent"},
    "evidence_level": "Higher-level",
    "tags": {"Symptom": ["Fatigue"], "Novel Category": ["Something new"]},
    "last_updated": "2026-04-07",
    "snapshot": {"generator": "v1", "scanner": "v1.4", "policy": "v0.1",
                 "accessed": "2026-05-26", "build": "x"},
    "bibtex_key": "mecfsatlas-heins-2013-role-therapeutic",
    "future_field": {"nested": [1, 2, 3]},
}


def test_round_trip_keeps_every_field_including_unknown_ones():
    entry = entry_from_contract(json.loads(json.dumps(FULL)))
    assert entry_to_contract(entry) == FULL


def test_unknown_badge_keys_are_kept_and_shown():
    entry = entry_from_contract(FULL)
    assert entry.badges.extra == {"funding": "independent"}
    assert ("extra", "Funding: independent") in entry.badges.labels()


def test_doi_urls_become_bare_dois():
    entry = entry_from_contract({**FULL, "doi": "https://doi.org/10.1016/j.brat.2013.02.001"})
    assert entry.doi == "10.1016/j.brat.2013.02.001"


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({"id": "Has Capitals"}, "id"),
        ({"id": ""}, "id"),
        ({"year": "2013"}, "year"),
        ({"year": True}, "year"),
        ({"pmid": "PMC123"}, "pmid"),
        ({"doi": "not a doi"}, "doi"),
        ({"authors": [{"given": "x"}]}, "authors[0]"),
        ({"tags": {"Symptom": "Fatigue"}}, "tags.Symptom"),
        ({"badges": {"pem": "maybe"}}, "badges.pem"),
        ({"badges": ["PEM required"]}, "badges"),
        ({"badges": {"peer_reviewed": "yes"}}, "badges.peer_reviewed"),
        ({"badges": {"confidence": 3}}, "badges.confidence"),
        ({"badges": {"review_status": False}}, "badges.review_status"),
        ({"snapshot": "v1"}, "snapshot"),
        ({"snapshot": {"scanner": 1.4}}, "snapshot.scanner"),
        ({"snapshot": {"accessed": "26 May 2026"}}, "snapshot.accessed"),
        ({"last_updated": "7 April 2026"}, "last_updated"),
    ],
)
def test_invalid_fields_are_named(patch, path):
    with pytest.raises(EntryFormatError) as info:
        entry_from_contract({**FULL, **patch})
    assert info.value.path == path


def test_missing_fields_and_display_fallback():
    entry = Entry(id="van-der-vaart-2019", authors=(Author("van der Vaart", "Rosalie"),
                  Author("Bos", "Yvonne")), journal="Internet interventions", year=2019,
                  summary="s", authors_truncated=True)
    assert entry.missing_fields() == ["title", "authors", "doi", "pmid"]
    assert entry.display_title() == "Untitled — van der Vaart et al., 2019"


def test_minimal_entry_is_valid_and_incomplete():
    entry = entry_from_contract({"id": "x"})
    assert entry.is_incomplete
    assert entry.display_title() == "Untitled — unknown authors, n.d."

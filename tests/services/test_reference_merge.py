"""Deciding about duplicates: merge (user data moves along) or keep apart; one transaction."""

from __future__ import annotations

import pytest

from atlas_desktop.domain.references import DuplicateDecision, DuplicatePair
from atlas_desktop.services.references import ReferenceError
from tests.conftest import MENDELEY


@pytest.fixture
def mine(library):
    report = library.importer.import_files(paths=[MENDELEY])
    assert report.committed
    return library


def test_find_duplicates_lists_the_same_pairs_the_import_reported(mine):
    found = {(p.id, p.duplicate_of, p.reason) for p in mine.references.find_duplicates()}
    assert ("my-milazzo2017-2", "my-milazzo2017", "same DOI") in found
    assert ("my-mabbott2017-2", "my-mabbott2017", "same DOI") in found


def test_merge_fills_gaps_and_moves_notes_stars_collections_and_labels(mine):
    notes = mine.annotations
    notes.set_note(entry_id="my-milazzo2017", text="First reading.")
    notes.set_note(entry_id="my-milazzo2017-2", text="Second copy, with my margin notes.")
    notes.set_starred(entry_id="my-milazzo2017-2", starred=True)
    notes.add_to_collection(name="Whiteness", entry_ids=["my-milazzo2017-2"])
    label = notes.create_label(name="to read", color="#d64545")
    notes.set_label(entry_ids=["my-milazzo2017-3"], label_id=label.id, on=True)

    merged = mine.references.merge(keep_id="my-milazzo2017",
                                   merge_ids=["my-milazzo2017-2", "my-milazzo2017-3"])
    assert merged.id == "my-milazzo2017"
    assert mine.catalogue.get_entry(entry_id="my-milazzo2017-2") is None
    assert mine.catalogue.get_entry(entry_id="my-milazzo2017-3") is None
    data = notes.user_data(entry_id="my-milazzo2017")
    assert data.note.text == "First reading.\n\nSecond copy, with my margin notes."
    assert data.starred and data.collections == ("Whiteness",)
    assert [lb.name for lb in data.labels] == ["to read"]
    assert notes.user_data(entry_id="my-milazzo2017-2").note is None
    assert all(p.id not in {"my-milazzo2017-2", "my-milazzo2017-3"}
               for p in mine.references.find_duplicates())


def test_atlas_entries_are_never_merged(seeded_library):
    seeded_library.importer.import_files(paths=[MENDELEY])
    with pytest.raises(ReferenceError, match="Atlas entries cannot be merged"):
        seeded_library.references.merge(keep_id="my-milazzo2017",
                                        merge_ids=["heins-2013-role-therapeutic"])
    assert seeded_library.catalogue.get_entry(entry_id="heins-2013-role-therapeutic")
    assert seeded_library.catalogue.get_entry(entry_id="my-milazzo2017")


def test_keep_apart_is_remembered_by_later_imports(mine):
    mine.references.keep_apart(entry_ids=["my-woolf1939", "my-woolf1939-2"])
    assert all({p.id, p.duplicate_of} != {"my-woolf1939", "my-woolf1939-2"}
               for p in mine.references.find_duplicates())
    again = mine.importer.import_files(paths=[MENDELEY])
    assert {"my-woolf1939", "my-woolf1939-2"} not in [
        {p.id, p.duplicate_of} for p in again.duplicates]


def test_decisions_on_a_chain_of_duplicates_resolve_once(mine):
    pairs = [DuplicatePair("my-milazzo2017-2", "my-milazzo2017", "same DOI"),
             DuplicatePair("my-milazzo2017-3", "my-milazzo2017", "same DOI"),
             DuplicatePair("my-milazzo2017-3", "my-milazzo2017-2", "same DOI"),
             DuplicatePair("my-woolf1939-2", "my-woolf1939", "same title, year and first author")]
    outcome = mine.references.resolve_duplicates(decisions=[
        (pairs[0], DuplicateDecision.MERGE_INTO_EARLIER),
        (pairs[1], DuplicateDecision.MERGE_INTO_LATER),
        (pairs[2], DuplicateDecision.MERGE_INTO_EARLIER),  # already one reference by now
        (pairs[3], DuplicateDecision.KEEP_BOTH),
    ])
    assert outcome.merged == [("my-milazzo2017-2", "my-milazzo2017"),
                              ("my-milazzo2017", "my-milazzo2017-3")]
    assert outcome.kept_apart == 1
    assert mine.catalogue.get_entry(entry_id="my-milazzo2017-3") is not None
    assert mine.catalogue.get_entry(entry_id="my-milazzo2017") is None
    assert mine.catalogue.count(text="is:mine") == 510


def test_a_failing_decision_changes_nothing(mine):
    count = mine.catalogue.count(text="is:mine")
    with pytest.raises(ReferenceError, match="no reference “my-nowhere”"):
        mine.references.resolve_duplicates(decisions=[
            (DuplicatePair("my-milazzo2017-2", "my-milazzo2017", "same DOI"),
             DuplicateDecision.MERGE_INTO_EARLIER),
            (DuplicatePair("my-nowhere", "my-woolf1939", "same DOI"),
             DuplicateDecision.MERGE_INTO_EARLIER),
        ])
    assert mine.catalogue.count(text="is:mine") == count
    assert mine.catalogue.get_entry(entry_id="my-milazzo2017-2") is not None

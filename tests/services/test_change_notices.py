"""Every committed write sends one change notice: the kinds, the entries, who asked."""

from __future__ import annotations

import pytest

from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.reports import ReportDraft
from atlas_desktop.services.annotations import AnnotationError

HEINS = "heins-2013-role-therapeutic"
TWISK = "twisk-2009-review-cognitive"


@pytest.fixture
def notices(seeded_library):
    received: list[ChangeNotice] = []
    unsubscribe = seeded_library.subscribe(received.append)
    yield received
    unsubscribe()


def test_user_data_writes_name_their_entries(seeded_library, notices):
    lib = seeded_library
    lib.annotations.set_starred(entry_id=HEINS, starred=True)
    lib.annotations.set_read(entry_ids=[HEINS, TWISK], read=True)
    lib.annotations.set_note(entry_id=TWISK, text="Check the dropout rate")
    collection, _ = lib.annotations.add_to_collection(name="Clinic", entry_ids=[TWISK])
    lib.reports.create_report(draft=ReportDraft(entry_id=HEINS, field="year",
                                                problem="The year is 2014."))
    lib.annotations.delete_collection(collection_id=collection.id)
    assert [(n.kinds, n.entry_ids) for n in notices] == [
        (Changes.STATE, {HEINS}),
        (Changes.STATE, {HEINS, TWISK}),
        (Changes.NOTES, {TWISK}),
        (Changes.COLLECTIONS, {TWISK}),
        (Changes.REPORTS, {HEINS}),
        (Changes.COLLECTIONS, {TWISK}),  # its members lose it
    ]
    assert all(n.initiator is None for n in notices)


def test_a_change_of_no_entry_says_so_and_an_import_says_many(seeded_library, notices, seeds):
    lib = seeded_library
    lib.annotations.create_collection(name="Letters")
    lib.set_setting("example", 1)
    lib.importer.import_files(paths=seeds[:1])
    assert [(n.kinds, n.entry_ids) for n in notices] == [
        (Changes.COLLECTIONS, frozenset()),
        (Changes.SETTINGS, frozenset()),
        (Changes.CATALOGUE, None),  # many or unknown: every view starts afresh
    ]
    assert notices[0].touches(HEINS) is False and notices[2].touches(HEINS) is True


def test_the_initiator_named_around_a_call_is_in_its_notice(seeded_library, notices):
    view = object()
    with seeded_library.initiated_by(view):
        seeded_library.annotations.set_starred(entry_id=HEINS, starred=True)
    seeded_library.annotations.set_starred(entry_id=HEINS, starred=False)
    assert [n.initiator for n in notices] == [view, None]


def test_a_write_that_fails_sends_nothing(seeded_library, notices):
    with pytest.raises(AnnotationError):
        seeded_library.annotations.set_starred(entry_id="no-such-entry", starred=True)
    with pytest.raises(AnnotationError):
        seeded_library.annotations.add_to_collection(name="X", entry_ids=["no-such-entry"])
    assert notices == []
    assert seeded_library.annotations.collections() == []


def test_tidying_after_an_import_changes_nothing_a_view_shows(seeded_library, notices):
    seeded_library.maintain()
    assert notices == []

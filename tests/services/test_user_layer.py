"""The user's own layer: kept apart from the catalogue, surviving updates and withdrawals."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain.contract import entry_to_contract
from atlas_desktop.domain.reports import ReportDraft, ReportInvalid, ReportStatus
from atlas_desktop.services.annotations import AnnotationError
from atlas_desktop.services.reports import ReportError


def test_withdrawn_entries_keep_notes_stars_and_collections(seeded_library, tmp_path):
    lib = seeded_library
    lib.annotations.set_note(entry_id="heins-2013-role-therapeutic", text="Keep this")
    lib.annotations.set_starred(entry_id="heins-2013-role-therapeutic", starred=True)
    lib.annotations.add_to_collection(name="Talk", entry_ids=["heins-2013-role-therapeutic"])
    with lib.ctx.db.write() as conn:
        from atlas_desktop.store import catalogue

        assert catalogue.withdraw_entries(conn, ["heins-2013-role-therapeutic",
                                                 "daniels-2011-socialization-model"], now="t")
    entry, user = lib.catalogue.show(entry_id="heins-2013-role-therapeutic")
    assert entry.withdrawn is True
    assert user.note.text == "Keep this" and user.starred
    assert user.collections == ("Talk",)
    ids = lib.catalogue.ids_for_pks(pks=list(lib.catalogue.search(text="").pks))
    assert "heins-2013-role-therapeutic" in ids  # withdrawn, but the user's: still listed
    assert "daniels-2011-socialization-model" not in ids  # withdrawn, nothing of the user's
    # The atlas publishes it again: the user's data is still attached, untouched.
    bundle = tmp_path / "b.json"
    contract = entry_to_contract(entry)
    bundle.write_text(json.dumps({"format": "atlas-bundle", "version": 1,
                                  "entries": [contract]}))
    assert lib.importer.import_files(paths=[bundle]).updated == ["heins-2013-role-therapeutic"]
    entry, user = lib.catalogue.show(entry_id="heins-2013-role-therapeutic")
    assert entry.withdrawn is False and user.note.text == "Keep this"


def test_catalogue_update_never_touches_user_tables(seeded_library, seeds):
    lib = seeded_library
    lib.annotations.set_note(entry_id="twisk-2009-review-cognitive", text="mine")
    report = lib.reports.create_report(draft=ReportDraft(
        entry_id="twisk-2009-review-cognitive", field="badges", problem="PEM badge wrong"))
    lib.importer.import_files(paths=seeds)
    assert lib.annotations.get_note(entry_id="twisk-2009-review-cognitive").text == "mine"
    assert lib.reports.get(report_id=report.report_id).body == report.body


def test_labels_have_named_colours_and_collections_are_unique(seeded_library):
    lib = seeded_library
    label = lib.annotations.create_label(name="Urgent", color="#d64545")
    assert label.color_name == "Red"
    with pytest.raises(AnnotationError, match="colours"):
        lib.annotations.create_label(name="Odd", color="#123456")
    lib.annotations.set_label(entry_ids=["van-der-vaart-2019"], label_id=label.id, on=True)
    assert [x.name for x in lib.annotations.user_data(entry_id="van-der-vaart-2019").labels] == [
        "Urgent"]
    assert lib.catalogue.ids_for_pks(pks=list(lib.catalogue.search(text="label:urgent").pks)) == [
        "van-der-vaart-2019"]
    lib.annotations.create_collection(name="Clinic talk")
    with pytest.raises(AnnotationError, match="already exists"):
        lib.annotations.create_collection(name="clinic  TALK")
    with pytest.raises(AnnotationError, match="empty"):
        lib.annotations.create_collection(name="   ")


def test_report_lifecycle_rules(seeded_library):
    lib = seeded_library
    report = lib.reports.create_report(draft=ReportDraft(
        entry_id="heins-2013-role-therapeutic", field="year", problem=" Wrong year. "))
    body = json.loads(report.body)
    assert body["problem"] == "Wrong year." and body["current_value"] == "2013"
    assert body["entry_last_updated"] is None and body["client"]["name"] == "atlas-desktop"
    with pytest.raises(ReportError, match="refused as invalid"):
        lib.reports.edit_and_requeue(report_id=report.report_id, problem="x")
    withdrawn = lib.reports.withdraw(report_id=report.report_id)
    assert withdrawn.status is ReportStatus.WITHDRAWN
    assert lib.reports.count_unsent() == 0
    with pytest.raises(ReportInvalid) as info:
        lib.reports.create_report(draft=ReportDraft(entry_id="no-such", field="year",
                                                    problem="x"))
    assert "no entry" in info.value.problems[0].message
    assert len(lib.reports.list()) == 1


def test_the_detail_read_gives_the_entry_and_the_users_data_together(seeded_library):
    lib = seeded_library
    lib.annotations.set_note(entry_id="twisk-2009-review-cognitive", text="PEM criteria")
    lib.annotations.set_starred(entry_id="twisk-2009-review-cognitive", starred=True)
    pk = lib.catalogue.pk_for_id(entry_id="twisk-2009-review-cognitive")
    found = lib.catalogue.entry_with_user(pk=pk)
    assert found is not None
    entry, user = found
    assert entry.id == user.entry_id == "twisk-2009-review-cognitive"
    assert user.note is not None and user.note.text == "PEM criteria" and user.starred
    other = lib.catalogue.entry_with_user(pk=lib.catalogue.pk_for_id(entry_id="van-der-vaart-2019"))
    assert other is not None and other[1].note is None and not other[1].starred
    assert lib.catalogue.entry_with_user(pk=10**8) is None


def test_a_note_saved_from_an_older_text_is_merged_never_saved_over(seeded_library):
    """Issue 19.10: set_note names the text its edit started from; a note changed since is
    merged, both changes kept."""
    notes = seeded_library.annotations
    entry_id = "heins-2013-role-therapeutic"
    notes.set_note(entry_id=entry_id, text="one\ntwo\nthree")
    notes.set_note(entry_id=entry_id, text="ONE\ntwo\nthree")  # elsewhere, meanwhile
    saved = notes.set_note(entry_id=entry_id, text="one\ntwo\nTHREE",
                           based_on="one\ntwo\nthree")
    assert saved.text == "ONE\ntwo\nTHREE"
    # Up to date: no merge, the text as given.
    assert notes.set_note(entry_id=entry_id, text="new", based_on="ONE\ntwo\nTHREE").text \
        == "new"
    # The command line gives the whole note: it replaces.
    assert notes.set_note(entry_id=entry_id, text="whole").text == "whole"

"""Pulling the catalogue page by page over real HTTP: each page with its cursor in one
transaction, interrupted pulls resume, user data survives withdrawals, and the record of
what changed calls out badge and review-status changes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from atlas_desktop.domain.contract import canonical_entry_dict
from atlas_desktop.domain.entry import Origin
from atlas_desktop.domain.reports import ReportDraft
from atlas_desktop.domain.sync import ChangeKind, SyncState
from atlas_desktop.refserver import RefServer
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import sync_state
from tests.sync_support import (
    ScriptedServer,
    contract_entry,
    json_reply,
    make_service,
    refserver,  # noqa: F401 - fixture
)

IDS = [f"study-{i:02d}" for i in range(10)]


def entries_requests(server):
    return [parse_qs(urlsplit(p).query) for m, p, _ in server.log if p.startswith(
        "/v1/entries")]


def recorded(library):
    with library.ctx.db.read() as conn:
        return sync_state.list_changes(conn)


def test_first_pull_brings_every_page_and_records_new_entries(library, refserver):  # noqa: F811
    refserver.put_entries(contract_entry(i) for i in IDS)
    service = make_service(library, page_limit=3)
    service.set_server_url(url=refserver.url)
    result = service.run(explicit=True)
    assert result.ok and result.catalogue.pages == 4 and result.catalogue.complete
    assert [c.entry_id for c in result.catalogue.new] == IDS
    assert library.catalogue.count_all() == 10
    queries = entries_requests(refserver)
    assert "since" not in queries[0] and queries[0]["limit"] == ["3"]
    assert all("since" in q for q in queries[1:])
    assert service.latest_changes().new[0].title == "A study called study-00"


def test_an_interrupted_pull_resumes_where_it_stopped_and_applies_no_page_twice(
        library, refserver):  # noqa: F811
    refserver.put_entries(contract_entry(i) for i in IDS)
    service = make_service(library, page_limit=3)
    service.set_server_url(url=refserver.url)
    # Pages 1 and 2 arrive; the answer to the third request is lost.
    refserver.force("drop", endpoint="entries", after=2)
    result_one = service.run(explicit=True)
    assert result_one.state is SyncState.ERROR and not result_one.catalogue.complete
    assert result_one.catalogue.pages == 2
    assert library.catalogue.count_all() == 6
    with library.ctx.db.read() as conn:
        _, cursor_after_two = sync_state.get_cursor(conn)

    result_two = service.run(explicit=False)  # an unfinished pull is due at once
    assert result_two.ok and result_two.catalogue.complete
    assert [c.entry_id for c in result_two.catalogue.new] == IDS[6:]
    queries = entries_requests(refserver)
    # The lost third request and the resumed one asked for the same place.
    assert queries[2]["since"] == queries[3]["since"] == [cursor_after_two]
    kinds = [(c.entry_id, c.kind) for c in recorded(library)]
    assert kinds == [(i, ChangeKind.NEW) for i in IDS]  # each entry recorded once
    assert library.catalogue.count_all() == 10


def test_withdrawn_entries_keep_notes_stars_collections_and_reports(library, refserver):  # noqa: F811
    refserver.put_entries(contract_entry(i) for i in IDS[:3])
    service = make_service(library)
    service.set_server_url(url=refserver.url)
    service.run(explicit=True)
    target = IDS[1]
    library.annotations.set_note(entry_id=target, text="Useful for the clinic talk.")
    library.annotations.set_starred(entry_id=target, starred=True)
    library.annotations.add_to_collection(name="Clinic talk", entry_ids=[target])
    report = library.reports.create_report(draft=ReportDraft(
        entry_id=target, field="title", problem="The title lacks its subtitle."))

    refserver.delete_entries([target])
    result = service.run(explicit=True)
    assert [c.entry_id for c in result.catalogue.withdrawn] == [target]
    assert result.sent == [report.report_id]  # the outbox went first, as usual
    entry, user = library.catalogue.show(entry_id=target)
    assert entry.withdrawn is True
    assert user.note.text == "Useful for the clinic talk."
    assert user.reports[0].report_id == report.report_id
    assert user.starred is True
    assert user.collections == ("Clinic talk",)
    assert library.catalogue.count_all() == 2
    change = service.latest_changes().withdrawn[0]
    assert "notes on it are kept" in change.describe()
    assert change.title == "A study called study-01"

    # The atlas brings it back: it is live again, the user's layer as it was.
    refserver.put_entries([contract_entry(target, title="Restored title")])
    back = service.run(explicit=True)
    assert back.catalogue.changed[0].reinstated
    assert library.catalogue.get_entry(entry_id=target).withdrawn is False
    assert library.annotations.user_data(entry_id=target).note.text.startswith("Useful")


def test_badge_and_review_status_changes_are_called_out(library, refserver):  # noqa: F811
    refserver.put_entries([contract_entry("study-a"), contract_entry("study-b")])
    service = make_service(library)
    service.set_server_url(url=refserver.url)
    service.run(explicit=True)
    refserver.put_entries([
        contract_entry("study-a", badges={"pem": "not_required",
                                          "review_status": "Editor reviewed"}),
        contract_entry("study-b", summary="A clearer summary."),
    ])
    result = service.run(explicit=True)
    by_id = {c.entry_id: c for c in result.catalogue.changed}
    assert by_id["study-a"].review_status_change == ("Reviewed", "Editor reviewed")
    assert by_id["study-a"].badges["pem"] == ("required", "not_required")
    assert "review status Reviewed → Editor reviewed" in by_id["study-a"].describe()
    assert by_id["study-b"].badges == {} and by_id["study-b"].fields == ("summary",)
    assert "1 with badge or review-status changes" in result.catalogue.summary()
    # The record survives for the window: unseen until marked seen.
    unseen = service.unseen_changes()
    assert len(unseen.new) == 2 and len(unseen.changed) == 2
    service.mark_changes_seen()
    assert service.unseen_changes().empty and service.overview().unseen_changes == 0


def test_a_page_with_an_invalid_entry_is_refused_whole_and_the_cursor_stays(library):
    good = contract_entry("study-good")
    bad = contract_entry("study-bad", year="nineteen")
    with ScriptedServer(lambda s: json_reply(200, {
            "entries": [good, bad], "deleted": [], "next_cursor": "c1",
            "has_more": False})) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
    assert result.state is SyncState.ERROR
    assert "study-bad" in result.message and "year" in result.message
    assert library.catalogue.get_entry(entry_id="study-good") is None
    with library.ctx.db.read() as conn:
        assert sync_state.get_cursor(conn) == (None, None)


def test_a_server_that_repeats_the_same_page_forever_is_stopped(library):
    page = {"entries": [contract_entry("study-x")], "deleted": [], "next_cursor": "same",
            "has_more": True}
    with ScriptedServer(lambda s: json_reply(200, page)) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
        assert len(server.seen) == 2
    assert result.state is SyncState.ERROR and "same catalogue page" in result.message


def test_another_servers_cursor_is_not_used(library, refserver, tmp_path):  # noqa: F811
    refserver.put_entries([contract_entry("study-a")])
    service = make_service(library)
    service.set_server_url(url=refserver.url)
    service.run(explicit=True)
    with RefServer(tmp_path / "other.sqlite3") as other:
        other.put_entries([contract_entry("study-z")])
        service.set_server_url(url=other.url)
        result = service.run(explicit=True)
        assert "since" not in entries_requests(other)[0]
    assert [c.entry_id for c in result.catalogue.new] == ["study-z"]


def test_entries_of_the_users_own_library_are_never_overwritten(library, refserver):  # noqa: F811
    # One of the user's own references (say, imported from BibTeX) under an id the atlas
    # later uses too.
    with library.ctx.db.write() as conn:
        cat.upsert_contracts(conn, [canonical_entry_dict(contract_entry("study-mine",
                                                                        title="Mine"))],
                             ids=["study-mine"], now="2026-01-01T00:00:00Z",
                             origin=Origin.MINE)
    refserver.put_entries([contract_entry("study-mine", title="The atlas's version")])
    service = make_service(library)
    service.set_server_url(url=refserver.url)
    result = service.run(explicit=True)
    assert result.catalogue.refused and result.catalogue.refused[0][0] == "study-mine"
    assert library.catalogue.get_entry(entry_id="study-mine").title == "Mine"
    refserver.delete_entries(["study-mine"])
    service.run(explicit=True)
    mine = library.catalogue.get_entry(entry_id="study-mine")
    assert mine.title == "Mine" and not mine.withdrawn

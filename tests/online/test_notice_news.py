"""A notice found when records are completed is a line in "what changed" (issue 15): once,
when it first appears; in the window's dialog, the status bar's count and the command line's
``sync changes``."""

from __future__ import annotations

import pytest

from tests.online.replay import ReplayServer, status
from tests.online.support import ALL, HCQ, PLOS, WAKEFIELD, add_entries, service


@pytest.fixture
def server():
    with ReplayServer() as running:
        yield running


def test_each_paper_with_a_new_notice_is_one_line_of_what_changed(library, server):
    add_entries(library, ALL)
    service(library, server).complete()
    update = library.sync.unseen_changes()
    lines = {c.entry_id: c.describe() for c in update.changed}
    assert lines[WAKEFIELD["id"]] == (
        "Retracted and expression of concern: Ileal-lymphoid-nodular hyperplasia, "
        "non-specific colitis, and pervasive developmental disorder in children.")
    assert lines[HCQ["id"]].startswith(
        "Retracted, expression of concern and correction published: Hydroxychloroquine")
    assert lines[PLOS["id"]].startswith("Expression of concern: Adult bone marrow")
    # The notices themselves are not papers with a notice.
    assert set(lines) == {WAKEFIELD["id"], HCQ["id"], PLOS["id"]}
    assert all(c.is_notice for c in update.changed)
    assert update.summary() == ("Catalogue: 0 new, 0 changed, 0 withdrawn; 3 papers with a new "
                                "retraction, correction or expression of concern.")
    assert library.sync.overview().unseen_changes == 3


def test_a_notice_found_again_is_not_news(library, server):
    add_entries(library, ALL)
    completion = service(library, server)
    # Crossref is down at first: PubMed's records alone.
    server.replay.faults.extend([("/crossref/", status(500))] * 20)
    completion.complete()
    assert {c.entry_id for c in library.sync.unseen_changes().changed} == {
        WAKEFIELD["id"], PLOS["id"]}
    library.sync.mark_changes_seen()
    server.replay.faults.clear()
    report = completion.complete()
    # Crossref's records now complete Wakefield's and PLOS ONE's with the same notices
    # (news to nobody); only the paper PubMed does not hold brings news.
    assert {r.entry_id for r in report.results if r.outcome.value == "completed"} >= {
        WAKEFIELD["id"], PLOS["id"], HCQ["id"]}
    assert [c.entry_id for c in library.sync.unseen_changes().changed] == [HCQ["id"]]
    library.sync.mark_changes_seen()
    completion.complete(entry_ids=[WAKEFIELD["id"], PLOS["id"]])  # the same answers again
    assert library.sync.unseen_changes().empty


def test_sync_changes_prints_the_lines(library, server, capsys):
    from atlas_desktop.app import main

    add_entries(library, ALL)
    service(library, server).complete()
    assert main(["--data-dir", str(library.paths.data_dir), "sync", "changes"]) == 0
    out = capsys.readouterr().out
    assert "3 papers with a new retraction, correction or expression of concern" in out
    assert "  Expression of concern: Adult bone marrow neural crest" in out


def test_a_correction_that_turns_out_to_be_a_retraction_is_news():
    """The same notice (one DOI) first recorded as a correction, then merged as a retraction
    when PubMed says RetractionIn: the retraction is news; the same notice again is not."""
    from atlas_desktop.domain.completion import Notice, NoticeKind
    from atlas_desktop.services.completion import _new_kinds

    correction = Notice(NoticeKind.CORRECTION, "retraction-watch", "2020-06-01", "10.1/x")
    retraction = Notice(NoticeKind.RETRACTION, "pubmed, retraction-watch", "2020-06-01",
                        "10.1/X", "123")
    assert _new_kinds([correction], [retraction]) == [NoticeKind.RETRACTION]
    assert _new_kinds([retraction], [retraction]) == []
    assert _new_kinds([], [correction]) == [NoticeKind.CORRECTION]

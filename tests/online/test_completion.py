"""Completing a library against a loopback server replaying the recorded answers: batches,
records that do not exist, Retry-After, a 500 inside a run, truncated XML, an entity bomb,
a timeout, DataCite behind a doi.org redirect, offline queueing; a bad answer never changes
or removes what was kept."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from atlas_desktop.domain.completion import NoticeKind
from atlas_desktop.services.completion import CompletionOff
from atlas_desktop.services.exporting import ExportFormat
from atlas_desktop.store import catalogue as cat
from tests.net.rawserver import RawServer, drip_headers
from tests.online.replay import ENTITY_BOMB, ReplayServer, status
from tests.online.support import (
    ALL,
    CRYO,
    FIGSHARE,
    HCQ,
    HCQ_NOTICE,
    PLOS,
    WAKEFIELD,
    WAKEFIELD_NOTICE,
    add_entries,
    service,
)
from tests.sync_support import memory_keyring  # noqa: F401 - fixture


@pytest.fixture
def server():
    with ReplayServer() as running:
        yield running


@pytest.fixture
def atlas(library):
    add_entries(library, ALL)
    return library


def outcomes(report):
    return {r.entry_id: r.text for r in report.results}


def test_a_library_is_completed_in_batches_with_its_notices(atlas, server):
    completion = service(atlas, server, pubmed_batch=2, crossref_batch=3)
    report = completion.complete()
    results = outcomes(report)
    assert results == {
        "wakefield-1998": "completed", "wakefield-retraction-2010": "completed",
        "mehra-2020-hydroxychloroquine": "completed", "mehra-2020-retraction": "completed",
        "neirinckx-2013-bone-marrow": "completed", "taddei-2001-cryopreservation": "completed",
        "himmelstein-2017-hetnet": "completed", "unknown-pmid": "not found",
        "unknown-doi": "not found"}
    # 5 PMIDs in batches of 2, 7 DOIs in batches of 3; doi.org only for the 2 DOIs that
    # Crossref does not hold (DataCite's, and one nobody has).
    assert report.requests == {"pubmed": 3, "crossref": 3, "doi": 2}
    assert server.replay.count("/eutils/efetch.fcgi") == 3
    assert server.replay.count("/datacite/") == 1  # the redirect was followed

    records = completion.records(entry_ids=[e["id"] for e in ALL])
    wakefield = records["wakefield-1998"]
    assert wakefield.value("volume") == "351" and wakefield.value("issue") == "9103"
    assert wakefield.value("page") == "637-41"
    assert wakefield.value("container-title-short") == "Lancet"
    assert wakefield.value("issued") == {"date-parts": [[1998, 2, 28]]}
    assert len(wakefield.value("author")) == 13  # the atlas listed two, "et al."
    assert wakefield.fields["volume"].source == "pubmed"
    assert [d.field for d in wakefield.differences] == ["authors"]
    assert wakefield.is_retracted
    assert records["mehra-2020-hydroxychloroquine"].is_retracted
    for notice in ("wakefield-retraction-2010", "mehra-2020-retraction"):
        assert not records[notice].is_retracted, notice
    plos = records["neirinckx-2013-bone-marrow"]
    assert plos.has_concern and not plos.is_retracted
    assert [(n.kind, n.pmid) for n in plos.notices] == [(NoticeKind.CONCERN, "34710116")]
    assert records["himmelstein-2017-hetnet"].fields["publisher"].source == "doi.org"
    # The atlas's shortened title and wrong year are differences to show and report.
    cryo = records["taddei-2001-cryopreservation"]
    assert [d.field for d in cryo.differences] == ["title", "year", "authors"]
    assert (cryo.differences[1].atlas_value, cryo.differences[1].source_value) == (2002, 2001)
    assert completion.pending() == []
    assert completion.entries_with_notice(kind=NoticeKind.RETRACTION) == {
        "wakefield-1998", "mehra-2020-hydroxychloroquine"}
    # Wakefield's MEDLINE record also lists an expression of concern (ECI).
    assert completion.entries_with_notice(kind=NoticeKind.CONCERN) == {
        "neirinckx-2013-bone-marrow", "mehra-2020-hydroxychloroquine", "wakefield-1998"}


def test_only_identifiers_are_sent(atlas, server):
    service(atlas, server, email="clinic@example.org").complete()
    pmids = {e["pmid"] for e in ALL if "pmid" in e}
    dois = {e["doi"].lower() for e in ALL if "doi" in e}
    for request in server.replay.requests:
        parts = urlsplit(request)
        query = parse_qs(parts.query)
        path = unquote(parts.path)
        if path == "/eutils/efetch.fcgi":
            assert set(query) == {"db", "retmode", "id", "tool", "email"}
            assert set(query["id"][0].split(",")) <= pmids
            assert (query["tool"], query["email"]) == (["atlas-desktop"], ["clinic@example.org"])
        elif path == "/crossref/works":
            assert set(query) == {"filter", "rows", "mailto"}
            assert {f[4:].lower() for f in query["filter"][0].split(",")} <= dois
        else:  # /doi/{doi}, and where doi.org sent us
            assert not query
            assert path.split("/", 2)[2].lower() in dois, path


def test_a_second_run_finds_nothing_new(atlas, server):
    completion = service(atlas, server)
    completion.complete()
    again = outcomes(completion.complete(entry_ids=[WAKEFIELD["id"], CRYO["id"]]))
    assert again == {WAKEFIELD["id"]: "unchanged", CRYO["id"]: "unchanged"}
    assert outcomes(completion.complete(missing=True)) == {
        "unknown-pmid": "not found", "unknown-doi": "not found"}


def test_a_500_inside_a_run_fails_only_its_batch_and_it_waits_for_later(atlas, server):
    sleeps: list[float] = []
    completion = service(atlas, server, sleeps, pubmed_batch=2)
    # PMIDs in order: [11748933, 20137807], [23741377, 9500320]. The first request is
    # answered; the second fails at each of its three attempts.
    server.replay.faults += [("/eutils/efetch.fcgi", None)] + [
        ("/eutils/efetch.fcgi", status(500, b"Internal Server Error"))] * 3
    report = completion.complete(entry_ids=[WAKEFIELD["id"], PLOS["id"], CRYO["id"],
                                            WAKEFIELD_NOTICE["id"]])
    results = outcomes(report)
    assert results[CRYO["id"]] == "completed" and results[WAKEFIELD_NOTICE["id"]] == "completed"
    # Wakefield and PLoS got Crossref's record, so they are completed from it...
    assert completion.record(entry_id=WAKEFIELD["id"]).fields["volume"].source == "crossref"
    # ... and wait for PubMed's.
    assert set(completion.pending()) == {WAKEFIELD["id"], PLOS["id"]}
    assert server.replay.count("/eutils/efetch.fcgi") == 4
    assert len(sleeps) == 2  # backoff between the three attempts, with jitter
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0
    completion.check_after_sync(explicit=False)
    assert completion.pending() == []
    assert completion.record(entry_id=WAKEFIELD["id"]).fields["volume"].source == "pubmed"


def test_a_429_is_waited_out_as_the_server_asks(atlas, server):
    sleeps: list[float] = []
    completion = service(atlas, server, sleeps)
    server.replay.faults.append(
        ("/eutils/efetch.fcgi", status(429, b"slow down", {"Retry-After": "7"})))
    report = completion.complete(entry_ids=[CRYO["id"]])
    assert outcomes(report) == {CRYO["id"]: "completed"}
    assert sleeps == [7.0]
    assert server.replay.count("/eutils/efetch.fcgi") == 2


def test_a_long_retry_after_leaves_the_work_for_the_next_sync(atlas, server):
    sleeps: list[float] = []
    completion = service(atlas, server, sleeps)
    server.replay.faults.append(
        ("/eutils/efetch.fcgi", status(429, b"", {"Retry-After": "3600"})))
    report = completion.complete(entry_ids=[CRYO["id"]])
    assert outcomes(report)[CRYO["id"]].startswith("failed: PubMed asked to wait")
    assert sleeps == [] and completion.pending() == [CRYO["id"]]
    assert report.pending == 1
    completion.check_after_sync(explicit=False)
    assert completion.record(entry_id=CRYO["id"]).value("volume") == "42"
    assert completion.pending() == []


@pytest.mark.parametrize(("prefix", "fault", "words"), [
    ("/eutils/efetch.fcgi", status(200, b"<?xml version='1.0'?><PubmedArticleSet><PubmedArt"),
     "not complete XML"),
    ("/eutils/efetch.fcgi", status(200, ENTITY_BOMB), "entities"),
    ("/crossref/works", status(200, b'{"status": "ok", "message-type": "work", "mess'),
     "not complete JSON"),
    ("/eutils/efetch.fcgi", status(403, b"forbidden"), "HTTP 403"),
])
def test_a_bad_answer_changes_and_removes_nothing(atlas, server, prefix, fault, words):
    completion = service(atlas, server, attempts=1)
    completion.complete(entry_ids=[WAKEFIELD["id"]])
    before = completion.record(entry_id=WAKEFIELD["id"])
    assert before.is_retracted
    server.replay.faults.append((prefix, fault))
    report = completion.complete(entry_ids=[WAKEFIELD["id"]])
    after = completion.record(entry_id=WAKEFIELD["id"])
    assert after == before
    [result] = report.results
    assert result.text == "unchanged"  # the other source answered, with the same record
    assert any(words in r for r in _reasons(completion, server, prefix, fault))


def _reasons(completion, server, prefix, fault):
    """The failure alone: the same fault, with the other source out of the picture."""
    server.replay.faults.append((prefix, fault))
    entry = CRYO if prefix.startswith("/eutils") else HCQ
    return [r.text for r in completion.complete(entry_ids=[entry["id"]]).results]


def test_a_silent_server_times_out_and_the_work_waits(atlas, server):
    from atlas_desktop.net.http import Limits

    with RawServer(drip_headers) as slow:
        completion = service(atlas, server, eutils_url=slow.url, attempts=1,
                             limits=Limits(2.0, 2.0, 0.5))
        report = completion.complete(entry_ids=[CRYO["id"]])
    [result] = report.results
    assert "did not answer in full within 0.5 seconds" in result.text
    assert completion.pending() == [CRYO["id"]]


def test_offline_nothing_blocks_and_everything_waits(atlas, server):
    completion = service(atlas, server, eutils_url="http://127.0.0.1:9",
                         crossref_url="http://127.0.0.1:9", doi_url="http://127.0.0.1:9")
    report = completion.complete()
    assert all(r.text.startswith("failed: offline") for r in report.results
               if r.entry_id not in {"unknown-pmid", "unknown-doi"})
    assert len(completion.pending()) == len(ALL)
    assert completion.record(entry_id=WAKEFIELD["id"]).empty


def test_with_completion_off_nothing_is_sent(atlas, server):
    completion = service(atlas, server)
    completion.set_enabled(enabled=False)
    with pytest.raises(CompletionOff, match="nothing was sent"):
        completion.complete()
    assert completion.check_after_sync(explicit=True) is None
    assert server.replay.requests == []


def test_completed_records_survive_catalogue_updates_and_withdrawals(atlas, server):
    completion = service(atlas, server)
    completion.complete(entry_ids=[HCQ["id"], HCQ_NOTICE["id"], FIGSHARE["id"]])
    kept = completion.record(entry_id=HCQ["id"])
    add_entries(atlas, [{**HCQ, "title": "A corrected title"}])
    with atlas.ctx.db.write() as conn:
        cat.withdraw_entries(conn, [FIGSHARE["id"]], now=atlas.ctx.clock())
    assert completion.record(entry_id=HCQ["id"]).fields == kept.fields
    assert completion.record(entry_id=HCQ["id"]).is_retracted
    assert not completion.record(entry_id=FIGSHARE["id"]).empty
    # The atlas's own values were never touched.
    assert atlas.catalogue.get_entry(entry_id=HCQ["id"]).title == "A corrected title"


def test_the_ncbi_api_key_lives_in_the_keyring_and_raises_the_rate(atlas, server,
                                                                   memory_keyring):  # noqa: F811
    completion = service(atlas, server, pubmed_rate=3.0)
    completion.set_api_key(key="0123456789abcdef0123456789abcdef0123")
    assert memory_keyring.store == {("atlas-desktop", "ncbi-api-key"):
                                    "0123456789abcdef0123456789abcdef0123"}
    config = completion.online_config()
    assert config.effective_pubmed_rate == 10.0
    completion.complete(entry_ids=[CRYO["id"]])
    [request] = [r for r in server.replay.requests if r.startswith("/eutils/efetch")]
    assert parse_qs(urlsplit(request).query)["api_key"] == [
        "0123456789abcdef0123456789abcdef0123"]
    assert atlas.ctx.db.path.read_bytes().find(b"0123456789abcdef0123") == -1
    completion.set_api_key(key=None)
    assert memory_keyring.store == {} and completion.online_config().effective_pubmed_rate == 3.0


def test_plain_http_to_another_computer_is_refused_before_anything_is_sent(atlas, server):
    completion = service(atlas, server, eutils_url="http://198.51.100.7/eutils", attempts=1)
    [result] = completion.complete(entry_ids=[CRYO["id"]]).results
    assert "not encrypted" in result.text


def test_base_urls_come_from_settings_and_the_environment_wins(atlas, server):
    from atlas_desktop.services.completion import CompletionService

    completion = CompletionService(atlas.ctx, environ={
        "ATLAS_DESKTOP_CROSSREF_URL": server.url + "/crossref"})
    assert completion.online_config().eutils_url == \
        "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    completion.set_base_url(which="eutils_url", url=server.url + "/eutils/")
    completion.set_base_url(which="crossref_url", url="https://mirror.example.org")
    config = completion.online_config()
    assert config.eutils_url == server.url + "/eutils"
    assert config.crossref_url == server.url + "/crossref"
    with pytest.raises(ValueError, match="https://"):
        completion.set_base_url(which="doi_url", url="ftp://doi.example.org")


def test_completed_records_are_not_part_of_a_bundle_export(atlas, server, tmp_path):
    completion = service(atlas, server)
    completion.complete(entry_ids=[WAKEFIELD["id"]])
    target = tmp_path / "export.json"
    atlas.exporter.export(format=ExportFormat.BUNDLE, path=target)
    text = target.read_text("utf-8")
    assert WAKEFIELD["id"] in text
    for completed in ('"9103"', "637-41", "Retraction Watch", "retraction-watch",
                      "container-title-short"):
        assert completed not in text

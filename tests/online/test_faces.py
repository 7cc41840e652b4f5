"""The command line's ``complete``, ``add``, ``completion`` and ``show --json``, and the
check that runs at each sync, against the replay server."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain.sync import SyncState
from tests.online.replay import ReplayServer
from tests.online.support import ALL, HCQ, PLOS, WAKEFIELD, add_entries


@pytest.fixture
def server(monkeypatch):
    with ReplayServer() as running:
        for name, value in running.environ.items():
            monkeypatch.setenv(name, value)
        yield running


def test_complete_and_show_json(cli, server, tmp_path):
    from atlas_desktop.paths import LibraryPaths
    from atlas_desktop.services import open_library

    library = open_library(LibraryPaths(tmp_path / "cli-library"))
    add_entries(library, ALL)
    library.close()
    code, out, err = cli("complete", "--all", "--json")
    assert code == 0, err
    results = {r["id"]: r["result"] for r in json.loads(out)["results"]}
    assert results[WAKEFIELD["id"]] == "completed" and results["unknown-pmid"] == "not found"

    code, out, _ = cli("show", WAKEFIELD["id"], "--json")
    shown = json.loads(out)
    assert shown["completed"]["volume"] == {
        "value": "351", "source": "pubmed", "retrieved_at": shown["completed"]["volume"][
            "retrieved_at"]}
    assert shown["completed"]["container-title-short"]["value"] == "Lancet"
    assert shown["title"] == WAKEFIELD["title"]  # the atlas's value, not overwritten
    kinds = {(n["kind"], n["doi"].lower() if n["doi"] else None) for n in shown["notices"]}
    assert ("retraction", "10.1016/s0140-6736(10)60175-4") in kinds
    assert {"kind", "source", "date", "doi", "pmid"} <= set(shown["notices"][0])

    code, out, _ = cli("show", WAKEFIELD["id"])
    assert "RETRACTED: notice 2010-02-06 (doi:10.1016/S0140-6736(10)60175-4, PMID 20137807)" \
        in out.replace("s0140", "S0140")
    assert "Completed from pubmed on " in out and "volume 351; issue 9103; page 637-41" in out

    code, out, _ = cli("complete", WAKEFIELD["id"], "no-such-entry")
    assert out.splitlines() == ["no-such-entry: failed: there is no such entry",
                                f"{WAKEFIELD['id']}: unchanged"]

    code, _, _ = cli("completion", "off")
    code, _, err = cli("complete", "--all")
    assert code == 1 and "nothing was sent" in err


def test_add_by_identifier_from_pasted_text(cli, server, tmp_path):
    from atlas_desktop.paths import LibraryPaths
    from atlas_desktop.services import open_library

    library = open_library(LibraryPaths(tmp_path / "cli-library"))
    add_entries(library, [HCQ])  # an atlas entry with the DOI pasted below
    library.close()
    pasted = ("Mehra MR et al. Lancet. 2020. doi:10.1016/S0140-6736(20)31180-6. See also "
              "Neirinckx V et al. PLoS One 2013, PMID: 23741377, and PMC5442267.")
    code, out, err = cli("add", pasted, "--json")
    assert code == 0, err
    results = {r["identifier"]: r for r in json.loads(out)}
    assert set(results) == {"doi:10.1016/S0140-6736(20)31180-6", "pmid:23741377",
                            "pmid:27797938"}  # the PMCID became its PMID
    hcq = results["doi:10.1016/S0140-6736(20)31180-6"]
    assert hcq["result"] == "added" and hcq["linked"] == HCQ["id"]
    plos = results["pmid:23741377"]
    code, out, _ = cli("show", plos["id"], "--json")
    shown = json.loads(out)
    assert shown["origin"] == "mine"
    assert shown["journal"] == "PloS one" and shown["year"] == 2013
    assert len(shown["authors"]) == 5 and shown["authors"][0]["family"] == "Neirinckx"
    assert [n["kind"] for n in shown["notices"]] == ["concern"]
    assert shown["completed"]["page"]["value"] == "e64723"

    code, out, _ = cli("add", "23741377", "--json")
    [again] = json.loads(out)
    assert again["result"] == "exists" and again["id"] == plos["id"]
    code, _, err = cli("add", "no identifiers in here")
    assert code == 1 and "No DOI" in err


def test_each_sync_completes_and_checks_for_notices(library, server):
    add_entries(library, [WAKEFIELD, PLOS])
    result = library.sync.run(explicit=True)  # no atlas server set: only completion runs
    assert result.state is SyncState.NOT_CONFIGURED
    assert library.completion.record(entry_id=WAKEFIELD["id"]).is_retracted
    assert library.completion.record(entry_id=PLOS["id"]).has_concern
    asked = server.replay.count("/eutils/efetch.fcgi")
    library.sync.run(explicit=False)  # checked less than a day ago: nothing is sent
    assert server.replay.count("/eutils/efetch.fcgi") == asked
    library.completion.set_enabled(enabled=False)
    library.sync.run(explicit=True)
    assert server.replay.count("/eutils/efetch.fcgi") == asked


def test_a_pmcid_and_its_pmid_given_together_add_one_reference(cli, server):
    code, out, err = cli("add", "PMC5442267", "27797938", "--json")
    assert code == 0, err
    [result] = json.loads(out)
    assert result["identifier"] == "pmid:27797938" and result["result"] == "added"
    code, out, _ = cli("search", "is:mine", "--json")
    assert [hit["id"] for hit in json.loads(out)] == [result["id"]]

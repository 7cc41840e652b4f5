"""Counted nouns and sentence ends in one place (issue 18.23): "1 entry", "Import the 1 valid
entry", and never "running?."."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain.wording import counted, plural, sentence
from atlas_desktop.refserver import RefServer
from atlas_desktop.sync.client import AtlasClient, ClientConfig
from atlas_desktop.sync.outcome import OutcomeKind


@pytest.mark.parametrize(("n", "noun", "text"), [
    (1, "entry", "1 entry"), (2, "entry", "2 entries"), (0, "entry", "0 entries"),
    (1, "valid entry", "1 valid entry"), (35, "valid entry", "35 valid entries"),
    (1_234, "report", "1,234 reports"), (1, "pair", "1 pair"),
    (2, "possible duplicate", "2 possible duplicates"),
    (3, "unsent report", "3 unsent reports"),
])
def test_counted(n, noun, text):
    assert counted(n, noun) == text


def test_verbs_agree():
    assert [plural("needs", n) for n in (1, 2)] == ["needs", "need"]
    assert [plural("was", n) for n in (1, 2)] == ["was", "were"]


@pytest.mark.parametrize(("text", "ended"), [
    ("is the server running?", "is the server running?"), ("Done", "Done."),
    ("Done.", "Done."), ("Wait…", "Wait…"), ("Stop!", "Stop!"), ("", ""),
])
def test_sentence(text, ended):
    assert sentence(text) == ended


def test_a_refused_connection_asks_once(tmp_path):
    server = RefServer(tmp_path / "s.sqlite3")
    url = server.url
    server.stop()  # nothing listens there now
    config = ClientConfig(base_url=url, user_agent="atlas-desktop/test", connect_timeout=2,
                          read_timeout=2, total_timeout=5)
    with AtlasClient(config) as client:
        outcome = client.fetch_page(since=None, limit=10)
    assert outcome.kind is OutcomeKind.UNREACHABLE
    assert outcome.message.endswith("is the server running?")


def test_one_search_result_is_one_entry(cli, seeds):
    assert cli("import", str(seeds[0]))[0] == 0
    code, out, err = cli("search", "")
    assert code == 0 and err.strip() == "1 entry"
    code, out, _ = cli("search", "", "--json")
    assert len(json.loads(out)) == 1

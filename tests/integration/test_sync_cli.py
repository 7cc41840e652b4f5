"""``atlas-desktop sync`` and ``atlas-desktop serve``: summaries, JSON and exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from atlas_desktop.app import main
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.refserver import FaultPlan, RefServer
from atlas_desktop.services import open_library
from atlas_desktop.store import user as user_store
from tests.sync_support import contract_entry, refserver  # noqa: F401 - fixture


def _queue(cli, seeds, count=2):
    cli("import", *map(str, seeds))
    for i in range(count):
        code, _, err = cli("report", "twisk-2009-review-cognitive", "--field", "year",
                           "--problem", f"The year is wrong ({i}).")
        assert code == 0, err


def test_sync_without_a_server_waits_and_exits_1(cli, seeds):
    _queue(cli, seeds, 1)
    code, out, err = cli("sync", "--once")
    assert code == 1
    assert "No atlas server is set" in err
    assert "Reports: 0 sent, 0 replayed, 0 need attention, 1 still queued." in out


def test_plain_http_to_another_computer_is_refused_and_not_saved(cli):
    code, _, err = cli("sync", "--server", "http://atlas.example.org/api", "--once")
    assert code == 1 and "https://" in err
    code, out, _ = cli("sync", "status", "--json")
    assert json.loads(out)["server_url"] is None


def test_sync_sends_pulls_and_prints_the_summary(cli, seeds, refserver):  # noqa: F811
    _queue(cli, seeds, 2)
    refserver.put_entries([contract_entry("study-a"), contract_entry("study-b")])
    code, out, err = cli("sync", "--server", refserver.url, "--once", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["ok"] is True and summary["state"] == "ok"
    assert (summary["sent"], summary["replayed"], summary["needs_attention"],
            summary["still_queued"]) == (2, 0, 0, 0)
    assert summary["entries"] == {"new": 2, "changed": 0, "withdrawn": 0}
    assert len(refserver.reports()) == 2

    refserver.put_entries([contract_entry("study-a", badges={"review_status": "Retracted"})])
    refserver.delete_entries(["study-b"])
    code, out, _ = cli("sync", "--once")
    assert code == 0
    assert "Entries: 0 new, 1 changed, 1 withdrawn." in out
    assert "review status Reviewed → Retracted" in out
    assert "your notes on it are kept" in out

    code, out, _ = cli("outbox", "--json", "--details")
    assert {r["server_status"] for r in json.loads(out)} == {"received"}
    # The reviewer answers; once the status is due for a check, `sync` fetches it.
    rid = refserver.reports()[0].report_id
    refserver.set_review(rid, "accepted", "Fixed on the atlas page.")
    other = open_library(LibraryPaths(cli.data_dir))
    with other.ctx.db.write() as conn:
        user_store.update_report(conn, rid, now="x", status_checked_at="2000-01-01T00:00:00Z")
    other.close()
    code, out, _ = cli("sync", "--once", "--json")
    assert json.loads(out)["statuses_updated"] == [rid]
    code, out, _ = cli("outbox")
    assert "review: Accepted: Fixed on the atlas page." in out

    code, out, _ = cli("sync", "changes", "--json")
    changes = json.loads(out)
    assert [c["entry_id"] for c in changes["withdrawn"]] == ["study-b"]
    assert changes["changed"][0]["review_status"] == ["Reviewed", "Retracted"]


def test_unreachable_server_exits_1(cli, seeds, tmp_path):
    _queue(cli, seeds, 1)
    server = RefServer(tmp_path / "gone.sqlite3")
    url = server.url
    server.stop()
    code, out, err = cli("sync", "--server", url, "--once")
    assert code == 1
    assert "Could not connect" in err and "1 still queued" in out


def test_refused_token_exits_1_and_the_environment_token_is_used(cli, seeds, tmp_path,
                                                                  monkeypatch):
    _queue(cli, seeds, 1)
    with RefServer(tmp_path / "s.sqlite3", token="letmein") as server:
        code, _, err = cli("sync", "--server", server.url, "--once")
        assert code == 1 and "token" in err
        monkeypatch.setenv("ATLAS_DESKTOP_TOKEN", "letmein")
        code, out, _ = cli("sync", "--once", "--json")
        assert code == 0 and json.loads(out)["sent"] == 1


def test_without_once_a_short_retry_after_is_waited_out(cli, seeds, refserver):  # noqa: F811
    _queue(cli, seeds, 2)
    refserver.set_faults(FaultPlan(retry_after="1"))
    refserver.force("busy", endpoint="corrections")
    code, out, err = cli("sync", "--server", refserver.url, "--json", "--wait", "20")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["sent"] == 2 and summary["still_queued"] == 0
    statuses = [s for m, _, s in refserver.log if m == "POST"]
    assert statuses == [503, 201, 201]


def test_serve_runs_as_a_process_and_says_where_it_listens(tmp_path, cli, seeds):
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps({"format": "atlas-bundle", "version": 1,
                                  "entries": [contract_entry("study-served")]}))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "atlas_desktop", "serve", "--port", "0", "--db",
         str(tmp_path / "served.sqlite3"), "--bundle", str(bundle)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = proc.stdout.readline()
        assert "1 entry added or changed" in first
        line = proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in line
        url = line.split("listening on ")[1].split(" ")[0]
        _queue(cli, seeds, 1)
        code, out, err = cli("sync", "--server", url, "--once", "--json")
        assert code == 0, err
        assert json.loads(out)["entries"]["new"] == 1
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:  # never left running: killed, and the test fails
            proc.kill()
            proc.wait()
            raise
    assert proc.returncode == 0


def test_serve_refuses_a_file_that_is_not_a_bundle(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}')
    code = main(["serve", "--port", "0", "--db", str(tmp_path / "x.sqlite3"), "--bundle",
                 str(bad)])
    assert code == 1
    assert "not an atlas bundle" in capsys.readouterr().err

"""The command line: JSON shapes, exit codes, and nothing changed on bad input."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED_IDS, run_cli_process


def test_import_show_search_export_round(cli, seeds, tmp_path):
    code, out, _ = cli("import", "--json", *map(str, seeds))
    assert code == 0
    report = json.loads(out)
    assert report["imported"] == SEED_IDS and report["updated"] == [] and report["errors"] == []

    code, out, _ = cli("import", "--json", str(seeds[0]))
    assert json.loads(out)["updated"] == ["heins-2013-role-therapeutic"]

    code, out, _ = cli("show", "twisk-2009-review-cognitive", "--json")
    shown = json.loads(out)
    assert shown["badges"]["pem"] == "required"
    assert shown["tags"]["Symptom"][0] == "Post-Exertional Malaise"
    assert shown["user"]["note"] is None and shown["incomplete"] == []

    code, out, _ = cli("show", "van-der-vaart-2019", "--json")
    assert json.loads(out)["incomplete"] == ["title", "authors", "doi", "pmid"]

    code, out, _ = cli("search", "therapeutic relationship", "--json")
    hits = json.loads(out)
    assert hits[0]["id"] == "heins-2013-role-therapeutic"
    assert set(hits[0]) == {"id", "title", "authors", "year", "badges"}

    code, out, _ = cli("search", "", "--json", "--limit", "2")
    assert len(json.loads(out)) == 2

    target = tmp_path / "out.json"
    code, _, _ = cli("export", "--format", "bundle", "--query", "pem:required", "-o", str(target))
    bundle = json.loads(target.read_text())
    assert [e["id"] for e in bundle["entries"]] == ["twisk-2009-review-cognitive"]


def test_bad_input_exits_1_with_a_message_and_changes_nothing(cli, seeds, tmp_path):
    cli("import", str(seeds[0]))
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    code, out, err = cli("import", "--json", str(bad))
    assert code == 1
    assert "binary" in err
    assert json.loads(out)["errors"][0]["file"] == str(bad)
    code, out, _ = cli("search", "", "--json")
    assert [h["id"] for h in json.loads(out)] == ["heins-2013-role-therapeutic"]

    code, _, err = cli("show", "no-such-entry")
    assert code == 1 and "no entry" in err


@pytest.mark.parametrize("args", [["frobnicate"], ["search", "--limit", "zero"], ["show"],
                                  ["import"]])
def test_bad_usage_exits_2(cli, args):
    code, _, _ = cli(*args)
    assert code == 2


def test_real_process_exit_codes_and_environment_variable(tmp_path, seeds):
    data = tmp_path / "lib"
    proc = run_cli_process("import", str(seeds[2]), data_dir=data)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli_process("show", "twisk-2009-review-cognitive", "--json", data_dir=data)
    assert json.loads(proc.stdout)["pmid"] == "19855350"
    proc = run_cli_process("bogus-command", data_dir=data)
    assert proc.returncode == 2

    import os
    import subprocess
    import sys

    env = {**os.environ, "ATLAS_DESKTOP_DATA_DIR": str(data)}
    proc = subprocess.run([sys.executable, "-m", "atlas_desktop", "search", "review", "--json"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert [h["id"] for h in json.loads(proc.stdout)] == ["twisk-2009-review-cognitive"]
    assert (data / "library.sqlite3").exists()


def test_user_layer_from_the_command_line(cli, seeds, tmp_path):
    cli("import", *map(str, seeds))
    assert cli("note", "heins-2013-role-therapeutic", "Discuss with GP")[0] == 0
    assert cli("star", "heins-2013-role-therapeutic")[0] == 0
    assert cli("collection", "add", "Clinic talk", "heins-2013-role-therapeutic",
               "van-der-vaart-2019")[0] == 0
    code, out, _ = cli("show", "heins-2013-role-therapeutic", "--json")
    user = json.loads(out)["user"]
    assert (user["note"], user["starred"], user["collections"]) == (
        "Discuss with GP", True, ["Clinic talk"])
    code, out, _ = cli("search", 'collection:"Clinic talk" is:starred', "--json")
    assert [h["id"] for h in json.loads(out)] == ["heins-2013-role-therapeutic"]

    code, out, _ = cli("report", "van-der-vaart-2019", "--field", "title", "--problem",
                       "The title is missing.", "--contact", "gp@example.org", "--json")
    assert code == 0
    stored = json.loads(out)
    assert stored["status"] == "queued" and len(stored["report_id"]) == 36
    code, out, _ = cli("outbox", "--json")
    (row,) = json.loads(out)
    assert set(row) == {"report_id", "entry_id", "field", "status", "attempts",
                        "last_error", "created_at"}
    assert row["report_id"] == stored["report_id"] and row["status"] == "queued"
    target = tmp_path / "reports.json"
    assert cli("outbox", "export", "-o", str(target))[0] == 0
    assert json.loads(target.read_text())["reports"][0]["report_id"] == stored["report_id"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--problem", ""], "empty"),
        (["--problem", "x" * 100_000], "100,000 characters"),
        (["--problem", "ok", "--contact", "not-an-email"], "not an e-mail"),
        (["--problem", "bell\x07"], "control character"),
        (["--problem", "ok", "--suggest", "y" * 5001], "5,000"),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_stored(cli, seeds, args, fragment):
    cli("import", str(seeds[0]))
    code, _, err = cli("report", "heins-2013-role-therapeutic", "--field", "title", *args)
    assert code == 1 and fragment in err
    code, out, _ = cli("outbox", "--json")
    assert json.loads(out) == []


def test_right_to_left_report_text_is_stored_intact(cli, seeds):
    cli("import", str(seeds[0]))
    text = "العنوان غير صحيح — הכותרת שגויה"
    code, out, _ = cli("report", "heins-2013-role-therapeutic", "--field", "title",
                       "--problem", text, "--json")
    assert code == 0 and json.loads(out)["problem"] == text


def segment_count(data_dir) -> int:
    import sqlite3

    conn = sqlite3.connect(data_dir / "library.sqlite3")
    try:
        return conn.execute("SELECT count(DISTINCT segid) FROM entries_fts_idx").fetchone()[0]
    finally:
        conn.close()


def test_a_large_import_prints_its_report_then_merges_the_search_index(cli, seeds, tmp_path):
    """As the window does after a bulk import: the index is merged into one segment and the
    log folded into the file before the command ends (searches are slower over pieces)."""
    cli("import", str(seeds[0]))  # the index's first segment
    n = 6000  # above the bulk threshold
    entries = [{"id": f"bulk-{i}", "title": f"Large import entry {i} on exertion", "year": 2020}
               for i in range(n)]
    bundle = tmp_path / "large.json"
    bundle.write_text(json.dumps({"format": "atlas-bundle", "version": 1, "entries": entries}))

    code, out, err = cli("import", str(bundle))
    assert code == 0
    assert out.strip() == f"{bundle}: imported {n} new, 0 updated"
    assert "Merging the search index" in err
    assert segment_count(cli.data_dir) == 1
    assert not (cli.data_dir / "library.sqlite3-wal").exists()

    code, out, err = cli("search", "exertion", "--json", "--limit", "1")
    assert code == 0 and json.loads(out)[0]["id"].startswith("bulk-")

    code, out, err = cli("import", "--json", str(seeds[1]))  # small: no merging, no message
    assert code == 0 and json.loads(out)["imported"] and err == ""
    assert segment_count(cli.data_dir) == 2

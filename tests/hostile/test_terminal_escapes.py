"""Issue 19.5: entry text never sends control sequences to the terminal; --json stays exact.

The fixture ``terminal-escapes.json`` carries OSC 52 (writes the clipboard), OSC 0 (sets the
window title), CSI 2J (clears the screen), 8-bit C1 forms, NUL, BEL, CR, DEL and backspace in
the title, authors, journal, summary, findings and tags.
"""

from __future__ import annotations

import json
import re

from tests.hostile.conftest import HOSTILE
from tests.sync_support import refserver  # noqa: F401 - fixture

FIXTURE = HOSTILE / "terminal-escapes.json"
ENTRY_ID = "hostile-terminal-escapes"
#: Anything a terminal acts on: C0 but tab and line feed, DEL, C1.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _raw_entry() -> dict:
    return json.loads(FIXTURE.read_text("utf-8"))["entries"][0]


def test_show_search_and_import_print_no_control_characters(cli):
    code, out, err = cli("import", str(FIXTURE))
    assert code == 0, err
    for args in (("show", ENTRY_ID), ("search", "escapes"), ("search", "")):
        code, out, err = cli(*args)
        assert code == 0, err
        assert not CONTROL.search(out), (args, out)
        assert not CONTROL.search(err), (args, err)
    code, out, _ = cli("show", ENTRY_ID)
    # The words around the sequences are all still there, and nothing of the sequences'
    # payloads (the clipboard text, the window title) is.
    assert "Escapes in a title end" in out
    assert "Mallory, Eve" in out
    assert "Journal of Controls" in out
    assert "Summary text that stays readable." in out
    assert "Symptom: Fatigue" in out
    assert "aW5qZWN0ZWQ" not in out and "pwned" not in out


def test_json_output_is_exact(cli):
    cli("import", str(FIXTURE))
    raw = _raw_entry()
    code, out, _ = cli("show", ENTRY_ID, "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["title"] == raw["title"]
    assert shown["authors"][0] == raw["authors"][0]
    assert shown["journal"] == raw["journal"]
    code, out, _ = cli("search", "escapes", "--json")
    assert json.loads(out)[0]["title"] == raw["title"]


def test_sync_new_and_changed_lines_print_no_control_characters(cli, refserver):  # noqa: F811
    raw = _raw_entry()
    refserver.put_entries([raw])
    code, out, err = cli("sync", "--server", refserver.url, "--once")
    assert code == 0, err
    assert "New: Escapes in a title end" in out
    assert not CONTROL.search(out) and not CONTROL.search(err)
    refserver.put_entries([{**raw, "title": raw["title"] + "\x1b]52;c;c2Vjb25k\x07 v2",
                            "badges": {"pem": "required", "review_status": "Retracted"}}])
    code, out, err = cli("sync", "--once")
    assert code == 0, err
    assert "Changed: Escapes in a title end v2" in out
    assert not CONTROL.search(out) and not CONTROL.search(err)
    code, out, _ = cli("sync", "changes")
    assert not CONTROL.search(out)
    code, out, _ = cli("sync", "changes", "--json")
    assert json.loads(out)["changed"][0]["title"].endswith("\x1b]52;c;c2Vjb25k\x07 v2")


def test_cleaning_removes_whole_sequences_and_keeps_text():
    from atlas_desktop.cli.terminal import terminal_safe

    assert terminal_safe("a\x1b]52;c;ZXZpbA==\x07b") == "ab"
    assert terminal_safe("a\x1b]0;title\x1b\\b") == "ab"
    assert terminal_safe("a\x1b[2Jb\x1b[1;31mc") == "abc"
    assert terminal_safe("a\x9b2Jb\x9d0;t\x9cc") == "abc"
    assert terminal_safe("tab\tand\nline\r\x00\x7f") == "tab\tand\nline"
    # An OSC never terminated ends at the line's end, not at the end of the output.
    assert terminal_safe("a\x1b]0;title\nnext line") == "a\nnext line"
    assert terminal_safe("plain text, ünïcode — kept") == "plain text, ünïcode — kept"

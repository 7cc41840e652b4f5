"""Issues 19.11, 19.12 and 18.3 (the command line): storage faults give one sentence and an
exit code, never a traceback; read-only libraries are read; nothing is created or emptied by
mistake.

The faults are real: a 4 MB tmpfs filled to the last block, ``chattr +i`` on the folder or
the file, a second connection holding the write lock, a page of the file overwritten
(``damaged-page.sqlite3``), a 0-byte ``library.sqlite3`` (``empty-library.sqlite3``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from importlib import resources
from pathlib import Path

import pytest

from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from tests.conftest import run_cli_process
from tests.hostile.conftest import HOSTILE, fill_disk

HEINS = "heins-2013-role-therapeutic"
NOTE = "My private note: the SQL must never show this."


def _sample_bundle() -> Path:
    return Path(str(resources.files("atlas_desktop.data").joinpath("sample_library.json")))


def _make_library(data_dir: Path) -> Path:
    library = open_library(LibraryPaths(data_dir))
    assert library.importer.import_files(paths=[_sample_bundle()]).committed
    library.annotations.set_note(entry_id=HEINS, text=NOTE)
    library.close()  # the last connection folds the log in: no -wal is left
    assert not (data_dir / "library.sqlite3-wal").exists()
    return data_dir / "library.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_sentence(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "sqlalchemy" not in err.lower() and "SELECT" not in err
    assert lines[0].startswith("atlas-desktop: ")
    return lines[0]


def _named_log(sentence: str) -> Path:
    assert "Details are in " in sentence
    log = Path(sentence.split("Details are in ", 1)[1].rstrip("."))
    assert log.is_file() and "Traceback" in log.read_text("utf-8")
    return log


# --- read-only libraries (18.3) ----------------------------------------------------------


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_library_is_read_and_refuses_writes_in_one_sentence(cli, immutable,
                                                                       tmp_path, what):
    data_dir = cli.data_dir
    database = _make_library(data_dir)
    before = _digest(database)
    immutable(data_dir if what == "folder" else database)

    code, out, err = cli("search", "therapeutic", "--limit", "3")
    assert code == 0, err
    assert HEINS in out
    code, out, err = cli("show", HEINS)
    assert code == 0 and NOTE in out, err
    code, out, _ = cli("search", "is:noted", "--json")
    assert code == 0 and HEINS in out
    target = tmp_path / "elsewhere.bib"
    code, _, err = cli("export", "--format", "bibtex", "-o", str(target))
    assert code == 0, err
    assert target.read_text().count("@article{") == 5

    for args in (("note", HEINS, "A new note"), ("star", HEINS),
                 ("import", str(_sample_bundle())),
                 ("report", HEINS, "--field", "year", "--problem", "The year is wrong.")):
        code, out, err = cli(*args)
        assert code == 1, (args, err)
        sentence = _one_sentence(err)
        assert f"This library is read-only, because its {what}" in sentence
        assert "Nothing was changed." in sentence
        assert NOTE not in err
    assert _digest(database) == before


def test_the_read_only_flag_says_why(immutable, tmp_path):
    data_dir = tmp_path / "lib"
    _make_library(data_dir)
    immutable(data_dir)
    library = open_library(LibraryPaths(data_dir), check="background", create=False)
    try:
        assert library.read_only == (
            f"This library is read-only, because its folder {data_dir} cannot be written (it "
            "is read-only or locked against changes).")
        assert library.annotations.get_note(entry_id=HEINS).text == NOTE
    finally:
        library.close()


def test_a_read_only_folder_still_shows_what_only_the_log_holds(immutable, tmp_path):
    """SQLite's read-only WAL rule: with ``-wal`` and ``-shm`` present the log is read, so a
    note not yet folded into the file is shown (opening as immutable would miss it)."""
    data_dir = tmp_path / "lib"
    _make_library(data_dir)
    writer = open_library(LibraryPaths(data_dir))
    try:
        with writer.ctx.db.engine.connect() as conn:  # keep the log: no checkpoint on close
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
        writer.annotations.set_note(entry_id=HEINS, text="Only in the log.")
        assert (data_dir / "library.sqlite3-wal").stat().st_size > 0
        immutable(data_dir)
        proc = run_cli_process("show", HEINS, data_dir=data_dir)
        assert proc.returncode == 0, proc.stderr
        assert "Only in the log." in proc.stdout
    finally:
        writer.close()


def test_a_real_process_gets_no_traceback_on_a_read_only_folder(immutable, tmp_path):
    data_dir = tmp_path / "lib"
    _make_library(data_dir)
    immutable(data_dir)
    proc = run_cli_process("note", HEINS, "text", data_dir=data_dir)
    assert proc.returncode == 1
    _one_sentence(proc.stderr)
    proc = run_cli_process("search", "is:noted", "--json", data_dir=data_dir)
    assert proc.returncode == 0 and HEINS in proc.stdout, proc.stderr


# --- disk full, locked, damaged (19.11) --------------------------------------------------


def test_a_full_disk_gives_one_sentence_and_the_log(cli, small_disk):
    data_dir = small_disk / "lib"
    code, _, err = cli("--data-dir", str(data_dir), "import", str(_sample_bundle()))
    assert code == 0, err
    fill_disk(small_disk)
    for args in (("note", HEINS, "x" * 200_000), ("star", HEINS),
                 ("report", HEINS, "--field", "year", "--problem", "Wrong year."),
                 ("import", str(HOSTILE / "terminal-escapes.json"))):
        code, _, err = cli("--data-dir", str(data_dir), *args)
        assert code == 74, (args, err)
        sentence = _one_sentence(err)
        assert "is full" in sentence
        log = _named_log(sentence)
        assert small_disk not in log.parents  # the full disk could not take it
    os.unlink(small_disk / "filler")
    os.unlink(small_disk / "filler-tail")
    code, out, _ = cli("--data-dir", str(data_dir), "show", HEINS, "--json")
    assert code == 0 and '"starred": false' in out  # nothing of the failed writes landed


def test_a_disk_that_fills_during_writes_gives_one_sentence(cli, small_disk):
    """The library is open elsewhere (its log and shared memory exist), so opening works and
    the write itself meets the full disk: SQLite's "database or disk is full"."""
    data_dir = small_disk / "lib"
    code, _, err = cli("--data-dir", str(data_dir), "import", str(_sample_bundle()))
    assert code == 0, err
    holder = open_library(LibraryPaths(data_dir))
    try:
        holder.annotations.set_starred(entry_id=HEINS, starred=True)  # log and -shm made
        fill_disk(small_disk)
        for args in (("note", HEINS, "y" * 150_000), ("import", str(HOSTILE /
                                                                    "terminal-escapes.json"))):
            code, _, err = cli("--data-dir", str(data_dir), *args)
            assert code == 74, (args, err)
            sentence = _one_sentence(err)
            assert "The disk holding the library is full, so nothing could be saved" in sentence
            _named_log(sentence)
        assert holder.annotations.get_note(entry_id=HEINS) is None  # nothing landed
    finally:
        holder.close()


def test_a_lock_held_past_the_busy_timeout_gives_the_sentence_alone(cli, monkeypatch):
    from atlas_desktop.store import engine

    _make_library(cli.data_dir)
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)  # the real 10 s, shortened
    holder = sqlite3.connect(cli.data_dir / "library.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, _, err = cli("note", HEINS, "Another note")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 75
    sentence = _one_sentence(err)
    assert "another Atlas Desktop is writing to it. Try again in a moment." in sentence
    _named_log(sentence)


def test_a_damaged_page_gives_one_sentence(cli):
    cli.data_dir.mkdir(parents=True)
    shutil.copyfile(HOSTILE / "damaged-page.sqlite3", cli.data_dir / "library.sqlite3")
    for args in (("show", HEINS), ("search", "is:noted"), ("note", HEINS, "x")):
        code, _, err = cli(*args)
        assert code == 1, (args, err)
        sentence = _one_sentence(err)
        assert "damaged" in sentence
    code, out, _ = cli("search", "therapeutic", "--json")  # pages that are intact still read
    assert code == 0 and HEINS in out


# --- nothing created, nothing emptied (19.12) --------------------------------------------


def test_a_zero_byte_library_is_reported_not_initialised(cli):
    cli.data_dir.mkdir(parents=True)
    database = cli.data_dir / "library.sqlite3"
    shutil.copyfile(HOSTILE / "empty-library.sqlite3", database)
    for args in (("search", ""), ("import", str(_sample_bundle())), ("star", HEINS)):
        code, _, err = cli(*args)
        assert code == 1, (args, err)
        assert "is an empty file (0 bytes), not a library" in _one_sentence(err)
    assert database.stat().st_size == 0
    assert sorted(p.name for p in cli.data_dir.iterdir()) == ["library.sqlite3"]


def test_read_only_commands_never_create_a_library(cli, tmp_path):
    typo = tmp_path / "libary"
    for args in (("search", "x"), ("show", HEINS), ("export", "--format", "ris"),
                 ("outbox",), ("sync", "status"), ("duplicates",), ("cite", HEINS)):
        code, _, err = cli("--data-dir", str(typo), *args)
        assert code == 1, (args, err)
        assert f"There is no library in {typo}" in _one_sentence(err)
    assert not typo.exists()


def test_export_never_replaces_a_file_with_nothing_and_keeps_its_mode(cli, tmp_path):
    refs = tmp_path / "refs.bib"
    refs.write_text("@article{kept, title = {Kept}}\n")
    refs.chmod(0o644)
    # Through a mistyped folder: no library, nothing written.
    code, _, err = cli("--data-dir", str(tmp_path / "typo"), "export", "--format", "bibtex",
                       "-o", str(refs))
    assert code == 1 and "There is no library" in err
    # A real library, a query that finds nothing: refused without --force.
    cli("import", str(_sample_bundle()))
    code, _, err = cli("export", "--format", "bibtex", "--query", "nothingmatches", "-o",
                       str(refs))
    assert code == 1
    assert "left as it was" in _one_sentence(err) and "--force" in err
    assert refs.read_text() == "@article{kept, title = {Kept}}\n"
    # With entries, the file is replaced and keeps its mode (the temporary file's was 600).
    code, _, err = cli("export", "--format", "bibtex", "-o", str(refs))
    assert code == 0, err
    assert refs.read_text().count("@article{") == 5
    assert stat.S_IMODE(refs.stat().st_mode) == 0o644
    refs.chmod(0o640)
    code, _, _ = cli("export", "--format", "bibtex", "--query", "nothingmatches", "--force",
                     "-o", str(refs))
    assert code == 0 and refs.read_text() == ""
    assert stat.S_IMODE(refs.stat().st_mode) == 0o640

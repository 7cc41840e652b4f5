"""Opening a library: pragmas, the integrity check, damaged and foreign files."""

from __future__ import annotations

import hashlib
import os

import pytest

from atlas_desktop.store import LibraryCorrupt, LibraryDB


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_connection_pragmas(tmp_path):
    db = LibraryDB(tmp_path / "lib.sqlite3")
    with db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    db.close()


def test_write_transaction_is_atomic(tmp_path):
    db = LibraryDB(tmp_path / "lib.sqlite3")
    with pytest.raises(RuntimeError), db.write() as conn:
        conn.exec_driver_sql("INSERT INTO settings VALUES ('a', '1')")
        raise RuntimeError("boom")
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM settings").scalar() == 0
    db.close()


def _corrupt_copy(tmp_path):
    """A library whose data pages (the end of the file) were overwritten. The schema pages at
    the start are intact, so the file opens, and only the integrity check can tell."""
    from atlas_desktop.domain.entry import Entry
    from atlas_desktop.store import catalogue as cat

    path = tmp_path / "damaged.sqlite3"
    db = LibraryDB(path)
    with db.write() as conn:
        cat.upsert_entries(
            conn,
            [Entry(id=f"e-{i}", title=f"Entry number {i} " + "text " * 80) for i in range(400)],
            now="2026-11-21T00:00:00Z",
        )
    db.close()  # the last connection to close checkpoints the WAL into the file
    assert not (tmp_path / "damaged.sqlite3-wal").exists()
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for offset in range(size // 2, size - 4096, 4096 * 4):
            handle.seek(offset + 64)
            handle.write(os.urandom(2000))
    return path


def test_damaged_library_is_refused_with_a_message_and_not_written(tmp_path):
    path = _corrupt_copy(tmp_path)
    before = digest(path)
    with pytest.raises(LibraryCorrupt) as info:
        LibraryDB(path)
    assert "integrity check" in str(info.value) or "damaged" in str(info.value)
    assert digest(path) == before
    assert not (tmp_path / "damaged.sqlite3-wal").exists() or \
        (tmp_path / "damaged.sqlite3-wal").stat().st_size == 0


def test_background_check_blocks_writes_to_a_damaged_library(tmp_path):
    path = _corrupt_copy(tmp_path)
    before = digest(path)
    db = LibraryDB(path, check="background")
    assert not db.verified
    with pytest.raises(LibraryCorrupt):
        db.verify()
    with pytest.raises(LibraryCorrupt), db.write() as conn:
        conn.exec_driver_sql("INSERT INTO settings VALUES ('x', '1')")
    db.close()
    assert digest(path) == before


@pytest.mark.parametrize("content", [b"hello, I am a text file\n" * 10, os.urandom(5000)])
def test_a_file_that_is_not_a_library_is_refused(tmp_path, content):
    path = tmp_path / "library.sqlite3"
    path.write_bytes(content)
    with pytest.raises(LibraryCorrupt, match="not an Atlas Desktop library"):
        LibraryDB(path)
    assert path.read_bytes() == content


def test_only_another_programs_commits_are_changes_made_elsewhere(tmp_path):
    """Issue 19.10: the window's own writes go through one connection, so SQLite's
    data_version on it moves only for commits by someone else."""
    import threading

    from atlas_desktop.store import user

    path = tmp_path / "lib.sqlite3"
    mine = LibraryDB(path)
    assert mine.changed_elsewhere() is False  # the first look sets the mark
    with mine.write() as conn:
        user.set_meta(conn, "x", "1")
    assert mine.changed_elsewhere() is False  # our own write
    other = LibraryDB(path)  # another program's connection
    with other.write() as conn:
        user.set_meta(conn, "x", "2")
    assert mine.changed_elsewhere() is True
    assert mine.changed_elsewhere() is False  # told once
    entered, leave = threading.Event(), threading.Event()

    def write_slowly() -> None:
        with mine.write() as conn:
            user.set_meta(conn, "x", "3")
            entered.set()
            leave.wait(10)

    writer = threading.Thread(target=write_slowly)
    writer.start()
    assert entered.wait(10)
    assert mine.changed_elsewhere() is None  # our writer is busy: never waits for it
    assert mine.checkpoint_idle() is False
    leave.set()
    writer.join()
    assert mine.changed_elsewhere() is False
    assert mine.checkpoint_idle() is True
    other.close()
    mine.close()

"""Schema upgrades: a library made by the first release opens with its data intact."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy.exc import OperationalError

from atlas_desktop.domain.query import parse_query
from atlas_desktop.store import LibraryDB, LibraryTooNew, search, user
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store.engine import create_sqlite_engine
from atlas_desktop.store.migrations import LATEST_VERSION, MIGRATIONS, Migration, migrate
from tests.conftest import DATA_DIR


@pytest.fixture
def v1_library(tmp_path):
    path = tmp_path / "library.sqlite3"
    shutil.copy(DATA_DIR / "library-v1.sqlite3", path)
    return path


def test_v1_library_upgrades_to_latest_with_data_intact(v1_library):
    db = LibraryDB(v1_library)
    assert db.schema_version() == LATEST_VERSION
    with db.read() as conn:
        entry = cat.get_entry(conn, "heins-2013-role-therapeutic")
        assert entry is not None and entry.pmid == "23639303"
        assert user.get_note(conn, "heins-2013-role-therapeutic").text == "Discuss with the team."
        assert user.user_data(conn, "twisk-2009-review-cognitive").starred
        assert user.get_setting(conn, "citation.default_style") == "apa"
        hits = search.run_search(conn, parse_query("tag:Fatigue"))
        assert cat.ids_for_pks(conn, list(hits.pks)) == ["twisk-2009-review-cognitive"]
        # Tables of later versions exist and work.
        assert user.list_collections(conn) == []
    with db.write() as conn:
        created = user.create_collection(conn, "Clinic talk", now="2026-11-21T00:00:00Z")
        user.add_to_collection(conn, created.id, ["heins-2013-role-therapeutic"], now="x")
    assert db.integrity_check() == ["ok"]
    db.close()


def test_a_failing_migration_rolls_back_whole(v1_library, monkeypatch):
    broken = Migration(
        LATEST_VERSION + 1,
        "broken on purpose",
        ("CREATE TABLE half_done (x INTEGER)", "INSERT INTO no_such_table VALUES (1)"),
    )
    db = LibraryDB(v1_library)
    db.close()
    monkeypatch.setattr("atlas_desktop.store.migrations.MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr("atlas_desktop.store.migrations.LATEST_VERSION", broken.version)
    engine = create_sqlite_engine(v1_library)
    with pytest.raises(OperationalError):
        migrate(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == LATEST_VERSION
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    engine.dispose()


def test_a_library_from_a_newer_version_is_refused_untouched(v1_library):
    import sqlite3

    with sqlite3.connect(v1_library) as raw:
        raw.execute("PRAGMA user_version = 999")
    before = v1_library.read_bytes()
    with pytest.raises(LibraryTooNew, match="newer Atlas Desktop"):
        LibraryDB(v1_library)
    assert v1_library.read_bytes() == before


def test_migrations_are_numbered_one_after_another():
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))

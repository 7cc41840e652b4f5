"""Schema upgrades: a library made by the first release opens with its data intact."""

from __future__ import annotations

import shutil
import sqlite3

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


def test_a_schema_4_library_is_folded_for_search_and_its_own_references_re_judged(tmp_path):
    """Issue 18.14 and 18.4 on a library schema 4 wrote (tests/data/library-v4/, made by that
    release's own import): its index is folded for search, its own references are incomplete
    only for want of a title, authors or a year, and re-importing their file changes nothing
    (the rows' digests were made again with the new ``missing``)."""
    from atlas_desktop.paths import LibraryPaths
    from atlas_desktop.services import open_library

    source = DATA_DIR / "library-v4"
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(source / "library.sqlite3", folder / "library.sqlite3")
    with sqlite3.connect(folder / "library.sqlite3") as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 4
    library = open_library(LibraryPaths(folder))
    try:
        def found(text):
            return sorted(library.catalogue.ids_for_pks(
                pks=list(library.catalogue.search(text=text).pks)))

        assert found("author:sorland") == ["my-sorland2021"]
        assert found("author:aksin") == ["my-sorland2021"]
        assert found("author:lukasiewicz strasser") == ["my-lukasiewicz-undated"]
        assert found("author:heins") == ["heins-2013-role-therapeutic"]  # untouched rows too
        assert found("is:mine is:incomplete") == ["my-lukasiewicz-undated", "my-untitled-notes"]
        assert found("is:atlas is:incomplete") == ["stein-improving-therapeutic",
                                                    "van-der-vaart-2019"]
        shown = library.catalogue.show(entry_id="my-lukasiewicz-undated")
        assert shown is not None and shown[0].missing_fields() == ["year"]
        note = library.annotations.get_note(entry_id="my-sorland2021")
        assert note is not None and note.text == "Ask Kari about the cohort."
        with library.ctx.db.write() as conn:
            cat.check_indexes(conn)  # the index is exactly what the new view says

        def changed_at():
            with library.ctx.db.read() as conn:
                return {i: c for i, c in conn.exec_driver_sql("SELECT id, changed_at FROM entries")}

        before = changed_at()
        report = library.importer.import_files(paths=[source / "own.bib"])
        assert report.committed and report.imported == []
        assert changed_at() == before  # every reference was seen as unchanged
    finally:
        library.close()
    assert LibraryDB(folder / "library.sqlite3").integrity_check() == ["ok"]

"""``atlas-desktop --self-test`` from the source tree: every step runs on a real window and a
real library, the user's own things are left alone, and a failure says what failed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import seed_files

STEPS = ("library", "window", "entry", "citation", "help", "about", "note", "close")


def self_test(*args: str, tmp_path: Path, env: dict[str, str] | None = None,
              executable: tuple[str, ...] = (sys.executable, "-m", "atlas_desktop"),
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    run_env = {**os.environ, "TMPDIR": str(scratch), **(env or {})}
    run_env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run([*executable, "--self-test", *args], capture_output=True, text=True,
                          timeout=timeout, env=run_env, cwd=tmp_path)


def assert_passed(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("self-test:")]
    assert [line.split()[1] for line in lines] == [*STEPS, "passed"], result.stdout
    assert all(" ok (" in line for line in lines[:-1])
    assert lines[-1] == f"self-test: passed ({len(STEPS)} steps)"
    assert "FAILED" not in result.stderr
    return lines


def test_runs_every_step_on_a_temporary_library(tmp_path):
    home = tmp_path / "home"
    env = {"XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "ATLAS_DESKTOP_DATA_DIR": str(tmp_path / "env-library")}
    lines = assert_passed(self_test(tmp_path=tmp_path, env=env))
    assert "5 entries in a temporary library" in lines[0]  # the sample library of a first run
    assert "rendered on the offscreen platform" in lines[1]
    # Nothing of the user's: no default library, no settings, not the environment's library,
    # and the temporary folder is gone.
    assert not home.exists()
    assert not (tmp_path / "env-library").exists()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_on_a_given_library_puts_the_notes_back(tmp_path):
    from atlas_desktop.paths import LibraryPaths
    from atlas_desktop.services import open_library

    folder = tmp_path / "mine"
    library = open_library(LibraryPaths(folder))
    assert library.importer.import_files(paths=seed_files()).committed
    entry_ids = library.catalogue.ids_for_pks(pks=list(library.catalogue.search(text="").pks))
    assert len(entry_ids) == 5
    notes = {entry_id: f"my own note on {entry_id}" for entry_id in entry_ids}
    for entry_id, text in notes.items():
        library.annotations.set_note(entry_id=entry_id, text=text)
    library.close()

    lines = assert_passed(self_test("--data-dir", str(folder), tmp_path=tmp_path))
    assert f"5 entries in {folder}" in lines[0]
    assert "sample entries were added" not in lines[0]

    library = open_library(LibraryPaths(folder))
    try:
        assert {entry_id: library.annotations.get_note(entry_id=entry_id).text
                for entry_id in notes} == notes
    finally:
        library.close()


def test_an_empty_given_folder_gets_the_sample_entries(tmp_path):
    lines = assert_passed(self_test("--data-dir", str(tmp_path / "empty"), tmp_path=tmp_path))
    assert "the sample entries were added to the empty library" in lines[0]


def test_a_damaged_library_fails_with_the_reason(tmp_path):
    folder = tmp_path / "damaged"
    folder.mkdir()
    (folder / "library.sqlite3").write_bytes(b"this is not a database" * 1000)
    result = self_test("--data-dir", str(folder), tmp_path=tmp_path)
    assert result.returncode == 1
    assert "self-test: library FAILED:" in result.stderr
    assert "not an Atlas Desktop library" in result.stderr
    assert "self-test: passed" not in result.stdout


def test_a_broken_citation_engine_fails_the_citation_step(tmp_path):
    """The citation really goes through citeproc-js: given a broken engine file (through its
    documented override), the citation step fails and says why."""
    broken = tmp_path / "citeproc_commonjs.js"
    broken.write_text("this is not javascript {", "utf-8")
    result = self_test(tmp_path=tmp_path, env={"ATLAS_DESKTOP_CITEPROC_JS": str(broken)})
    assert result.returncode == 1
    assert "self-test: entry ok" in result.stdout
    assert "self-test: citation FAILED: " in result.stderr
    assert "could not be loaded by the citation engine" in result.stderr
    assert "self-test: note" not in result.stdout


def test_missing_styles_fail_the_self_test(tmp_path):
    """Without CSL styles the window still opens (its Cite menu says citations are
    unavailable) and the self-test fails at the citation step with the reason."""
    empty = tmp_path / "no-styles"
    empty.mkdir()
    result = self_test(tmp_path=tmp_path, env={"ATLAS_DESKTOP_CSL_STYLES": str(empty)})
    assert result.returncode == 1
    assert "self-test: window ok" in result.stdout
    assert re.search(r"^self-test: citation FAILED: .*no citation style called",
                     result.stderr, re.M), result.stderr
    assert "self-test: passed" not in result.stdout


def test_does_not_claim_the_library_of_an_open_window(qapp, tmp_path):
    """A window holding the library's single-instance lock neither stops the self-test nor
    loses the lock to it."""
    from atlas_desktop.gui.single_instance import SingleInstance

    folder = tmp_path / "open"
    folder.mkdir()
    window_instance = SingleInstance(folder)
    assert window_instance.claim()
    try:
        assert_passed(self_test("--data-dir", str(folder), tmp_path=tmp_path))
        assert window_instance._server is not None and window_instance._server.isListening()
        assert not SingleInstance(folder).claim(), "the open window no longer answers"
    finally:
        window_instance.release()


def test_in_process_sets_the_application_id(qapp, tmp_path, capsys):
    """run_gui's self-test path, in this process: the desktop file name is the app id, and
the user's clipboard survives the citation step."""
    from PySide6.QtGui import QGuiApplication

    from atlas_desktop.gui.application import APP_ID, run_gui

    names = (qapp.applicationName(), qapp.organizationName(), qapp.desktopFileName())
    QGuiApplication.clipboard().setText("what the user had copied")
    try:
        code = run_gui(data_dir=str(tmp_path / "library"), self_test=True)
        out = capsys.readouterr().out
        assert code == 0, out
        assert QGuiApplication.desktopFileName() == APP_ID
        assert out.strip().endswith(f"self-test: passed ({len(STEPS)} steps)")
        assert "self-test: citation ok" in out
        # The citation it copied is gone again: the clipboard is as it was.
        assert QGuiApplication.clipboard().text() == "what the user had copied"
    finally:
        qapp.setApplicationName(names[0])
        qapp.setOrganizationName(names[1])
        qapp.setDesktopFileName(names[2])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 under Xvfb: Linux only")
def test_on_x11_under_xvfb(tmp_path):
    import shutil

    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.skip("xvfb-run is not installed (packaging/system-deps.sh installs it)")
    result = self_test(tmp_path=tmp_path, env={"QT_QPA_PLATFORM": "xcb"},
                       executable=(xvfb_run, "-a", sys.executable, "-m", "atlas_desktop"))
    lines = assert_passed(result)
    assert "rendered on the xcb platform" in lines[1]

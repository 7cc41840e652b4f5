"""Shared fixtures. Every test gets its own library folder; Qt runs offscreen."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("ATLAS_DESKTOP_DATA_DIR", None)
# Never touch the developer's own settings, library or keyring: everything per-user lives in
# a throw-away home for the test run.
_HOME = tempfile.mkdtemp(prefix="atlas-test-home-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
              "XDG_RUNTIME_DIR"):
    os.environ[_name] = os.path.join(_HOME, _name.lower())
    os.makedirs(os.environ[_name], mode=0o700, exist_ok=True)

# Records are completed online at each sync (issue 15). No test may reach the internet: unless
# a test points them at its own loopback server, the sources are a closed port on this machine
# (the connection is refused at once). Subprocesses inherit this.
for _name in ("ATLAS_DESKTOP_EUTILS_URL", "ATLAS_DESKTOP_CROSSREF_URL", "ATLAS_DESKTOP_DOI_URL"):
    os.environ[_name] = "http://127.0.0.1:9"
os.environ.pop("ATLAS_DESKTOP_NCBI_API_KEY", None)

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / "data"
#: Five atlas pages in the seeds' three layouts, with the seeds' facts and our own prose
#: (data/atlas-pages/README.md). Every test reads these; nothing is read from outside the
#: repository (tests/test_self_contained.py).
ATLAS_PAGES = DATA_DIR / "atlas-pages"
REFS = DATA_DIR / "references"
MENDELEY = REFS / "bib/bbt/mendeley-idiocy.bib"
#: The five pages' entry ids, in import order.
SEED_IDS = [
    "heins-2013-role-therapeutic",
    "daniels-2011-socialization-model",
    "twisk-2009-review-cognitive",
    "stein-improving-therapeutic",
    "van-der-vaart-2019",
]


def synthetic_library(root: Path, count: int, *, seed: int):
    """An open library in ``root`` holding ``count`` entries from the benchmark generator."""
    from atlas_desktop.paths import LibraryPaths
    from atlas_desktop.services import open_library
    from benchmarks.synth import write_bundle

    bundle = write_bundle(root / "bundle.json", count, seed=seed)
    lib = open_library(LibraryPaths(root / "lib"))
    assert lib.importer.import_files(paths=[bundle]).committed
    return lib


def seed_files() -> list[Path]:
    """The five atlas pages, in the order of :data:`SEED_IDS`."""
    files = sorted(ATLAS_PAGES.glob("*.txt"))
    assert len(files) == 5, f"expected five atlas pages in {ATLAS_PAGES}"
    return files


@pytest.fixture
def seeds() -> list[Path]:
    return seed_files()


@pytest.fixture
def library_paths(tmp_path: Path):
    from atlas_desktop.paths import LibraryPaths

    return LibraryPaths(tmp_path / "library")


@pytest.fixture
def library(library_paths):
    from atlas_desktop.services import open_library

    lib = open_library(library_paths)
    yield lib
    lib.close()


@pytest.fixture
def seeded_library(library, seeds):
    report = library.importer.import_files(paths=seeds)
    assert report.committed and not report.errors
    return library


@pytest.fixture
def cli(tmp_path: Path, capsys):
    """Run the CLI in-process against a fresh library folder: returns (code, out, err)."""
    from atlas_desktop.app import main

    data_dir = tmp_path / "cli-library"

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--data-dir", str(data_dir), *args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    run.data_dir = data_dir  # type: ignore[attr-defined]
    return run


def run_cli_process(*args: str, data_dir: Path, timeout: float = 60, **kw):
    """The real executable in a child process (exit codes, start-up)."""
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "atlas_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        **kw,
    )

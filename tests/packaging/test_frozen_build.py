"""The built application in dist/atlas-desktop (``make package``): it runs its self-test with
no Python or source tree around it, its command line works, its libraries resolve, and it
carries what it needs and not what it does not.

Skipped when there is no build (or it was made from other sources); ``make package-test``
sets ATLAS_DESKTOP_REQUIRE_BUILD so that a missing or stale build fails instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from atlas_desktop import __version__
from tests.conftest import seed_files

from .conftest import DIST, REPO

pytestmark = pytest.mark.packaging

STEPS = ("library", "window", "entry", "citation", "help", "about", "note", "close")
INTERNAL = DIST / "_internal"


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment with nothing of the development set-up: no virtualenv, no PYTHONPATH,
    the working directory outside the checkout, a throw-away home."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "ATLAS_DESKTOP_DATA_DIR"}
           and not key.startswith("ATLAS_DESKTOP_CITEPROC") and not key.startswith("ATLAS_DESKTOP_CSL")}
    home = tmp_path / "home"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env["HOME"] = str(home)
    env["TMPDIR"] = str(tmp_path)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(str(REPO)))
    env.update(extra)
    return env


def run(args: list[str], tmp_path: Path, timeout: float = 180,
        **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                          env=clean_env(tmp_path, **extra), cwd=tmp_path)


def assert_self_test_passed(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("self-test:")]
    assert [line.split()[1] for line in lines] == [*STEPS, "passed"], result.stdout
    return lines


def test_self_test_offscreen(frozen_app, tmp_path):
    lines = assert_self_test_passed(
        run([str(frozen_app), "--self-test"], tmp_path, QT_QPA_PLATFORM="offscreen"))
    assert "rendered on the offscreen platform" in lines[1]
    help_line = next(line for line in lines if line.startswith("self-test: help ok"))
    screenshots = len(re.findall(r"\]\(images/[^)]+\.png\)",
                                 (REPO / "docs" / "user-guide.md").read_text("utf-8")))
    assert f"its {screenshots} screenshots load from {INTERNAL / 'docs'}" in help_line
    assert not (tmp_path / "home").exists(), "the self-test touched the user's folders"


def test_self_test_on_x11_under_xvfb(frozen_app, tmp_path):
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.skip("xvfb-run is not installed (packaging/system-deps.sh installs it)")
    lines = assert_self_test_passed(
        run([xvfb_run, "-a", str(frozen_app), "--self-test"], tmp_path, QT_QPA_PLATFORM="xcb"))
    assert "rendered on the xcb platform" in lines[1]


def test_self_test_failure_is_reported(frozen_app, tmp_path):
    folder = tmp_path / "damaged"
    folder.mkdir()
    (folder / "library.sqlite3").write_bytes(b"\0garbage" * 4096)
    result = run([str(frozen_app), "--self-test", "--data-dir", str(folder)], tmp_path,
                 QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 1
    assert "self-test: library FAILED:" in result.stderr


def test_citation_step_uses_the_bundled_engine(frozen_app, tmp_path):
    """The build formats the citation with its own citeproc-js and styles (the clean
    environment leaves it nothing else), and fails when its engine or styles are replaced
    with broken ones through their overrides, which the build's start-up hook respects."""
    lines = assert_self_test_passed(
        run([str(frozen_app), "--self-test"], tmp_path, QT_QPA_PLATFORM="offscreen"))
    citation = next(line for line in lines if line.startswith("self-test: citation ok"))
    assert "APA Style 7th edition" in citation
    broken = tmp_path / "citeproc_commonjs.js"
    broken.write_text("this is not javascript {", "utf-8")
    result = run([str(frozen_app), "--self-test"], tmp_path, QT_QPA_PLATFORM="offscreen",
                 ATLAS_DESKTOP_CITEPROC_JS=str(broken))
    assert result.returncode == 1
    assert "self-test: citation FAILED: " in result.stderr
    empty = tmp_path / "no-styles"
    empty.mkdir()
    result = run([str(frozen_app), "--self-test"], tmp_path, QT_QPA_PLATFORM="offscreen",
                 ATLAS_DESKTOP_CSL_STYLES=str(empty))
    assert result.returncode == 1
    assert "no citation style called" in result.stderr


def test_command_line(frozen_app, tmp_path):
    version = run([str(frozen_app), "--version"], tmp_path)
    assert version.stdout.strip() == f"atlas-desktop {__version__}"
    library = tmp_path / "library"
    imported = run([str(frozen_app), "--data-dir", str(library), "import", "--json",
                    *map(str, seed_files())], tmp_path)
    assert imported.returncode == 0, imported.stderr
    found = run([str(frozen_app), "--data-dir", str(library), "search", "author:twisk",
                 "--json"], tmp_path)
    assert found.returncode == 0, found.stderr
    assert [row["id"] for row in json.loads(found.stdout)] == ["twisk-2009-review-cognitive"]
    exported = run([str(frozen_app), "--data-dir", str(library), "export", "--format",
                    "bibtex", "--ids", "twisk-2009-review-cognitive"], tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.lstrip().startswith("@")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd: Linux only")
def test_every_bundled_library_resolves(frozen_app):
    """Each shared object finds its dependencies in the bundle or in the system, except the
    Wayland client libraries, which PyInstaller leaves to the desktop on purpose."""
    system_only = re.compile(r"libwayland-(client|cursor|egl)\.so")
    env = {**os.environ, "LD_LIBRARY_PATH": str(INTERNAL)}
    unresolved = {}
    for path in sorted(INTERNAL.rglob("*.so*")):
        if path.is_symlink() or not path.is_file() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
        missing = [line.split()[0] for line in out.splitlines() if "not found" in line]
        missing = [name for name in missing if not system_only.match(name)]
        if missing:
            unresolved[str(path.relative_to(DIST))] = sorted(set(missing))
    assert unresolved == {}


def test_contents(frozen_app):
    info = json.loads((INTERNAL / "build-info.json").read_text("utf-8"))
    assert info["version"] == __version__
    package = INTERNAL / "atlas_desktop"
    for data in ("data/sample_library.json", "data/vocabulary.json", "data/credits.json",
                 "gui/icons/atlas-desktop.svg", "gui/icons/atlas-desktop-small.svg"):
        assert (package / data).is_file(), f"{data} is not in the build"
    qt = INTERNAL / "PySide6" / "Qt"
    platforms = {p.name for p in (qt / "plugins" / "platforms").iterdir()}
    assert {"libqoffscreen.so", "libqxcb.so"} <= platforms
    assert (qt / "plugins" / "iconengines" / "libqsvgicon.so").is_file()
    assert (qt / "plugins" / "imageformats" / "libqsvg.so").is_file()
    libraries = {p.name for p in INTERNAL.rglob("libQt6*")}
    for unwanted in ("WebEngine", "Quick", "Qml", "Pdf", "3D", "Multimedia", "VirtualKeyboard"):
        assert not [name for name in libraries if unwanted in name], f"Qt {unwanted} is bundled"
    # The citation engine and its data.
    for engine_file in ("citeproc/citeproc_commonjs.js", "atlas_desktop/citations/glue.js",
                        "citeproc/LICENSE", "atlas_desktop/data/licences/LGPL-3.0.txt",
                        "py_mini_racer/libmini_racer.so", "py_mini_racer/icudtl.dat",
                        "csl/styles/apa.csl", "csl/locales/locales-en-US.xml",
                        "csl/locales/locales.json"):
        assert (INTERNAL / engine_file).is_file(), f"{engine_file} is not in the build"
    from atlas_desktop.citations.assets import styles_dir

    installed = styles_dir()
    for folder in (".", "dependent"):
        bundled = len(list((INTERNAL / "csl" / "styles" / folder).glob("*.csl")))
        assert bundled == len(list((installed / folder).glob("*.csl"))) > 1000
    dangling = [str(p.relative_to(DIST)) for p in DIST.rglob("*")
                if p.is_symlink() and not p.exists()]
    assert dangling == [], "links to libraries that are not in the build"
    if (REPO / "docs" / "user-guide.md").is_file():
        assert (INTERNAL / "docs" / "user-guide.md").is_file()


def test_licences_of_credited_packages_are_bundled(frozen_app):
    """The About window shows the licence files of the packages it credits, read from their
    metadata: the build must carry that metadata (the LGPL's Qt among them)."""
    from importlib import metadata

    credits = json.loads((REPO / "atlas_desktop" / "data" / "credits.json").read_text("utf-8"))
    required = {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", r).group(0)).lower()
                for r in metadata.requires("atlas-desktop") or [] if "extra ==" not in r}
    bundled = {re.sub(r"[-_.]+", "-", p.name.split("-")[0]).lower(): p
               for p in INTERNAL.glob("*.dist-info")}
    checked = 0
    for credit in credits["credits"]:
        dist = credit.get("distribution")
        if not dist or re.sub(r"[-_.]+", "-", dist).lower() not in required:
            continue
        key = re.sub(r"[-_.]+", "-", dist).lower()
        assert key in bundled, f"{dist}'s metadata is not in the build"
        licences = [p for p in bundled[key].rglob("*")
                    if p.name.upper().startswith(("LICENSE", "LICENCE", "COPYING", "NOTICE"))]
        metadata_text = (bundled[key] / "METADATA").read_text("utf-8", errors="replace")
        assert licences or "License" in metadata_text, f"no licence for {dist} in the build"
        checked += 1
    assert checked >= 5

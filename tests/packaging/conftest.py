"""Helpers for the packaging checks: the scripts in packaging/ (loaded by path: that folder is
not a Python package) and the built application in dist/."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"
APP_ID = "io.github.atlasdesktop.AtlasDesktop"
DIST = REPO / "dist" / "atlas-desktop"
FROZEN = DIST / "atlas-desktop"
#: Set by `make package-test`: a missing or stale build fails instead of being skipped.
REQUIRE_BUILD = "ATLAS_DESKTOP_REQUIRE_BUILD"


def load_script(name: str) -> ModuleType:
    path = PACKAGING / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"atlas_packaging_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool(name: str) -> str:
    """The path of a system tool, or skip (with the reason and how to get it)."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (packaging/system-deps.sh installs it on "
                    "Debian/Ubuntu when run as root)")
    return found


def _unusable(reason: str) -> None:
    if os.environ.get(REQUIRE_BUILD):
        pytest.fail(f"{reason} ({REQUIRE_BUILD} is set: the build must be there and current)")
    pytest.skip(f"{reason}; run `make package` first (or `make package package-test`)")


@pytest.fixture(scope="session")
def frozen_app() -> Path:
    """dist/atlas-desktop/atlas-desktop, built from the sources of this checkout."""
    if not FROZEN.is_file():
        _unusable(f"no built application at {FROZEN.relative_to(REPO)}")
    info_file = DIST / "_internal" / "build-info.json"
    if not info_file.is_file():
        _unusable(f"{info_file.relative_to(REPO)} is missing: not a build of our spec")
    info = json.loads(info_file.read_text("utf-8"))
    digest = load_script("source_digest").source_digest(REPO)
    if info.get("source_digest") != digest:
        _unusable("the build in dist/ was made from other sources than this checkout's")
    return FROZEN

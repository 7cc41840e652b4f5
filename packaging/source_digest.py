"""A digest of everything that goes into the packaged application from this checkout.

The PyInstaller spec stores it in the build (``_internal/build-info.json``); the packaging
tests compare it with the checkout, so a build left in dist/ from older sources is never
mistaken for a test of the current ones. Loaded by file path (``runpy``): this folder is not a
Python package (its name would shadow the ``packaging`` library).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: Files and folders of the checkout whose content ends up in the build.
SOURCES = (
    "atlas_desktop",
    "docs/user-guide.md",
    "docs/images",
    "js/package-lock.json",
    "packaging/atlas-desktop.spec",
    "packaging/pyinstaller_entry.py",
    "packaging/pyi_rth_atlas_desktop.py",
    "pyproject.toml",
)
SKIP_PARTS = {"__pycache__"}
SKIP_SUFFIXES = {".pyc", ".pyo"}


def source_files(repo: Path) -> list[Path]:
    found: list[Path] = []
    for name in SOURCES:
        path = repo / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += [p for p in path.rglob("*") if p.is_file()
                      and not SKIP_PARTS & set(p.relative_to(repo).parts)
                      and p.suffix not in SKIP_SUFFIXES]
    return sorted(found)


def source_digest(repo: Path) -> str:
    digest = hashlib.sha256()
    for path in source_files(repo):
        digest.update(path.relative_to(repo).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()

"""The layering of docs/architecture.md, enforced: a broken layer fails the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint), "--config", str(REPO / "pyproject.toml")],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "broken" not in proc.stdout.lower().replace("0 broken", "")


def test_qt_and_sqlalchemy_stay_in_their_packages():
    """The same rule, checked on the text, so even a lazy import inside a function counts."""
    offenders = []
    for path in (REPO / "atlas_desktop").rglob("*.py"):
        rel = path.relative_to(REPO).as_posix()
        text = path.read_text("utf-8")
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith(("import PySide6", "from PySide6")) and not (
                rel.startswith("atlas_desktop/gui/") or rel == "atlas_desktop/app.py"
            ):
                offenders.append(f"{rel}: {stripped}")
            if stripped.startswith(("import sqlalchemy", "from sqlalchemy")) and not rel.startswith(
                "atlas_desktop/store/"
            ):
                offenders.append(f"{rel}: {stripped}")
    assert offenders == []


def test_starting_the_command_line_loads_no_http_or_document_libraries():
    """Every command starts by importing the CLI and the services; the HTTP stack (httpx,
    about 70 ms with what it pulls in), python-docx, odfpy and lxml are loaded only by what
    looks records up or opens a document. `make bench` measures start-up; this keeps the
    imports that slowed it (process start to result 0.36 -> 0.70 s) from coming back."""
    code = ("import sys, atlas_desktop.app, atlas_desktop.services; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True, cwd=REPO, timeout=120).stdout.split())
    assert "atlas_desktop" in loaded
    assert loaded.isdisjoint({"PySide6", "httpx", "httpcore", "docx", "odf", "lxml"}), (
        loaded & {"PySide6", "httpx", "httpcore", "docx", "odf", "lxml"})

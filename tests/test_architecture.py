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

"""Every Qt Designer file in ui/ is compiled into atlas_desktop/gui/forms/, and the compiled
form is what pyside6-uic makes of the .ui file today (so the two never drift apart)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
UI_FILES = sorted((REPO / "ui").glob("*.ui"))


def _strip_banner(text: str) -> str:
    # The banner names the uic version; the code is what must agree.
    return "\n".join(line for line in text.splitlines() if not line.startswith("##"))


@pytest.mark.parametrize("ui_file", UI_FILES, ids=lambda p: p.name)
def test_compiled_form_matches_its_ui_file(ui_file):
    uic = Path(sys.executable).with_name("pyside6-uic")
    fresh = subprocess.run([str(uic), str(ui_file)], capture_output=True, text=True, check=True)
    compiled = REPO / "atlas_desktop" / "gui" / "forms" / f"ui_{ui_file.stem}.py"
    assert compiled.exists(), f"run: pyside6-uic {ui_file} -o {compiled}"
    assert _strip_banner(compiled.read_text("utf-8")) == _strip_banner(fresh.stdout), (
        f"{compiled.name} is out of date: run pyside6-uic {ui_file} -o {compiled}"
    )


def test_there_are_forms():
    assert UI_FILES

"""Every Qt Designer file in ui/ is compiled into atlas_desktop/gui/forms/, the compiled form
is what pyside6-uic makes of the .ui file today (so the two never drift apart), it builds
every widget and layout the .ui file declares, and the code uses no widget the form lacks."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6 import QtWidgets

REPO = Path(__file__).resolve().parents[1]
UI_FILES = sorted((REPO / "ui").glob("*.ui"))
FORMS = REPO / "atlas_desktop" / "gui" / "forms"
GUI = REPO / "atlas_desktop" / "gui"


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


def test_each_ui_file_has_its_compiled_form_and_no_form_is_orphaned():
    ui_names = {f"ui_{p.stem}" for p in UI_FILES}
    compiled = {p.stem for p in FORMS.glob("ui_*.py")}
    assert ui_names == compiled
    assert "ui_report_dialog" in compiled  # the forms the window uses today


def declared(ui_file: Path) -> tuple[str, str, list[tuple[str, str]]]:
    """The form's class name, its top widget's Qt class and the (Qt class, name) of every
    widget and layout inside it, as the .ui file (our own, in the repository) declares."""
    root = ET.parse(ui_file).getroot()
    top = root.find("widget")
    assert top is not None
    inner = [(node.get("class", ""), node.get("name", ""))
             for node in top.iter() if node is not top and node.tag in ("widget", "layout")]
    return root.findtext("class", ""), top.get("class", ""), inner


@pytest.mark.parametrize("ui_file", UI_FILES, ids=lambda p: p.name)
def test_the_compiled_form_builds_every_declared_widget(qtbot, ui_file):
    form_class, top_class, inner = declared(ui_file)
    module = importlib.import_module(f"atlas_desktop.gui.forms.ui_{ui_file.stem}")
    host = getattr(QtWidgets, top_class)()
    qtbot.addWidget(host)
    ui = getattr(module, f"Ui_{form_class}")()
    ui.setupUi(host)
    assert host.objectName() == form_class
    assert inner, f"{ui_file.name} declares no widgets"
    for qt_class, name in inner:
        built = getattr(ui, name, None)
        assert built is not None, f"{name} ({qt_class}) is not built"
        assert type(built).__name__ == qt_class and built.objectName() == name
        if isinstance(built, QtWidgets.QWidget):
            assert host.isAncestorOf(built), f"{name} is not inside the {top_class}"


@pytest.mark.parametrize("ui_file", UI_FILES, ids=lambda p: p.name)
def test_the_code_uses_only_widgets_the_form_declares(ui_file):
    names = {name for _, name in declared(ui_file)[2]}
    users = [p for p in GUI.rglob("*.py") if f"forms.ui_{ui_file.stem} import" in
             p.read_text("utf-8")]
    assert users, f"no module of the window uses {ui_file.name}"
    for path in users:
        used = set(re.findall(r"\bui\.([A-Za-z_]\w*)\b", path.read_text("utf-8")))
        used -= {"setupUi", "retranslateUi"}
        assert used, path
        assert used <= names, f"{path.name} uses widgets {sorted(used - names)} not in the form"

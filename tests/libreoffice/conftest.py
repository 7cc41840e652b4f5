"""A real LibreOffice Writer for the extension's tests: started once per session, headless,
with its own profile in a temporary folder, the extension installed into that profile as
``unopkg add`` does. Atlas Desktop's side is the real endpoint on loopback, on a library in
the folder the extension is told about (``ATLAS_DESKTOP_DATA_DIR``). Where LibreOffice is
missing the tests are skipped, unless ATLAS_REQUIRE_LIBREOFFICE=1 (CI, whose system
dependencies install it): then they fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from atlas_desktop.domain.live_citations import DocumentPrefs, LiveCitation, style_url
from atlas_desktop.gui.wordproc.endpoint import Endpoint
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("lo_driver.py")
UNO_PYTHON = "/usr/bin/python3"


def _missing() -> str | None:
    if not shutil.which("soffice") or not shutil.which("unopkg"):
        return "LibreOffice (soffice, unopkg) is not installed"
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return "the Python-UNO bridge (python3-uno) is not installed"
    return None


@pytest.fixture(scope="session")
def writer(tmp_path_factory):
    reason = _missing()
    if reason:
        if os.environ.get("ATLAS_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"ATLAS_REQUIRE_LIBREOFFICE=1 but {reason}")
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("writer")
    profile = (base / "profile").as_uri()
    oxt = base / "atlas-desktop-writer.oxt"
    subprocess.run([sys.executable, str(ROOT / "integrations/libreoffice/build.py"), str(oxt)],
                   check=True, capture_output=True)
    data_dir = base / "library"
    data_dir.mkdir()
    pipe = f"atlas-test-{uuid.uuid4().hex[:8]}"
    # What LibreOffice passes on to an Atlas Desktop it starts: this library, no screen.
    env = {**os.environ, "ATLAS_DESKTOP_DATA_DIR": str(data_dir),
           "QT_QPA_PLATFORM": "offscreen"}
    log = (base / "soffice.log").open("w")  # LibreOffice's own messages, for a failure
    proc = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        env=env, stdout=log, stderr=subprocess.STDOUT)

    def drive(steps: list[dict], timeout: float = 180) -> list:
        path = base / f"steps-{uuid.uuid4().hex[:6]}.json"
        path.write_text(json.dumps(steps), "utf-8")
        done = subprocess.run([UNO_PYTHON, str(DRIVER), pipe, str(path)], capture_output=True,
                              text=True, timeout=timeout)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    installed = drive([{"install": str(oxt)}])
    assert "io.github.atlasdesktop.writer" in installed[0], installed
    drive.data_dir = data_dir  # type: ignore[attr-defined]
    drive.base = base  # type: ignore[attr-defined]
    yield drive
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    log.close()


class ScriptedUi:
    """The user's part at the window's Ui boundary (the picker and the dialogs are tested
    on their own in tests/gui): what is picked, in order (entry ids; None cancels), the
    styles chosen in Document Preferences, the answer to "overwrite your edits?"."""

    def __init__(self, library) -> None:
        self.library = library
        self.picks: list[list[str] | None] = []
        self.styles: list[str] = []
        self.overwrite: list[bool] = []
        #: The citation each pick was asked to edit (None: a new one).
        self.seen: list[LiveCitation | None] = []
        #: The hand-edited texts each overwrite question listed.
        self.asked: list[list[str]] = []

    def pick(self, prefs: DocumentPrefs, citation: LiveCitation | None) -> LiveCitation | None:
        self.seen.append(citation)
        chosen = self.picks.pop(0) if self.picks else None
        if chosen is None:
            return None
        made = self.library.documents.new_citation(entry_ids=chosen)
        return made if citation is None else replace(citation, items=made.items)

    def preferences(self, prefs: DocumentPrefs) -> DocumentPrefs | None:
        if not self.styles:
            return None
        return replace(prefs, style=style_url(self.styles.pop(0)))

    def overwrite_edits(self, texts: list[str]) -> bool:
        self.asked.append(texts)
        assert self.overwrite, f"nobody expected a question about hand edits: {texts}"
        return self.overwrite.pop(0)


@pytest.fixture
def app(writer):
    library = open_library(LibraryPaths(writer.data_dir))
    if not library.catalogue.count_all():
        library.add_sample_library()
    ui = ScriptedUi(library)
    endpoint = Endpoint(library, ui, data_dir=writer.data_dir)
    endpoint.start()
    yield library, ui, endpoint
    endpoint.stop()
    library.close()


def texts(dump: dict) -> list[str]:
    return [c["text"] for c in dump["citations"]]


def bibliography_lines(dump: dict) -> list[str]:
    assert len(dump["bibliography"]) == 1, dump["bibliography"]
    return dump["bibliography"][0]["text"].rstrip("\n").split("\n")

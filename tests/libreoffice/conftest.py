"""A real LibreOffice Writer for the extension's tests: started once per session, headless,
with its own profile in a temporary folder, the extension installed into that profile with
``unopkg add``. Where LibreOffice is missing the tests are skipped, unless
ATLAS_REQUIRE_LIBREOFFICE=1 (CI, which installs it): then they fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

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
    env = {**os.environ, "ATLAS_DESKTOP_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

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

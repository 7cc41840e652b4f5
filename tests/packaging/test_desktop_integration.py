"""The Linux desktop files: valid for the freedesktop tools, and consistent with each other,
with the application (its id and version) and with the other platforms' definitions."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from atlas_desktop import __version__

from .conftest import APP_ID, LINUX, PACKAGING, REPO, tool

DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(METAINFO).getroot()


def test_desktop_file_is_valid():
    result = run(tool("desktop-file-validate"), str(DESKTOP))
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    # The tool exits 0 on warnings; we hold the file to having none (hints are fine).
    assert not re.search(r"\b(error|warning):", report), report


def test_metainfo_is_valid():
    result = run(tool("appstreamcli"), "validate", "--no-net", "--explain", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_tree_is_valid(tmp_path: Path):
    """What a package installs (desktop file, metainfo, icons) validated together."""
    appstreamcli = tool("appstreamcli")
    share = tmp_path / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir(parents=True)
    shutil.copy(DESKTOP, share / "applications")
    shutil.copy(METAINFO, share / "metainfo")
    shutil.copytree(REPO / "resources" / "icons" / "hicolor", share / "icons" / "hicolor")
    result = run(appstreamcli, "validate-tree", "--no-net", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_validation_catches_a_broken_metainfo(tmp_path: Path):
    """The check above can fail: a metainfo file without its summary is refused."""
    appstreamcli = tool("appstreamcli")
    broken = tmp_path / f"{APP_ID}.metainfo.xml"
    broken.write_text(re.sub(r"<summary>.*?</summary>", "", METAINFO.read_text("utf-8")),
                      "utf-8")
    assert run(appstreamcli, "validate", "--no-net", str(broken)).returncode != 0


def test_metainfo_release_is_the_application_version():
    releases = metainfo().findall("./releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == __version__, (
        f"the newest <release> in {METAINFO.name} is {releases[0].get('version')}; "
        f"atlas_desktop.__version__ is {__version__}: add a release entry")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date") or "")


def test_ids_agree_everywhere():
    from atlas_desktop.gui.application import APP_ID as APP_ID_IN_APP

    root = metainfo()
    assert APP_ID_IN_APP == APP_ID
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert root.findtext("provides/binary") == "atlas-desktop"
    entry = desktop_entry()
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "atlas-desktop"
    assert root.findtext("project_license") == "MIT"


def test_screenshots_are_the_documented_images():
    shots = metainfo().findall("./screenshots/screenshot/image")
    assert shots
    for image in shots:
        url = (image.text or "").strip()
        assert url.startswith("https://"), url
        local = REPO / url.split("/main/", 1)[1]
        assert local.is_file(), f"{url} names {local}, which is not in the repository"
        width, height = _png_size(local)
        assert (image.get("width"), image.get("height")) == (str(width), str(height))


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# ----------------------------------------------------------------- the other platforms


def test_flatpak_manifest_names_the_application():
    text = (PACKAGING / "flatpak" / f"{APP_ID}.yml").read_text("utf-8")
    assert re.search(rf"^id: {re.escape(APP_ID)}$", text, re.M)
    assert re.search(r"^command: atlas-desktop$", text, re.M)
    for installed in (DESKTOP.name, METAINFO.name, f"{APP_ID}.png", f"{APP_ID}.svg"):
        assert installed in text, f"the Flatpak manifest does not install {installed}"


def test_windows_installer_and_macos_bundle_carry_the_id_and_version():
    iss = (PACKAGING / "windows" / "atlas-desktop.iss").read_text("utf-8")
    assert f'#define AppId "{APP_ID}"' in iss
    assert f'#define AppVersion "{__version__}"' in iss, (
        "packaging/windows/atlas-desktop.iss has another default version than __version__")
    spec = (PACKAGING / "atlas-desktop.spec").read_text("utf-8")
    assert f'APP_ID = "{APP_ID}"' in spec
    assert "bundle_identifier=APP_ID" in spec


@pytest.mark.parametrize("name", ["desktop-file-validate", "appstreamcli"])
def test_system_deps_script_installs_the_validators(name):
    script = (PACKAGING / "system-deps.sh").read_text("utf-8")
    assert name in script, f"packaging/system-deps.sh does not check for {name}"


def test_flatpak_requirements_are_the_runtime_dependencies():
    import tomllib

    def name(requirement: str) -> str:
        found = re.match(r"[A-Za-z0-9_.-]+", requirement.strip())
        assert found, requirement
        return re.sub(r"[-_.]+", "-", found.group(0)).lower()

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = {name(r): r for r in project["dependencies"] if name(r) != "pyside6"}
    lines = [line.strip() for line in
             (PACKAGING / "flatpak" / "requirements.txt").read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    listed = {name(line): line for line in lines}
    assert listed == {key: value.replace(" ", "") for key, value in wanted.items()}, (
        "packaging/flatpak/requirements.txt differs from pyproject.toml's dependencies")


def test_flatpak_citeproc_is_the_locked_version():
    import base64
    import json

    locked = json.loads((REPO / "js" / "package-lock.json").read_text("utf-8"))
    package = locked["packages"]["node_modules/citeproc"]
    algorithm, digest = package["integrity"].split("-", 1)
    assert algorithm == "sha512"
    text = (PACKAGING / "flatpak" / f"{APP_ID}.yml").read_text("utf-8")
    url = f"https://registry.npmjs.org/citeproc/-/citeproc-{package['version']}.tgz"
    assert f"url: {url}" in text, "the Flatpak fetches another citeproc-js than js/ locks"
    assert f"sha512: {base64.b64decode(digest).hex()}" in text

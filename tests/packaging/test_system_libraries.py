"""What the installed Qt needs from the operating system, read from its own files.

Every library that Qt's window plugins (X11 and its GL integrations, Wayland) and the Qt
modules we import link to, and that PySide6 does not bundle, must have its package in
atlas_desktop/data/system_libraries.tsv: system-deps.sh installs from that table and the
start-up check names its packages. The libraries are read from the files' NEEDED entries, so
the test fails for a library the table lacks even on a machine that has every library."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile

from atlas_desktop.gui.system_libraries import (
    Packages,
    distribution_family,
    install_command,
    library_packages,
)
from tests.packaging.conftest import PACKAGING, load_script

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the X11 and Wayland plugins: Linux only")

qt_system_libs = load_script("qt_system_libs")


def dynamic_entries(path: Path) -> tuple[list[str], list[str]]:
    """The file's NEEDED sonames and its RUNPATH (or RPATH) folders."""
    needed: list[str] = []
    search: list[str] = []
    with path.open("rb") as stream:
        for section in ELFFile(stream).iter_sections():
            if not isinstance(section, DynamicSection):
                continue
            for tag in section.iter_tags():
                if tag.entry.d_tag == "DT_NEEDED":
                    needed.append(tag.needed)
                elif tag.entry.d_tag == "DT_RUNPATH":
                    search += tag.runpath.split(":")
                elif tag.entry.d_tag == "DT_RPATH":
                    search += tag.rpath.split(":")
    return needed, search


def system_libraries(binaries: list[Path]) -> dict[str, set[str]]:
    """soname -> the files that need it, for every library not found beside Qt (through each
    file's RUNPATH, as the loader looks), following the bundled libraries."""
    seen: set[Path] = set()
    pending = list(binaries)
    found: dict[str, set[str]] = {}
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        needed, search = dynamic_entries(path)
        folders = [Path(entry.replace("${ORIGIN}", "$ORIGIN")
                        .replace("$ORIGIN", str(path.parent))) for entry in search if entry]
        for soname in needed:
            bundled = next((folder / soname for folder in folders
                            if (folder / soname).is_file()), None)
            if bundled is not None:
                pending.append(bundled.resolve())
            else:
                found.setdefault(soname, set()).add(path.name)
    return found


@pytest.fixture(scope="module")
def binaries() -> list[Path]:
    pyside = qt_system_libs.pyside_dir()
    assert pyside is not None, "PySide6 is not installed"
    return qt_system_libs.window_binaries(pyside)


def test_the_window_plugins_and_our_qt_modules_are_read(binaries):
    names = {path.name for path in binaries}
    assert {"libqxcb.so", "libqxcb-egl-integration.so", "libqxcb-glx-integration.so",
            "libxdg-shell.so"} <= names
    assert any(name.startswith("libqwayland") for name in names)
    # The modules atlas_desktop imports, found in its sources, each with its binary.
    modules = qt_system_libs.qt_modules()
    assert {"QtCore", "QtGui", "QtWidgets", "QtNetwork"} <= set(modules)
    assert {name.split(".")[0] for name in names if name.startswith("Qt")} == set(modules)


def test_every_library_they_link_to_has_a_package(binaries):
    needed = system_libraries(binaries)
    # Read through the bundled Qt libraries: libqxcb.so names the xcb libraries itself, and
    # libQt6XcbQpa.so.6 (bundled) too; libQt6DBus.so.6 (bundled) brings libdbus-1.
    assert "libQt6XcbQpa.so.6" in needed["libxcb-cursor.so.0"]
    assert "libQt6DBus.so.6" in needed["libdbus-1.so.3"]
    table = library_packages()
    unmapped = {soname: sorted(users) for soname, users in needed.items() if soname not in table}
    assert not unmapped, (
        "libraries Qt needs with no package in atlas_desktop/data/system_libraries.tsv "
        f"(soname: needed by): {unmapped}")


def test_nothing_they_need_is_missing_here(binaries):
    """What make install (system-deps.sh) promises on Debian/Ubuntu as root; elsewhere it prints
    the command, and this says what is still to do."""
    missing = qt_system_libs.missing(binaries)
    assert missing == [], f"missing: {missing}; run `make system-deps` as root or the " \
                          "command it prints"


def test_the_table_names_the_issues_libraries_with_their_packages():
    table = library_packages()
    assert table["libxcb-cursor.so.0"] == Packages("libxcb-cursor0", "xcb-util-cursor",
                                                   "xcb-util-cursor")
    assert table["libxkbcommon-x11.so.0"].debian == "libxkbcommon-x11-0"
    assert all(packages.debian and packages.fedora and packages.arch
               for packages in table.values())


def test_the_install_command_follows_the_distribution():
    packages = [Packages("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
                Packages("libxcb-shm0", "libxcb", "libxcb"),
                Packages("libxcb-randr0", "libxcb", "libxcb")]
    assert distribution_family({"ID": "ubuntu", "ID_LIKE": "debian"}) == "debian"
    assert distribution_family({"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}) == "debian"
    assert distribution_family({"ID": "rocky", "ID_LIKE": "rhel centos fedora"}) == "fedora"
    assert distribution_family({"ID": "endeavouros", "ID_LIKE": "arch"}) == "arch"
    assert distribution_family({"ID": "opensuse-tumbleweed"}) is None
    assert install_command(packages, family="debian", as_root=False) == \
        "sudo apt-get install libxcb-cursor0 libxcb-shm0 libxcb-randr0"
    # Fedora and Arch have the xcb extensions in one package: named once.
    assert install_command(packages, family="fedora", as_root=True) == \
        "dnf install xcb-util-cursor libxcb"
    assert install_command(packages, family=None, as_root=False) == (
        "on Debian/Ubuntu: sudo apt-get install libxcb-cursor0 libxcb-shm0 libxcb-randr0; "
        "on Fedora: sudo dnf install xcb-util-cursor libxcb; "
        "on Arch: sudo pacman -S --needed xcb-util-cursor libxcb")


def test_system_deps_prints_the_commands_when_it_cannot_install(tmp_path):
    """Without apt-get (or root) nothing is installed: the script names what is missing and
    the exact command for Debian/Ubuntu, Fedora and Arch. Here the test tools are missing
    because the PATH it gets has only the basic commands."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for command in ("sh", "dirname", "dpkg-query", "find", "head", "awk", "tr", "sed", "id",
                    "ldd", "printf"):
        found = shutil.which(command)
        if found is not None:
            (bin_dir / command).symlink_to(found)
    if not (bin_dir / "dpkg-query").exists():
        pytest.skip("not a Debian/Ubuntu system")
    result = subprocess.run(
        [str(bin_dir / "sh"), str(PACKAGING / "system-deps.sh"), "test"], capture_output=True,
        text=True, timeout=120, check=False,
        env={**os.environ, "PATH": str(bin_dir), "ATLAS_VENV_PYTHON": sys.executable})
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Atlas Desktop needs these from the system, which are missing:")
    for tool in ("xvfb-run", "xauth", "desktop-file-validate", "appstreamcli"):
        assert f" {tool}" in lines[0]
    commands = {line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip()
                for line in lines[1:]}
    # Each names the test tools first (LibreOffice follows where it is missing too).
    assert commands["Debian/Ubuntu"].startswith(
        "sudo apt-get install --no-install-recommends xvfb xauth desktop-file-utils appstream")
    assert commands["Fedora"].startswith(
        "sudo dnf install xorg-x11-server-Xvfb xorg-x11-xauth desktop-file-utils appstream")
    assert commands["Arch"].startswith(
        "sudo pacman -S --needed xorg-server-xvfb xorg-xauth desktop-file-utils appstream")

"""Starting the window where it cannot open: one sentence and exit code 1, never Qt's abort.

Through the real process (``python -m atlas_desktop``, as ``make run`` starts it): with no
display at all (an SSH session), with a DISPLAY nobody answers at, and on a display whose X11
plugin cannot load a library it needs. And the start-up check's own parts on real files."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from atlas_desktop.gui.platform_check import (
    display_platforms,
    load_error,
    missing_libraries,
    plugin_cannot_load,
)
from atlas_desktop.gui.system_libraries import (
    distribution_family,
    install_command,
    library_packages,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="X11 and Wayland: Linux only")

DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET", "QT_QPA_PLATFORM",
                     "XDG_SESSION_TYPE", "QT_QPA_PLATFORM_PLUGIN_PATH")


def start_window(tmp_path: Path, env: dict[str, str],
                 wrapper: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """The window's process on a library in tmp_path, in a session with no display unless
    env gives one; nothing of the user's (settings, runtime folder) is used."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    base = {key: value for key, value in os.environ.items() if key not in DISPLAY_VARIABLES}
    base |= {"XDG_RUNTIME_DIR": str(runtime), "XDG_CONFIG_HOME": str(tmp_path / "config"),
             "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.run(
        [*wrapper, sys.executable, "-m", "atlas_desktop", "--data-dir", str(tmp_path / "lib")],
        capture_output=True, text=True, timeout=120, env=base | env, cwd=tmp_path)


def assert_one_sentence(result: subprocess.CompletedProcess[str], tmp_path: Path) -> str:
    # 1, not Qt's abort (-6, or 134 through a shell) and its core dump.
    assert result.returncode == 1, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Atlas Desktop cannot open its window: ")
    assert "qt.qpa" not in result.stderr and "Aborted" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "lib").exists(), "the library was opened before the check"
    return lines[0]


def test_no_display_at_all(tmp_path):
    sentence = assert_one_sentence(start_window(tmp_path, {}), tmp_path)
    assert "there is no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set, " \
           "as in an SSH session)" in sentence
    assert sentence.endswith("use the command line (atlas-desktop --help).")


def test_a_display_nobody_answers_at(tmp_path):
    number = next(n for n in range(917, 999) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    sentence = assert_one_sentence(start_window(tmp_path, {"DISPLAY": f":{number}"}),
                                   tmp_path)
    assert f"no X server answers at DISPLAY=:{number}" in sentence


def test_a_socket_file_left_by_a_dead_x_server_is_no_display(tmp_path):
    """What a crashed X server leaves: its socket file, and nothing listening on it."""
    folder = Path("/tmp/.X11-unix")
    if not folder.is_dir():
        pytest.skip("no /tmp/.X11-unix on this machine")
    # Far above the numbers xvfb-run -a takes (99 and up, one by one).
    number = next(n for n in range(947, 999) if not (folder / f"X{n}").exists())
    stale = folder / f"X{number}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(stale))
    try:
        assert stale.is_socket()
        sentence = assert_one_sentence(start_window(tmp_path, {"DISPLAY": f":{number}"}),
                                       tmp_path)
    finally:
        stale.unlink()
    assert f"no X server answers at DISPLAY=:{number}" in sentence


def test_wayland_asked_for_without_a_compositor(tmp_path):
    sentence = assert_one_sentence(start_window(tmp_path, {"QT_QPA_PLATFORM": "wayland"}),
                                   tmp_path)
    assert f"no Wayland compositor answers at {tmp_path / 'runtime' / 'wayland-0'}" in sentence


def test_an_x11_plugin_library_that_cannot_load_is_named_with_its_package(tmp_path):
    """On a running X server (Xvfb), Qt's X11 plugin cannot load libxcb-cursor.so.0: here the
    loader finds a broken file of that name first (LD_LIBRARY_PATH), which makes Qt abort
    just as a missing one does."""
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.skip("xvfb-run is not installed (packaging/system-deps.sh installs it)")
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "libxcb-cursor.so.0").write_bytes(b"")
    result = start_window(tmp_path, {"QT_QPA_PLATFORM": "xcb"},
                          wrapper=(xvfb_run, "-a", "env", f"LD_LIBRARY_PATH={shadow}"))
    sentence = assert_one_sentence(result, tmp_path)
    command = install_command([library_packages()["libxcb-cursor.so.0"]],
                              family=distribution_family())
    assert sentence == ("Atlas Desktop cannot open its window: Qt's X11 plugin needs "
                        "libxcb-cursor.so.0, which cannot be loaded (file too short); "
                        f"install it with: {command}")


def test_every_missing_library_is_named(tmp_path):
    """The loader names only the first library it misses; the sentence names all of them.
    A copy of the real X11 plugin that links to two libraries no system has (its NEEDED
    entries renamed in place), beside the real Qt libraries."""
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    data = (plugins / "platforms" / "libqxcb.so").read_bytes()
    for soname in (b"libxcb-cursor.so.0", b"libxcb-icccm.so.4"):
        assert data.count(soname + b"\0") == 1
        data = data.replace(soname + b"\0", soname[:-1] + b"9\0")
    copy = tmp_path / "plugins" / "platforms" / "libqxcb.so"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(data)
    (tmp_path / "lib").symlink_to(plugins.parent / "lib")  # its RUNPATH: $ORIGIN/../../lib

    error = load_error(copy)
    assert error is not None and "libxcb-cursor.so.9" in error
    assert missing_libraries(copy) == ["libxcb-cursor.so.9", "libxcb-icccm.so.9"]
    assert plugin_cannot_load("xcb", copy, error) == (
        "Atlas Desktop cannot open its window: Qt's X11 plugin needs libxcb-cursor.so.9 and "
        "libxcb-icccm.so.9, which are not installed (no package is known for "
        "libxcb-cursor.so.9 and libxcb-icccm.so.9: your distribution's package search finds "
        "them).")
    assert load_error(plugins / "platforms" / "libqxcb.so") is None


@pytest.mark.parametrize(("env", "platforms"), [
    ({}, ["xcb"]),
    ({"DISPLAY": ":0"}, ["xcb"]),
    ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ["wayland", "xcb"]),
    ({"XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, ["xcb"]),
    ({"QT_QPA_PLATFORM": "wayland-egl;xcb"}, ["wayland", "xcb"]),
    ({"QT_QPA_PLATFORM": "offscreen"}, []),
    ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, []),
    ({"QT_QPA_PLATFORM": "wayland;offscreen"}, []),  # Qt may fall back to one with no display
])
def test_the_platforms_follow_qts_choice(env, platforms):
    assert display_platforms(env) == platforms

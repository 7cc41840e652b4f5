"""Before QApplication exists: can this session show a window at all?

Started with no display (an SSH session, a service), or with Qt's X11 plugin unable to load
for want of a system library, Qt prints its own diagnostics and aborts (SIGABRT, a core
dump). This check finds both first and says in one sentence what is wrong and what to do.
It follows Qt's own choice of platform: QT_QPA_PLATFORM when set (platforms that need no
display, such as offscreen, are not checked), else Wayland when the session is Wayland, then
X11. A platform counts when its display answers and its plugin loads; the first that does is
the one Qt will use."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from .system_libraries import distribution_family, install_command, library_packages

#: The plugin files of each platform (Qt 6.11 has one Wayland plugin, earlier 6.x two).
PLUGIN_FILES = {
    "xcb": ("libqxcb.so",),
    "wayland": ("libqwayland.so", "libqwayland-generic.so", "libqwayland-egl.so"),
}
LABELS = {"xcb": "X11", "wayland": "Wayland"}
#: A Wayland compositor gets this long to accept the connection that shows it is there.
CONNECT_TIMEOUT_S = 2.0
LDD_TIMEOUT_S = 20.0
ADVICE = "start it from a desktop session, or use the command line (atlas-desktop --help)"


def window_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Why a window cannot open here (one sentence for the user), or None when it can, as
    far as can be told without starting Qt's platform."""
    env = os.environ if env is None else env
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    platforms = display_platforms(env)
    if not platforms:
        return None
    reachable = [name for name in platforms if display_answers(name, env)]
    if not reachable:
        return no_display(platforms, env)
    first_failure: tuple[str, Path, str] | None = None
    for name in reachable:
        plugins = plugin_files(name, env)
        if not plugins:
            return None  # not where we look: Qt's own search (and message) decide
        for plugin in plugins:
            error = load_error(plugin)
            if error is None:
                return None
            first_failure = first_failure or (name, plugin, error)
    assert first_failure is not None
    return plugin_cannot_load(*first_failure)


def display_platforms(env: Mapping[str, str]) -> list[str]:
    """The display platforms Qt will try, in its order; empty when the platform asked for
    needs no display (offscreen, minimal, vnc, eglfs...) or is one we do not know."""
    requested = env.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        names = [part.split(":", 1)[0].strip() for part in requested.split(";") if part.strip()]
        if not names or not all(name == "xcb" or name.startswith("wayland") for name in names):
            return []
        return list(dict.fromkeys("xcb" if name == "xcb" else "wayland" for name in names))
    names = []
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        names.append("wayland")
    names.append("xcb")  # Qt's default, also its fallback after Wayland
    return names


def display_answers(name: str, env: Mapping[str, str]) -> bool:
    if name == "xcb":
        display = env.get("DISPLAY", "")
        return bool(display) and x_server_answers(display)
    if env.get("WAYLAND_SOCKET"):
        return True  # a connected socket handed over by the compositor
    socket_path = wayland_socket(env)
    return socket_path is not None and _unix_connects(socket_path)


def x_server_answers(display: str) -> bool:
    """Whether an X server listens where a local DISPLAY (":n", "unix:n") points: a socket
    bound to /tmp/.X11-unix/Xn, or to Linux's abstract name of it, in /proc/net/unix (a
    socket file left by a server that died is not there). Looked up, never connected to: an
    X server with no client yet (a bare Xvfb) resets when a connection ends, and refuses Qt's
    connection during the reset, which made Qt abort in about one start in ten. A TCP
    display (host:n, as ssh -X sets) and forms we do not know count as yes."""
    match = re.fullmatch(r"(?:(?P<protocol>\w+)/)?(?P<host>[^:/]*):(?P<number>\d+)(?:\.\d+)?",
                         display)
    if match is None or not (match["host"] in ("", "unix") or match["protocol"] == "unix"):
        return True
    path = f"/tmp/.X11-unix/X{match['number']}"
    try:
        with open("/proc/net/unix", encoding="utf-8", errors="replace") as table:
            bound = {line.split()[-1] for line in table if len(line.split()) >= 8}
    except OSError:  # not Linux: the socket file has to do
        try:
            return stat.S_ISSOCK(os.stat(path).st_mode)
        except OSError:
            return False
    return path in bound or "@" + path in bound


def wayland_socket(env: Mapping[str, str]) -> str | None:
    """Where libwayland-client connects: WAYLAND_DISPLAY (default wayland-0) in
    XDG_RUNTIME_DIR, or the absolute path WAYLAND_DISPLAY gives."""
    name = env.get("WAYLAND_DISPLAY") or "wayland-0"
    if name.startswith("/"):
        return name
    runtime = env.get("XDG_RUNTIME_DIR")
    return os.path.join(runtime, name) if runtime else None


def _unix_connects(address: str) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(CONNECT_TIMEOUT_S)
        try:
            sock.connect(address)
        except OSError:
            return False
    return True


def no_display(platforms: list[str], env: Mapping[str, str]) -> str:
    if not env.get("QT_QPA_PLATFORM") and not env.get("DISPLAY") \
            and not env.get("WAYLAND_DISPLAY"):
        why = "neither DISPLAY nor WAYLAND_DISPLAY is set, as in an SSH session"
    else:
        reasons = []
        for name in platforms:
            if name == "xcb":
                display = env.get("DISPLAY")
                reasons.append(f"no X server answers at DISPLAY={display}" if display
                               else "DISPLAY is not set")
            else:
                where = wayland_socket(env)
                reasons.append(f"no Wayland compositor answers at {where}" if where
                               else "XDG_RUNTIME_DIR is not set for Wayland")
        why = " and ".join(reasons)
    return f"Atlas Desktop cannot open its window: there is no graphical display ({why}); " \
           f"{ADVICE}."


def plugin_files(name: str, env: Mapping[str, str]) -> list[Path]:
    """The plugin files Qt would load for this platform, in the order it looks: the folder
    QT_QPA_PLATFORM_PLUGIN_PATH names, then the platforms/ folders of QT_PLUGIN_PATH and of
    the installed Qt (in a built application, its bundled plugins)."""
    from PySide6.QtCore import QLibraryInfo

    folders = []
    if env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        folders.append(Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"]))
    folders += [Path(entry) / "platforms"
                for entry in env.get("QT_PLUGIN_PATH", "").split(os.pathsep) if entry]
    folders.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms")
    return [folder / file for folder in folders for file in PLUGIN_FILES[name]
            if (folder / file).is_file()]


def load_error(plugin: Path) -> str | None:
    """The dynamic loader's complaint about this plugin, or None when it loads. Loading it
    here costs nothing: Qt loads the same file a moment later."""
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        return str(exc)
    return None


def missing_libraries(plugin: Path) -> list[str]:
    """Every library the plugin (and the Qt libraries it links) needs that the system does
    not have, as ldd lists them: the loader's own error names only the first."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    try:
        result = subprocess.run([ldd, str(plugin)], capture_output=True, text=True,
                                timeout=LDD_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    names = [line.split()[0] for line in result.stdout.splitlines()
             if line.strip().endswith("=> not found")]
    return list(dict.fromkeys(names))


def plugin_cannot_load(name: str, plugin: Path, error: str) -> str:
    label = LABELS[name]
    missing = missing_libraries(plugin)
    if missing:
        state = "is not installed" if len(missing) == 1 else "are not installed"
    else:
        # ldd found them all (or is not there): the loader's error names the library and why,
        # e.g. "/usr/lib/…/libxcb-cursor.so.0: file too short".
        culprit, _, reason = error.partition(": ")
        if not re.search(r"\.so\b", culprit) or Path(culprit).name == plugin.name:
            return f"Atlas Desktop cannot open its window: Qt's {label} plugin {plugin} " \
                   f"cannot be loaded ({error}); {ADVICE}."
        missing = [Path(culprit).name]
        state = f"cannot be loaded ({reason})" if reason else "cannot be loaded"
    table = library_packages()
    known = [table[soname] for soname in missing if soname in table]
    unknown = [soname for soname in missing if soname not in table]
    text = f"Atlas Desktop cannot open its window: Qt's {label} plugin needs " \
           f"{_listing(missing)}, which {state}"
    if unknown:
        text += f" (no package is known for {_listing(unknown)}: your distribution's " \
                f"package search finds {'it' if len(unknown) == 1 else 'them'})"
    if not known:
        return text + "."
    # No full stop after the command: it is there to be copied.
    command = install_command(known, family=distribution_family())
    return f"{text}; install {'it' if len(missing) == 1 else 'them'} with: {command}"


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

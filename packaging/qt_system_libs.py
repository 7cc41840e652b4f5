"""The system libraries the installed Qt needs to open Atlas Desktop's window, found from Qt's
own files rather than from memory: the platform plugins for X11 (xcb) and Wayland, the xcb GL
integrations, the Wayland client plugins, the SVG plugins and the PySide6 modules
atlas_desktop imports, with the Qt libraries they link to.

Run with the virtual environment's Python (system-deps.sh does): prints one line per library
that this system lacks, ``soname<TAB>debian<TAB>fedora<TAB>arch`` (``?`` for a library the
table atlas_desktop/data/system_libraries.tsv does not know); exit code 3 when PySide6 is not
installed. tests/packaging/test_system_libraries.py checks every library these files link to
has a row in the table."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Under PySide6/Qt/plugins: every plugin Qt may load to open and draw the window.
PLUGINS = (
    "platforms/libqxcb.so",
    "platforms/libqwayland*.so",
    "platforms/libqoffscreen.so",
    "xcbglintegrations/*.so",
    "wayland-shell-integration/*.so",
    "wayland-graphics-integration-client/*.so",
    "wayland-decoration-client/*.so",
    "imageformats/libqsvg.so",
    "iconengines/libqsvgicon.so",
)


def pyside_dir() -> Path | None:
    """The installed PySide6 package, found without importing it."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def qt_modules(sources: Path = REPO / "atlas_desktop") -> list[str]:
    """The PySide6 modules the application imports (QtCore, QtGui, ...)."""
    found: set[str] = set()
    for path in sources.rglob("*.py"):
        found.update(re.findall(r"\bPySide6\.(Qt\w+)", path.read_text("utf-8")))
    return sorted(found)


def window_binaries(pyside: Path, sources: Path = REPO / "atlas_desktop") -> list[Path]:
    plugins = pyside / "Qt" / "plugins"
    files = [path for pattern in PLUGINS for path in sorted(plugins.glob(pattern))]
    for module in qt_modules(sources):
        files += sorted(pyside.glob(f"{module}.*so"))
    return files


def missing(binaries: list[Path]) -> list[str]:
    """The libraries ldd cannot find for these files (and for what they link to)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        raise SystemExit("qt_system_libs: ldd is not installed (it comes with the C library)")
    names: dict[str, None] = {}
    for binary in binaries:
        result = subprocess.run([ldd, str(binary)], capture_output=True, text=True, check=False)
        for line in result.stdout.splitlines():
            if line.strip().endswith("=> not found"):
                names[line.split()[0]] = None
    return list(names)


def main() -> int:
    pyside = pyside_dir()
    if pyside is None:
        return 3
    sys.path.insert(0, str(REPO))
    from atlas_desktop.gui.system_libraries import library_packages

    table = library_packages()
    for soname in missing(window_binaries(pyside)):
        packages = table.get(soname)
        columns = ("?", "?", "?") if packages is None else \
            (packages.debian, packages.fedora, packages.arch)
        print("\t".join((soname, *columns)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

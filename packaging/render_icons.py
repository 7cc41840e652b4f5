"""Render the application icon's bitmaps from its SVG drawings (``make icons``).

Writes, under resources/icons/ (the results are committed):

- ``hicolor/<n>x<n>/apps/<APP_ID>.png`` for n in 16, 24, 32, 48, 64, 128, 256, 512, and
  ``hicolor/scalable/apps/<APP_ID>.svg``: the freedesktop icon theme layout, installed as is
  by the Flatpak manifest and any Linux package;
- ``atlas-desktop.ico``: the Windows icon (the PNGs of 16-256 px stored in one .ico file).

``--iconset DIR`` instead writes a macOS ``.iconset`` folder for ``iconutil -c icns``
(packaging/macos/build.sh). Sizes up to ``APP_ICON_SMALL_MAX`` pixels come from
atlas-desktop-small.svg (drawn on a 16-pixel grid), larger ones from atlas-desktop.svg; the
window's own icon (gui/icons.py) follows the same rule. tests/packaging/test_icons.py checks
that the committed files are what this script makes of the SVGs today.

Run it with the project's Python (it needs PySide6): ``.venv/bin/python packaging/render_icons.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

REPO = Path(__file__).resolve().parents[1]
APP_ID = "io.github.atlasdesktop.AtlasDesktop"
SVG_DIR = REPO / "atlas_desktop" / "gui" / "icons"
FULL_SVG = SVG_DIR / "atlas-desktop.svg"
SMALL_SVG = SVG_DIR / "atlas-desktop-small.svg"
APP_ICON_SMALL_MAX = 24  # the same rule as atlas_desktop/gui/icons.py
ICON_ROOT = REPO / "resources" / "icons"
HICOLOR = ICON_ROOT / "hicolor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # .ico entries stop at 256
ICO_FILE = ICON_ROOT / "atlas-desktop.ico"
#: macOS iconset file names and their pixel sizes.
ICONSET = {f"icon_{n}x{n}{suffix}.png": n * scale
           for n in (16, 32, 128, 256, 512) for suffix, scale in (("", 1), ("@2x", 2))}


def svg_for(pixels: int) -> Path:
    return SMALL_SVG if pixels <= APP_ICON_SMALL_MAX else FULL_SVG


def png_path(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def scalable_path() -> Path:
    return HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"


def render(pixels: int) -> QImage:
    """The icon at ``pixels`` x ``pixels``, transparent around the drawing."""
    renderer = QSvgRenderer(str(svg_for(pixels)))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg_for(pixels)} is not a valid SVG")
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("render_icons: Qt could not write a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: list[tuple[int, bytes]]) -> bytes:
    """An .ico file holding PNG images (Windows Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, payload = b"", b""
    for size, data in pngs:
        side = 0 if size >= 256 else size  # 0 means 256 in an .ico directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data),
                               offset + len(payload))
        payload += data
    return header + entries + payload


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"render_icons: wrote {path.relative_to(REPO)}")


def render_all() -> None:
    for size in SIZES:
        write(png_path(size), png_bytes(render(size)))
    scalable_path().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FULL_SVG, scalable_path())
    print(f"render_icons: wrote {scalable_path().relative_to(REPO)}")
    write(ICO_FILE, ico_bytes([(size, png_path(size).read_bytes()) for size in ICO_SIZES]))


def render_iconset(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, pixels in ICONSET.items():
        (folder / name).write_bytes(png_bytes(render(pixels)))
    print(f"render_icons: wrote {len(ICONSET)} images to {folder}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iconset", metavar="DIR", type=Path,
                        help="write a macOS .iconset folder instead (for iconutil)")
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert app is not None
    if args.iconset:
        render_iconset(args.iconset)
    else:
        render_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())

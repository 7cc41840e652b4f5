"""Our SVG icons, coloured for the current palette and rendered crisp at every scale.

The SVG sources use ``{fg}`` and ``{accent}`` placeholders; each icon is rendered into
pixmaps at the common sizes for device pixel ratios 1 and 2, so Qt never scales a bitmap.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

_SIZES = (16, 20, 24, 32, 48)
ACCENT = "#e8a33d"


def _source(name: str) -> str:
    return resources.files("atlas_desktop.gui").joinpath("icons", f"{name}.svg").read_text("utf-8")


def _foreground() -> str:
    app = QGuiApplication.instance()
    palette = app.palette() if isinstance(app, QGuiApplication) else QPalette()
    return palette.color(QPalette.ColorRole.WindowText).name()


@cache
def _icon(name: str, fg: str, accent: str) -> QIcon:
    svg = _source(name).replace("{fg}", fg).replace("{accent}", accent)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    icon = QIcon()
    for size in _SIZES:
        for ratio in (1, 2):
            pixmap = QPixmap(size * ratio, size * ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
            painter.end()
            pixmap.setDevicePixelRatio(ratio)
            icon.addPixmap(pixmap)
    return icon


def icon(name: str, *, color: str | None = None) -> QIcon:
    """The icon ``name`` (a file in gui/icons) in the palette's text colour."""
    return _icon(name, color or _foreground(), ACCENT)


#: Up to this many pixels the application icon uses its small drawing (atlas-desktop-small.svg,
#: on a pixel grid); larger sizes the full one. packaging/render_icons.py follows the same rule.
APP_ICON_SMALL_MAX = 24


@cache
def app_icon() -> QIcon:
    renderers = {name: QSvgRenderer(QByteArray(_source(name).encode("utf-8")))
                 for name in ("atlas-desktop-small", "atlas-desktop")}
    icon = QIcon()
    for size in (*_SIZES, 64, 128, 256):
        for ratio in (1, 2):
            pixels = size * ratio
            name = "atlas-desktop-small" if pixels <= APP_ICON_SMALL_MAX else "atlas-desktop"
            pixmap = QPixmap(pixels, pixels)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderers[name].render(painter, QRectF(0, 0, pixels, pixels))
            painter.end()
            pixmap.setDevicePixelRatio(ratio)
            icon.addPixmap(pixmap)
    return icon

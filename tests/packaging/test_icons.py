"""The application icon's committed bitmaps: every size there, the right size, really drawn,
and what packaging/render_icons.py makes of today's SVGs."""

from __future__ import annotations

import struct

import pytest

from .conftest import APP_ID, REPO, load_script

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture(scope="module")
def icons(qapp):
    return load_script("render_icons")


def load(path):
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not a readable image"
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def near(colour, target, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target, strict=True))


def test_the_script_uses_the_application_id(icons):
    from atlas_desktop.gui.application import APP_ID as APP_ID_IN_APP

    assert icons.APP_ID == APP_ID == APP_ID_IN_APP
    assert icons.SIZES == SIZES


@pytest.mark.parametrize("size", SIZES)
def test_each_size_is_there_and_shows_the_drawing(icons, size):
    from PySide6.QtGui import QColor

    path = REPO / "resources" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert path.is_file(), f"{path} is missing: run `make icons`"
    image = load(path)
    assert (image.width(), image.height()) == (size, size)
    pixels = [QColor.fromRgba(image.pixel(x, y)) for y in range(size) for x in range(size)]
    opaque = [p for p in pixels if p.alpha() == 255]
    assert len(opaque) > 0.8 * len(pixels), "the tile should cover most of the icon"
    assert QColor.fromRgba(image.pixel(0, 0)).alpha() < 255, "the corners are rounded"
    rgb = [(p.red(), p.green(), p.blue()) for p in opaque]
    # The teal tile, the white pages and the orange magnifier are all there.
    assert sum(near(c, (0x1F, 0x6F, 0x78)) for c in rgb) > 0.3 * len(rgb)
    assert any(near(c, (255, 255, 255), 10) for c in rgb)
    assert any(c[0] > 200 and 120 < c[1] < 190 and c[2] < 110 for c in rgb)


@pytest.mark.parametrize("size", SIZES)
def test_committed_bitmaps_match_the_svgs(icons, size):
    """Re-render and compare: a changed SVG without `make icons` fails here. A few pixels may
    differ by a little between Qt versions' antialiasing; a changed drawing differs in many."""
    committed = load(icons.png_path(size))
    fresh = icons.render(size)
    assert (fresh.width(), fresh.height()) == (size, size)
    a = bytes(committed.constBits())
    b = bytes(fresh.constBits())
    assert len(a) == len(b)
    differing = sum(1 for i in range(0, len(a), 4)
                    if max(abs(a[i + k] - b[i + k]) for k in range(4)) > 8)
    assert differing <= size * size // 100, (
        f"{differing} of {size * size} pixels differ from a fresh rendering of "
        f"{icons.svg_for(size).name}: run `make icons` and commit the result")


def test_small_sizes_use_the_pixel_grid_drawing(icons):
    assert icons.svg_for(16).name == "atlas-desktop-small.svg"
    assert icons.svg_for(24).name == "atlas-desktop-small.svg"
    assert icons.svg_for(32).name == "atlas-desktop.svg"


def test_the_window_icon_follows_the_same_drawings(icons):
    from PySide6.QtGui import QImage

    from atlas_desktop.gui.icons import app_icon

    for size in (16, 48):
        shown = app_icon().pixmap(size, size).toImage().convertToFormat(
            QImage.Format.Format_ARGB32)
        committed = load(icons.png_path(size))
        a, b = bytes(shown.constBits()), bytes(committed.constBits())
        assert len(a) == len(b)
        differing = sum(1 for i in range(0, len(a), 4)
                        if max(abs(a[i + k] - b[i + k]) for k in range(4)) > 8)
        assert differing <= size * size // 50, f"the window's {size} px icon is another drawing"


def test_the_scalable_icon_is_the_application_svg(icons):
    assert icons.scalable_path().read_bytes() == icons.FULL_SVG.read_bytes()


def test_the_windows_icon_holds_the_committed_bitmaps(icons):
    data = icons.ICO_FILE.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    assert count == len(icons.ICO_SIZES)
    for index, size in enumerate(icons.ICO_SIZES):
        width, height, _colours, _r, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index)
        assert (width or 256, height or 256) == (size, size)
        assert (planes, bits) == (1, 32)
        assert data[offset:offset + length] == icons.png_path(size).read_bytes()

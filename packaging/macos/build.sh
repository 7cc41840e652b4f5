#!/bin/sh
# Build "dist/Atlas Desktop.app" on macOS with the same PyInstaller spec as Linux (its BUNDLE
# section: bundle id io.github.atlasdesktop.AtlasDesktop, version from atlas_desktop, icon).
#
# NOT RUN YET: written on Linux, where it cannot run (see packaging/README.md).
#
# Needs: Python 3.11+ from python.org or Homebrew, Node.js 18+ (npm, for the citation engine),
# and Xcode's command line tools (iconutil, codesign). Run from anywhere:
#   sh packaging/macos/build.sh
set -eu
cd "$(dirname "$0")/../.."

venv=.venv-macos
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --disable-pip-version-check -q --upgrade "pip>=23.2"
"$venv/bin/python" -m pip install --disable-pip-version-check -q -e ".[package]"
if [ -f js/package-lock.json ]; then
  (cd js && npm ci --no-audit --no-fund --ignore-scripts)
fi

# The .icns: the icon's PNG sizes as an .iconset folder (16-1024 px, including the @2x
# sizes), which iconutil packs into one file. The spec reads build/macos/atlas-desktop.icns.
mkdir -p build/macos
rm -rf build/macos/atlas-desktop.iconset
"$venv/bin/python" packaging/render_icons.py --iconset build/macos/atlas-desktop.iconset
iconutil -c icns -o build/macos/atlas-desktop.icns build/macos/atlas-desktop.iconset

"$venv/bin/python" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
  packaging/atlas-desktop.spec

QT_QPA_PLATFORM=offscreen "dist/Atlas Desktop.app/Contents/MacOS/atlas-desktop" --self-test
echo "Built dist/Atlas Desktop.app (not signed; see packaging/README.md)"

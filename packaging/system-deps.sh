#!/bin/sh
# The shared libraries Qt needs at run time (offscreen and on a desktop). PySide6 wheels bring
# Qt itself; these come from the operating system. Installed only when missing, only on Debian
# or Ubuntu, and only when we are allowed to (root); otherwise we say what is missing.
missing=""
for lib in libGL.so.1 libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libglib-2.0.so.0 libdbus-1.so.3; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing="$missing $lib"
done
[ -z "$missing" ] && exit 0
pkgs="libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing libraries Qt needs:$missing" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs) >/dev/null
else
  echo "Qt needs these system libraries, which are missing:$missing" >&2
  echo "On Debian/Ubuntu: sudo apt-get install $pkgs" >&2
fi

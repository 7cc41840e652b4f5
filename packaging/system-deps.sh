#!/bin/sh
# What Atlas Desktop needs from the operating system. PySide6 wheels bring Qt itself; these come
# from the distribution:
# - the shared libraries Qt needs at run time (offscreen and on a desktop);
# - the tools the packaging tests use: desktop-file-validate (desktop-file-utils),
#   appstreamcli (appstream), and xvfb-run (xvfb, xauth) to run the built application's
#   self-test on X11.
# Installed only when missing, only on Debian or Ubuntu, and only when we are allowed to
# (root); otherwise we say what is missing.
missing=""
pkgs=""
for lib in libGL.so.1 libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libglib-2.0.so.0 libdbus-1.so.3; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing="$missing $lib"
done
[ -n "$missing" ] && pkgs="libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core"
for pair in desktop-file-validate:desktop-file-utils appstreamcli:appstream xvfb-run:xvfb xauth:xauth; do
  command -v "${pair%%:*}" >/dev/null 2>&1 && continue
  missing="$missing ${pair%%:*}"
  pkgs="$pkgs ${pair#*:}"
done
[ -z "$missing" ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing what Atlas Desktop needs from the system:$missing" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs) >/dev/null
else
  echo "Atlas Desktop needs these from the system, which are missing:$missing" >&2
  echo "On Debian/Ubuntu: sudo apt-get install$pkgs" >&2
fi

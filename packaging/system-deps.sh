#!/bin/sh
# What Atlas Desktop needs from the operating system. PySide6 wheels bring Qt itself; these come
# from the distribution:
# - `system-deps.sh app` (make install): the shared libraries the installed Qt's window
#   plugins (X11 and its GL integrations, Wayland) and the Qt modules we import link to, as
#   Qt's own files name them (qt_system_libs.py, run after PySide6 is installed), each mapped
#   to its package by atlas_desktop/data/system_libraries.tsv; and a font;
# - `system-deps.sh test` (make install-test), in addition, what the tests use: xvfb-run
#   (xvfb, xauth) for the self-test on X11, desktop-file-validate (desktop-file-utils) and
#   appstreamcli (appstream) for the desktop files, LibreOffice Writer and its Python bridge
#   (python3-uno) for the tests that drive a real LibreOffice.
# Installed only when missing, only on Debian or Ubuntu, and only when we are allowed to
# (root); otherwise the exact command is printed, with the Fedora and Arch packages too.
set -u
mode=${1:-app}
case $mode in
  app|test) ;;
  *) echo "usage: $0 [app|test]" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
python=${ATLAS_VENV_PYTHON:-$here/../.venv/bin/python}
tab=$(printf '\t')

has() { command -v "$1" >/dev/null 2>&1; }
# A Debian package is installed (on Debian/Ubuntu; elsewhere the fallback test decides).
deb_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# missing: what is missing; debian/fedora/arch: the packages that bring it; unknown: libraries
# the table has no package for.
collect() {
  missing="" debian="" fedora="" arch="" unknown=""
  need() {
    missing="$missing $1" debian="$debian $2" fedora="$fedora $3" arch="$arch $4"
  }
  if [ -x "$python" ]; then
    libs=$("$python" "$here/qt_system_libs.py")
    status=$?
    if [ $status = 3 ]; then
      echo "system-deps: PySide6 is not installed yet, so Qt's libraries cannot be checked" \
           "(make install installs it, then runs this)" >&2
    elif [ $status != 0 ]; then
      echo "system-deps: listing Qt's libraries failed" >&2
      exit 1
    fi
    while IFS="$tab" read -r soname deb fed arc; do
      [ -n "$soname" ] || continue
      if [ "$deb" = "?" ]; then
        unknown="$unknown $soname"
      else
        need "$soname" "$deb" "$fed" "$arc"
      fi
    done <<EOF
$libs
EOF
  fi
  # Qt draws text with the system's fonts (through fontconfig); a minimal system has none.
  if [ -z "$(find /usr/share/fonts /usr/local/share/fonts -type f \( -name '*.ttf' \
        -o -name '*.otf' -o -name '*.ttc' -o -name '*.pfb' \) -print 2>/dev/null | head -n1)" ]
  then
    need fonts fonts-dejavu-core dejavu-sans-fonts ttf-dejavu
  fi
  [ "$mode" = test ] || return 0
  has xvfb-run || need xvfb-run xvfb xorg-x11-server-Xvfb xorg-server-xvfb
  has xauth || need xauth xauth xorg-x11-xauth xorg-xauth
  has desktop-file-validate ||
    need desktop-file-validate desktop-file-utils desktop-file-utils desktop-file-utils
  has appstreamcli || need appstreamcli appstream appstream appstream
  if has dpkg-query; then
    deb_installed libreoffice-writer ||
      need libreoffice-writer libreoffice-writer libreoffice-writer libreoffice-fresh
    deb_installed python3-uno || need python3-uno python3-uno libreoffice-pyuno libreoffice-fresh
  else
    has lowriter || has soffice ||
      need libreoffice-writer libreoffice-writer libreoffice-writer libreoffice-fresh
    /usr/bin/python3 -c 'import uno' >/dev/null 2>&1 ||
      need python3-uno python3-uno libreoffice-pyuno libreoffice-fresh
  fi
}

# Each package once, in order.
uniq_words() { printf '%s\n' $1 | awk 'NF && !seen[$0]++' | tr '\n' ' ' | sed 's/ $//'; }

say_unknown() {
  [ -z "$unknown" ] && return 0
  echo "system-deps: Qt needs$unknown, which no row of" \
       "atlas_desktop/data/system_libraries.tsv provides; add it there" >&2
  return 1
}

collect
if [ -z "$missing" ]; then
  say_unknown
  exit
fi
if has apt-get && [ "$(id -u)" = 0 ]; then
  packages=$(uniq_words "$debian")
  echo "system-deps: installing what Atlas Desktop needs from the system:$missing" >&2
  echo "system-deps: apt-get install --no-install-recommends $packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt or dpkg (an update in the background) instead of failing.
  apt="apt-get -qq -o DPkg::Lock::Timeout=600"
  if ! { $apt update >/dev/null && $apt install -y --no-install-recommends $packages >/dev/null; }
  then
    echo "system-deps: apt-get could not install: $packages" >&2
    exit 1
  fi
  collect
  if [ -n "$missing" ]; then
    echo "system-deps: still missing after installing $packages:$missing" >&2
    exit 1
  fi
  say_unknown
  exit
fi
echo "Atlas Desktop needs these from the system, which are missing:$missing" >&2
echo "  Debian/Ubuntu: sudo apt-get install --no-install-recommends $(uniq_words "$debian")" >&2
echo "  Fedora:        sudo dnf install $(uniq_words "$fedora")" >&2
echo "  Arch:          sudo pacman -S --needed $(uniq_words "$arch")" >&2
say_unknown || exit 1

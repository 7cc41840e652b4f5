#!/usr/bin/env bash
# make fresh-check: does a new machine with only what the README asks for get from a clean
# clone to a working window and a green suite with the README's two commands?
#
# In .fresh-check/root (git-ignored) this builds a minimal Debian 12 (debootstrap
# --variant=minbase bookworm, from the Debian mirror of this machine's apt sources), installs
# there only the packages of the README's set-up line (without recommended packages), carries
# in this machine's way to the package registries (the certificate authorities its bundle has
# beyond Debian's, pip's and npm's settings and the PIP_*/npm/CA/proxy variables; no host is
# named here), clones HEAD (committed files only) with ../shared beside it, mounts /proc,
# /sys and /dev, and runs inside, timing each step:
#   make install; ldd on Qt's X11 and Wayland plugins (nothing may be missing);
#   make install-test; atlas-desktop --self-test on X11 under xvfb-run (QT_QPA_PLATFORM=xcb);
#   make test; the window's sentence with no display and with libxcb-cursor0 taken away.
# From the self-test on, the root has its own network namespace with only loopback: the tests
# run offline, and their Xvfb cannot take a display number from an Xvfb of this machine.
# Everything mounted is unmounted on exit, also on failure or Ctrl-C. The root is new each
# time and removed after a green run (FRESH_CHECK_KEEP=1 keeps it; a failed run keeps it for
# a look). Downloads (.deb files, pip's and npm's caches) are kept in .fresh-check/cache.
# Needs root, debootstrap and an apt source for bookworm (or FRESH_CHECK_MIRROR=URL).
set -euo pipefail

project=$(cd "$(dirname "$0")/.." && pwd)
work=$project/.fresh-check
root=$work/root
cache=$work/cache
suite=bookworm
src=/root/src                     # in the root: the clone, with shared/ beside it
clone=$src/atlas-desktop
current="" mounted=() timings=() carried_env=() offline=1
# A hung step (a test waiting forever) ends after this long, and the run with it.
limit=${FRESH_CHECK_STEP_LIMIT:-1500}
started=$EPOCHREALTIME

say() { echo "fresh-check: $*" >&2; }
fail() { say "$*"; exit 1; }
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- mounts, processes, clean-up

mount_in() {  # mount_in PATH-IN-ROOT mount-arguments...
  local target=$root$1
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}

# Processes whose root is our root: ones this script started in it (an Xvfb left behind by
# a failed step, a hung test). Ended by their id, so that the mounts can go.
stop_processes_in_root() {
  local pids=() proc link
  for proc in /proc/[0-9]*; do
    link=$(readlink "$proc/root" 2>/dev/null) || continue
    if [[ $link == "$root" || $link == "$root"/* ]]; then pids+=("${proc#/proc/}"); fi
  done
  ((${#pids[@]})) || return 0
  say "ending ${#pids[@]} process(es) still running in the root: ${pids[*]}"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in 1 2 3 4 5; do
    sleep 1
    kill -0 "${pids[@]}" 2>/dev/null || return 0
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

mounts_under_root() {
  awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo |
    sort -r
}

unmount_all() {
  stop_processes_in_root
  local i target
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    target=${mounted[i]}
    umount "$target" 2>/dev/null || { sleep 2; umount "$target"; } ||
      umount -l "$target" || say "could not unmount $target"
  done
  mounted=()
  # Anything else mounted under the root (left by a run that was killed outright).
  for target in $(mounts_under_root); do umount -l "$target" || say "could not unmount $target"; done
  if [[ -n $(mounts_under_root) ]]; then say "still mounted under $root:" $(mounts_under_root); fi
}

# The downloads go back to the cache (hard links: same file system), for the next run.
save_caches() {
  [[ -d $root ]] || return 0
  if compgen -G "$root/var/cache/apt/archives/*.deb" >/dev/null; then
    rm -rf "$cache/apt.new" && mkdir -p "$cache/apt.new"
    ln -f "$root"/var/cache/apt/archives/*.deb "$cache/apt.new/"
    rm -rf "$cache/apt" && mv "$cache/apt.new" "$cache/apt"
  fi
  if [[ -d $root/root/.cache/pip ]]; then rm -rf "$cache/pip"; mv "$root/root/.cache/pip" "$cache/pip"; fi
  if [[ -d $root/root/.npm ]]; then rm -rf "$cache/npm"; mv "$root/root/.npm" "$cache/npm"; fi
}

remove_root() {
  [[ -e $root ]] || return 0
  unmount_all
  [[ -z $(mounts_under_root) ]] || fail "not removing $root: something is still mounted in it"
  rm -rf --one-file-system "$root"
}

print_timings() {
  ((${#timings[@]})) || return 0
  say "timings:"
  printf '  %s\n' "${timings[@]}" >&2
  printf '  %-52s %7s s\n' "total" "$(elapsed "$started")" >&2
}

finish() {
  local status=$?
  trap - EXIT INT TERM
  unmount_all
  save_caches
  if ((status != 0)); then
    say "FAILED${current:+ at: $current} (exit $status); the root is kept for a look:" \
        "$root (nothing is mounted in it; remove it with rm -rf --one-file-system)"
  elif [[ -n ${FRESH_CHECK_KEEP:-} ]]; then
    say "passed; the root is kept in $root (FRESH_CHECK_KEEP)"
  else
    remove_root
    say "passed"
  fi
  print_timings
  exit "$status"
}

step() {  # step NAME COMMAND...: run it, time it
  current=$1
  shift
  local start=$EPOCHREALTIME
  say "── $current"
  "$@"
  local seconds
  seconds=$(elapsed "$start")
  timings+=("$(printf '%-52s %7s s' "$current" "$seconds")")
  say "$current: $seconds s"
  current=""
}

# ------------------------------------------------------------------------- inside the root

root_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# inside COMMAND: bash -c COMMAND in the root as root, in the clone (or / before it exists),
# with a clean environment plus the carried registry settings.
inside() {
  local dir=/
  [[ -d $root$clone ]] && dir=$clone
  timeout -k 30 "$limit" chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root \
    PATH="$root_path" LANG=C.UTF-8 TERM=dumb "${carried_env[@]}" /bin/bash -c "cd $dir && $1"
}

# inside_offline COMMAND: the same in a network namespace of its own with loopback only.
inside_offline() {
  if ((offline)); then
    local env_args=("${carried_env[@]}")
    timeout -k 30 "$limit" unshare --net /bin/bash -c 'ip link set lo up && exec "$@"' unshare \
      chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root PATH="$root_path" \
      LANG=C.UTF-8 TERM=dumb "${env_args[@]}" /bin/bash -c "cd $clone && $1"
  else
    inside "$1"
  fi
}

# This machine's settings: apt_sources, debian_sources, carry_certificates, carry_configuration.
# shellcheck source=packaging/fresh-check-host.sh
source "$project/packaging/fresh-check-host.sh"

# ------------------------------------------------------------------------------- the steps

build_root() {
  local mirror
  mirror=$(debian_sources | awk -v s="$suite" '$2 == s { print $1; exit }')
  [[ -n $mirror ]] || fail "no apt source for $suite (main) on this machine; set" \
                           "FRESH_CHECK_MIRROR to a Debian mirror's URL"
  say "debootstrap --variant=minbase $suite from $mirror"
  mkdir -p "$cache/debootstrap"
  if ! timeout -k 30 "$limit" debootstrap --variant=minbase --cache-dir="$cache/debootstrap" "$suite" "$root" \
       "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 20 "$work/debootstrap.log" >&2
    fail "debootstrap failed (whole log: $work/debootstrap.log)"
  fi
  debian_sources | awk '{ printf "deb %s %s", $1, $2; for (i = 3; i <= NF; i++) printf " %s", $i; print "" }' \
    > "$root/etc/apt/sources.list"
  # apt's ways to the mirror: proxies, and whether an old Release file is accepted.
  apt-config dump | grep -E '^Acquire::((https?|ftp)::|(Check-Valid-Until|Check-Date|Retries|ForceIPv4|ForceIPv6) )' \
    > "$root/etc/apt/apt.conf.d/90fresh-check-carried" || true
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  cp /etc/hosts "$root/etc/hosts"
  # dpkg without an fsync per file: the root is thrown away, and the README's line alone
  # brings several hundred packages (335 of them Node.js modules for npm).
  echo 'Dpkg::Options { "--force-unsafe-io"; };' > "$root/etc/apt/apt.conf.d/90fresh-check-unsafe-io"
  # No service starts inside (packages ask invoke-rc.d; this says no).
  printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  mount_in /proc -t proc proc
  mount_in /sys -t sysfs sysfs
  mount_in /dev --bind /dev
  mount_in /dev/pts --bind /dev/pts
  mount_in /dev/shm -t tmpfs tmpfs
}

readme_packages() {
  local line
  line=$(grep -m1 -oE 'sudo apt-get install [a-z0-9.+ -]+' "$project/README.md") ||
    fail "README.md has no 'sudo apt-get install ...' line for a fresh machine"
  echo "${line#sudo apt-get install }"
}

install_readme_packages() {
  local packages
  packages=$(readme_packages)
  say "the README's packages: $packages"
  if compgen -G "$cache/apt/*.deb" >/dev/null; then
    ln -f "$cache"/apt/*.deb "$root/var/cache/apt/archives/"
  fi
  inside "export DEBIAN_FRONTEND=noninteractive; apt-get -qq update && \
          apt-get -qq install -y --no-install-recommends $packages >/dev/null"
}

carry_and_clone() {
  carry_certificates
  carry_configuration
  [[ -d $cache/pip ]] && mkdir -p "$root/root/.cache" && mv "$cache/pip" "$root/root/.cache/pip"
  [[ -d $cache/npm ]] && mv "$cache/npm" "$root/root/.npm"
  local head
  head=$(git -C "$project" rev-parse HEAD)
  if [[ -n $(git -C "$project" status --porcelain --untracked-files=no) ]]; then
    say "note: uncommitted changes are not checked (the root gets a clone of HEAD)"
  fi
  mkdir -p "$root$src"
  git clone -q --no-checkout "$project" "$root$clone"
  git -C "$root$clone" cat-file -e "$head^{commit}" 2>/dev/null ||
    git -C "$root$clone" fetch -q "$project" "$head"
  git -C "$root$clone" checkout -q --detach "$head"
  say "cloned $(git -C "$project" log -1 --format='%h %s' "$head")"
  local shared
  if shared=$(realpath -e "$project/../shared" 2>/dev/null); then
    cp -a "$shared" "$root$src/shared"
  else
    say "note: no ../shared beside $project"
  fi
}

check_plugin_libraries() {
  inside '
    set -e
    qt=$(.venv/bin/python -c "import PySide6, os; print(os.path.dirname(PySide6.__file__))")/Qt
    for plugin in "$qt"/plugins/platforms/libqxcb.so "$qt"/plugins/platforms/libqwayland*.so \
                  "$qt"/plugins/xcbglintegrations/*.so; do
      missing=$(ldd "$plugin" | grep "not found" || true)
      if [ -n "$missing" ]; then
        echo "fresh-check: ${plugin#$qt/plugins/} is missing:" >&2; echo "$missing" >&2; exit 1
      fi
      echo "fresh-check: ${plugin#$qt/plugins/}: $(ldd "$plugin" | wc -l) libraries, none missing" >&2
    done'
}

x11_self_test() {
  inside_offline 'QT_QPA_PLATFORM=xcb xvfb-run -a .venv/bin/atlas-desktop --self-test'
}

# The window's start-up check in the real thing: no display, then libxcb-cursor0 taken away
# (the first of the nine libraries issue 14 found missing) on a running Xvfb.
check_sentences() {
  local out
  out=$(inside_offline '.venv/bin/atlas-desktop --data-dir /tmp/no-display 2>&1; echo "exit $?"')
  echo "$out" >&2
  [[ $out == *"there is no graphical display"*"exit 1" ]] ||
    fail "no display: not the one sentence and exit 1"
  inside 'dpkg --remove --force-depends libxcb-cursor0 >/dev/null 2>&1'
  out=$(inside_offline 'QT_QPA_PLATFORM=xcb xvfb-run -a .venv/bin/atlas-desktop \
                          --data-dir /tmp/no-cursor 2>&1; echo "exit $?"')
  echo "$out" >&2
  [[ $out == *"libxcb-cursor.so.0, which is not installed; install it with: apt-get install libxcb-cursor0"*"exit 1" ]] ||
    fail "libxcb-cursor0 removed: not the sentence naming it and exit 1"
}

# ------------------------------------------------------------------------------------ main

[[ $(uname -s) == Linux ]] || fail "needs Linux (debootstrap, chroot)"
[[ $(id -u) == 0 ]] || fail "needs root (debootstrap, chroot, mount): sudo make fresh-check"
command -v debootstrap >/dev/null ||
  fail "needs debootstrap: apt-get install debootstrap (Debian/Ubuntu)"
mkdir -p "$work" "$cache"
exec 9>"$work/lock"
flock -n 9 || fail "another fresh-check is running in $project"
unshare --net true 2>/dev/null && command -v ip >/dev/null || {
  offline=0
  say "note: no network namespace here (unshare --net); the tests run with the network"
}
available=$(df -Pk "$work" | awk 'NR == 2 { print int($4 / 1048576) }')
((available >= 8)) || fail "needs about 8 GB free in $work ($available GB)"

remove_root  # what a previous run left
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "debootstrap --variant=minbase $suite" build_root
step "the README's packages (apt-get install)" install_readme_packages
step "carry registry settings; clone HEAD, ../shared" carry_and_clone
step "make install" inside 'make install'
step "ldd: Qt's X11 and Wayland plugins" check_plugin_libraries
step "make install-test" inside 'make install-test'
step "X11 self-test under xvfb-run (offline)" x11_self_test
# CI requires the LibreOffice tests (.ci/run); the root's clean environment is told so too.
step "make test (offline)" inside_offline \
  "ATLAS_REQUIRE_LIBREOFFICE=${ATLAS_REQUIRE_LIBREOFFICE:-} make test"
step "sentences: no display, libxcb-cursor0 removed" check_sentences

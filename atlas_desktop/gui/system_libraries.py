"""Which package of the operating system provides each shared library Qt's window needs, and
the command that installs them on this machine.

The table is ``atlas_desktop/data/system_libraries.tsv``: one row per library (soname) with
its Debian/Ubuntu, Fedora and Arch package. ``packaging/system-deps.sh`` installs from it;
the window's start-up check (``platform_check``) names the command when a library is missing.
Plain Python (no Qt): the packaging scripts read it too."""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

TABLE = "system_libraries.tsv"


@dataclass(frozen=True)
class Packages:
    """The package that provides one library on each family of distributions."""

    debian: str
    fedora: str
    arch: str


def library_packages() -> dict[str, Packages]:
    """soname -> its packages, from the table shipped with the application."""
    text = resources.files("atlas_desktop.data").joinpath(TABLE).read_text("utf-8")
    table: dict[str, Packages] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) != 4:
            raise ValueError(f"{TABLE} line {number}: expected soname and three packages, "
                             f"got {line!r}")
        soname, debian, fedora, arch = fields
        table[soname] = Packages(debian, fedora, arch)
    return table


#: The package managers, by the distribution family /etc/os-release names.
_MANAGERS = (
    ("debian", "Debian/Ubuntu", "apt-get install"),
    ("fedora", "Fedora", "dnf install"),
    ("arch", "Arch", "pacman -S --needed"),
)


def distribution_family(os_release: Mapping[str, str] | None = None) -> str | None:
    """"debian", "fedora" or "arch" for this system (or the os-release fields given), from
    its ID and ID_LIKE; None for anything else or when os-release cannot be read."""
    if os_release is None:
        try:
            os_release = platform.freedesktop_os_release()
        except OSError:
            return None
    ids = {os_release.get("ID", ""), *os_release.get("ID_LIKE", "").split()}
    if ids & {"debian", "ubuntu"}:
        return "debian"
    if ids & {"fedora", "rhel", "centos"}:
        return "fedora"
    if ids & {"arch"}:
        return "arch"
    return None


def install_command(packages: Iterable[Packages], *, family: str | None,
                    as_root: bool | None = None) -> str:
    """The command that installs these packages on this family of distributions, or, for an
    unknown one, the commands for each family we know ("on Debian/Ubuntu: ...; on ...")."""
    chosen = list(dict.fromkeys(packages))
    if as_root is None:
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    sudo = "" if as_root else "sudo "
    commands = []
    for name, label, manager in _MANAGERS:
        if family is not None and name != family:
            continue
        names = " ".join(dict.fromkeys(getattr(pkg, name) for pkg in chosen))
        command = f"{sudo}{manager} {names}"
        commands.append(command if family is not None else f"on {label}: {command}")
    return "; ".join(commands)

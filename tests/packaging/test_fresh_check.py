"""make fresh-check's reading of this machine's apt sources: the Debian 12 mirror comes from
there (no host is written in the script), with bookworm's updates and security, and nothing
from another vendor's repository or a disabled entry. (The check itself runs as root with
debootstrap: `make fresh-check`, in CI.)"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.packaging.conftest import PACKAGING


def debian_sources(apt_dir: Path) -> list[str]:
    script = f"suite=bookworm; source {PACKAGING / 'fresh-check-host.sh'}; debian_sources"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30,
                            env={"PATH": "/usr/bin:/bin", "FRESH_CHECK_APT_DIR": str(apt_dir)},
                            check=True)
    return result.stdout.splitlines()


def test_the_mirror_and_suites_come_from_apt_sources(tmp_path):
    listing = tmp_path / "sources.list.d"
    listing.mkdir()
    (listing / "debian.sources").write_text(
        "Types: deb\n"
        "# a comment inside the stanza\n"
        "URIs: http://mirror.example.org/debian\n"
        "Suites: bookworm bookworm-updates\n"
        "Components: main contrib\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        "\n"
        "Types: deb\n"
        "URIs: http://security.example.org/debian-security\n"
        "Suites: bookworm-security\n"
        "Components: main\n"
        "\n"
        "Types: deb-src\n"
        "URIs: http://mirror.example.org/debian\n"
        "Suites: bookworm\n"
        "Components: main\n"
        "\n"
        "Types: deb\n"
        "URIs: http://old.example.org/debian\n"
        "Suites: bookworm\n"
        "Components: main\n"
        "Enabled: no\n", "utf-8")
    # A vendor's repository for bookworm has no main component; a backports line is not
    # part of a default install; a disabled file (no .list ending) is not read.
    (listing / "docker.list").write_text(
        "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.gpg] "
        "https://download.example.com/linux/debian bookworm stable\n"
        "deb http://mirror.example.org/debian bookworm-backports main\n", "utf-8")
    (listing / "nodesource.sources.disabled").write_text(
        "Types: deb\nURIs: https://deb.example.com/node\nSuites: bookworm\nComponents: main\n",
        "utf-8")
    assert debian_sources(tmp_path) == [
        "http://mirror.example.org/debian bookworm main contrib",
        "http://mirror.example.org/debian bookworm-updates main contrib",
        "http://security.example.org/debian-security bookworm-security main",
    ]


def test_one_line_sources_list(tmp_path):
    (tmp_path / "sources.list").write_text(
        "# deb http://commented.example.org/debian bookworm main\n"
        "deb http://mirror.example.org/debian bookworm main\n"
        "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
        "http://security.example.org/debian-security bookworm-security main\n", "utf-8")
    assert debian_sources(tmp_path) == [
        "http://mirror.example.org/debian bookworm main",
        "http://security.example.org/debian-security bookworm-security main",
    ]

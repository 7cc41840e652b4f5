"""Shared pieces of the hostile-content and fault tests (issue 19): the fixtures' folder, and
real faults of the file system made honestly (they need root, as CI and the development
machine run): a small tmpfs that fills up, and ``chattr +i`` (root ignores ``chmod -w``).
Every mount and attribute is undone when the test ends, whatever happened."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"


def _need_root(tool: str) -> None:
    if os.geteuid() != 0 or shutil.which(tool) is None:
        pytest.skip(f"needs root and {tool} (the development machine and CI have both)")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs mounted at a fresh folder, unmounted afterwards."""
    _need_root("mount")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs",
                           str(mount_point)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill_disk(folder: Path) -> None:
    """Write a file until the disk has no block left."""
    with open(folder / "filler", "wb", buffering=0) as handle:
        block = b"\0" * 65536
        try:
            while True:
                handle.write(block)
        except OSError:
            pass
    with open(folder / "filler-tail", "wb", buffering=0) as handle:  # the last bytes
        try:
            while True:
                handle.write(b"\0" * 512)
        except OSError:
            pass
    assert os.statvfs(folder).f_bavail == 0


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """``immutable(path)`` sets ``chattr +i`` on ``path``; all are cleared at the end."""
    _need_root("chattr")
    marked: list[Path] = []

    def mark(path: Path) -> None:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        marked.append(path)

    try:
        yield mark
    finally:
        for path in reversed(marked):
            subprocess.run(["chattr", "-i", str(path)], check=False)

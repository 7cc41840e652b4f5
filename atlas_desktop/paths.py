"""Where a library lives: platformdirs' user data dir, or ``--data-dir`` / the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "atlas-desktop"
APP_AUTHOR = "AtlasDesktop"
ENV_DATA_DIR = "ATLAS_DESKTOP_DATA_DIR"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


@dataclass(frozen=True)
class LibraryPaths:
    """The files of one library folder."""

    data_dir: Path
    #: True for the platform's default library (the one a first run fills with samples).
    is_default: bool = False

    @property
    def database(self) -> Path:
        return self.data_dir / "library.sqlite3"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / ".atlas-desktop.lock"

    @property
    def styles_dir(self) -> Path:
        return self.data_dir / "styles"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"


def resolve_library(cli_value: str | os.PathLike[str] | None = None) -> LibraryPaths:
    """``--data-dir`` wins, then ``ATLAS_DESKTOP_DATA_DIR``, then the platform default."""
    if cli_value:
        return LibraryPaths(Path(cli_value).expanduser().resolve())
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return LibraryPaths(Path(env).expanduser().resolve())
    return LibraryPaths(default_data_dir(), is_default=True)

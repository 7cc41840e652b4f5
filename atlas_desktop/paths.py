"""Where a library lives: platformdirs' user data dir, or ``--data-dir`` / the environment."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "atlas-desktop"
APP_AUTHOR = "AtlasDesktop"
ENV_DATA_DIR = "ATLAS_DESKTOP_DATA_DIR"


def platform_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def config_file() -> Path:
    """Preferences that must be known before a library is open (which library to open)."""
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / "config.json"


def _read_config() -> dict[str, object]:
    try:
        data = json.loads(config_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def chosen_data_dir() -> Path | None:
    """The library folder the user chose in Preferences, if any."""
    value = _read_config().get("data_dir")
    return Path(value).expanduser() if isinstance(value, str) and value else None


def choose_data_dir(path: Path | None) -> None:
    """Remember ``path`` as the default library folder (None: the platform's folder)."""
    data = _read_config()
    if path is None:
        data.pop("data_dir", None)
    else:
        data["data_dir"] = str(Path(path).expanduser().resolve())
    target = config_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2), "utf-8")
    os.replace(tmp, target)


def default_data_dir() -> Path:
    """The default library: the folder chosen in Preferences, else the platform's."""
    return chosen_data_dir() or platform_data_dir()


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
    def styles_dir(self) -> Path:
        return self.data_dir / "styles"

    @property
    def logs_dir(self) -> Path:
        """Where failures that reach the user are logged with their traceback."""
        return self.data_dir / "logs"


def resolve_library(cli_value: str | os.PathLike[str] | None = None) -> LibraryPaths:
    """``--data-dir`` wins, then ``ATLAS_DESKTOP_DATA_DIR``, then the folder chosen in
    Preferences, then the platform's data folder."""
    if cli_value:
        return LibraryPaths(Path(cli_value).expanduser().resolve())
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return LibraryPaths(Path(env).expanduser().resolve())
    return LibraryPaths(default_data_dir(), is_default=True)

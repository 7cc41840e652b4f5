"""The frozen application's entry point (PyInstaller runs this file as ``__main__``).

Kept outside the package so the build analyses ``atlas_desktop.app`` exactly as installed.
"""

import sys

from atlas_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())

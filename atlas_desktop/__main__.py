"""``python -m atlas_desktop``."""

import sys

from atlas_desktop.app import main

sys.exit(main())

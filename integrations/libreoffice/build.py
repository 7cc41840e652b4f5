"""Build the extension: ``python integrations/libreoffice/build.py OUT.oxt`` (``make oxt``).

An .oxt is a zip of this folder's extension files; install it with ``unopkg add OUT.oxt``
or by opening it with LibreOffice (Tools → Extension Manager).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = ("description.xml", "META-INF/manifest.xml", "atlas.components", "Addons.xcu",
         "Jobs.xcu", "Office/UI/WriterWindowState.xcu", "python/atlas_writer.py")
PACKAGE = "python/pythonpath/atlas_desktop_writer"


def build(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as oxt:
        for name in FILES:
            oxt.write(HERE / name, name)
        for module in sorted((HERE / PACKAGE).glob("*.py")):
            oxt.write(module, f"{PACKAGE}/{module.name}")
    tmp.replace(target)
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1] if len(sys.argv) > 1 else "dist/atlas-desktop-writer.oxt")))

"""Make ``damaged-page.sqlite3``: the five sample entries, a note, and the notes table's page
overwritten (issue 19.11: a damaged page must give one sentence, not a traceback).

Run from the repository root: ``.venv/bin/python tests/data/hostile/make_damaged_library.py``.
"""

from __future__ import annotations

import os

os.environ["ATLAS_PAGE_SIZE"] = "4096"  # a smaller fixture; the page size plays no part

import shutil
import sqlite3
import tempfile
from importlib import resources
from pathlib import Path

from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library

HERE = Path(__file__).resolve().parent
NOTED = "heins-2013-role-therapeutic"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "sample.json"
        bundle.write_text(resources.files("atlas_desktop.data").joinpath(
            "sample_library.json").read_text("utf-8"), "utf-8")
        library = open_library(LibraryPaths(Path(tmp) / "lib"))
        assert library.importer.import_files(paths=[bundle]).committed
        library.annotations.set_note(entry_id=NOTED, text="A note on a page that breaks.")
        library.close()
        path = Path(tmp) / "lib" / "library.sqlite3"
        conn = sqlite3.connect(path)
        conn.execute("VACUUM")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [r for (r,) in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'notes' AND rootpage > 0")]
        conn.close()
        data = bytearray(path.read_bytes())
        for root in roots:  # the table's page and its indexes' (not the file's header)
            start = (root - 1) * page_size
            data[start : start + page_size] = b"\xa5" * page_size
        target = HERE / "damaged-page.sqlite3"
        target.write_bytes(bytes(data))
        print(f"{target}: {len(data)} bytes, pages {roots} of {page_size} bytes overwritten")
    shutil.rmtree(HERE / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()

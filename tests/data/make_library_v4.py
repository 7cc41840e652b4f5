"""How tests/data/library-v4/ was made: a library as Atlas Desktop wrote it at schema 4 (the
release before letters were folded for search and the user's own references got their own
"incomplete"), by that release's own import, so its rows, digests and index are exactly what
that code wrote. Made with the code of commit 6d6c4f4:

    git worktree add /tmp/v4 6d6c4f4 && cd /tmp/v4 && python tests/data/make_library_v4.py OUT

Re-running it with later code would write a newer library: restore the fixture from git
instead. ``own.bib`` (written by this script, our own text) is beside it, so a test can
import it again and see that nothing is reported as changed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # the code of the tree the script is in

OWN_BIB = r"""@article{sorland2021,
  author = {S{\o}rland, Kari and Aks{\i}n, Mehmet},
  title = {Orthostatic intolerance after exertion in young adults},
  journal = {Tidsskrift for Den norske legeforening},
  year = {2021},
  doi = {10.4045/tidsskr.21.0001}
}

@article{lukasiewicz-undated,
  author = {{\L}ukasiewicz, Anna and Stra{\ss}er, Jens},
  title = {Sleep diaries in post-exertional malaise},
  journal = {Journal of Sleep Notes}
}

@misc{untitled-notes,
  note = {A reference with nothing but a note}
}
"""


def main(out: Path) -> None:
    from atlas_desktop.paths import LibraryPaths
    from atlas_desktop.services import open_library

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    bib = out / "own.bib"
    bib.write_text(OWN_BIB, encoding="utf-8")
    library = open_library(LibraryPaths(out / "lib"))
    pages = sorted((HERE / "atlas-pages").glob("*.txt"))
    report = library.importer.import_files(paths=[*pages, bib])
    assert report.committed, report.to_dict()
    library.annotations.set_note(entry_id="my-sorland2021", text="Ask Kari about the cohort.")
    library.close()
    # One file, no log beside it: the last connection folded it in.
    shutil.move(out / "lib" / "library.sqlite3", out / "library.sqlite3")
    shutil.rmtree(out / "lib")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "library-v4")

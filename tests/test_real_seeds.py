"""The atlas pages in tests/data/atlas-pages still say what the real seed pages say.

The seeds are five of the atlas's own pages, kept beside the repository in ``../shared/seeds``
(or ``$ATLAS_SHARED_DIR/seeds``); the project takes facts from them, never their sentences, so
the tests use pages with the same facts and our own prose. When the seeds are there, both
sets are read and imported into libraries of their own and every fact is compared: layouts,
ids, bibliographic fields, badges, tags, dates, the snapshot, what is missing, the number of
findings and conclusions and which sections have text. Without them this module is skipped,
so a clone of the project alone runs green.

This is the one test module allowed to read outside the repository
(``tests/test_self_contained.py``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from atlas_desktop.domain.contract import entry_to_contract
from atlas_desktop.domain.entry import Entry
from atlas_desktop.formats.atlas_page import parse_atlas_page
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from tests.conftest import REPO, SEED_IDS, seed_files

SHARED = Path(os.environ.get("ATLAS_SHARED_DIR") or REPO.parent / "shared")
REAL_SEEDS = SHARED / "seeds"

pytestmark = pytest.mark.skipif(
    not REAL_SEEDS.is_dir(),
    reason=f"the atlas's seed pages are not beside the repository ({REAL_SEEDS}); "
           "tests/data/atlas-pages stands in for them in every other test",
)

#: Sections whose wording is ours: only whether they are there is a fact.
PROSE = ("summary", "why_it_matters", "does_not_prove", "evidence_level")
#: Lists whose items are ours: how many there are is a fact.
POINTS = ("observed_findings", "inferred_conclusions", "remaining_questions")


def real_seed_files() -> list[Path]:
    files = sorted(REAL_SEEDS.glob("*.txt"))
    assert len(files) == 5, f"expected the five seed pages in {REAL_SEEDS}"
    return files


def facts(entry: Entry) -> dict[str, Any]:
    """Everything an entry says except the wording of its prose."""
    out = entry_to_contract(entry)
    for key in PROSE:
        out[key] = out[key] is not None
    for key in POINTS:
        out[key] = len(out[key])
    if "abstract" in out:
        out["abstract"] = bool(out["abstract"])
    out["missing"] = entry.missing_fields()
    return out


def test_each_page_has_the_layout_and_facts_of_its_seed():
    for ours, real in zip(seed_files(), real_seed_files(), strict=True):
        mine, theirs = parse_atlas_page(ours.read_text("utf-8")), \
            parse_atlas_page(real.read_text("utf-8"))
        assert (mine.layout, mine.derived_id, mine.warnings) == \
            (theirs.layout, theirs.derived_id, theirs.warnings), ours.name
        assert facts(mine.entry) == facts(theirs.entry), ours.name


def test_the_pages_import_as_the_seeds_do(tmp_path):
    libraries = [open_library(LibraryPaths(tmp_path / name)) for name in ("ours", "seeds")]
    try:
        reports = [lib.importer.import_files(paths=files) for lib, files in
                   zip(libraries, (seed_files(), real_seed_files()), strict=True)]
        assert reports[0].imported == reports[1].imported == SEED_IDS
        assert [w.message for w in reports[0].warnings] == \
            [w.message for w in reports[1].warnings]
        ours, theirs = ({e.id: facts(e) for e in lib.catalogue.get_entries(entry_ids=SEED_IDS)}
                        for lib in libraries)
        assert ours == theirs
        rows = [lib.catalogue.list_rows(pks=list(lib.catalogue.search(text="").pks))
                for lib in libraries]
        assert [(r.id, r.display_title, r.authors_short, r.badges, r.incomplete)
                for r in rows[0].values()] == \
            [(r.id, r.display_title, r.authors_short, r.badges, r.incomplete)
             for r in rows[1].values()]
    finally:
        for lib in libraries:
            lib.close()


#: Lines of facts, not prose: author lines, BibTeX fields, the primary citation, the snapshot
#: reference, and the blog engine's own template line.
FACT_LINE = re.compile(r"·|=|\(\d{4}\)\.|Generator \S+ / Scanner|^This entry was posted in")


def test_no_sentence_of_a_seed_is_in_our_pages():
    """Facts, not sentences: no sentence of eight words or more from a seed's prose is in our
    pages (lines of facts and lines holding a paper's title aside)."""
    ours = " ".join(" ".join(p.read_text("utf-8").split()) for p in seed_files())
    titles = [t for t in (parse_atlas_page(p.read_text("utf-8")).entry.title
                          for p in seed_files()) if t]
    copied = []
    for seed in real_seed_files():
        for line in seed.read_text("utf-8").splitlines():
            if FACT_LINE.search(line) or any(t in line for t in titles):
                continue
            for raw in re.split(r"(?<=[.!?])\s+", " ".join(line.split())):
                sentence = raw.lstrip("-0123456789.) ")
                if len(sentence.split()) >= 8 and sentence in ours:
                    copied.append(f"{seed.name}: {sentence[:80]}")
    assert not copied, "sentences of the seeds in tests/data/atlas-pages:\n" + "\n".join(copied)

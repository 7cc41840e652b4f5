"""Citations that say what they do not know (issue 18 items 5, 7 and 27; issue 15's "cite
--snapshot" warning), through the command line and the services."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.domain.contract import canonical_entry_dict
from atlas_desktop.domain.entry import Origin
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from atlas_desktop.store import catalogue as cat
from tests.citations.readers import read_html, read_rtf
from tests.conftest import seed_files

HEINS = "heins-2013-role-therapeutic"
VAART = "van-der-vaart-2019"


@pytest.fixture
def seeded_cli(cli):
    code, _, err = cli("import", *map(str, seed_files()))
    assert code == 0, err
    return cli


def test_cite_snapshot_prints_no_warning_and_a_reference_prints_each_once(seeded_cli):
    code, out, err = seeded_cli("cite", HEINS, "--snapshot")
    assert code == 0 and out.startswith("ME/CFS Atlas. Atlas reading of")
    assert err == ""  # the paper's missing volume says nothing about the atlas's reading
    code, _, err = seeded_cli("cite", HEINS, "--style", "vancouver")
    assert err.count("no volume or pages") == 1


def test_a_truncated_author_list_and_a_missing_title_are_said_in_every_export(seeded_cli):
    """Issue 18 item 5, the exports: BibTeX "and others", CSL-JSON's "others" name, a note
    in RIS (which has no "et al.")."""
    code, out, _ = seeded_cli("cite", VAART, "--format", "bibtex")
    assert code == 0
    assert "author = {van der Vaart, Rosalie and Worm-Smeitink, Margreet and Bos, Yvonne " \
           "and others}" in out
    code, out, _ = seeded_cli("cite", VAART, "--format", "csl-json")
    (item,) = json.loads(out)
    assert item["author"][-1] == {"literal": "others"} and len(item["author"]) == 4
    code, out, _ = seeded_cli("export", "--format", "ris", "--ids", VAART)
    assert "N1  - The author list is incomplete" in out
    for style in ("apa", "vancouver", "ama", "harvard", "chicago"):
        code, out, _ = seeded_cli("cite", VAART, "--style", style)
        assert "et al." in out and "[title not recorded]" in out, (style, out)


def test_double_spacing_is_a_preference_and_a_flag(seeded_cli):
    code, out, _ = seeded_cli("cite", HEINS, "--style", "apa", "--format", "html")
    assert code == 0 and "line-height:100%" in read_html(out)[0].style
    code, out, _ = seeded_cli("cite", HEINS, "--style", "apa", "--format", "html",
                              "--double-spacing")
    assert "line-height:200%" in read_html(out)[0].style
    code, _, err = seeded_cli("styles", "--set-double-spacing", "on")
    assert code == 0 and "double-spaced" in err
    library = open_library(LibraryPaths(seeded_cli.data_dir))
    assert library.citations.double_spacing() is True
    library.close()
    code, out, _ = seeded_cli("styles", "--json")
    assert json.loads(out)["double_spacing"] is True
    code, out, _ = seeded_cli("cite", HEINS, "--style", "vancouver", "--format", "rtf")
    assert "\\sl480\\slmult1" in out and read_rtf(out)[0].text.startswith("1. Heins MJ")
    code, out, _ = seeded_cli("cite", HEINS, "--format", "html", "--no-double-spacing")
    assert "line-height:100%" in read_html(out)[0].style


def _evidence(library, entry_id: str) -> list[str]:
    copy = library.citations.copy(entry_ids=[entry_id], kind=CopyKind.WITH_EVIDENCE,
                                  style="apa", formats=("text",))
    return copy.content.text.split("\n")


def test_copy_with_evidence_is_honest_about_each_kind_of_entry(library):
    """Issue 18 item 7: withdrawn entries, the user's own references, sample entries."""
    atlas = canonical_entry_dict({
        "id": "atlas-2020", "title": "An atlas paper", "year": 2020, "journal": "J",
        "authors": [{"family": "Smith", "given": "Ann"}], "summary": "S.",
        "does_not_prove": "That it works.",
        "badges": {"pem": "required", "evidence_tier": "E2 Cohort"},
        "snapshot": {"generator": "v1", "accessed": "2026-05-01"}})
    mine = canonical_entry_dict({"id": "my-own", "title": "My own paper", "year": 2021,
                                 "authors": [{"family": "Jones", "given": "Bo"}]})
    sample = canonical_entry_dict({**atlas, "id": "sample-2020", "sample_text": True})
    with library.ctx.db.write() as conn:
        cat.upsert_contracts(conn, [atlas, sample], ids=["atlas-2020", "sample-2020"],
                             now=library.ctx.clock(), origin=Origin.ATLAS)
        cat.upsert_contracts(conn, [mine], ids=["my-own"], now=library.ctx.clock(),
                             origin=Origin.MINE)
    lines = _evidence(library, "atlas-2020")
    assert lines[1].startswith("Atlas badges: Evidence tier E2 Cohort: where the atlas places")
    assert "PEM required: post-exertional malaise was a required criterion" in lines[1]
    assert lines[3].startswith("Atlas reading cited: ME/CFS Atlas.")
    assert not any("withdrawn" in line for line in lines)
    assert not any("Atlas badges" in line or "Atlas reading" in line
                   for line in _evidence(library, "my-own"))
    assert not any(line.startswith("Atlas reading cited") for line in
                   _evidence(library, "sample-2020"))
    with library.ctx.db.write() as conn:
        cat.withdraw_entries(conn, ["atlas-2020"], now=library.ctx.clock())
    withdrawn = _evidence(library, "atlas-2020")
    assert withdrawn[1] == ("This entry has been withdrawn from the atlas: the atlas no "
                            "longer stands by its reading of this paper.")

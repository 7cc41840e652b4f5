"""CSL-JSON over real Better BibTeX fixtures: items, repaired dates, markup, short DOIs."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from atlas_desktop.domain.contract import canonical_entry_dict, entry_from_canonical
from atlas_desktop.domain.entry import Origin
from atlas_desktop.formats.csljson import entry_item, read_csl_json, write_csl_json
from atlas_desktop.formats.text import FormatError

CSL = Path(__file__).resolve().parents[1] / "data" / "references" / "csljson"
FILES = sorted(CSL.glob("*.json"))


def read(name: str):
    parsed = read_csl_json((CSL / name).read_bytes())
    return parsed, {d["bibtex_key"]: canonical_entry_dict(d) for d in parsed.references}


@pytest.mark.parametrize(("name", "count"), [
    ("bbt-zotero-library-1179.csl.json", 26), ("bbt-dates-360-811.csl.json", 15),
    ("bbt-creators-doi-825.csl.json", 7), ("bbt-pandoc-schomd.csl.json", 4),
    ("bbt-seasons-860.csl.json", 6), ("bbt-ranges-3327.csl.json", 1)])
def test_item_counts(name, count):
    parsed, refs = read(name)
    assert len(refs) == count and parsed.errors == []


def test_zotero_items_map_to_entries():
    _, refs = read("bbt-zotero-library-1179.csl.json")
    ref = refs["brittain2004"]
    assert ref["id"] == "my-brittain2004"
    assert ref["authors"] == [{"family": "Brittain", "given": "Ian"}]
    assert ref["journal"] == "Journal of Sport and Social Issues"
    assert ref["year"] == 2004
    # The short DOI 10/fqd6hj is kept as the user had it; the full one in the doi.org URL
    # only links the reference to atlas entries.
    assert ref["doi"] == "10.1177/0193723504268729" and ref["DOI"] == "10/fqd6hj"
    entry = replace(entry_from_canonical(ref), origin=Origin.MINE)
    assert entry_item(entry)["DOI"] == "10/fqd6hj"
    assert (ref["page"], ref["volume"], ref["issue"]) == ("429–452", "28", "4")


def test_short_doi_without_a_full_one_is_kept_and_reported():
    parsed, refs = read("bbt-zotero-library-1179.csl.json")
    short = [r for r in refs.values() if r.get("DOI", "").startswith("10/")]
    unlinked = [r for r in short if not str(r.get("url") or "").startswith("https://doi.org/")]
    assert len(short) == 15 and unlinked and all(r["doi"] is None for r in unlinked)
    assert any("short DOI" in w for w in parsed.warnings)
    # Every one of them is written back and cited as the user wrote it.
    for ref in short:
        entry = replace(entry_from_canonical(ref), origin=Origin.MINE)
        assert entry_item(entry)["DOI"] == ref["DOI"]


def test_malformed_dates_are_repaired_and_reported():
    parsed, refs = read("bbt-dates-360-811.csl.json")
    open_range = next(r for r in refs.values() if r["title"].startswith("open-ended date range"))
    assert open_range["issued"] == {"date-parts": [[2014, 12, 31]]}  # [0] end dropped
    bc = next(r for r in refs.values() if r["title"] == "BC tests: -0333")
    assert bc["year"] == -334
    assert any("“issued” date was malformed" in w for w in parsed.warnings)
    _, seasons = read("bbt-seasons-860.csl.json")
    assert all(1 <= part[1] <= 16 for r in seasons.values()
               for part in r["issued"]["date-parts"] if len(part) > 1)


def test_rich_text_titles_are_plain_for_reading_and_marked_up_for_citing():
    _, refs = read("bbt-pandoc-schomd.csl.json")
    ref = refs["Adams2001"]
    assert ref["title"] == "The physical volcanology of the 1600 eruption of Huaynaputina, " \
                           "southern Peru"
    entry = replace(entry_from_canonical(ref), origin=Origin.MINE)
    assert "<b>Huaynaputina</b>" in entry_item(entry)["title"]


def test_creators_with_literal_names_keep_them_for_citations():
    _, refs = read("bbt-creators-doi-825.csl.json")
    assert refs["Blair2004"]["doi"] == "10.1093/ref:odnb/10183"
    entry = replace(entry_from_canonical(refs["emptybook"]), origin=Origin.MINE)
    assert entry_item(entry)["editor"] == [{"literal": "Xxx"}]
    film = replace(entry_from_canonical(refs["Kubrick1964"]), origin=Origin.MINE)
    assert entry_item(film)["director"] == [{"family": "Kubrick", "given": "Stanley"}]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_our_export_reads_back_unchanged(path):
    _, refs = read(path.name)
    out = io.StringIO()
    entries = [replace(entry_from_canonical(d), origin=Origin.MINE) for d in refs.values()]
    assert write_csl_json(out, entries) == len(refs)
    items = json.loads(out.getvalue())
    # The user's own keys are the ids (pandoc --citeproc finds [@Adams2001]), not ours.
    assert [i["id"] for i in items] == [d["bibtex_key"] for d in refs.values()]
    again = {d["bibtex_key"]: canonical_entry_dict(d)
             for d in read_csl_json(out.getvalue()).references}
    assert again == refs


@pytest.mark.parametrize(("data", "fragment"), [
    (b"[{\"id\": 1,", "not valid JSON"), (b"{\"hello\": 1}", "not a list of CSL items"),
    (b"[]", "no CSL items")])
def test_broken_files_are_refused_with_a_reason(data, fragment):
    with pytest.raises(FormatError, match=fragment):
        read_csl_json(data)

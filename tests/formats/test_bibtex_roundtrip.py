"""Our own BibTeX export reads back to exactly the entries it was written from."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from atlas_desktop.domain.contract import canonical_entry_dict, entry_from_canonical
from atlas_desktop.domain.entry import Entry, Origin
from atlas_desktop.formats.atlas_page import parse_atlas_page
from atlas_desktop.formats.bibtex import parse_bibtex, read_bibtex
from atlas_desktop.formats.bibtex_crossref import apply_crossrefs
from atlas_desktop.formats.bibtex_fields import entry_to_reference
from atlas_desktop.formats.bibtex_writer import write_bibtex
from tests.conftest import seed_files

BIB = Path(__file__).resolve().parents[1] / "data" / "references" / "bib"
FILES = sorted(p for p in BIB.rglob("*.bib") if p.name != "common_strings.bib")


def references(parsed) -> list[dict]:
    apply_crossrefs(parsed.entries)
    return [canonical_entry_dict(entry_to_reference(e)[0]) for e in parsed.entries]


def as_entries(contracts: list[dict]) -> list[Entry]:
    return [replace(entry_from_canonical(d), origin=Origin.MINE) for d in contracts]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(BIB).as_posix())
def test_export_of_real_files_reads_back_unchanged(path):
    first = references(read_bibtex(path.read_bytes()))
    out = io.StringIO()
    assert write_bibtex(out, as_entries(first)) == len(first)
    second_file = parse_bibtex(out.getvalue())
    assert second_file.errors == []
    second = references(second_file)
    assert len(second) == len(first)
    for before, after in zip(first, second, strict=True):
        assert after == before


def test_atlas_entries_keep_their_key_doi_pmid_note_and_url():
    pages = [parse_atlas_page(p.read_text()).entry for p in seed_files()]
    out = io.StringIO()
    write_bibtex(out, pages)
    text = out.getvalue()
    assert "@article{mecfsatlas-heins-2013-role-therapeutic," in text
    assert "  note = {PubMed: 23639303}," in text
    assert "  url = {https://www.mecfsatlas.com/evidence/heins-2013-role-therapeutic}," in text
    read_back = {d["bibtex_key"]: d for d in references(parse_bibtex(text))}
    for page in pages:
        ref = read_back[page.bibtex_key or f"mecfsatlas-{page.id}"]
        assert (ref["title"], ref["journal"], ref["year"], ref["doi"], ref["pmid"],
                ref["url"]) == (page.title, page.journal, page.year, page.doi, page.pmid,
                                page.url)
        assert ref["authors"] == [{"family": a.family, "given": a.given} for a in page.authors]
        assert "note" not in ref  # "PubMed: N" became the PMID, not a note


def test_keys_stay_unique_in_one_file():
    entries = as_entries(references(parse_bibtex(
        "@article{Same, title={One}, year=2001}\n@article{same, title={Two}, year=2002}\n")))
    entries[1] = replace(entries[1], bibtex_key="Same")  # two references, one key
    out = io.StringIO()
    write_bibtex(out, entries)
    keys = [e.key for e in parse_bibtex(out.getvalue()).entries]
    assert len({k.lower() for k in keys}) == 2

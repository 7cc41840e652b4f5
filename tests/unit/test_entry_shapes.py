"""One shape per boundary: the contract's dict, the Entry and the store's row say the same.

``domain/contract.py`` is the one place that turns the contract's object into an Entry and
back; ``store/rows.py`` makes a row from the canonical dict and reads the row back into it.
So for every entry the tests have (the atlas pages, the sample library, synthetic bundle
entries, real BibTeX, RIS and CSL-JSON files):

- canonical -> Entry -> contract gives the canonical dict back;
- canonical -> row -> canonical gives it back too, also for fields without a column;
- the one "incomplete" rule answers the same for the dict and the entry, and the row's
  ``missing`` column holds that answer.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from atlas_desktop.domain.contract import (
    canonical_entry_dict,
    entry_from_canonical,
    entry_to_contract,
)
from atlas_desktop.domain.entry import ENTRY_SECTIONS, Entry, Origin, missing_fields_of
from atlas_desktop.formats.atlas_page import parse_atlas_page
from atlas_desktop.formats.bibtex import read_bibtex
from atlas_desktop.formats.bibtex_fields import entry_to_reference
from atlas_desktop.formats.csljson import read_csl_json
from atlas_desktop.formats.ris import read_ris
from atlas_desktop.formats.text import decode_bytes
from atlas_desktop.store.rows import (
    BIBLIOGRAPHIC_COLUMNS,
    ENTRY_COLUMNS,
    row_from_contract,
    row_to_contract,
    row_to_entry,
)
from benchmarks.synth import make_entry
from tests.conftest import REFS, REPO, seed_files

SAMPLE = REPO / "atlas_desktop" / "data" / "sample_library.json"


def canonical_dicts() -> Iterator[tuple[str, dict[str, Any]]]:
    for page in seed_files():
        yield page.name, canonical_entry_dict(entry_to_contract(
            parse_atlas_page(page.read_text("utf-8")).entry))
    for d in json.loads(SAMPLE.read_text("utf-8"))["entries"]:
        yield f"sample {d['id']}", canonical_entry_dict(d)
    rng = random.Random(17)
    for i in range(40):
        d = make_entry(rng, i)
        yield f"synthetic {d['id']}", canonical_entry_dict(d)
    for name in ("bib/bbt/mendeley-idiocy.bib", "bib/pybtex/xampl.bib",
                 "bib/biblatex/biblatex-examples.bib"):
        for entry in read_bibtex((REFS / name).read_bytes()).entries:
            d = canonical_entry_dict(entry_to_reference(entry)[0])
            yield f"{name} {d['id']}", d
    for name in ("ris/rispy/example_full.ris", "ris/jabref/RisImporterTest1.ris"):
        for d in read_ris(decode_bytes((REFS / name).read_bytes()).text).references:
            yield f"{name} {d['id']}", canonical_entry_dict(d)
    for d in read_csl_json((REFS / "csljson/bbt-zotero-library-1179.csl.json")
                           .read_bytes()).references:
        yield f"csl {d['id']}", canonical_entry_dict(d)


CASES = list(canonical_dicts())


def stored_row(d: dict[str, Any], *, pk: int = 7, origin: Origin = Origin.ATLAS,
               withdrawn_at: str | None = None) -> dict[str, Any]:
    """The row the store would write for ``d``, as the mapping it reads back."""
    row = dict(zip(ENTRY_COLUMNS, row_from_contract(d, origin, pk=pk), strict=True))
    return {"pk": pk, **row, "withdrawn_at": withdrawn_at}


def test_the_cases_cover_every_kind_of_field():
    assert len(CASES) > 150
    kinds = {key for _, d in CASES for key, value in d.items() if value not in (None, [], {})}
    assert {"badges", "tags", "snapshot", "observed_findings", "authors_truncated",
            "abstract", "bibtex_fields", "last_updated"} <= kinds


def test_canonical_entry_and_row_round_trips():
    for name, d in CASES:
        entry = entry_from_canonical(d)
        assert entry_to_contract(entry) == d, name
        assert canonical_entry_dict(d) == d, name  # validating again changes nothing
        row = stored_row(d)
        assert row_to_contract(row) == d, name
        assert row_to_entry(row) == entry, name
        assert row["missing"] == ",".join(missing_fields_of(d)), name
        assert missing_fields_of(d) == entry.missing_fields(), name


def test_the_library_facts_come_from_the_row_not_the_contract():
    d = dict(CASES[0][1])
    entry = row_to_entry(stored_row(d, origin=Origin.MINE, withdrawn_at="2026-01-01T00:00:00Z"))
    assert entry.origin is Origin.MINE and entry.withdrawn
    assert entry_to_contract(entry) == d  # neither is part of the contract's object


def test_a_bibliographic_read_builds_the_same_entry_without_the_prose():
    for _, d in CASES:
        row = stored_row(d)
        partial = row_to_entry({k: row[k] for k in BIBLIOGRAPHIC_COLUMNS}, whole=False)
        whole = entry_from_canonical(d)
        for field in ("id", "title", "authors", "journal", "year", "doi", "pmid", "url",
                      "bibtex_key", "extra", "authors_truncated", "origin", "withdrawn"):
            assert getattr(partial, field) == getattr(whole, field), field
        assert partial.summary is None and partial.badges.is_empty() and not partial.tags


def test_a_field_without_a_column_of_its_own_comes_back_from_the_row():
    d = canonical_entry_dict({"id": "x-1", "title": "T", "retraction": {"date": "2026-02-01"},
                              "keywords": ["a", "b"]})
    row = stored_row(d)
    assert json.loads(row["extra_json"]) == {"retraction": {"date": "2026-02-01"},
                                            "keywords": ["a", "b"]}
    assert row_to_contract(row) == d
    assert row_to_entry(row).extra == {"retraction": {"date": "2026-02-01"},
                                       "keywords": ["a", "b"]}


def test_the_incomplete_rule_is_one_rule_for_both_shapes():
    for d, expected in [
        ({"id": "a"}, ["title", "authors", "journal", "year", "doi", "pmid", "summary"]),
        ({"id": "a", "title": "T", "authors": [{"family": "F", "given": None}],
          "authors_truncated": True, "journal": "J", "year": 2019, "pmid": "1",
          "summary": "S"}, ["authors"]),
        ({"id": "a", "title": "  ", "doi": "10.1000/x"},
         ["title", "authors", "journal", "year", "summary"]),
    ]:
        canonical = canonical_entry_dict(d)
        assert missing_fields_of(canonical) == expected
        assert entry_from_canonical(canonical).missing_fields() == expected


def test_sections_follow_the_one_list_and_skip_what_is_empty():
    assert [key for key, _ in ENTRY_SECTIONS] == [
        "summary", "why_it_matters", "abstract", "does_not_prove", "observed_findings",
        "inferred_conclusions", "remaining_questions"]
    entry = Entry(id="a", summary="S", does_not_prove="D", observed_findings=("f",),
                  extra={"abstract": "A", "note": "n"})
    assert entry.sections() == [
        ("summary", "Summary", "S"),
        ("abstract", "Abstract", "A"),
        ("does_not_prove", "What this study does not prove", "D"),
        ("observed_findings", "Observed findings", ("f",)),
    ]
    assert Entry(id="b", extra={"abstract": "  "}).sections() == []
    assert Entry(id="c", extra={"abstract": ["not", "text"]}).sections() == []


def test_the_same_section_list_is_what_a_path_through_the_contract_keeps():
    """A parsed page, the same entry after the contract and after a row: same sections."""
    for page in seed_files():
        parsed = parse_atlas_page(page.read_text("utf-8")).entry
        d = canonical_entry_dict(entry_to_contract(parsed))
        assert entry_from_canonical(d).sections() == parsed.sections()
        assert row_to_entry(stored_row(d)).sections() == parsed.sections()


def test_the_sample_library_file_is_canonical():
    """The bundled sample library is written the way the store reads entries back."""
    for d in json.loads(Path(SAMPLE).read_text("utf-8"))["entries"]:
        assert canonical_entry_dict(d) == d

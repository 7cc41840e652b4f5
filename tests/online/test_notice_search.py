"""Notices found when records are completed, in the search language (``is:retracted``,
``is:corrected``, ``is:concern``), the facet counts and the list's rows; through the
services and the command line, against the replay server's recorded answers."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.store.facets import NOTICES
from tests.online.replay import ReplayServer
from tests.online.support import ALL, HCQ, PLOS, WAKEFIELD, add_entries, service


@pytest.fixture
def completed(library):
    add_entries(library, ALL)
    with ReplayServer() as server:
        service(library, server).complete()
    return library


def ids(library, text):
    result = library.catalogue.search(text=text)
    return set(library.catalogue.ids_for_pks(pks=list(result.pks)))


def test_is_retracted_finds_the_retracted_papers_and_not_their_notices(completed):
    assert ids(completed, "is:retracted") == {WAKEFIELD["id"], HCQ["id"]}
    # Wakefield's MEDLINE record lists an expression of concern too; HCQ's Crossref record.
    assert ids(completed, "is:concern") == {WAKEFIELD["id"], HCQ["id"], PLOS["id"]}
    assert HCQ["id"] in ids(completed, "is:corrected")
    assert "wakefield-retraction-2010" not in ids(completed, "is:corrected is:retracted")
    everything = ids(completed, "")
    assert ids(completed, "-is:retracted") == everything - {WAKEFIELD["id"], HCQ["id"]}
    # Filters combine with words as any other does.
    assert ids(completed, "is:retracted lancet") <= {WAKEFIELD["id"], HCQ["id"]}
    assert ids(completed, "is:retracted hydroxychloroquine") == {HCQ["id"]}


def test_a_library_never_completed_has_no_notice_and_no_hint(library):
    add_entries(library, ALL)
    result = library.catalogue.search(text="is:retracted")
    assert result.total == 0 and not result.hints
    assert NOTICES in library.catalogue.facets(text="").groups
    assert library.catalogue.facets(text="").groups[NOTICES] == ()


def test_the_facet_counts_notices_in_the_current_result(completed):
    groups = completed.catalogue.facets(text="").groups
    counts = {v.value: (v.label, v.count) for v in groups[NOTICES]}
    assert counts == {"is:retracted": ("Retracted", 2),
                      "is:concern": ("Expression of concern", 3),
                      "is:corrected": ("Correction published", counts["is:corrected"][1])}
    assert counts["is:corrected"][1] >= 1
    narrowed = completed.catalogue.facets(text="hydroxychloroquine").groups[NOTICES]
    assert {v.value: v.count for v in narrowed}["is:retracted"] == 1


def test_list_rows_carry_the_notice_kinds(completed):
    result = completed.catalogue.search(text="")
    rows = completed.catalogue.list_rows(pks=list(result.pks))
    by_id = {row.id: row for row in rows.values()}
    assert "retraction" in by_id[WAKEFIELD["id"]].notices
    assert by_id[PLOS["id"]].notices == frozenset({"concern"})
    assert by_id["wakefield-retraction-2010"].notices == frozenset()


def test_the_command_line_searches_is_retracted(completed, capsys):
    from atlas_desktop.app import main

    code = main(["--data-dir", str(completed.paths.data_dir), "search", "is:retracted",
                 "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {item["id"] for item in out} == {WAKEFIELD["id"], HCQ["id"]}

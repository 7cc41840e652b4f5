"""Issue 19.2: every field is bounded at the trust boundary (the one validator), so a 1 MB
word in a title or a summary of some hundred kilobytes is refused with the field and its
limit named, whether it comes from a bundle, a catalogue page or a reference file; real data
passes; and long runs are broken for display."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain import limits
from atlas_desktop.domain.contract import (
    EntryFormatError,
    canonical_entry_dict,
    entry_from_canonical,
)
from atlas_desktop.domain.wording import LONG_RUN, ZERO_WIDTH_SPACE, breakable
from atlas_desktop.gui.panes.detail_html import render_entry
from tests.sync_support import ScriptedServer, contract_entry, json_reply, make_service

MEGABYTE_WORD = "x" * 1_000_000


def entry(**fields):
    return {"id": "long-2020", "title": "A title", "authors": [], **fields}


@pytest.mark.parametrize(("fields", "path", "limit"), [
    ({"title": MEGABYTE_WORD}, "title", limits.TITLE_MAX),
    ({"summary": "word " * 40_000}, "summary", limits.PROSE_MAX),
    ({"journal": "j" * 5_000}, "journal", limits.JOURNAL_MAX),
    ({"authors": [{"family": "F" * 10_000, "given": None}]}, "authors[0].family",
     limits.NAME_MAX),
    ({"observed_findings": ["a finding"] * 1_000}, "observed_findings", limits.ITEMS_MAX),
    ({"observed_findings": ["f" * 50_000]}, "observed_findings[0]", limits.ITEM_MAX),
    ({"tags": {"Symptom": ["t" * 1_000]}}, "tags.Symptom", limits.TAG_MAX),
    ({"badges": {"evidence_tier": "E" * 1_000}}, "badges.evidence_tier", limits.SHORT_MAX),
    ({"badges": {"labels": ["b" * 1_000]}}, "badges.labels", limits.SHORT_MAX),
    ({"abstract": "a" * 200_000}, "abstract", limits.OTHER_TEXT_MAX),
    ({"extra_things": {"deep": [[[["x" * 20_000]]]]}}, "extra_things", limits.OTHER_TEXT_MAX),
    ({"doi": "10.1234/" + "d" * 1_000}, "doi", limits.DOI_MAX),
])
def test_a_long_field_is_refused_with_its_name_and_limit(fields, path, limit):
    with pytest.raises(EntryFormatError) as caught:
        canonical_entry_dict(entry(**fields))
    assert caught.value.path == path
    assert f"the limit is {limit:,}" in str(caught.value)


def test_many_values_and_too_much_text_in_all_are_refused():
    with pytest.raises(EntryFormatError, match="more than 10,000 values"):
        canonical_entry_dict(entry(extra_things=[[1]] * 20_000))
    # Every field within its own limit, but the entry as a whole far beyond anything real.
    prose = "word " * (limits.PROSE_MAX // 5)
    with pytest.raises(EntryFormatError, match="characters of text; the limit is 50,000"):
        canonical_entry_dict(entry(summary=prose, why_it_matters=prose, does_not_prove=prose,
                                   evidence_level=prose, abstract=prose, note=prose))


def test_unknown_badges_and_the_snapshot_share_the_entrys_budget():
    """Badges the contract does not name are shown as pills: their number and their names
    count against the one budget of the entry, with the snapshot's and the entry's own."""
    with pytest.raises(EntryFormatError, match="more than 10,000 values"):
        canonical_entry_dict(entry(badges={f"b{i}": "x" for i in range(200_000)}))
    with pytest.raises(EntryFormatError, match="more than 10,000 values"):
        canonical_entry_dict(entry(badges={f"b{i}": ["v"] * 9_000 for i in range(50)}))
    half = [0] * 6_000
    with pytest.raises(EntryFormatError, match="more than 10,000 values"):
        canonical_entry_dict(entry(badges={"extra": half}, snapshot={"extra": half}))
    names = {("n" * 150) + str(i): 1 for i in range(400)}  # 60,000 characters of names
    with pytest.raises(EntryFormatError, match="characters of text; the limit is 50,000"):
        canonical_entry_dict(entry(badges=names))
    canonical_entry_dict(entry(badges={"community_pick": "yes"}, snapshot={"note": "ok"}))


def test_a_bundle_with_a_megabyte_title_is_refused_whole(library, tmp_path):
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps({"format": "atlas-bundle", "version": 1, "entries": [
        contract_entry("fine-2020"), contract_entry("long-2020", title=MEGABYTE_WORD)]}))
    report = library.importer.import_files(paths=[bundle])
    assert not report.committed
    [message] = [m.message for m in report.errors]
    assert "'long-2020'" in message and "title: is 1,000,000 characters long; the limit is " \
        "2,000" in message
    assert library.catalogue.count_all() == 0


def test_a_catalogue_page_with_a_huge_summary_is_not_applied(library):
    page = {"entries": [contract_entry("fine-2020"),
                        contract_entry("long-2020", summary="word " * 60_000)],
            "deleted": [], "next_cursor": "c1", "has_more": False}
    with ScriptedServer(lambda _seen: json_reply(200, page)) as server:
        service = make_service(library)
        service.set_server_url(url=server.url)
        result = service.run(explicit=True)
    assert not result.ok and "summary: is 300,000 characters long" in result.message
    assert library.catalogue.count_all() == 0


def test_a_reference_with_a_huge_abstract_is_one_problem_of_its_file(library, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{fine, title={Fine}, author={Lind, Per}, year={2020}}\n"
                   "@article{long, title={Long}, author={Lind, Per}, year={2021}, "
                   "abstract={" + "word " * 30_000 + "}}\n", encoding="utf-8")
    report = library.importer.import_files(paths=[bib])
    assert not report.committed
    assert any("abstract: is 149,999 characters long; the limit is 10,000" in m.message
               for m in report.errors)
    report = library.importer.import_files(paths=[bib], keep_going=True)
    assert report.committed and report.imported == ["my-fine"]


def test_long_runs_are_broken_for_display_only():
    assert breakable("short words stay as they are") == "short words stay as they are"
    doi = "10.1016/j.brat.2013.02.001"
    assert breakable(doi) == doi  # a DOI, a URL of ordinary length: untouched
    broken = breakable("see " + "x" * 100 + " and")
    assert broken.replace(ZERO_WIDTH_SPACE, "") == "see " + "x" * 100 + " and"
    assert all(len(piece) < LONG_RUN for part in broken.split()
               for piece in part.split(ZERO_WIDTH_SPACE))
    d = canonical_entry_dict(entry(title="y" * 1_500, summary="z" * 5_000))
    shown = render_entry(entry_from_canonical(d))
    assert "y" * LONG_RUN not in shown and "z" * LONG_RUN not in shown
    assert entry_from_canonical(d).title == "y" * 1_500  # the entry itself keeps its text

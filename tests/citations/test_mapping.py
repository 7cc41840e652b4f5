"""Entry -> CSL-JSON: what the styles are given decides what they print."""

from __future__ import annotations

from types import MappingProxyType

from atlas_desktop.domain.csl import (
    Gap,
    citation_gaps,
    clean_title,
    describe_gaps,
    entry_to_csl,
    is_citable,
)
from atlas_desktop.domain.entry import Author, Entry, Origin
from tests.citations.conftest import render_one


def entry(**kw) -> Entry:
    base = {"id": "x-2020", "title": "A title", "authors": (Author("Smith", "Ann"),),
            "journal": "Journal of Tests", "year": 2020}
    base.update(kw)
    return Entry(**base)


def test_sample_entry_maps_to_the_expected_item(sample_entries):
    item = entry_to_csl(sample_entries["heins-2013-role-therapeutic"])
    assert item == {
        "id": "heins-2013-role-therapeutic",
        "type": "article-journal",
        "title": "The role of the therapeutic relationship in cognitive behaviour therapy for "
                 "chronic fatigue syndrome",
        "author": [{"family": "Heins", "given": "Marianne J"},
                   {"family": "Knoop", "given": "Hans"},
                   {"family": "Bleijenberg", "given": "Gijs"}],
        "container-title": "Behaviour research and therapy",
        "issued": {"date-parts": [[2013]]},
        "DOI": "10.1016/j.brat.2013.02.001",
        "PMID": "23639303",
        "citation-key": "mecfsatlas-heins-2013-role-therapeutic",
    }


def test_one_trailing_period_is_dropped_and_other_endings_stay():
    assert clean_title("Fatigue syndrome.") == "Fatigue syndrome"
    assert clean_title("Is it real?") == "Is it real?"
    assert clean_title("Wait for it...") == "Wait for it..."
    assert clean_title("  Spaced\n  out  title. ") == "Spaced out title"
    assert clean_title(".") is None
    assert clean_title(None) is None


def test_the_atlas_page_is_not_the_papers_url_but_a_users_reference_keeps_its_url():
    url = "https://www.mecfsatlas.com/evidence/x-2020"
    assert "URL" not in entry_to_csl(entry(url=url))
    assert entry_to_csl(entry(url="https://example.org/p", origin=Origin.MINE))["URL"] == \
        "https://example.org/p"


def test_volume_issue_and_pages_reach_the_citation(engine_for):
    e = entry(extra=MappingProxyType({"volume": 51, "issue": "6", "pages": "289-295"}),
              doi="10.1000/abc")
    item = entry_to_csl(e)
    assert (item["volume"], item["issue"], item["page"]) == ("51", "6", "289-295")
    reference, _ = render_one(engine_for("apa"), e)
    assert reference == ("Smith, A. (2020). A title. Journal of Tests, 51(6), 289–295. "
                         "https://doi.org/10.1000/abc")


def test_extra_fields_of_the_wrong_shape_are_left_out():
    e = entry(extra=MappingProxyType({
        "editor": "not a list", "accessed": {"date-parts": "2020"}, "volume": True,
        "issued": {"date-parts": [[2019, 5]]}, "csl_type": "no-such-type", "translator": [
            {"family": "Ok", "given": "Fine"}, "junk", {"given": "no family"}],
    }))
    item = entry_to_csl(e)
    assert "editor" not in item and "accessed" not in item and "volume" not in item
    assert item["issued"] == {"date-parts": [[2019, 5]]}
    assert item["type"] == "article-journal"
    assert item["translator"] == [{"family": "Ok", "given": "Fine"}]


def test_particles_and_multi_part_names_print_as_each_style_wants(engine_for):
    e = entry(authors=(Author("van der Vaart", "Rosalie"), Author("Worm-Smeitink", "Margreet"),
                       Author("De Meirleir", "Kenny L")))
    apa, apa_cite = render_one(engine_for("apa"), e)
    assert apa.startswith("van der Vaart, R., Worm-Smeitink, M., & De Meirleir, K. L. (2020).")
    assert apa_cite == "(van der Vaart et al., 2020)"
    chicago, _ = render_one(engine_for("chicago"), e)
    assert chicago.startswith("Vaart, Rosalie van der, Margreet Worm-Smeitink, and Kenny L. "
                              "De Meirleir. 2020.")
    vancouver, _ = render_one(engine_for("vancouver"), e)
    assert vancouver.startswith("1. van der Vaart R, Worm-Smeitink M, De Meirleir KL.")


def test_a_corporate_author_is_printed_as_written(engine_for):
    e = entry(authors=(Author("ME Association"),))
    assert entry_to_csl(e)["author"] == [{"literal": "ME Association"}]
    reference, cite = render_one(engine_for("apa"), e)
    assert reference.startswith("ME Association. (2020).")
    assert cite == "(ME Association, 2020)"


def test_missing_title_authors_or_year_still_give_a_sensible_reference(engine_for):
    # A missing title is said, never filled by the journal in italics (issue 18 item 5).
    no_title, _ = render_one(engine_for("apa"), entry(title=None))
    assert no_title == "Smith, A. (2020). [title not recorded]. Journal of Tests."
    no_authors, cite = render_one(engine_for("apa"), entry(authors=()))
    assert no_authors == "A title. (2020). Journal of Tests."
    assert cite == "(“A Title,” 2020)"  # APA cites an authorless work by its title
    no_year, cite = render_one(engine_for("apa"), entry(year=None))
    assert no_year == "Smith, A. (n.d.). A title. Journal of Tests."
    assert cite == "(Smith, n.d.)"


def test_an_entry_with_nothing_to_name_is_not_citable():
    assert not is_citable(entry_to_csl(Entry(id="bare")))
    assert is_citable(entry_to_csl(Entry(id="t", title="Only a title")))
    assert is_citable(entry_to_csl(Entry(id="j", journal="Only a journal")))
    editor_only = Entry(id="e", origin=Origin.MINE, extra=MappingProxyType(
        {"type": "book", "editor": [{"family": "Xxx"}]}))
    assert is_citable(entry_to_csl(editor_only))  # citeproc-js prints "Xxx (Ed.). (n.d.)."


def test_gaps_name_what_to_check_before_publishing(sample_entries):
    vaart = sample_entries["van-der-vaart-2019"]
    stein = sample_entries["stein-improving-therapeutic"]
    assert citation_gaps(vaart) == [Gap.AUTHORS_TRUNCATED, Gap.NO_LOCATOR, Gap.NO_TITLE]
    assert citation_gaps(stein) == [Gap.NO_YEAR]
    assert citation_gaps(stein, formatted=False) == []
    sentences = describe_gaps([vaart, stein, sample_entries["heins-2013-role-therapeutic"]])
    assert sentences[0].startswith("van-der-vaart-2019: only the first authors are recorded")
    assert sentences[1].startswith(
        "van-der-vaart-2019, heins-2013-role-therapeutic: no volume or pages")


def test_gaps_name_a_few_entries_then_count_the_rest():
    entries = [entry(id=f"e{i}", year=None, journal=None) for i in range(8)]
    (sentence,) = describe_gaps(entries)
    assert sentence.startswith("e0, e1, e2, e3, e4 and 3 more: no year is recorded")


def test_an_entry_whose_data_changed_is_cited_with_the_new_data(engine_for):
    """The engine caches items by id; a corrected entry must not print its old data."""
    engine = engine_for("apa")
    before, _ = render_one(engine, entry(id="changes", title="Old title"))
    after, _ = render_one(engine, entry(id="changes", title="New title", year=2021))
    assert "Old title" in before
    assert after == "Smith, A. (2021). New title. Journal of Tests."


def test_gaps_can_name_entries_as_a_reader_knows_them(sample_entries):
    """The window's status bar names entries by first author and year (issue 18.22)."""
    from atlas_desktop.domain.entry import reader_name

    vaart = sample_entries["van-der-vaart-2019"]
    assert reader_name(vaart) == "van der Vaart et al. (2019)"
    assert reader_name(entry(authors=(), title="A paper with a rather long title indeed, "
                                                "which goes on", year=None)) == (
        "“A paper with a rather long title indeed,…” (n.d.)")
    sentences = describe_gaps([vaart], name=reader_name)
    assert sentences[0].startswith("van der Vaart et al. (2019): only the first authors are")

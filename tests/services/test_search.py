"""The query language against a real library."""

from __future__ import annotations

import pytest


def ids(library, text, **kw):
    result = library.catalogue.search(text=text, **kw)
    return library.catalogue.ids_for_pks(pks=list(result.pks))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("author:heins", ["heins-2013-role-therapeutic"]),
        ('"therapeutic alliance"', ["daniels-2011-socialization-model"]),
        ("pem:required", ["twisk-2009-review-cognitive"]),
        ("type:review", ["twisk-2009-review-cognitive"]),
        ("tier:e0", ["twisk-2009-review-cognitive"]),
        ('tag:"post-exertional malaise"', ["twisk-2009-review-cognitive"]),
        ('tag:"Symptom: Fatigue"', ["twisk-2009-review-cognitive"]),
        ("year:2010-2015", ["heins-2013-role-therapeutic", "daniels-2011-socialization-model"]),
        ("journal:internet", ["van-der-vaart-2019"]),
        ("doi:https://doi.org/10.1016/J.BRAT.2013.02.001", ["heins-2013-role-therapeutic"]),
        ("pmid:19855350", ["twisk-2009-review-cognitive"]),
    ],
)
def test_filters(seeded_library, query, expected):
    assert ids(seeded_library, query) == expected


def test_prefix_words_and_exclusion(seeded_library):
    assert "heins-2013-role-therapeutic" in ids(seeded_library, "therap")
    assert "heins-2013-role-therapeutic" not in ids(seeded_library, "therap -heins")
    only_negative = ids(seeded_library, "-cbt")
    assert "twisk-2009-review-cognitive" not in only_negative and only_negative


def test_is_filters_see_user_data(seeded_library):
    lib = seeded_library
    lib.annotations.set_starred(entry_id="van-der-vaart-2019", starred=True)
    lib.annotations.set_note(entry_id="heins-2013-role-therapeutic", text="Useful")
    lib.annotations.add_to_collection(name="Clinic talk", entry_ids=["daniels-2011-socialization-model"])
    assert ids(lib, "is:starred") == ["van-der-vaart-2019"]
    assert ids(lib, "is:noted") == ["heins-2013-role-therapeutic"]
    assert ids(lib, 'collection:"clinic talk"') == ["daniels-2011-socialization-model"]
    assert set(ids(lib, "is:incomplete")) == {"van-der-vaart-2019", "stein-improving-therapeutic"}
    assert "van-der-vaart-2019" not in ids(lib, "-is:starred")


@pytest.mark.parametrize(
    ("query", "read_as", "hint"),
    [
        ('"therapeutic relationship', '"therapeutic relationship"', "closing quote is missing"),
        ('"""', "", "closing quote is missing"),
        ("-", "", "lone “-” excludes nothing"),
        ("- review", "review", "lone “-” excludes nothing"),
        ("therapeutic -", "therapeutic", "lone “-” excludes nothing"),
        ('-"" review', "review", "lone “-” excludes nothing"),
        ("year:abc review", "review", "year: expects a year"),
        ("title: review", "review", "needs something after it"),
        ("col: review", "col review", "not a known filter"),
        # FTS5's own syntax never reaches FTS5: its operators are words, its marks nothing.
        ("therapeutic OR review", "therapeutic or review", None),
        ("therapy NEAR fatigue", "therapy near fatigue", None),
        ("NEAR(therapy fatigue)", "near therapy fatigue", None),
        ("AND review", "and review", None),
        ("NOT review", "not review", None),
        ("therapy AND", "therapy and", None),
        ("*", "", None),
        ("review*", "review", None),
        ("^review", "review", None),
        ("((review", "review", None),
        ("{title}: review", "title review", None),
    ],
)
def test_broken_syntax_is_read_as_the_query_it_resembles(seeded_library, query, read_as, hint):
    """Broken syntax never fails: it gives the results of the query it resembles, in the same
    order, and a hint when there is something to say."""
    broken = seeded_library.catalogue.search(text=query)
    plain = seeded_library.catalogue.search(text=read_as)
    assert (list(broken.pks), broken.total) == (list(plain.pks), plain.total)
    if hint is None:
        assert broken.hints == ()
    else:
        assert any(hint in h for h in broken.hints), broken.hints


def test_search_operators_are_words_not_operators(seeded_library):
    therapeutic, review = set(ids(seeded_library, "therapeutic")), set(ids(seeded_library, "review"))
    assert therapeutic and review and not therapeutic <= review
    # As FTS5's OR this would be the union; as words, each entry needs both, and "or" too.
    assert set(ids(seeded_library, "therapeutic OR review")) < therapeutic | review
    # As FTS5's NEAR() this would find both words close together; as words it needs "near".
    assert ids(seeded_library, "therapy fatigue")
    assert ids(seeded_library, "NEAR(therapy fatigue)") == ids(seeded_library, "near therapy fatigue")


def test_limit_reports_the_full_total(seeded_library):
    result = seeded_library.catalogue.search(text="", limit=2)
    assert len(result.pks) == 2 and result.total == 5


def test_sorts(seeded_library):
    from atlas_desktop.domain.listing import SortKey

    assert ids(seeded_library, "", sort=SortKey.YEAR_ASC)[:2] == [
        "twisk-2009-review-cognitive", "daniels-2011-socialization-model"]
    assert ids(seeded_library, "", sort=SortKey.FIRST_AUTHOR)[0] == "daniels-2011-socialization-model"
    # Leading articles are ignored: "A review on…" sorts under R, after "Improving…".
    assert ids(seeded_library, "", sort=SortKey.TITLE)[:2] == [
        "stein-improving-therapeutic", "twisk-2009-review-cognitive"]

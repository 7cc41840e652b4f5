from __future__ import annotations

from atlas_desktop.domain.slug import entry_slug, slug_from_url, unique_slug


def test_slug_matches_the_atlas_style():
    assert entry_slug("Heins", 2013, "The role of the therapeutic relationship in CBT") == (
        "heins-2013-role-therapeutic"
    )
    assert entry_slug("Daniels", 2011, "Socialization to the model: the active component") == (
        "daniels-2011-socialization-model"
    )


def test_slug_without_title_or_year():
    assert entry_slug("van der Vaart", 2019, None) == "van-der-vaart-2019"
    assert entry_slug("Stein", None, "Improving the therapeutic relationships") == (
        "stein-improving-therapeutic"
    )
    assert entry_slug("Müller", 2020, "Ébauche d'une étude") == "muller-2020-ebauche-dune"
    assert entry_slug(None, None, None) == "untitled"


def test_slug_from_url_and_uniqueness():
    assert slug_from_url("https://www.mecfsatlas.com/evidence/heins-2013-role-therapeutic/") == (
        "heins-2013-role-therapeutic"
    )
    assert slug_from_url("https://example.org/Not_A_Slug") is None
    assert unique_slug("a-2019", {"a-2019", "a-2019-2"}) == "a-2019-3"

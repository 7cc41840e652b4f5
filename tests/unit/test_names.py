"""Author names into family/given parts."""

from __future__ import annotations

from atlas_desktop.domain.entry import Author
from atlas_desktop.formats.bibtex_names import parse_name_list
from atlas_desktop.formats.names import parse_family_given_list, parse_names_with_degrees


def test_atlas_header_pairs_and_et_al():
    authors, truncated = parse_family_given_list(
        "van der Vaart, Rosalie, Worm-Smeitink, Margreet, Bos, Yvonne et al."
    )
    assert authors == [
        Author("van der Vaart", "Rosalie"), Author("Worm-Smeitink", "Margreet"),
        Author("Bos", "Yvonne"),
    ]
    assert truncated


def test_citation_line_with_ampersand():
    authors, truncated = parse_family_given_list("Heins, Marianne J, Knoop, Hans, & Bleijenberg, Gijs")
    assert [a.family for a in authors] == ["Heins", "Knoop", "Bleijenberg"]
    assert authors[0].given == "Marianne J"
    assert not truncated


def test_degrees_are_stripped_from_blog_bylines():
    authors = parse_names_with_degrees(
        "Eleanor Stein MD, FRCP(C), Eva Stormorken RN, CRNA, MNSc, Bengt Karlsson RN"
    )
    assert authors == [
        Author("Stein", "Eleanor"), Author("Stormorken", "Eva"), Author("Karlsson", "Bengt"),
    ]


def test_degree_stripping_keeps_particles_and_diacritics():
    authors = parse_names_with_degrees("Dr. Anna van den Berg PhD, José Müller MSc")
    assert authors == [Author("van den Berg", "Anna"), Author("Müller", "José")]


def test_bibtex_names_keep_diacritics_and_corporate_braces():
    authors, truncated = parse_name_list("Nøkleby, Ørjan and {The ME Association} and Ludwig van Beethoven")
    assert not truncated
    assert authors == [
        Author("Nøkleby", "Ørjan"), Author("The ME Association"),
        Author("van Beethoven", "Ludwig"),
    ]

"""The in-memory word list that spells typed prefixes out (store/terms.py)."""

from __future__ import annotations

import pytest

from atlas_desktop.domain.query import parse_query
from atlas_desktop.store.search import compile_query, spelled_prefixes
from atlas_desktop.store.terms import TermList

WORDS = ["zinc", "fatigue", "fat", "fatal", "fax", "fatigued", "naïve", "10", "1001", "ém"]


def test_words_starting_with_a_prefix_in_order():
    terms = TermList(WORDS)
    assert len(terms) == len(WORDS)
    assert terms.starting_with("fat", 10) == ["fat", "fatal", "fatigue", "fatigued"]
    assert terms.starting_with("fatig", 10) == ["fatigue", "fatigued"]
    assert terms.starting_with("10", 10) == ["10", "1001"]
    assert terms.starting_with("fau", 10) == []
    assert terms.starting_with("zz", 10) == []
    assert terms.starting_with("na", 10) == ["naïve"]


def test_more_words_than_the_limit_gives_none():
    terms = TermList(WORDS)
    assert terms.starting_with("fat", 3) is None
    assert terms.starting_with("fat", 4) == ["fat", "fatal", "fatigue", "fatigued"]


def test_membership():
    terms = TermList(WORDS)
    assert "fat" in terms and "ém" in terms and "zinc" in terms
    assert "fa" not in terms and "zincs" not in terms and 3 not in terms
    empty = TermList([])
    assert len(empty) == 0 and "x" not in empty and empty.starting_with("x", 5) == []


def spelled(text: str, words: list[str], limit: int = 10) -> str | None:
    return compile_query(parse_query(text), spell=(TermList(words), limit)).match


def test_a_prefix_becomes_the_words_it_begins():
    assert spelled("fat", WORDS) == '("fat" OR "fatal" OR "fatigue" OR "fatigued")'
    assert spelled("Fatig", WORDS) == '("fatigue" OR "fatigued")'
    assert spelled("zin", WORDS) == '"zinc"'
    # No word begins so: the typed word itself, which is not in the index either.
    assert spelled("fau", WORDS) == '"fau"'
    assert spelled("fat zin", WORDS) == '("fat" OR "fatal" OR "fatigue" OR "fatigued") AND "zinc"'
    assert spelled("title:fatig", WORDS) == '{title} : (("fatigue" OR "fatigued"))'
    assert spelled("fatig -zin", WORDS) == '(("fatigue" OR "fatigued")) NOT ("zinc")'


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("fat", '"fat"*'),  # more words than the limit
        # Folded as the index's text is (naïv is naiv), then spelled out as any ASCII word
        # (no word of the list begins so: the word itself).
        ("naïv", '"naiv"'),
        ("한국어", '"한국어"*'),  # a script folding leaves alone stays a prefix
        ("post-exer", '"post-exer"*'),  # two tokens: a phrase
        ("ab_cd", '"ab_cd"*'),  # the tokenizer splits at "_"
        ('"fatigue syn"', '"fatigue syn"'),  # a quoted phrase is never spelled out
        ("fa", '"fa"'),  # too short to be a prefix at all
    ],
)
def test_what_stays_a_prefix(text, match):
    assert spelled(text, WORDS, limit=3) == match


def test_spelled_prefixes_of_a_query():
    query = parse_query('Fatig post-exer "white matter" mi author:Oka -zinc year:2010')
    assert spelled_prefixes(query) == {"fatig", "oka", "zinc"}

"""The search box's query language: what it understands and how it fails gently."""

from __future__ import annotations

import pytest

from atlas_desktop.domain.query import FilterClause, FilterKind, TextClause, TextField, parse_query


def test_plain_words_are_prefix_text_clauses():
    q = parse_query("fatig cbt")
    assert q.clauses == (TextClause("fatig"), TextClause("cbt"))
    assert not q.hints


def test_phrase_negation_and_fields():
    q = parse_query('"therapeutic relationship" -exercise author:heins title:"role of"')
    assert q.clauses == (
        TextClause("therapeutic relationship", phrase=True),
        TextClause("exercise", negated=True),
        TextClause("heins", field=TextField.AUTHOR),
        TextClause("role of", field=TextField.TITLE, phrase=True),
    )


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("year:2013", 2013, 2013),
        ("year:2010-2015", 2010, 2015),
        ("year:2015-2010", 2010, 2015),
        ("year:>2015", 2016, None),
        ("year:<=2000", None, 2000),
        ("year:2010-", 2010, None),
        ("year:-1999", None, 1999),
    ],
)
def test_year_forms(text, low, high):
    (clause,) = parse_query(text).clauses
    assert isinstance(clause, FilterClause)
    assert (clause.kind, clause.low, clause.high) == (FilterKind.YEAR, low, high)


def test_filters_are_normalised():
    q = parse_query('tag:"Post-Exertional Malaise" pem:not-required type:review tier:E0 is:Starred')
    assert [(c.kind, c.value) for c in q.filters] == [
        (FilterKind.TAG, "Post-Exertional Malaise"),
        (FilterKind.PEM, "not_required"),
        (FilterKind.STUDY_TYPE, "review"),
        (FilterKind.TIER, "E0"),
        (FilterKind.IS, "starred"),
    ]


@pytest.mark.parametrize(
    ("text", "hint_fragment"),
    [
        ('"unbalanced quote', "closing quote"),
        ("-", "lone"),
        ("year:abc", "year:"),
        ("pem:maybe", "pem:"),
        ("is:famous", "is:"),
        ("tag:", "needs a value"),
        ("author:", "needs something"),
    ],
)
def test_broken_syntax_gives_a_hint_and_never_raises(text, hint_fragment):
    q = parse_query(text)
    assert any(hint_fragment in h for h in q.hints), q.hints


def test_unbalanced_quote_keeps_the_words_as_a_phrase():
    q = parse_query('fatigue "post exertional')
    assert q.clauses[-1] == TextClause("post exertional", phrase=True)


def test_unknown_field_is_searched_as_words():
    q = parse_query("colour:red")
    assert q.clauses == (TextClause("colour red"),)
    assert q.hints


def test_typographic_quotes_work_like_straight_ones():
    q = parse_query("\u201cpost exertional\u201d")
    assert q.clauses == (TextClause("post exertional", phrase=True),)


@pytest.mark.parametrize("text", ["", "   ", "\x00\x00", '""', "-\"\"", ":", "::::", "-:-"])
def test_degenerate_input_yields_empty_or_safe_query(text):
    q = parse_query(text)
    assert all(isinstance(c, TextClause | FilterClause) for c in q.clauses)


def test_very_long_input_is_cut_with_a_hint():
    q = parse_query("word " * 1000)
    assert len(q.clauses) <= 32
    assert q.hints


@pytest.mark.parametrize(("text", "expected"), [
    ("post e", ("post", "e")),
    ("f", ("", "f")),
    ("fatigue il", ("fatigue", "il")),
    ("post ex", ("post", "ex")),
    ("post exe", None),  # long enough to be a beginning
    ("post e ", None),  # the word is finished
    ("-e", None),  # an exclusion is never dropped
    ("author:ok", None),  # a filter value, not a word
    ('"white m', None),  # inside a phrase
    ('"white matter" e', ('"white matter"', "e")),
    ("", None),
])
def test_a_short_word_being_typed_is_recognised(text, expected):
    from atlas_desktop.domain.query import without_unfinished_word

    assert without_unfinished_word(text) == expected


def test_query_tokens_are_the_clauses_the_parser_reads():
    from atlas_desktop.domain.query import query_tokens

    text = 'fatigue -"graded exercise" tag:"Symptom: Fatigue" year:2010-2015 -pem:required'
    assert query_tokens(text) == ["fatigue", '-"graded exercise"', 'tag:"Symptom: Fatigue"',
                                  "year:2010-2015", "-pem:required"]
    assert len(query_tokens(text)) == len(parse_query(text).clauses)
    assert query_tokens('  "unclosed phrase') == ['"unclosed phrase']


def test_filters_are_toggled_in_the_text():
    from atlas_desktop.domain.query import filter_tokens, is_filter_token, toggle_filter

    assert is_filter_token("-pem:required") and is_filter_token('tag:"A: B"')
    assert not is_filter_token("ME/CFS:") and not is_filter_token('"a: b"')
    text = 'cortisol tag:"Symptom: Fatigue"'
    assert filter_tokens(text) == {'tag:"Symptom: Fatigue"'}
    assert toggle_filter(text, 'tag:"Symptom: Fatigue"') == "cortisol"
    assert toggle_filter(text, "pem:required", exclusive=True) == (
        'cortisol tag:"Symptom: Fatigue" pem:required')
    # Exclusive values replace each other; other filters and words stay.
    assert toggle_filter("sleep year:2000-2009 pem:required", "year:2010-2019",
                         exclusive=True) == "sleep pem:required year:2010-2019"
    assert toggle_filter("sleep year:2000-2009 pem:required", "") == "sleep"

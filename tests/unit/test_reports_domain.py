"""Validation of correction reports against the contract's limits."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain.reports import ReportDraft, build_body, validate_draft


def draft(**kw):
    base = {"entry_id": "e", "field": "title", "problem": "The title is wrong."}
    return ReportDraft(**{**base, **kw})


def test_valid_draft_is_trimmed():
    cleaned, problems = validate_draft(draft(problem="  wrong  ", contact=" a@b.org "))
    assert problems == []
    assert cleaned.problem == "wrong"
    assert cleaned.contact == "a@b.org"


@pytest.mark.parametrize(
    ("kw", "field", "fragment"),
    [
        ({"problem": "   "}, "problem", "empty"),
        ({"problem": "x" * 100_000}, "problem", "100,000"),
        ({"suggested_correction": "y" * 5001}, "suggested_correction", "5,000"),
        ({"contact": "not an email"}, "contact", "not an e-mail"),
        ({"contact": "a@" + "b" * 330 + ".org"}, "contact", "320"),
        ({"problem": "bad\x07bell"}, "problem", "control character"),
        ({"problem": "abc\u202edef"}, "problem", "direction"),
        ({"field": "colour"}, "field", "not a part"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kw, field, fragment):
    _, problems = validate_draft(draft(**kw))
    assert any(p.field == field and fragment in p.message for p in problems), problems


def test_exactly_at_the_limits_is_accepted():
    _, problems = validate_draft(draft(problem="p" * 5000, suggested_correction="s" * 5000))
    assert problems == []


def test_right_to_left_text_is_welcome():
    cleaned, problems = validate_draft(draft(problem="העלון שגוי — الخطأ في العنوان"))
    assert problems == []
    assert "العنوان" in cleaned.problem


def test_body_follows_the_contract_order_and_is_stable():
    cleaned, _ = validate_draft(draft())
    body = build_body(report_id="r", draft=cleaned, current_value="old",
                      entry_last_updated="2026-04-07", created_at="2026-11-21T09:30:00Z",
                      client_version="0.1.0")
    assert list(json.loads(body)) == [
        "report_id", "entry_id", "entry_last_updated", "field", "current_value", "problem",
        "suggested_correction", "contact", "created_at", "client",
    ]
    assert body == build_body(report_id="r", draft=cleaned, current_value="old",
                              entry_last_updated="2026-04-07",
                              created_at="2026-11-21T09:30:00Z", client_version="0.1.0")

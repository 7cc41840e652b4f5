"""Offline bundles: refusal of unknown formats, unknown fields kept on the round trip."""

from __future__ import annotations

import io
import json

import pytest

from atlas_desktop.formats.bundle import corrections_document, parse_bundle, write_bundle
from atlas_desktop.formats.text import FormatError

ENTRY = {"id": "a-2020", "title": "T", "authors": [], "badges": {"pem": "unknown", "new": 1},
         "future": {"x": [1, "ü"]}}


def bundle(**kw):
    return json.dumps({"format": "atlas-bundle", "version": 1, "entries": [ENTRY], **kw})


def test_round_trip_preserves_unknown_fields():
    parsed = parse_bundle(bundle(generated_at="2026-11-21T09:30:00Z", publisher="x"))
    out = io.StringIO()
    write_bundle(out, parsed.entries, generated_at=parsed.generated_at, extra=parsed.extra)
    again = json.loads(out.getvalue())
    assert again["publisher"] == "x"
    assert again["entries"][0]["future"] == {"x": [1, "ü"]}
    assert again["entries"][0]["badges"] == {"pem": "unknown", "new": 1}
    assert parse_bundle(out.getvalue()).entries == parsed.entries


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (json.dumps({"format": "atlas-bundle", "version": 2, "entries": []}), "version 2"),
        (json.dumps({"format": "something-else", "version": 1, "entries": []}), "not an atlas"),
        (json.dumps([1, 2]), "not an atlas bundle"),
        ('{"format": "atlas-bundle", "version": 1, "entries": [', "not valid JSON"),
        (json.dumps({"format": "atlas-bundle", "version": 1}), "no \"entries\""),
        (json.dumps({"format": "atlas-bundle", "version": 1,
                     "entries": [ENTRY, {"id": "BAD ID"}]}), "entry 2 ('BAD ID')"),
    ],
)
def test_bad_bundles_are_refused_whole(text, fragment):
    with pytest.raises(FormatError) as info:
        parse_bundle(text)
    assert fragment in str(info.value)


def test_corrections_document_carries_bodies_verbatim():
    bodies = ['{"report_id":"1","problem":"ü"}', '{"report_id":"2"}']
    doc = json.loads(corrections_document(bodies))
    assert doc["format"] == "atlas-corrections" and doc["version"] == 1
    assert [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in doc["reports"]] == bodies

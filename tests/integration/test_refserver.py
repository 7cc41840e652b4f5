"""The reference server on its own, spoken to with plain httpx: the contract from the
server's side (validation, deduplication, cursors, auth, routing)."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from atlas_desktop.refserver import RefServer
from tests.sync_support import contract_entry, refserver  # noqa: F401 - fixture


def report_body(report_id: str, **changes) -> bytes:
    body = {
        "report_id": report_id, "entry_id": "study-a", "entry_last_updated": "2026-04-07",
        "field": "title", "current_value": "A title", "problem": "The title is cut short.",
        "suggested_correction": None, "contact": None, "created_at": "2026-11-21T09:30:00Z",
        "client": {"name": "atlas-desktop", "version": "0.1.0"},
    }
    body.update(changes)
    return json.dumps(body).encode()


def post(url, body, key, **headers):
    return httpx.post(url + "/v1/corrections", content=body, headers={
        "Content-Type": "application/json", **({"Idempotency-Key": key} if key else {}),
        **headers})


def test_a_report_is_stored_once_replayed_as_200_and_a_different_body_is_409(
        refserver):  # noqa: F811
    rid = str(uuid.uuid4())
    first = post(refserver.url, report_body(rid), rid)
    assert first.status_code == 201
    receipt = first.json()
    assert receipt["report_id"] == rid and receipt["status"] == "received"
    again = post(refserver.url, report_body(rid), rid)
    assert again.status_code == 200 and again.json() == receipt
    other = post(refserver.url, report_body(rid, problem="Something else."), rid)
    assert other.status_code == 409 and other.json()["field"] == "report_id"
    assert len(refserver.reports()) == 1
    status = httpx.get(f"{refserver.url}/v1/corrections/{rid}").json()
    assert status["status"] == "received" and status["reviewer_note"] is None
    refserver.set_review(rid, "declined", "Already corrected.")
    status = httpx.get(f"{refserver.url}/v1/corrections/{rid}").json()
    assert (status["status"], status["reviewer_note"]) == ("declined", "Already corrected.")
    assert httpx.get(f"{refserver.url}/v1/corrections/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize(("body", "key", "status", "field"), [
    (b"not json", "K", 400, None),
    (b"[1, 2]", "K", 400, None),
    (report_body("not-a-uuid"), "not-a-uuid", 400, "report_id"),
    (report_body("11111111-1111-4111-8111-111111111111"), None, 400, "report_id"),
    (report_body("11111111-1111-4111-8111-111111111111"), "22222222-2222-4222-8222-222222222222",
     400, "report_id"),
    (report_body("11111111-1111-4111-8111-111111111111", field="colour"),
     "11111111-1111-4111-8111-111111111111", 422, "field"),
    (report_body("11111111-1111-4111-8111-111111111111", problem="   "),
     "11111111-1111-4111-8111-111111111111", 422, "problem"),
    (report_body("11111111-1111-4111-8111-111111111111", problem="x" * 5001),
     "11111111-1111-4111-8111-111111111111", 422, "problem"),
    (report_body("11111111-1111-4111-8111-111111111111", contact="a" * 321),
     "11111111-1111-4111-8111-111111111111", 422, "contact"),
    (report_body("11111111-1111-4111-8111-111111111111", created_at="yesterday"),
     "11111111-1111-4111-8111-111111111111", 400, "created_at"),
    (report_body("11111111-1111-4111-8111-111111111111", entry_id="Not An Id"),
     "11111111-1111-4111-8111-111111111111", 400, "entry_id"),
])
def test_invalid_reports_are_400_or_422_with_error_and_field(refserver, body, key, status,  # noqa: F811
                                                              field):
    answer = post(refserver.url, body, key)
    assert answer.status_code == status
    data = answer.json()
    assert isinstance(data["error"], str) and data["error"]
    assert data["field"] == field
    assert refserver.reports() == []


def test_size_type_and_routing_answers(refserver):  # noqa: F811
    rid = str(uuid.uuid4())
    assert post(refserver.url, b"x" * (70 * 1024), rid).status_code == 413
    wrong_type = httpx.post(refserver.url + "/v1/corrections", content=report_body(rid),
                            headers={"Idempotency-Key": rid, "Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    assert httpx.get(refserver.url + "/v1/nothing").status_code == 404
    wrong_method = httpx.get(refserver.url + "/v1/corrections")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"
    assert httpx.delete(refserver.url + "/v1/entries").status_code == 405


def test_the_token_is_required_when_set(tmp_path):
    with RefServer(tmp_path / "s.sqlite3", token="abc") as server:
        denied = httpx.get(server.url + "/v1/entries")
        assert denied.status_code == 401 and denied.headers["www-authenticate"].startswith(
            "Bearer")
        allowed = httpx.get(server.url + "/v1/entries",
                            headers={"Authorization": "Bearer abc"})
        assert allowed.status_code == 200


def test_pages_follow_versions_and_cursors_are_checked(refserver, tmp_path):  # noqa: F811
    bundle = tmp_path / "b.json"

    def publish(entries):
        bundle.write_text(json.dumps({"format": "atlas-bundle", "version": 1,
                                      "entries": entries}))
        return refserver.load_bundle(bundle)

    assert publish([contract_entry(f"s-{i}") for i in range(5)]) == (5, 0)
    first = httpx.get(refserver.url + "/v1/entries", params={"limit": 3}).json()
    assert [e["id"] for e in first["entries"]] == ["s-0", "s-1", "s-2"] and first["has_more"]
    rest = httpx.get(refserver.url + "/v1/entries",
                     params={"since": first["next_cursor"]}).json()
    assert [e["id"] for e in rest["entries"]] == ["s-3", "s-4"] and not rest["has_more"]
    # A new bundle: one entry changed, one gone, the rest as they were.
    entries = [contract_entry(f"s-{i}") for i in range(4)]
    entries[1]["title"] = "A better title"
    assert publish(entries) == (1, 1)
    news = httpx.get(refserver.url + "/v1/entries",
                     params={"since": rest["next_cursor"]}).json()
    assert [e["id"] for e in news["entries"]] == ["s-1"] and news["deleted"] == ["s-4"]
    nothing = httpx.get(refserver.url + "/v1/entries",
                        params={"since": news["next_cursor"]}).json()
    assert nothing == {"entries": [], "deleted": [], "next_cursor": news["next_cursor"],
                       "has_more": False}
    for bad in ({"since": "garbage!"}, {"limit": "0"}, {"limit": "many"}):
        answer = httpx.get(refserver.url + "/v1/entries", params=bad)
        assert answer.status_code == 400 and answer.json()["field"] in {"since", "limit"}
    many = httpx.get(refserver.url + "/v1/entries", params={"limit": 5000})
    assert many.status_code == 200  # capped at 1000, not refused
    with RefServer(tmp_path / "other.sqlite3") as other:
        foreign = httpx.get(other.url + "/v1/entries", params={"since": first["next_cursor"]})
        assert foreign.status_code == 400 and foreign.json()["field"] == "since"

"""The reference server's checks of a correction report (contract section 2).

400 for a request that is not a report at all (not JSON, wrong types, missing or
disagreeing ids); 422 for a well-formed report whose values break the rules (unknown
field, empty or over-long text). Both answer ``{"error": str, "field": str or null}``.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from atlas_desktop.domain.entry import ENTRY_ID_RE
from atlas_desktop.domain.reports import (
    CONTACT_MAX,
    PROBLEM_MAX,
    REPORT_FIELDS,
    SUGGESTION_MAX,
)

#: A report is a few kB; anything above this is answered 413 without being read.
MAX_REPORT_BYTES: Final = 64 * 1024
_RFC3339: Final = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True, slots=True)
class Invalid:
    status: int
    error: str
    field: str | None

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "field": self.field}


def _optional_text(data: dict[str, Any], key: str, limit: int) -> Invalid | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        return Invalid(400, f"{key} must be a string or null", key)
    if len(value.strip()) > limit:
        return Invalid(422, f"{key} is longer than {limit} characters", key)
    return None


def validate_report(body: bytes, idempotency_key: str | None) -> tuple[str, Invalid | None]:
    """(report_id, None) for a valid report, else ("", the problem)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "", Invalid(400, "the body is not UTF-8 JSON", None)
    if not isinstance(data, dict):
        return "", Invalid(400, "the body must be a JSON object", None)
    report_id = data.get("report_id")
    if not isinstance(report_id, str):
        return "", Invalid(400, "report_id is missing", "report_id")
    try:
        if str(uuid.UUID(report_id)) != report_id.lower():
            raise ValueError
    except ValueError:
        return "", Invalid(400, "report_id must be a UUID", "report_id")
    if idempotency_key is None:
        return "", Invalid(400, "the Idempotency-Key header is missing", "report_id")
    if idempotency_key.strip() != report_id:
        return "", Invalid(400, "the Idempotency-Key header and report_id differ", "report_id")
    entry_id = data.get("entry_id")
    if not isinstance(entry_id, str) or not ENTRY_ID_RE.match(entry_id):
        return "", Invalid(400, "entry_id must be an atlas entry id", "entry_id")
    updated = data.get("entry_last_updated")
    if updated is not None and not _is_date(updated):
        return "", Invalid(400, "entry_last_updated must be a date or null",
                           "entry_last_updated")
    field = data.get("field")
    if not isinstance(field, str):
        return "", Invalid(400, "field is missing", "field")
    if field not in REPORT_FIELDS:
        return "", Invalid(422, f"field must be one of: {', '.join(REPORT_FIELDS)}", "field")
    current = data.get("current_value")
    if current is not None and not isinstance(current, str):
        return "", Invalid(400, "current_value must be a string or null", "current_value")
    problem = data.get("problem")
    if not isinstance(problem, str):
        return "", Invalid(400, "problem is missing", "problem")
    if not problem.strip():
        return "", Invalid(422, "problem must not be empty", "problem")
    if len(problem.strip()) > PROBLEM_MAX:
        return "", Invalid(422, f"problem is longer than {PROBLEM_MAX} characters", "problem")
    for key, limit in (("suggested_correction", SUGGESTION_MAX), ("contact", CONTACT_MAX)):
        found = _optional_text(data, key, limit)
        if found is not None:
            return "", found
    created = data.get("created_at")
    if not isinstance(created, str) or not _RFC3339.match(created):
        return "", Invalid(400, "created_at must be an RFC 3339 time", "created_at")
    try:
        datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return "", Invalid(400, "created_at must be an RFC 3339 time", "created_at")
    client = data.get("client")
    if client is not None and not isinstance(client, dict):
        return "", Invalid(400, "client must be an object", "client")
    return report_id, None


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True

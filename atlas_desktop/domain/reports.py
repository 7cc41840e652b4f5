"""Correction reports (contract section 2): validation and the fixed request body.

Invariants:
- ``report_id`` is a UUID made once, when the report is first saved, and never changed.
- ``body`` is the exact UTF-8 JSON sent on every attempt. It is fixed when the report is
  queued; the only change allowed is the user's edit of a report the server refused as
  invalid (400/422), which the server never stored.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from .entry import recorded_locators

REPORT_FIELDS: Final = (
    "title",
    "authors",
    "journal",
    "year",
    "doi",
    "pmid",
    "summary",
    "why_it_matters",
    "does_not_prove",
    "findings",
    "badges",
    "tags",
    "citation",
    "other",
)
FIELD_LABELS: Final = {
    "title": "Title",
    "authors": "Authors",
    "journal": "Journal",
    "year": "Year",
    "doi": "DOI",
    "pmid": "PubMed ID (PMID)",
    "summary": "Summary",
    "why_it_matters": "Why it matters",
    "does_not_prove": "What it does not prove",
    "findings": "Findings and conclusions",
    "badges": "Badges (PEM, evidence tier, confidence, study type…)",
    "tags": "Tags",
    "citation": "Citation",
    "other": "Something else",
}
#: The contract has no field for a paper's volume, issue and pages (the most common gap in a
#: citation); a report about them goes as "citation", with what the entry records of them as
#: the value the user saw, so the atlas team knows what it is about.
LOCATOR_CHOICE: Final = "volume_issue_pages"
#: What the report dialog offers, in order: (choice, label, the contract's field).
REPORT_CHOICES: Final = (
    *((name, FIELD_LABELS[name], name) for name in REPORT_FIELDS[:4]),
    (LOCATOR_CHOICE, "Volume, issue or pages", "citation"),
    *((name, FIELD_LABELS[name], name) for name in REPORT_FIELDS[4:]),
)
PROBLEM_MAX: Final = 5000
SUGGESTION_MAX: Final = 5000
CONTACT_MAX: Final = 320

_EMAIL_RE: Final = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:.]{2,}$")
# Explicit direction overrides and isolates can make text display differently from what it
# is (the "Trojan source" trick); ordinary right-to-left letters and marks are welcome.
_BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class ReportStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    NEEDS_ATTENTION = "needs_attention"
    WITHDRAWN = "withdrawn"


#: Statuses of a report that still has to reach the server.
UNSENT_STATUSES: Final = (ReportStatus.QUEUED, ReportStatus.SENDING, ReportStatus.NEEDS_ATTENTION)


@dataclass(frozen=True, slots=True)
class ReportProblem:
    """One reason a report cannot be saved, tied to the input it is about."""

    field: str
    message: str


class ReportInvalid(ValueError):
    def __init__(self, problems: list[ReportProblem]) -> None:
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ReportDraft:
    """What the user typed, before validation."""

    entry_id: str
    field: str
    problem: str
    suggested_correction: str | None = None
    contact: str | None = None


@dataclass(frozen=True, slots=True)
class CorrectionReport:
    report_id: str
    entry_id: str
    field: str
    problem: str
    suggested_correction: str | None
    contact: str | None
    current_value: str | None
    entry_last_updated: str | None
    created_at: str
    body: str
    status: ReportStatus
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: str | None = None
    sent_at: str | None = None
    received_at: str | None = None
    withdrawn_at: str | None = None
    server_status: str | None = None
    reviewer_note: str | None = None
    status_checked_at: str | None = None

    def to_summary(self) -> dict[str, Any]:
        """The ``outbox --json`` row: exactly the keys the CLI documents. The review status,
        reviewer's note and next attempt time are in :meth:`to_dict` (``report --json``)."""
        return {
            "report_id": self.report_id,
            "entry_id": self.entry_id,
            "field": self.field,
            "status": self.status.value,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "created_at": self.created_at,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything stored about the report (``report --json``)."""
        return {
            **json.loads(self.body),
            "status": self.status.value,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "next_attempt_at": self.next_attempt_at,
            "sent_at": self.sent_at,
            "received_at": self.received_at,
            "withdrawn_at": self.withdrawn_at,
            "server_status": self.server_status,
            "reviewer_note": self.reviewer_note,
        }


def private_entry_reason(entry_id: str) -> str:
    """Why no correction report is made, kept or sent about one of the user's own references
    (issue 18.4): they are private, and the atlas team has nothing to correct in them."""
    return (f"“{entry_id}” is one of your own references, and correction reports go to the "
            "atlas team about atlas entries only.")


def new_report_id() -> str:
    return str(uuid.uuid4())


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _control_problem(field: str, label: str, text: str) -> ReportProblem | None:
    for ch in text:
        if ch in "\n\t":
            continue
        if ch in _BIDI_CONTROLS:
            return ReportProblem(
                field,
                f"{label} contains invisible text-direction control characters; "
                "please retype it without them.",
            )
        if unicodedata.category(ch) == "Cc":
            return ReportProblem(
                field,
                f"{label} contains an invisible control character (U+{ord(ch):04X}); "
                "please retype it without it.",
            )
    return None


def validate_draft(draft: ReportDraft) -> tuple[ReportDraft, list[ReportProblem]]:
    """Trim and check a draft against the contract's limits. Returns the cleaned draft."""
    problems: list[ReportProblem] = []
    field = draft.field.strip().lower()
    if field not in REPORT_FIELDS:
        problems.append(
            ReportProblem("field", f"“{draft.field}” is not a part of an entry one can report; "
                          "choose one of: " + ", ".join(REPORT_FIELDS) + ".")
        )
    problem = _clean(draft.problem) or ""
    if not problem:
        problems.append(ReportProblem("problem", "Say what is wrong: the description is empty."))
    elif len(problem) > PROBLEM_MAX:
        problems.append(
            ReportProblem(
                "problem",
                f"The description is {len(problem):,} characters long; the limit is "
                f"{PROBLEM_MAX:,}.",
            )
        )
    suggestion = _clean(draft.suggested_correction)
    if suggestion is not None and len(suggestion) > SUGGESTION_MAX:
        problems.append(
            ReportProblem(
                "suggested_correction",
                f"The suggested correction is {len(suggestion):,} characters long; the limit "
                f"is {SUGGESTION_MAX:,}.",
            )
        )
    contact = _clean(draft.contact)
    if contact is not None:
        if len(contact) > CONTACT_MAX:
            problems.append(
                ReportProblem("contact", f"The contact address is longer than {CONTACT_MAX} "
                              "characters.")
            )
        elif not _EMAIL_RE.match(contact):
            problems.append(
                ReportProblem(
                    "contact",
                    f"“{contact[:80]}” is not an e-mail address; leave it empty or write one "
                    "like name@example.org.",
                )
            )
    for name, label, value in (
        ("problem", "The description", problem),
        ("suggested_correction", "The suggested correction", suggestion or ""),
        ("contact", "The contact address", contact or ""),
    ):
        found = _control_problem(name, label, value)
        if found is not None:
            problems.append(found)
    cleaned = ReportDraft(
        entry_id=draft.entry_id,
        field=field,
        problem=problem,
        suggested_correction=suggestion,
        contact=contact,
    )
    return cleaned, problems


def build_body(
    *,
    report_id: str,
    draft: ReportDraft,
    current_value: str | None,
    entry_last_updated: str | None,
    created_at: str,
    client_version: str,
) -> str:
    """The POST body, serialised once. Key order follows the contract."""
    body = {
        "report_id": report_id,
        "entry_id": draft.entry_id,
        "entry_last_updated": entry_last_updated,
        "field": draft.field,
        "current_value": current_value,
        "problem": draft.problem,
        "suggested_correction": draft.suggested_correction,
        "contact": draft.contact,
        "created_at": created_at,
        "client": {"name": "atlas-desktop", "version": client_version},
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def current_value_for(entry: Any, field: str) -> str | None:
    """What the user saw in ``field`` of ``entry`` (an :class:`Entry`), as one string."""
    if field in {"title", "journal", "doi", "pmid", "summary", "why_it_matters",
                 "does_not_prove"}:
        value = getattr(entry, field)
        return str(value) if value else None
    if field == "year":
        return str(entry.year) if entry.year is not None else None
    if field == "authors":
        if not entry.authors:
            return None
        text = "; ".join(a.display() for a in entry.authors)
        return text + (" et al." if entry.authors_truncated else "")
    if field == "findings":
        lines = [f"- {x}" for x in (*entry.observed_findings, *entry.inferred_conclusions)]
        return "\n".join(lines) or None
    if field == "badges":
        return "; ".join(text for _, text in entry.badges.labels()) or None
    if field == "tags":
        joined = "; ".join(f"{cat}: {', '.join(labels)}" for cat, labels in entry.tags.items())
        return joined or None
    if field == "citation":
        return plain_citation(entry)
    if field == LOCATOR_CHOICE:
        return locator_text(entry.extra)
    return None


def locator_text(extra: Any) -> str:
    """``Volume 12, issue 3, pages 45-67`` from an entry's extra fields, saying which are not
    recorded (a report about them is usually about their absence)."""
    found = recorded_locators(extra) if isinstance(extra, Mapping) else {}
    parts = [f"{label} {found[key]}" if key in found else f"{label} not recorded"
             for key, label in (("volume", "volume"), ("issue", "issue"), ("page", "pages"))]
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


def plain_citation(entry: Any) -> str | None:
    """A simple reference line (for reports and fallbacks; the citation engine does styles)."""
    if not (entry.title or entry.authors):
        return None
    authors = ", ".join(a.display() for a in entry.authors) or "Unknown authors"
    if entry.authors_truncated:
        authors += ", et al."
    year = f"({entry.year})" if entry.year else "(n.d.)"
    title = (entry.title or "Untitled").rstrip(".")
    parts = [f"{authors} {year}.", f"{title}."]
    if entry.journal:
        parts.append(f"{entry.journal}.")
    if entry.doi:
        parts.append(f"https://doi.org/{entry.doi}")
    return " ".join(parts)

"""What a sync run did, and what the status bar shows, as plain values.

Invariants:
- ``SyncResult.ok`` is True exactly when everything that could be done was done: every
  report due was answered by the server (sent, replayed, or needing the user's attention),
  and the catalogue pull reached the end. Reports needing attention do not make a run fail;
  they wait for the user.
- Every message is a sentence for a person, never a stack trace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from .wording import counted, plural

#: Statuses a server gives a report it holds (contract section 2, GET).
REVIEW_STATUSES: Final = ("received", "in_review", "accepted", "declined")
#: Review statuses after which a report is not polled again.
FINAL_REVIEW_STATUSES: Final = ("accepted", "declined")
REVIEW_LABELS: Final = {
    "received": "Received",
    "in_review": "In review",
    "accepted": "Accepted",
    "declined": "Declined",
    "not_found": "Unknown to the server",
}


def moment_text(value: str | None, *, now: datetime | None = None) -> str:
    """An RFC 3339 UTC time as a person reads it, in local time: "14:05" today,
    "12 Nov 14:05" this year, "12 Nov 2025 14:05" before."""
    if not value:
        return "never"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return value
    today = (now or datetime.now().astimezone()).astimezone()
    if moment.date() == today.date():
        return moment.strftime("%H:%M")
    if moment.year == today.year:
        return moment.strftime("%d %b %H:%M").lstrip("0")
    return moment.strftime("%d %b %Y %H:%M").lstrip("0")


class SyncState(StrEnum):
    NOT_CONFIGURED = "not_configured"  # no server URL: reports wait
    IDLE = "idle"  # configured, no run yet
    RUNNING = "running"
    OK = "ok"  # the last run did everything it could
    OFFLINE = "offline"  # the server could not be reached
    WAITING = "waiting"  # the server asked us to wait (Retry-After)
    REFUSED = "refused"  # 401/403: the token is missing or wrong
    WRONG_URL = "wrong_url"  # 404/405, a redirect, or not an atlas server
    ERROR = "error"  # server errors, a bad catalogue page, a library problem


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"


#: A change whose fields are these is a notice found when the record was completed online
#: (issue 15), recorded with the catalogue's changes so "what changed" lists it.
NOTICE_FIELDS: Final = {"notice:retraction": "Retracted",
                        "notice:concern": "Expression of concern",
                        "notice:correction": "Correction published"}


@dataclass(frozen=True, slots=True)
class CatalogueChange:
    """One entry a catalogue pull added, changed or withdrew."""

    entry_id: str
    kind: ChangeKind
    pulled_at: str
    #: Contract fields that differ (``withdrawn`` when a withdrawn entry came back).
    fields: tuple[str, ...] = ()
    #: badge key -> (before, after), review status included.
    badges: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    title: str | None = None

    @property
    def reinstated(self) -> bool:
        return self.kind is ChangeKind.CHANGED and "withdrawn" in self.fields

    @property
    def review_status_change(self) -> tuple[Any, Any] | None:
        return self.badges.get("review_status")

    @property
    def is_notice(self) -> bool:
        """A retraction, correction or concern found online, not a catalogue change."""
        return bool(self.fields) and all(f in NOTICE_FIELDS for f in self.fields)

    def _notice_words(self) -> str:
        """"Retracted, expression of concern and correction published"."""
        kinds = [NOTICE_FIELDS[f] for f in NOTICE_FIELDS if f in self.fields]
        kinds = kinds[:1] + [k.lower() for k in kinds[1:]]
        return ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else kinds[0]

    def what_changed(self) -> str:
        """What happened to the entry, without its name: ``New entry``, ``review status
        Reviewed → Editor reviewed; changed: title, summary``, ``Retracted``."""
        if self.is_notice:
            return self._notice_words()
        if self.kind is ChangeKind.NEW:
            return "New entry"
        if self.kind is ChangeKind.WITHDRAWN:
            return "Withdrawn by the atlas (your notes on it are kept)"
        return "; ".join(self._changed_parts()) or "Changed"

    def _changed_parts(self) -> list[str]:
        parts: list[str] = []
        if self.reinstated:
            parts.append("back in the atlas")
        review = self.review_status_change
        if review is not None:
            parts.append(f"review status {_badge_text(review[0])} → {_badge_text(review[1])}")
        for key, (before, after) in self.badges.items():
            if key != "review_status":
                label = key.replace("_", " ")
                parts.append(f"{label} {_badge_text(before)} → {_badge_text(after)}")
        others = [f for f in self.fields if f not in {"badges", "withdrawn"}]
        if others:
            parts.append("changed: " + ", ".join(f.replace("_", " ") for f in others))
        return parts

    def describe(self) -> str:
        """One line for the command line."""
        name = self.title or self.entry_id
        if self.is_notice:
            return f"{self._notice_words()}: {name}"
        if self.kind is ChangeKind.NEW:
            return f"New: {name}"
        if self.kind is ChangeKind.WITHDRAWN:
            return f"Withdrawn by the atlas: {name} (your notes on it are kept)"
        parts = self._changed_parts()
        return f"Changed: {name}" + (f" ({'; '.join(parts)})" if parts else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "kind": self.kind.value,
            "pulled_at": self.pulled_at,
            "fields": list(self.fields),
            "badges": {k: list(v) for k, v in self.badges.items()},
            "review_status": list(self.review_status_change)
            if self.review_status_change
            else None,
            "reinstated": self.reinstated,
            "title": self.title,
        }


def _badge_text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(slots=True)
class CatalogueUpdate:
    """What one or more catalogue pulls changed."""

    new: list[CatalogueChange] = field(default_factory=list)
    changed: list[CatalogueChange] = field(default_factory=list)
    withdrawn: list[CatalogueChange] = field(default_factory=list)
    #: ids the server sent that belong to the user's own references, with a reason.
    refused: list[tuple[str, str]] = field(default_factory=list)
    pages: int = 0
    #: True when the pull reached the server's last page.
    complete: bool = False

    @property
    def empty(self) -> bool:
        return not (self.new or self.changed or self.withdrawn)

    def add(self, change: CatalogueChange) -> None:
        {ChangeKind.NEW: self.new, ChangeKind.CHANGED: self.changed,
         ChangeKind.WITHDRAWN: self.withdrawn}[change.kind].append(change)

    def extend(self, other: CatalogueUpdate) -> None:
        self.new.extend(other.new)
        self.changed.extend(other.changed)
        self.withdrawn.extend(other.withdrawn)
        self.refused.extend(other.refused)
        self.pages += other.pages
        self.complete = other.complete

    def summary(self) -> str:
        if self.empty:
            return "No catalogue changes."
        badge_changes = sum(1 for c in self.changed if c.badges)
        notices = sum(1 for c in self.changed if c.is_notice)
        text = (f"Catalogue: {len(self.new)} new, {len(self.changed) - notices} changed, "
                f"{len(self.withdrawn)} withdrawn")
        if badge_changes:
            text += f" ({badge_changes} with badge or review-status changes)"
        if notices:
            text += (f"; {notices} paper{'s' if notices != 1 else ''} with a new retraction, "
                     "correction or expression of concern")
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": [c.entry_id for c in self.new],
            "changed": [c.to_dict() for c in self.changed],
            "withdrawn": [c.entry_id for c in self.withdrawn],
            "refused": [{"id": i, "reason": r} for i, r in self.refused],
            "pages": self.pages,
            "complete": self.complete,
        }


@dataclass(frozen=True, slots=True)
class ReportAttention:
    """A report the server refused; the user decides what to do with it."""

    report_id: str
    entry_id: str
    message: str
    http_status: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"report_id": self.report_id, "entry_id": self.entry_id,
                "message": self.message, "http_status": self.http_status}


@dataclass(slots=True)
class SyncResult:
    """What one run (or, in the CLI, a few runs in a row) did."""

    state: SyncState
    message: str
    explicit: bool = False
    started_at: str | None = None
    finished_at: str | None = None
    server_url: str | None = None
    #: Report ids the server stored now (201) and ones it already had (200).
    sent: list[str] = field(default_factory=list)
    replayed: list[str] = field(default_factory=list)
    needs_attention: list[ReportAttention] = field(default_factory=list)
    #: Report ids that failed for a passing reason and will be tried again.
    retry_later: list[str] = field(default_factory=list)
    #: Reports still waiting (queued or sending) when the run ended.
    still_queued: int = 0
    #: Report ids never sent because they were about the user's own references (withdrawn).
    withheld: list[str] = field(default_factory=list)
    catalogue: CatalogueUpdate = field(default_factory=CatalogueUpdate)
    #: Report ids whose review status was refreshed.
    statuses_updated: list[str] = field(default_factory=list)
    #: Sentences about anything that went wrong (the first one explains ``state``).
    errors: list[str] = field(default_factory=list)
    #: When the server asked us to wait until (Retry-After), RFC 3339.
    wait_until: str | None = None
    #: Whether the server was asked anything (an automatic run may find nothing due).
    contacted: bool = False

    @property
    def ok(self) -> bool:
        return self.state is SyncState.OK

    def done_sentence(self) -> str:
        """What the run did, in sentences (the start of its message)."""
        parts: list[str] = []
        sent = len(self.sent) + len(self.replayed)
        if sent:
            parts.append(f"Sent {counted(sent, 'report')}"
                         + (f" ({len(self.replayed)} already on the server)"
                            if self.replayed else "") + ".")
        if self.withheld:
            count = len(self.withheld)
            parts.append(f"{counted(count, 'report')} about your own references "
                         f"{plural('was', count)} not sent and never will be (reports are for "
                         f"atlas entries only); {plural('it', count)} {plural('is', count)} "
                         "withdrawn in the outbox.")
        if self.needs_attention:
            count = len(self.needs_attention)
            parts.append(f"{counted(count, 'report')} {plural('needs', count)} your attention.")
        if not self.catalogue.empty:
            parts.append(self.catalogue.summary())
        return " ".join(parts)

    def merge(self, later: SyncResult) -> SyncResult:
        """This run followed by ``later`` (the CLI retries within one invocation)."""
        catalogue = CatalogueUpdate()
        catalogue.extend(self.catalogue)
        catalogue.extend(later.catalogue)
        retried = set(later.sent) | set(later.replayed) | {
            a.report_id for a in later.needs_attention}
        return SyncResult(
            state=later.state,
            message=later.message,
            explicit=self.explicit,
            started_at=self.started_at,
            finished_at=later.finished_at,
            server_url=later.server_url,
            sent=[*self.sent, *later.sent],
            replayed=[*self.replayed, *later.replayed],
            needs_attention=[*self.needs_attention, *later.needs_attention],
            withheld=[*self.withheld, *later.withheld],
            retry_later=[r for r in dict.fromkeys([*self.retry_later, *later.retry_later])
                         if r not in retried],
            still_queued=later.still_queued,
            catalogue=catalogue,
            statuses_updated=list(dict.fromkeys([*self.statuses_updated,
                                                 *later.statuses_updated])),
            errors=later.errors,
            wait_until=later.wait_until,
            contacted=self.contacted or later.contacted,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "state": self.state.value,
            "message": self.message,
            "server_url": self.server_url,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "sent": len(self.sent),
            "replayed": len(self.replayed),
            "needs_attention": len(self.needs_attention),
            "still_queued": self.still_queued,
            "entries": {
                "new": len(self.catalogue.new),
                "changed": len(self.catalogue.changed),
                "withdrawn": len(self.catalogue.withdrawn),
            },
            "reports": {
                "sent": self.sent,
                "replayed": self.replayed,
                "needs_attention": [a.to_dict() for a in self.needs_attention],
                "retry_later": self.retry_later,
                "withheld": self.withheld,
            },
            "catalogue": self.catalogue.to_dict(),
            "statuses_updated": self.statuses_updated,
            "errors": self.errors,
            "wait_until": self.wait_until,
        }


@dataclass(frozen=True, slots=True)
class SyncOverview:
    """What the status bar and the outbox show between runs."""

    state: SyncState
    message: str
    server_url: str | None
    last_success_at: str | None
    last_run_at: str | None
    queued: int
    needs_attention: int
    #: Unseen catalogue changes since the user last looked.
    unseen_changes: int = 0
    wait_until: str | None = None
    running: bool = False

    def status_line(self) -> str:
        """A short text for the status bar."""
        if self.running:
            return "Syncing…"
        if self.state is SyncState.NOT_CONFIGURED:
            return ("No atlas server set: reports wait in the outbox"
                    + (f" ({self.queued})" if self.queued else "") + ".")
        last = (f"last synced {moment_text(self.last_success_at)}" if self.last_success_at
                else "never synced")
        text = f"Synced; {last}" if self.state is SyncState.OK else f"{self.message} ({last})"
        if self.queued:
            text += f"; {self.queued} report{'s' if self.queued != 1 else ''} waiting"
        if self.needs_attention:
            text += f"; {self.needs_attention} need{'s' if self.needs_attention == 1 else ''} "
            text += "your attention"
        return text

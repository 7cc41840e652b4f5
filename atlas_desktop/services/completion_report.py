"""What a completion run did, entry by entry (``complete --json``, the window's progress)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EntryOutcome(StrEnum):
    COMPLETED = "completed"
    UNCHANGED = "unchanged"
    NOT_FOUND = "not found"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class EntryResult:
    entry_id: str
    outcome: EntryOutcome
    reason: str = ""
    #: Sources that answered with a record ("pubmed", "crossref", "doi.org").
    sources: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """``completed``, ``unchanged``, ``not found`` or ``failed: <reason>``."""
        if self.outcome is EntryOutcome.FAILED:
            return f"failed: {self.reason}"
        return self.outcome.value

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.entry_id, "result": self.text, "sources": list(self.sources)}


@dataclass
class CompletionReport:
    results: list[EntryResult] = field(default_factory=list)
    #: Requests sent, per source.
    requests: dict[str, int] = field(default_factory=dict)
    #: Entries waiting for the next connection after this run.
    pending: int = 0
    cancelled: bool = False

    def count(self, outcome: EntryOutcome) -> int:
        return sum(r.outcome is outcome for r in self.results)

    def summary(self) -> str:
        parts = [f"{self.count(o)} {o.value}" for o in EntryOutcome if self.count(o)]
        text = ", ".join(parts) or "nothing to complete"
        if self.pending:
            text += f"; {self.pending} waiting for the next connection"
        if self.cancelled:
            text += "; stopped before the end"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        return {"results": [r.to_dict() for r in self.results], "requests": self.requests,
                "pending": self.pending, "cancelled": self.cancelled}

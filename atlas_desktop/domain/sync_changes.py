"""What the catalogue updates changed, sync by sync (issue 18.15): each sync with its date,
one row per entry, as the window's "Catalogue updates" and ``sync changes`` both list it.

A sync pulls its pages one transaction at a time and records each page's changes, so one
entry can be recorded twice in one sync (a server may send it on two pages); here that is one
row: what it was before the sync and what it is after.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from .sync import CatalogueChange, CatalogueUpdate, ChangeKind


@dataclass(frozen=True, slots=True)
class SyncChanges:
    """What one sync changed in the catalogue, one change per entry."""

    run_id: str
    #: When its last page was applied (RFC 3339 UTC).
    pulled_at: str
    update: CatalogueUpdate

    def heading(self) -> str:
        """``Update of 3 Dec 2025, 14:05: 1 new, 1 changed, 0 withdrawn``; for records
        completed online, ``Records completed online on 3 Dec 2025, 14:05: 2 papers with a
        new retraction, correction or expression of concern``."""
        u = self.update
        notices = sum(1 for c in u.changed if c.is_notice)
        if notices and notices == len(u.changed) and not (u.new or u.withdrawn):
            return (f"Records completed online on {day_and_time(self.pulled_at)}: {notices} "
                    f"paper{'s' if notices != 1 else ''} with a new retraction, correction or "
                    "expression of concern")
        return (f"Update of {day_and_time(self.pulled_at)}: {len(u.new)} new, "
                f"{len(u.changed) - notices} changed, {len(u.withdrawn)} withdrawn")

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "pulled_at": self.pulled_at,
                "new": [c.to_dict() for c in self.update.new],
                "changed": [c.to_dict() for c in self.update.changed],
                "withdrawn": [c.to_dict() for c in self.update.withdrawn]}


def by_sync(records: Iterable[tuple[str, CatalogueChange]]) -> list[SyncChanges]:
    """``(run id, change)`` records in the order they were written, as one
    :class:`SyncChanges` per sync, newest sync first."""
    runs: dict[str, dict[str, CatalogueChange]] = {}
    for run_id, change in records:
        entries = runs.setdefault(run_id, {})
        earlier = entries.get(change.entry_id)
        entries[change.entry_id] = change if earlier is None else _combined(earlier, change)
    out = []
    for run_id, entries in runs.items():
        update = CatalogueUpdate()
        for change in entries.values():
            update.add(change)
        out.append(SyncChanges(run_id, max(c.pulled_at for c in entries.values()), update))
    out.reverse()
    return out


def _combined(first: CatalogueChange, then: CatalogueChange) -> CatalogueChange:
    """One entry recorded twice in one sync: new stays new (unless it was withdrawn again);
    the fields are both records'; a badge goes from its first value to its last."""
    kind = then.kind
    if first.kind is ChangeKind.NEW and then.kind is ChangeKind.CHANGED:
        kind = ChangeKind.NEW
    badges = dict(first.badges)
    for key, (before, after) in then.badges.items():
        badges[key] = (badges[key][0] if key in badges else before, after)
    badges = {k: v for k, v in badges.items() if v[0] != v[1]}
    return replace(then, kind=kind, fields=tuple(dict.fromkeys((*first.fields, *then.fields))),
                   badges=badges, title=then.title or first.title)


def day_and_time(value: str) -> str:
    """An RFC 3339 UTC time as a person reads a date, in local time: ``3 Dec 2025, 14:05``."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return value
    return moment.strftime("%d %b %Y, %H:%M").lstrip("0")

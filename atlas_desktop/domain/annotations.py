"""The user's own layer: notes, stars, read marks, labels and collections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from .reports import CorrectionReport

NOTE_MAX: Final = 200_000
NAME_MAX: Final = 120

#: Label colours offered, each with a name for screen readers and colour-blind users.
LABEL_COLOURS: Final = {
    "#d64545": "Red",
    "#e08a1e": "Orange",
    "#c9a227": "Yellow",
    "#3f9a4a": "Green",
    "#2f7fc1": "Blue",
    "#7b55c7": "Purple",
    "#6b7280": "Grey",
}


@dataclass(frozen=True, slots=True)
class Note:
    entry_id: str
    text: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Label:
    id: int
    name: str
    color: str

    @property
    def color_name(self) -> str:
        return LABEL_COLOURS.get(self.color.lower(), "Custom colour")


@dataclass(frozen=True, slots=True)
class Collection:
    id: int
    name: str
    created_at: str
    count: int = 0


@dataclass(frozen=True, slots=True)
class UserData:
    """Everything the user attached to one entry."""

    entry_id: str
    note: Note | None = None
    starred: bool = False
    read: bool = False
    labels: tuple[Label, ...] = ()
    collections: tuple[str, ...] = ()
    reports: tuple[CorrectionReport, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "note": self.note.text if self.note else None,
            "note_updated_at": self.note.updated_at if self.note else None,
            "starred": self.starred,
            "read": self.read,
            "labels": [{"name": x.name, "color": x.color, "color_name": x.color_name}
                       for x in self.labels],
            "collections": list(self.collections),
            "reports": [r.to_summary() for r in self.reports],
        }

    @property
    def is_empty(self) -> bool:
        return not (self.note or self.starred or self.labels or self.collections or self.reports)


class NameInvalid(ValueError):
    pass


def clean_name(name: str, what: str = "name") -> str:
    """Collection and label names: trimmed, single-spaced, not empty, not too long."""
    cleaned = re.sub(r"\s+", " ", name or "").strip()
    if not cleaned:
        raise NameInvalid(f"The {what} is empty.")
    if len(cleaned) > NAME_MAX:
        raise NameInvalid(f"The {what} is longer than {NAME_MAX} characters.")
    if any(ord(c) < 32 for c in cleaned):
        raise NameInvalid(f"The {what} contains control characters.")
    return cleaned

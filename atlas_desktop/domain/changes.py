"""What an operation changed, so each view refreshes only for changes it cares about
(Anki's OpChanges; calibre's events carry the ids).

Every committed write sends one :class:`ChangeNotice`: which kinds of data changed, which
entries (None when many or unknown, as after a bulk import) and who asked for it, so that a
view can skip a change it has already shown (a star it drew before the write landed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Flag, auto


class Changes(Flag):
    NONE = 0
    CATALOGUE = auto()
    NOTES = auto()
    STATE = auto()  # stars, read marks
    LABELS = auto()
    COLLECTIONS = auto()
    REPORTS = auto()
    SETTINGS = auto()
    SYNC = auto()
    #: Records completed online, and retraction/correction notices (issue 15).
    COMPLETION = auto()

    @classmethod
    def user_data(cls) -> Changes:
        return cls.NOTES | cls.STATE | cls.LABELS | cls.COLLECTIONS | cls.REPORTS

    @classmethod
    def everything(cls) -> Changes:
        """Every kind (what another program may have changed)."""
        out = cls.NONE
        for kind in cls:
            out |= kind
        return out


#: The initiator of a notice about changes another program made (the command line, another
#: window): nobody in this process asked for them, and anything may have changed.
ELSEWHERE = "another program"


@dataclass(frozen=True, slots=True)
class ChangeNotice:
    """One committed change.

    ``entry_ids``: the entries whose data changed; an empty set when no entry's own data did
    (a collection renamed, a setting); None when many or unknown (an import, a merge of a
    whole pull). ``initiator``: whatever the face passed when it asked for the write (the
    view itself, usually), None for writes nobody in this process claimed.
    """

    kinds: Changes
    entry_ids: frozenset[str] | None = None
    initiator: object | None = None

    @classmethod
    def of(cls, kinds: Changes, entry_ids: Iterable[str] | None = None,
           initiator: object | None = None) -> ChangeNotice:
        return cls(kinds, None if entry_ids is None else frozenset(entry_ids), initiator)

    def concerns(self, kinds: Changes) -> bool:
        """Whether any of ``kinds`` changed."""
        return bool(self.kinds & kinds)

    def touches(self, entry_id: str) -> bool:
        """Whether this entry's data may have changed (always, when the ids are unknown)."""
        return self.entry_ids is None or entry_id in self.entry_ids

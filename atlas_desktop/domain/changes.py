"""What an operation changed, so each view refreshes only for changes it cares about
(Anki's OpChanges)."""

from __future__ import annotations

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

"""What to tell the user about each entry of a copy before it is pasted (issue 18.6): its
gaps (authors cut short, no volume or pages, no title, no year, withdrawn), where the
citation follows a completed record over the atlas, and its notices (retracted, corrected,
under an expression of concern). The window lists them entry by entry beside the Copy
button until the user has read them.

The user may ask not to be warned again about an entry (a setting of the library, the
entries' ids); a retraction is never silenced that way: it is shown at every copy.

The sentences are the ones the copy itself carries (:mod:`atlas_desktop.domain.csl`'s gaps,
:mod:`atlas_desktop.domain.cited`'s differences and retractions), per entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.citation import CopyKind, RetractionWarning
from atlas_desktop.domain.cited import describe_notice, difference_warnings, retraction_warning
from atlas_desktop.domain.completion import NoticeKind
from atlas_desktop.domain.csl import describe_gaps
from atlas_desktop.domain.entry import Entry, author_short
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import user as user_store

from .cited import cited_entries
from .context import LibraryContext

#: Entry ids the user asked not to be warned about again (gaps, differences, corrections).
QUIET_SETTING: Final = "citation.quiet_warnings"
#: Copies whose sentences about gaps leave out what only matters to a style.
_DATA_KINDS: Final = frozenset({CopyKind.BIBTEX, CopyKind.RIS, CopyKind.CSL_JSON})
_NOTICES_SHOWN: Final = (NoticeKind.CONCERN, NoticeKind.CORRECTION)


@dataclass(frozen=True, slots=True)
class EntryWarnings:
    """Everything to read about one entry of a copy."""

    entry_id: str
    #: "Wakefield et al. (1998)": how a person knows the paper.
    label: str
    #: Gaps and differences, one sentence each (empty for an entry the user quieted).
    warnings: tuple[str, ...] = ()
    #: Expressions of concern and corrections ("corrected on 2020-05-30 (notice …)").
    notices: tuple[str, ...] = ()
    #: Set for a retracted paper: shown at every copy, whatever the user chose.
    retraction: RetractionWarning | None = None

    @property
    def may_quiet(self) -> bool:
        """Whether "don't warn me for this entry again" is offered (never for a retraction)."""
        return self.retraction is None


class CopyChecks:
    def __init__(self, ctx: LibraryContext) -> None:
        self._ctx = ctx

    def check(self, *, entry_ids: Sequence[str], kind: CopyKind = CopyKind.BIBLIOGRAPHY
              ) -> list[EntryWarnings]:
        """The entries of a copy of ``kind`` that have something to read, in the given
        order; entries the user quieted only when they are retracted."""
        ids = list(dict.fromkeys(entry_ids))
        with self._ctx.db.read() as conn:
            entries = {e.id: e for e in cat.get_entries(conn, ids)}
            ordered = [entries[i] for i in ids if i in entries]
            cited, records = cited_entries(conn, ordered)
            quiet = set(_quiet(user_store.get_setting(conn, QUIET_SETTING)))
        out = []
        for entry, as_cited in zip(ordered, cited, strict=True):
            record = records.get(entry.id)
            retraction = retraction_warning(as_cited, record)
            warnings: list[str] = []
            notices: list[str] = []
            if entry.id not in quiet:
                warnings = _gaps(as_cited, kind) + [
                    _without_id(entry.id, w) for w in difference_warnings(entry, record)
                    if kind not in _DATA_KINDS and kind is not CopyKind.SNAPSHOT]
                notices = [describe_notice(n) for n in (record.notices if record else ())
                           if n.kind in _NOTICES_SHOWN]
            if warnings or notices or retraction is not None:
                out.append(EntryWarnings(entry.id, _label(entry), tuple(warnings),
                                         tuple(notices), retraction))
        return out

    def quiet_entries(self) -> set[str]:
        with self._ctx.db.read() as conn:
            return set(_quiet(user_store.get_setting(conn, QUIET_SETTING)))

    def set_quiet(self, *, entry_ids: Sequence[str], quiet: bool = True) -> None:
        """Stop (or start again) warning about these entries' gaps, differences and
        corrections when they are copied. Retractions are warned about regardless."""
        with self._ctx.write(Changes.SETTINGS, entry_ids=()) as conn:
            current = set(_quiet(user_store.get_setting(conn, QUIET_SETTING)))
            current = current | set(entry_ids) if quiet else current - set(entry_ids)
            user_store.set_setting(conn, QUIET_SETTING, sorted(current))


def _gaps(entry: Entry, kind: CopyKind) -> list[str]:
    if kind in (CopyKind.IN_TEXT, CopyKind.SNAPSHOT):
        return []  # as the copy itself: an in-text citation or a snapshot has no such gaps
    return [_without_id(entry.id, sentence)
            for sentence in describe_gaps([entry], formatted=kind not in _DATA_KINDS)]


def _without_id(entry_id: str, sentence: str) -> str:
    """The copy's sentences name their entries ("heins-2013: no volume…"); here each entry
    has its own heading."""
    text = sentence.removeprefix(f"{entry_id}: ")
    return text[:1].upper() + text[1:]


def _label(entry: Entry) -> str:
    who = author_short(entry.authors, entry.authors_truncated) or (entry.title or entry.id)[:60]
    return f"{who} ({entry.year or 'n.d.'})"


def _quiet(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

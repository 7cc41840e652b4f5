"""What the list pane, search and catalogue updates report, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class SortKey(StrEnum):
    RELEVANCE = "relevance"
    YEAR_DESC = "year_desc"
    YEAR_ASC = "year_asc"
    TITLE = "title"
    FIRST_AUTHOR = "first_author"


@dataclass(frozen=True, slots=True)
class EntryBrief:
    """What a search result line needs (``search --json``), read without the prose."""

    id: str
    title: str | None
    display_title: str
    authors: tuple[Any, ...]  # domain.entry.Author
    year: int | None
    badges: Any  # domain.entry.Badges


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of the list pane: just what is painted."""

    pk: int
    id: str
    title: str | None
    display_title: str
    authors_short: str
    year: int | None
    journal: str | None
    badges: tuple[tuple[str, str], ...]
    origin: str
    withdrawn: bool
    incomplete: bool
    starred: bool = False
    noted: bool = False
    reported: bool = False
    read: bool = False
    linked_atlas_id: str | None = None
    #: Kinds of the notices found when the record was completed ("retraction",
    #: "correction", "concern", "update"), for the list's badges.
    notices: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Ordered row keys of a result. ``ranked`` says whether relevance ordering was used."""

    pks: tuple[int, ...] | Any  # a tuple or an array('q'); both index and len() alike
    total: int
    ranked: bool
    hints: tuple[str, ...] = ()
    sort: SortKey = SortKey.YEAR_DESC
    #: False when ``pks`` is only the first page of a longer result (``total`` counts all).
    complete: bool = True


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Facets:
    """Live counts per facet for a result. ``groups`` maps a facet name to its values."""

    groups: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EntryChange:
    """How one entry differs after an import or a catalogue pull."""

    id: str
    fields: tuple[str, ...]
    #: badge key -> (before, after) for badges that changed, review status included.
    badges: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass(slots=True)
class UpsertResult:
    new: list[str] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    #: ids refused because they belong to the user's own library, with a reason.
    refused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def updated_ids(self) -> list[str]:
        return [c.id for c in self.changed] + self.unchanged

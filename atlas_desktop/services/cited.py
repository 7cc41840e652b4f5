"""Entries as they are cited: their completed records laid over them (:mod:`domain.cited`),
read in the caller's transaction, for citations, copies and reference exports alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from atlas_desktop.domain.citation import RetractionWarning
from atlas_desktop.domain.cited import cited_entry, retraction_warning
from atlas_desktop.domain.completion import CompletedRecord, build_record
from atlas_desktop.domain.entry import Entry
from atlas_desktop.store import completion as completion_store

_CHUNK: Final = 500


def completed_records(conn: Any, entries: Sequence[Entry]) -> dict[str, CompletedRecord]:
    """The completed record of each entry that has one (differences against the entry's
    own values)."""
    stored = completion_store.records_for(conn, [e.id for e in entries])
    return {e.id: build_record(e, e.id, stored[e.id]) for e in entries if e.id in stored}


def cited_entries(conn: Any, entries: Sequence[Entry]
                  ) -> tuple[list[Entry], dict[str, CompletedRecord]]:
    """The entries as cited, and their records (for notices and differences)."""
    records = completed_records(conn, entries)
    return [cited_entry(e, records.get(e.id)) for e in entries], records


def retraction_warnings(entries: Iterable[Entry], records: dict[str, CompletedRecord]
                        ) -> list[RetractionWarning]:
    out = []
    for entry in entries:
        warning = retraction_warning(entry, records.get(entry.id))
        if warning is not None:
            out.append(warning)
    return out


def iter_cited(conn: Any, entries: Iterable[Entry],
               retracted: list[RetractionWarning] | None = None) -> Iterator[Entry]:
    """``entries`` as cited, a chunk at a time (exports of any size); the retracted ones
    are added to ``retracted`` as they pass."""
    if not completion_store.any_records(conn):
        yield from entries  # nothing completed: nothing to lay over them, nothing retracted
        return
    chunk: list[Entry] = []

    def flush() -> Iterator[Entry]:
        cited, records = cited_entries(conn, chunk)
        if retracted is not None:
            retracted.extend(retraction_warnings(cited, records))
        chunk.clear()
        yield from cited

    for entry in entries:
        chunk.append(entry)
        if len(chunk) >= _CHUNK:
            yield from flush()
    if chunk:
        yield from flush()

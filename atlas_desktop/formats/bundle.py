"""Offline bundles (contract section 4): a catalogue, or an outbox of reports, in one file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, TextIO

import orjson

from atlas_desktop.domain.contract import (
    EntryFormatError,
    canonical_entry_dict,
    entry_from_canonical,
    entry_to_contract,
)
from atlas_desktop.domain.entry import Entry
from atlas_desktop.domain.wording import counted

from .text import FormatError

BUNDLE_FORMAT: Final = "atlas-bundle"
BUNDLE_VERSION: Final = 1
CORRECTIONS_FORMAT: Final = "atlas-corrections"
CORRECTIONS_VERSION: Final = 1
#: How many bad entries a refusal message lists before "and N more".
_MAX_LISTED: Final = 10


@dataclass
class Bundle:
    #: Entries as canonical contract dicts (see ``canonical_entry_dict``).
    contracts: list[dict[str, Any]]
    generated_at: str | None = None
    #: Unknown top-level keys of the bundle object, kept for the round trip.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def entries(self) -> list[Entry]:
        return [entry_from_canonical(d) for d in self.contracts]


class EntryLines:
    """A bundle's entries still as their JSON lines (see :func:`split_entry_lines`): the file's
    bytes and where each entry's line starts and ends in them. Each line is parsed as it is
    iterated, straight from the file's bytes (no copy of a line is made), so a large import
    parses while the store writes and never holds the whole file's objects at once.

    Iterating raises :class:`LayoutSurprise` at a line that is not one JSON value."""

    def __init__(self, data: bytes, starts: list[int], ends: list[int]) -> None:
        self._data = data
        self._starts = starts
        self._ends = ends

    def __len__(self) -> int:
        return len(self._starts)

    def __iter__(self) -> Iterator[Any]:
        with memoryview(self._data) as view:
            for index, (start, end) in enumerate(zip(self._starts, self._ends, strict=True)):
                try:
                    value = orjson.loads(view[start:end])
                except orjson.JSONDecodeError:
                    raise LayoutSurprise(
                        f"entry line {index + 1} is not one JSON value") from None
                yield value


class LayoutSurprise(Exception):
    """A bundle read line by line turned out not to have the layout it seemed to have; the
    caller reads it again as a whole (which then finds the error, if there is one)."""


@dataclass
class RawBundle:
    """A bundle whose envelope was checked; entries are still the JSON objects as read."""

    raw_entries: list[Any] | EntryLines
    generated_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def parse_bundle(text: str | bytes) -> Bundle:
    """Read a bundle; refuse it whole (FormatError) if any part does not follow the contract."""
    return bundle_from_object(load_json(text))


def load_json(data: str | bytes) -> Any:
    """JSON from text or UTF-8 bytes, with a sentence for the user if it is broken."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FormatError(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
            line=exc.lineno,
        ) from None


def read_raw_bundle(text: str | bytes) -> RawBundle:
    """Check the envelope (format, version, entries list) without validating each entry, so a
    large bundle's entries can be validated while they are written (see the importer)."""
    return raw_bundle_from_object(load_json(text))


def raw_bundle_from_object(data: Any) -> RawBundle:
    if not isinstance(data, dict):
        raise FormatError("The file is JSON but not an atlas bundle (no top-level object).")
    fmt, version = data.get("format"), data.get("version")
    if fmt != BUNDLE_FORMAT:
        raise FormatError(
            f"This JSON file is not an atlas bundle (format is {fmt!r}, expected "
            f"{BUNDLE_FORMAT!r}). Nothing was imported."
        )
    if version != BUNDLE_VERSION:
        raise FormatError(
            f"This atlas bundle has version {version!r}; this Atlas Desktop reads version "
            f"{BUNDLE_VERSION}. Nothing was imported; a newer Atlas Desktop may read it."
        )
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        raise FormatError('The bundle has no "entries" list. Nothing was imported.')
    extra = {k: v for k, v in data.items() if k not in {"format", "version", "generated_at",
                                                        "entries"}}
    generated = data.get("generated_at")
    return RawBundle(raw_entries, generated if isinstance(generated, str) else None, extra)


_HEAD_END_RE: Final = re.compile(rb'"entries"\s*:\s*\[\s*$')
#: An entry line as write_bundle writes it: the object's first key is its id.
_ENTRY_LINE_RE: Final = re.compile(rb'\s*\{\s*"id"\s*:\s*"([a-z0-9-]{1,200})"')
_LINE_SPACE: Final = frozenset(b" \t\r")
_COMMA: Final = ord(",")


def split_entry_lines(data: bytes) -> tuple[RawBundle, list[str]] | None:
    """Recognise the layout :func:`write_bundle` writes: the envelope on the first line
    ending in ``"entries": [``, then one entry object per line, each starting with its id,
    then ``]}``. Returns the checked envelope with the entry lines unparsed
    (:class:`EntryLines`, offsets into ``data``) and the ids, or None for any other layout
    (the caller then parses the whole file). The envelope's refusals raise FormatError as for
    a whole parse. Whether each line is one JSON object with that id is only known when it is
    parsed; see :class:`LayoutSurprise`."""
    # Slices of ``data`` copy: only its ends are ever sliced.
    first_end = data.find(b"\n")
    tail = data[-4096:].rstrip()
    if first_end < 0 or not tail.endswith(b"]}"):
        return None
    head = data[:first_end].rstrip()
    if not _HEAD_END_RE.search(head):
        return None
    # The closing "]}" is alone on the last line that is not blank.
    closing = max(len(data) - 4096, 0) + len(tail) - 2
    last_newline = data.rfind(b"\n", 0, closing)
    if last_newline < first_end or data[last_newline + 1 : closing].strip():
        return None
    try:
        envelope = orjson.loads(head + b"]}")
    except orjson.JSONDecodeError:
        return None
    if not isinstance(envelope, dict) or envelope.get("entries") != []:
        return None
    raw = raw_bundle_from_object(envelope)
    ids: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    match = _ENTRY_LINE_RE.match
    find = data.find
    start = first_end + 1
    while start <= last_newline:
        newline = find(b"\n", start, last_newline + 1)  # found: data[last_newline] is one
        end = newline
        while end > start and data[end - 1] in _LINE_SPACE:
            end -= 1
        if newline < last_newline:  # drop the separating comma (JSON ignores the whitespace)
            if end == start or data[end - 1] != _COMMA:
                return None
            end -= 1
        found = match(data, start, end)
        if found is None:
            return None
        ids.append(found.group(1).decode("ascii"))
        starts.append(start)
        ends.append(end)
        start = newline + 1
    raw.raw_entries = EntryLines(data, starts, ends)
    return raw, ids


def bundle_problems_message(problems: list[str], total: int) -> str:
    listed = "; ".join(problems[:_MAX_LISTED])
    more = f" and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
    return (
        f"{len(problems)} of {counted(total, 'entry')} do not follow the atlas format "
        f"({listed}{more}). Nothing was imported."
    )


def bundle_from_object(data: Any) -> Bundle:
    raw = raw_bundle_from_object(data)
    contracts, problems = parse_entry_objects(raw.raw_entries)
    if problems:
        raise FormatError(bundle_problems_message(problems, len(raw.raw_entries)))
    return Bundle(contracts=contracts, generated_at=raw.generated_at, extra=raw.extra)


def parse_entry_objects(raw_entries: Iterable[Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Canonical entry dicts, and one sentence per entry that failed (position and id)."""
    entries: list[dict[str, Any]] = []
    problems: list[str] = []
    for index, raw in enumerate(raw_entries):
        try:
            entries.append(canonical_entry_dict(raw))
        except EntryFormatError as exc:
            problems.append(describe_entry_problem(index, raw, exc))
    return entries, problems


def describe_entry_problem(index: int, raw: Any, exc: Exception) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    where = f"entry {index + 1}" + (f" ({ident!r})" if isinstance(ident, str) else "")
    return f"{where}: {exc}"


def utc_timestamp() -> str:
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_bundle(
    out: TextIO, entries: Iterable[Entry], *, generated_at: str | None = None,
    extra: dict[str, Any] | None = None,
) -> int:
    """Stream a bundle to ``out``, one entry per line; returns the number of entries."""
    head: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "generated_at": generated_at or utc_timestamp(),
    }
    for key, value in (extra or {}).items():
        head.setdefault(key, value)
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": [')
    count = 0
    for entry in entries:
        out.write("\n" if count == 0 else ",\n")
        out.write(json.dumps(entry_to_contract(entry), ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


def corrections_document(bodies: Iterable[str]) -> str:
    """The outbox file: each report's POST body exactly as it would be sent."""
    parts = ",\n".join(bodies)
    head = json.dumps({"format": CORRECTIONS_FORMAT, "version": CORRECTIONS_VERSION})
    return head[:-1] + ', "reports": [\n' + parts + ("\n" if parts else "") + "]}\n"

"""The readers behind an import: one per file kind, each turning a file's bytes into
:class:`FileContents` without touching the library.

A reader fills the :class:`FileContents` it is given, so that what it found before a
:class:`~.text.FormatError` (an encoding note, say) is still reported with the error. Which
reader reads which file is the registry's business (:mod:`.registry`).

The entries come in one of three shapes, whichever is cheapest for the kind:

* ``contracts``: contract dicts (atlas pages; RIS and CSL-JSON references, still to be
  validated with the rest of the import's references);
* ``raw_entries``: a bundle's entries as read, validated while they are written, or kept as
  lines of the file (:class:`~.bundle.EntryLines`) and parsed then;
* ``bib_entries``: BibTeX entries, whose crossrefs are resolved across all files of an import
  before they become contract dicts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from atlas_desktop.domain.contract import (
    EntryFormatError,
    canonical_entry_dict,
    entry_to_contract,
)
from atlas_desktop.domain.entry import ENTRY_ID_RE, Origin

from .atlas_page import parse_atlas_page
from .bibtex import BibEntry, read_bibtex
from .bundle import (
    EntryLines,
    RawBundle,
    bundle_problems_message,
    describe_entry_problem,
    read_raw_bundle,
    split_entry_lines,
)
from .csljson import CslFile, read_csl_json
from .detect import FileKind
from .input_files import megabytes, too_large
from .ris import RisFile, read_ris
from .text import FormatError, decode_bytes, sniff_utf16_without_bom

#: Input limits (issue 19.14), each named in the message that refuses a larger file. Reading
#: BibTeX, RIS or CSL-JSON takes up to about 20 times the file in memory (a 32 MB file with
#: all of its 75,000 references on one line: 0.6 GB), so those stop at 32 MB, several times
#: the largest real libraries we have seen. A bundle in the one-entry-per-line layout Atlas
#: Desktop writes is parsed an entry at a time (100,000 entries are 407 MB); a bundle in any
#: other layout is parsed whole, which takes about 5 times the file.
MAX_REFERENCE_BYTES: Final = 32_000_000
MAX_BUNDLE_BYTES: Final = 1_000_000_000
MAX_WHOLE_BUNDLE_BYTES: Final = 64_000_000
REFERENCE_FILES: Final = "BibTeX, RIS and CSL-JSON files"


@dataclass
class FileContents:
    """What a reader found in one file: entries (in one of three shapes, see the module
    docstring), problems that stop an import of the file (``errors``) and notes that do not
    (``warnings``)."""

    kind: FileKind | None = None
    origin: Origin = Origin.ATLAS
    contracts: list[dict[str, Any]] = field(default_factory=list, repr=False)
    raw_entries: list[Any] | EntryLines = field(default_factory=list, repr=False)
    bib_entries: list[BibEntry] = field(default_factory=list, repr=False)
    #: Ids in file order (atlas pages and bundle entries).
    ids: list[str] = field(default_factory=list, repr=False)
    #: Ids derived from authors/year/title (no atlas URL): they may be renumbered.
    derived: set[str] = field(default_factory=set, repr=False)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReadOptions:
    #: The file as the user named it: in messages, and to tie BibTeX crossrefs to files.
    source: str
    #: A bundle in the one-entry-per-line layout keeps its entries unparsed, to be parsed
    #: while they are written (see :class:`~.bundle.EntryLines`); False parses it whole.
    by_line: bool = True


#: A reader: the file's bytes, the contents to fill, the options. Raises FormatError when the
#: file cannot be read at all.
ReadFunction = Callable[[bytes, FileContents, ReadOptions], None]


def read_page_file(data: bytes, into: FileContents, options: ReadOptions) -> None:
    decoded = decode_bytes(data)
    if decoded.warning:
        into.warnings.append(decoded.warning)
    page = parse_atlas_page(decoded.text, source=options.source)
    # Through the one validator, as every entry from outside: canonical like the rest.
    into.contracts.append(canonical_entry_dict(entry_to_contract(page.entry)))
    into.ids.append(page.entry.id)
    into.warnings.extend(page.warnings)
    if page.derived_id:
        into.derived.add(page.entry.id)


def read_bundle_file(data: bytes, into: FileContents, options: ReadOptions) -> None:
    by_lines = split_entry_lines(data) if options.by_line else None
    if by_lines is not None:
        into.raw_entries, into.ids = by_lines[0].raw_entries, by_lines[1]
        return
    if len(data) > MAX_WHOLE_BUNDLE_BYTES:
        raise FormatError(
            f"The file is {megabytes(len(data))}; a bundle that is not in the layout Atlas "
            "Desktop writes (one entry per line) is read whole, up to "
            f"{megabytes(MAX_WHOLE_BUNDLE_BYTES)}. Export it again with Atlas Desktop, or "
            "split it.")
    raw = _read_bundle(data, into)
    bad_ids = []
    for index, item in enumerate(raw.raw_entries):
        entry_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(entry_id, str) and ENTRY_ID_RE.match(entry_id):
            into.ids.append(entry_id)
        else:
            bad_ids.append(describe_entry_problem(
                index, item, EntryFormatError(
                    f"must match [a-z0-9-]{{1,200}} (got {entry_id!r})", "id")))
    if bad_ids:
        raise FormatError(bundle_problems_message(bad_ids, len(raw.raw_entries)))
    into.raw_entries = raw.raw_entries


def _read_bundle(data: bytes, into: FileContents) -> RawBundle:
    """UTF-8 goes straight to the JSON reader as bytes (it validates the encoding itself);
    a BOM, UTF-16 or a legacy encoding is decoded first, and a fallback is reported."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if sniff_utf16_without_bom(data) is None and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return read_raw_bundle(data)
        except FormatError as exc:
            if "UTF-8" not in exc.message and "utf-8" not in exc.message:
                raise
    decoded = decode_bytes(data)
    if decoded.warning:
        into.warnings.append(decoded.warning)
    return read_raw_bundle(decoded.text)


def read_bibtex_file(data: bytes, into: FileContents, options: ReadOptions) -> None:
    bib = read_bibtex(data, source=options.source)
    into.bib_entries = bib.entries
    into.errors.extend(bib.errors)
    into.warnings.extend(bib.warnings)


def read_ris_file(data: bytes, into: FileContents, options: ReadOptions) -> None:
    """RIS, and Web of Science's tagged export (which the RIS reader recognises itself)."""
    text = _decoded(data, into)
    _take_references(read_ris(text), into)


def read_csl_json_file(data: bytes, into: FileContents, options: ReadOptions) -> None:
    text = _decoded(data, into)
    _take_references(read_csl_json(text), into)


def _decoded(data: bytes, into: FileContents) -> str:
    decoded = decode_bytes(data)  # BOMs, UTF-16 and legacy encodings, reported
    if decoded.warning:
        into.warnings.append(decoded.warning)
    return decoded.text


def _take_references(parsed: RisFile | CslFile, into: FileContents) -> None:
    into.errors.extend(parsed.errors)
    into.warnings.extend(parsed.warnings)
    into.contracts = list(parsed.references)


def refuse_corrections(data: bytes, into: FileContents, options: ReadOptions) -> None:
    raise FormatError(
        "This is a file of correction reports (an outbox export), not a catalogue. "
        "Hand it to the atlas team; it cannot be imported as entries."
    )


def refuse_other_json(data: bytes, into: FileContents, options: ReadOptions) -> None:
    raise FormatError(
        'This JSON file is not an atlas bundle (it does not say "format": "atlas-bundle").'
    )


def page_too_large(size: int) -> str:
    return (f"The file is {size / 1_000_000:.1f} MB of text; an atlas page is a few kB. "
            "It is not an atlas page.")


def references_too_large(size: int) -> str:
    return too_large(size, MAX_REFERENCE_BYTES, REFERENCE_FILES)


def bundle_too_large(size: int) -> str:
    return too_large(size, MAX_BUNDLE_BYTES, "bundles")

"""Reading BibTeX files: bibtexparser v2 splits the blocks; this module does the rest.

What bibtexparser leaves to us, and how it is done here:

* **encoding**: :func:`read_bibtex` decodes by BOM, UTF-16 with or without BOM, strict UTF-8,
  the ``% Encoding:`` line JabRef writes, then GBK or cp1252, and reports any legacy reading;
* **macros**: ``@string`` values, ``#`` concatenation (bibtexparser's issue #396) and the month
  macros are resolved from the raw values (:mod:`.bibtex_values`; bibtexparser's middleware
  resolves only whole-value references); an undefined macro is kept as written and
  reported, a value with text after its closing delimiter makes its entry a problem;
* **LaTeX** is decoded per field, cheaply (:mod:`.latex`);
* **keys**: an entry without a key gets one made from author, year and title; a key used
  twice is kept apart as ``key-2`` (``key-3``…) and reported;
* **failed blocks**: every block bibtexparser could not read is reported with its line and
  the reason, in our words where we know the reason.

Crossref inheritance works across files and lives in :mod:`.bibtex_crossref`; turning the
fields into entries lives in :mod:`.bibtex_fields`.

Invariant: within one :class:`BibtexFile`, keys are unique (compared case-insensitively, as
BibTeX does).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    ParsingFailedBlock,
)
from bibtexparser.model import (
    Entry as BlockEntry,
)
from bibtexparser.model import (
    String as BlockString,
)
from bibtexparser.splitter import Splitter

from atlas_desktop.domain.references import make_citation_key

from .bibtex_macros import BoundedMacros
from .bibtex_names import NAME_FIELDS, parse_name_list
from .bibtex_values import MalformedValue, resolve_value
from .latex import decode_latex
from .text import FormatError, decode_bytes

# The splitter logs every failed block; we report them ourselves, with a sentence per block.
for _name in ("bibtexparser", "pylatexenc"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

#: Fields whose value is a path, link or identifier: never LaTeX-decoded, only unescaped.
VERBATIM_FIELDS: Final = frozenset(
    "url doi file pdf eprint urlraw verba verbb verbc pmid pmcid isbn issn".split()
)
#: Titles, names of works, bodies and places, notes: their LaTeX is also read as rich text for
#: citations (case protection, italics, a protected "and": :func:`~.latex.decode_latex_rich`),
#: so their resolved raw values are kept beside the decoded text.
RICH_FIELDS: Final = frozenset(
    "title subtitle titleaddon booktitle booksubtitle booktitleaddon maintitle mainsubtitle "
    "maintitleaddon journal journaltitle journalsubtitle issuetitle issuesubtitle series "
    "eventtitle origtitle shorttitle shortjournal publisher institution school organization "
    "howpublished address location origpublisher origlocation venue note addendum".split()
)
#: Fields where a blank line is a paragraph break worth keeping.
PARAGRAPH_FIELDS: Final = frozenset({"abstract", "note", "annote", "annotation", "comment"})
_VERBATIM_ESCAPES_RE: Final = re.compile(r"\\([_%&#$~])")
_PARAGRAPH_RE: Final = re.compile(r"\n[ \t]*\n\s*")
_ENCODING_LINE_RE: Final = re.compile(rb"^%\s*Encoding\s*:\s*([\w.:-]+)", re.MULTILINE)
# ``@article{`` followed directly by ``field =``: an entry written without a key (EndNote).
_KEYLESS_RE: Final = re.compile(
    r"^([ \t]*@[ \t]*(?!(?:comment|string|preamble)\b)[A-Za-z][\w-]*[ \t]*[{(])"
    r"(?=\s*[A-Za-z][\w+:.-]*\s*=)",
    re.MULTILINE | re.IGNORECASE,
)
# A commented-out entry (``%@ARTICLE{…``): bibtexparser would read it as a real one.
_COMMENTED_ENTRY_RE: Final = re.compile(r"^[ \t]*%+[ \t]*@[A-Za-z][^\n]*", re.MULTILINE)


@dataclass
class BibEntry:
    """One entry as read: field values under lower-case names, in file order.

    Values are decoded text, except name lists (:data:`NAME_FIELDS`), which keep their
    braces and LaTeX for :func:`parse_name_list`: names must be split before decoding.
    """

    key: str
    entry_type: str
    fields: dict[str, str]
    #: 1-based line of the ``@type{`` in its file.
    line: int
    source: str = ""
    #: True when the file gave no key and :attr:`key` was made up.
    generated_key: bool = False
    #: The resolved, undecoded values of :data:`RICH_FIELDS`.
    raw: dict[str, str] = field(default_factory=dict)


@dataclass
class BibtexFile:
    entries: list[BibEntry] = field(default_factory=list)
    #: Blocks that could not be read at all (their entries are lost): line and reason.
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


def read_bibtex(data: bytes, *, source: str = "") -> BibtexFile:
    """Decode and parse a ``.bib`` file's bytes. Raises :class:`FormatError` if it cannot be
    decoded or holds no entries at all."""
    declared = _ENCODING_LINE_RE.search(data[:4096])
    decoded = decode_bytes(data, declared=declared.group(1).decode("ascii") if declared else None)
    result = parse_bibtex(decoded.text, source=source)
    result.encoding = decoded.encoding
    if decoded.warning:
        result.warnings.insert(0, decoded.warning)
    if not result.entries and not result.errors:
        raise FormatError(
            "The file holds no BibTeX entries (only comments, @string or @preamble blocks)."
        )
    return result


def parse_bibtex(text: str, *, source: str = "") -> BibtexFile:
    """Parse BibTeX text (see the module docstring for what is resolved here)."""
    text = text.lstrip("\ufeff")
    keyless_fixed = 0

    def add_empty_key(match: re.Match[str]) -> str:
        nonlocal keyless_fixed
        keyless_fixed += 1
        return match.group(1) + ","

    if "@" in text:
        if "%" in text:  # blanked, not removed: line numbers must stay right
            text = _COMMENTED_ENTRY_RE.sub("", text)
        text = _KEYLESS_RE.sub(add_empty_key, text)
    library = Splitter(text).split()
    result = BibtexFile()
    macros = _read_macros(library.blocks, result, BoundedMacros(len(text)))
    reader = _EntryReader(macros, result, source)
    for block in library.blocks:
        if isinstance(block, DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            assert isinstance(entry, BlockEntry)
            names = ", ".join(sorted(block.duplicate_keys))
            result.warnings.append(
                f"line {_line(block)}: the entry “{entry.key}” gives the field(s) {names} more "
                "than once; the first value was kept."
            )
            reader.add(entry)
        elif isinstance(block, DuplicateBlockKeyBlock):
            duplicate = block.ignore_error_block
            if isinstance(duplicate, BlockEntry):
                reader.add(duplicate)
        elif isinstance(block, ParsingFailedBlock):
            result.errors.append(f"line {_line(block)}: {_failure_reason(block)}")
        elif isinstance(block, BlockEntry):
            reader.add(block)
    reader.finish()
    return result


def _line(block: object) -> int:
    start = getattr(block, "start_line", None)
    return (start or 0) + 1


def _failure_reason(block: ParsingFailedBlock) -> str:
    """Our sentence for why a block was not read (bibtexparser's reasons, reworded)."""
    raw = (block.raw or "").strip()
    head = raw.split("\n", 1)[0][:60]
    what = f"the block “{head}” could not be read" if head else "a block could not be read"
    error = block.error
    reason = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    known = (
        (r"Expected a `=` after entry key, but found `@", "the entry is not closed before the "
         "next one starts (a missing closing brace?)"),
        (r"Expected comma after entry key", "a comma should follow the entry's key"),
        (r"Expected a `=` after entry key", "a field name is not followed by “=”"),
        (r"Expected either a `,` or", "a field value is not followed by a comma or the end "
         "of the entry (a missing comma or an unbalanced brace or quote)"),
        (r"Unexpected block start", "a new entry starts before this one is closed (an "
         "unbalanced brace or quote)"),
        (r"Unexpectedly reached end of file", "the file ends inside this entry (an unbalanced "
         "brace or quote)"),
        (r"Expected equals sign after field key", "an @string block has no “=”"),
    )
    for pattern, sentence in known:
        if re.match(pattern, reason):
            return f"{what}: {sentence}; it was left out."
    return f"{what} ({reason.strip() or 'no reason given'}); it was left out."


def _read_macros(blocks: Sequence[object], result: BibtexFile,
                 macros: BoundedMacros) -> BoundedMacros:
    """``@string`` definitions in file order, each resolved against the earlier ones.

    Names are case-insensitive; a later definition replaces an earlier one, as in BibTeX.
    Expansion is bounded (:mod:`.bibtex_macros`): over a bound, FormatError.
    """
    for block in blocks:
        string = block
        if isinstance(block, DuplicateBlockKeyBlock):
            string = block.ignore_error_block
        if not isinstance(string, BlockString):
            continue
        macros.begin()
        try:
            value, undefined = resolve_value(str(string.value), macros)
        except MalformedValue:
            result.errors.append(
                f"line {_line(string)}: the @string “{string.key}” has text after its value "
                "(a missing brace or quote?); it was left out.")
            continue
        for name in undefined:
            result.warnings.append(
                f"line {_line(string)}: @string {string.key} uses “{name}”, which the file "
                "does not define; it was kept as written."
            )
        macros.define(string.key.strip().lower(), value, line=_line(string))
    return macros


def decode_field(name: str, value: str) -> str:
    """Decoded text of one resolved field value (see :data:`VERBATIM_FIELDS`)."""
    if name in VERBATIM_FIELDS:
        value = value.strip()
        if value.startswith("{") and value.endswith("}") and value.count("{") == 1:
            value = value[1:-1]
        if "\\" in value:
            value = _VERBATIM_ESCAPES_RE.sub(r"\1", value)
            value = value.replace(r"\url{", "").rstrip("}") if value.startswith(r"\url{") else value
        return " ".join(value.split())
    if name in PARAGRAPH_FIELDS and "\n" in value and _PARAGRAPH_RE.search(value):
        paragraphs = (decode_latex(p) for p in _PARAGRAPH_RE.split(value))
        return "\n\n".join(p for p in paragraphs if p)
    return decode_latex(value)


class _EntryReader:
    """Turns entry blocks into :class:`BibEntry` values with unique keys."""

    def __init__(self, macros: Mapping[str, str], result: BibtexFile, source: str) -> None:
        self.macros = macros
        self.result = result
        self.source = source
        self.seen: dict[str, int] = {}  # lower-case key -> line of its first use
        self.keyless_lines: list[int] = []
        #: Undefined macro -> (line of first use, number of uses).
        self.undefined: dict[str, tuple[int, int]] = {}

    def add(self, block: BlockEntry) -> None:
        line = _line(block)
        fields: dict[str, str] = {}
        raw: dict[str, str] = {}
        for item in block.fields:
            name = item.key.strip().lower()
            if not name or name in fields:
                continue
            try:
                value, undefined = resolve_value(str(item.value), self.macros)
            except MalformedValue:
                self.result.errors.append(
                    f"line {(item.start_line or block.start_line or 0) + 1}: in “"
                    f"{block.key.strip() or 'an entry without a key'}”, the value of “{name}” "
                    "does not end where it should (a missing comma, brace or quote?); the "
                    "entry was left out.")
                return
            for macro in undefined:
                first, count = self.undefined.get(macro, (line, 0))
                self.undefined[macro] = (first, count + 1)
            decoded = " ".join(value.split()) if name in NAME_FIELDS else decode_field(name, value)
            if decoded:
                fields[name] = decoded
                if name in RICH_FIELDS:
                    raw[name] = value
        key = block.key.strip()
        generated = False
        if not key:
            people, _ = parse_name_list(fields.get("author") or fields.get("editor") or "")
            key = make_citation_key(people[0].family if people else None,
                                    fields.get("year") or fields.get("date"), fields.get("title"))
            generated = True
            self.keyless_lines.append(line)
        unique = self._unique(key)
        if unique != key and not generated:
            first = self.seen[key.lower()]
            self.result.warnings.append(
                f"line {line}: the key “{key}” is already used by the entry at line {first}; "
                f"this entry was kept apart as “{unique}”."
            )
        self.seen.setdefault(unique.lower(), line)
        self.seen.setdefault(key.lower(), line)
        self.result.entries.append(BibEntry(
            key=unique, entry_type=block.entry_type.strip().lower() or "misc", fields=fields,
            line=line, source=self.source, generated_key=generated, raw=raw,
        ))

    def _unique(self, key: str) -> str:
        if key.lower() not in self.seen:
            return key
        n = 2
        while f"{key}-{n}".lower() in self.seen:
            n += 1
        return f"{key}-{n}"

    def finish(self) -> None:
        for macro, (first, count) in self.undefined.items():
            uses = "once" if count == 1 else f"{count} times, first"
            self.result.warnings.append(
                f"The abbreviation “{macro}” is used {uses} at line {first}, but the file does "
                "not define it (no @string); it was kept as written."
            )
        if self.keyless_lines:
            lines = ", ".join(str(n) for n in self.keyless_lines[:12])
            more = len(self.keyless_lines) - 12
            count = len(self.keyless_lines)
            self.result.warnings.append(
                f"{count} {'entry has' if count == 1 else 'entries have'} no key (line"
                f"{'s' if count > 1 else ''} {lines}{f' and {more} more' if more > 0 else ''}); "
                "keys were made from the first author, year and title."
            )

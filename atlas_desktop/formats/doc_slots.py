"""What a document update finds in a .docx or .odt: the places that hold, or should hold,
citations and the bibliography, in document order (footnotes at their reference).

The readers (``docx_fields``, ``odt_fields``) make these; the document service decides what
each becomes, and the same reader object writes the result back.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

SlotKind = Literal["citation", "bibliography", "marker", "bibliography-marker"]

#: Characters of text shown on each side of a marker in a report.
CONTEXT_CHARS: Final = 40


#: An old Word file, or an encrypted .docx/.odt: an OLE compound file, not a zip package.
OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Word's own limit for a document is far below these; larger is not a document to update.
MAX_BYTES: Final = 512 * 1024 * 1024
#: What a package may unpack to (its parts are read into memory) and how many parts it holds.
MAX_UNPACKED_BYTES: Final = 1024 * 1024 * 1024
MAX_PARTS: Final = 10_000


class DocumentUnreadable(Exception):
    """The file is not a document we can update (damaged, encrypted, not .docx/.odt); the
    message is one sentence for the user."""


def check_package(path: Path, size: int, not_one: str) -> None:
    """Refuse a file too large, not a zip package (``not_one``: the sentence saying so), or
    one that would unpack to more than a document holds (a zip bomb): the readers load every
    part into memory. The sizes are the package's own; zipfile never reads past them."""
    name = path.name
    if size > MAX_BYTES:
        raise DocumentUnreadable(f"{name} is too large to be a document to update.")
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentUnreadable(not_one) from None
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise DocumentUnreadable(f"{name} would unpack to more than a document holds "
                                 f"({MAX_UNPACKED_BYTES // 2**30} GB or {MAX_PARTS:,} parts); "
                                 "it is not a document to update.")


@dataclass(slots=True)
class Slot:
    kind: SlotKind
    #: A field's code (citations and bibliographies) or the marker's text.
    code: str
    #: The text the document shows there now.
    text: str
    #: Footnote number (1, 2…) for a place inside a footnote, else 0.
    note_index: int = 0
    #: "paragraph 12" / "footnote 3" and, when Word recorded its layout, "page 2".
    where: str = ""
    #: The text around the place, for reports ("…as shown [@x] in…").
    context: str = ""
    #: The reader's own handle on the place (elements); opaque to everyone else.
    handle: Any = field(default=None, repr=False)


def context_of(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT_CHARS):start]
    after = text[end:end + CONTEXT_CHARS]
    lead = "…" if start > CONTEXT_CHARS else ""
    tail = "…" if end + CONTEXT_CHARS < len(text) else ""
    return f"{lead}{before}{text[start:end]}{after}{tail}".replace("\n", " ").strip()

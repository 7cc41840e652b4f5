"""What a document update finds in a .docx or .odt: the places that hold, or should hold,
citations and the bibliography, in document order (footnotes at their reference).

The readers (``docx_fields``, ``odt_fields``) make these; the document service decides what
each becomes, and the same reader object writes the result back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

SlotKind = Literal["citation", "bibliography", "marker", "bibliography-marker"]

#: Characters of text shown on each side of a marker in a report.
CONTEXT_CHARS: Final = 40


class DocumentUnreadable(Exception):
    """The file is not a document we can update (damaged, encrypted, not .docx/.odt); the
    message is one sentence for the user."""


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

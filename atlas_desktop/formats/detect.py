"""Recognising what a file is from its content (the extension only breaks ties).

This module holds the kinds and the content tests; :mod:`.registry` asks the tests in its
order and hands the file to the reader of the first kind that matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final

from .bundle import BUNDLE_FORMAT, CORRECTIONS_FORMAT
from .text import FormatError, decode_bytes, looks_binary

HEAD_BYTES: Final = 64 * 1024


class FileKind(StrEnum):
    ATLAS_PAGE = "atlas-page"
    BUNDLE = "atlas-bundle"
    CORRECTIONS = "atlas-corrections"
    JSON_OTHER = "json"
    BIBTEX = "bibtex"
    RIS = "ris"
    #: Web of Science's tagged export: RIS-like, read by the RIS reader with a note.
    WOS = "wos"
    CSL_JSON = "csl-json"

    @property
    def is_reference_file(self) -> bool:
        """The user's own references (as opposed to atlas pages and bundles)."""
        return self in {FileKind.BIBTEX, FileKind.RIS, FileKind.WOS, FileKind.CSL_JSON}


_BIB_BLOCK_RE: Final = re.compile(r"^[ \t]*@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(]", re.MULTILINE)
_RIS_TY_RE: Final = re.compile(r"^TY  - ", re.MULTILINE)
_RIS_TAG_RE: Final = re.compile(r"^[A-Z][A-Z0-9]  - ", re.MULTILINE)
_WOS_RE: Final = re.compile(r"^(?:FN |VR |PT [A-Z]\s*$)", re.MULTILINE)
_CSL_HINT_RE: Final = re.compile(
    r'"type"\s*:\s*"[a-z_-]+"|"(?:container-title|issued|citation-key)"\s*:')
_BIB_EXTENSIONS: Final = (".bib", ".bibtex", ".biblatex")


@dataclass(frozen=True)
class Head:
    """The first bytes of a file, decoded once, for the readers' content tests
    (:data:`~.registry.READERS`). Build it with :func:`sniff`."""

    #: The decoded head (at most :data:`HEAD_BYTES`).
    text: str
    #: The same without a byte-order mark and leading white space.
    stripped: str
    #: The file's name: the extension only breaks ties.
    name: str = ""


def sniff(head: bytes, name: str = "") -> Head:
    """The head of a file for the content tests. Raises FormatError for empty or binary
    files, which no reader takes."""
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FormatError("The file is empty.")
    if looks_binary(head):
        raise FormatError(
            "This is a binary file (for example a PDF, image or archive), not an atlas page, "
            "a bundle or a reference file."
        )
    text = decode_bytes(head[:HEAD_BYTES]).text if head else ""
    return Head(text=text, stripped=text.lstrip("\ufeff \t\r\n"), name=name)


# The content tests. The registry asks them in its order and the first that says yes
# decides, so each may assume that the tests before it said no (the JSON kinds come first).


def is_json(head: Head) -> bool:
    return head.stripped.startswith(("{", "["))


def is_bundle(head: Head) -> bool:
    return is_json(head) and BUNDLE_FORMAT in head.text[:4096]


def is_corrections(head: Head) -> bool:
    return is_json(head) and CORRECTIONS_FORMAT in head.text[:4096]


def is_csl_json(head: Head) -> bool:
    return is_json(head) and _CSL_HINT_RE.search(head.text[:8192]) is not None


def is_wos(head: Head) -> bool:
    text = head.text
    return bool(_WOS_RE.match(head.stripped) or (
        _WOS_RE.search(text) and not _RIS_TY_RE.search(text)
        and re.search(r"^ER\s*$", text, re.MULTILINE)))


def is_ris(head: Head) -> bool:
    text = head.text
    return bool(_RIS_TY_RE.search(text)) or len(_RIS_TAG_RE.findall(text[:8192])) >= 3


def is_bibtex(head: Head) -> bool:
    return _looks_like_bibtex(head.stripped, head.name)


def _looks_like_bibtex(text: str, name: str) -> bool:
    """A ``.bib`` file with a block, or text that starts with one (after ``%`` comments), or
    several blocks. An atlas page holds one BibTeX block after its prose, so it is none."""
    blocks = list(_BIB_BLOCK_RE.finditer(text))
    if blocks and name.lower().endswith(_BIB_EXTENSIONS):
        return True
    blocks = [m for m in blocks if m.group(1).lower() != "comment"]
    if not blocks:
        return False
    first_line = next((line.strip() for line in text.splitlines()
                       if line.strip() and not line.lstrip().startswith("%")), "")
    return first_line.startswith("@") or len(blocks) >= 2


def read_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)

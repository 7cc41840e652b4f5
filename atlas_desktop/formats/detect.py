"""Recognising what a file is from its content (the extension is only a hint)."""

from __future__ import annotations

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


def detect_kind(head: bytes, name: str = "") -> FileKind:
    """Classify by the first bytes. Raises FormatError for empty or binary files."""
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FormatError("The file is empty.")
    if looks_binary(head):
        raise FormatError(
            "This is a binary file (for example a PDF, image or archive), not an atlas page "
            "or bundle."
        )
    text = decode_bytes(head[:HEAD_BYTES]).text if head else ""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        if BUNDLE_FORMAT in text[:4096]:
            return FileKind.BUNDLE
        if CORRECTIONS_FORMAT in text[:4096]:
            return FileKind.CORRECTIONS
        return FileKind.JSON_OTHER
    del name  # reserved: the extension breaks ties between text formats
    return FileKind.ATLAS_PAGE


def read_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)

"""Turning a file's bytes into text without guessing silently."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Final


class FormatError(ValueError):
    """A file cannot be read as the format asked for. ``str(err)`` is for the user."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    #: A sentence for the user when the encoding was a fallback, else None.
    warning: str | None = None


_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text with no BOM shows NUL in every other byte of ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes in text that is not UTF-16/32 mean a binary file."""
    sample = data[:8192]
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return False
    if sniff_utf16_without_bom(sample):
        return False
    return b"\x00" in sample


def decode_bytes(data: bytes, *, fallback: str = "cp1252") -> DecodedText:
    """Decode by BOM, then UTF-16 without BOM, then strict UTF-8, then ``fallback``.

    The fallback is reported in ``warning``; binary data raises :class:`FormatError`.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise FormatError(
                    f"The file starts with a {encoding.upper()} byte-order mark but is not "
                    f"valid {encoding.upper()} (byte {exc.start + len(bom)})."
                ) from None
    utf16 = sniff_utf16_without_bom(data)
    if utf16 is not None:
        try:
            return DecodedText(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise FormatError("This is a binary file, not a text file.")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode(fallback, errors="replace")
        return DecodedText(
            text,
            fallback,
            warning=(
                f"The file is not valid UTF-8 (first bad byte at offset {exc.start}); "
                f"it was read as {fallback}. Check accented letters."
            ),
        )

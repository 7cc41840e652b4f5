"""Turning a file's bytes into text without guessing silently."""

from __future__ import annotations

import codecs
import re
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


def decode_bytes(
    data: bytes, *, fallback: str = "cp1252", declared: str | None = None
) -> DecodedText:
    """Decode by BOM, then UTF-16 without BOM, then strict UTF-8, then a legacy encoding.

    The legacy encoding is the one the file ``declared`` (JabRef's ``% Encoding:`` line) if
    it decodes cleanly, else GBK when the bytes read as Chinese (see :func:`looks_like_gbk`),
    else ``fallback``. Any legacy reading is reported in ``warning``, never silent; binary
    data raises :class:`FormatError`.
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
        first_bad = exc.start
    legacy = _declared_codec(declared)
    if legacy is not None:
        try:
            return DecodedText(
                data.decode(legacy), legacy,
                warning=(f"The file is not UTF-8 (first bad byte at offset {first_bad}); it was "
                         f"read as {legacy}, the encoding it declares. Check accented letters."),
            )
        except UnicodeDecodeError:
            pass
    if looks_like_gbk(data):
        return DecodedText(
            data.decode("gb18030"), "gbk",
            warning=(f"The file is not UTF-8 (first bad byte at offset {first_bad}); its "
                     "bytes read as Chinese text in the GBK encoding, so it was read that way. "
                     "Check the non-English letters."),
        )
    text = data.decode(fallback, errors="replace")
    return DecodedText(
        text,
        fallback,
        warning=(
            f"The file is not valid UTF-8 (first bad byte at offset {first_bad}); "
            f"it was read as {fallback}. Check accented letters."
        ),
    )


def _declared_codec(name: str | None) -> str | None:
    """A Python codec for an encoding name a file declares (``ISO8859_1``, ``GBK``…)."""
    if not name:
        return None
    cleaned = name.strip().strip("\"'").lower().replace("_", "-")
    try:
        codec = codecs.lookup(cleaned).name
    except LookupError:
        return None
    # Declaring UTF-8/16 is no help once those readings failed.
    return None if codec.startswith(("utf-8", "utf-16", "utf-32")) else codec


_HIGH_RUN_RE: Final = re.compile(rb"[\x80-\xff]+")


def looks_like_gbk(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are Chinese text in GBK (GB 18030).

    Western 8-bit text has isolated accented letters (``M\xfcller``: a run of one high byte);
    Chinese text comes in two-byte characters, so its runs of high bytes have even lengths,
    and it decodes to CJK ideographs. Both must hold, which keeps cp1252 files out.
    """
    sample = data[:65536]
    runs = _HIGH_RUN_RE.findall(sample)
    if not runs:
        return False
    even = sum(1 for run in runs if len(run) % 2 == 0)
    if even < 0.8 * len(runs):
        return False
    try:
        text = sample.decode("gb18030")
    except UnicodeDecodeError:
        # The sample may end inside a character: retry without its last bytes.
        try:
            text = sample[:-3].decode("gb18030")
        except UnicodeDecodeError:
            return False
    wide = [ch for ch in text if ord(ch) > 127]
    cjk = sum(
        1 for ch in wide
        if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
    )
    return bool(wide) and cjk >= 0.8 * len(wide)

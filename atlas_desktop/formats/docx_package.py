"""Opening a .docx for an update, with one sentence for whatever is wrong with it.

A password-protected Word document is not a zip package at all but an OLE compound file
holding an ``EncryptedPackage`` stream; an old binary ``.doc`` is an OLE file without one.
Both are told apart from a damaged file by their first bytes, before python-docx sees them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Final

import docx
from lxml import etree

from .doc_slots import OLE_MAGIC, DocumentUnreadable, check_package

ENCRYPTED_STREAM: Final = "EncryptedPackage".encode("utf-16-le")


def open_docx(path: Path) -> Any:
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
            if head == OLE_MAGIC:
                data = handle.read(min(size, 64 * 1024 * 1024))
                if ENCRYPTED_STREAM in data:
                    raise DocumentUnreadable(
                        f"{name} is protected by a password; remove the password in Word "
                        "(File → Info → Protect Document) and try again.")
                raise DocumentUnreadable(
                    f"{name} is an old Word 97-2003 document (.doc); save it as .docx in "
                    "Word or LibreOffice and try again.")
    except OSError as exc:
        raise DocumentUnreadable(f"{name} cannot be read: {exc.strerror or exc}.") from None
    check_package(path, size, f"{name} is not a Word document (.docx) or it is damaged.")
    try:
        return docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, EOFError,
            NotImplementedError) as exc:
        raise DocumentUnreadable(f"{name} is damaged and cannot be read as a Word document "
                                 f"({type(exc).__name__}).") from None

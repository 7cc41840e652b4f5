"""Which reader reads a file: the kind is recognised from the content, and each kind has one
reader. Both import paths (atlas pages and bundles, the user's references) go through
:func:`read_file`.

Adding a file format: write a reader (:data:`~.readers.ReadFunction`, bytes into
:class:`~.readers.FileContents`) and a content test (:mod:`.detect`), add its
:class:`~.detect.FileKind` (among the reference kinds if it holds the user's references), and
:func:`register` them. The readers are asked in the order
they were registered, and the first whose test says yes reads the file; a text file that no
test recognises goes to the atlas-page reader, which refuses it with a sentence if it is not
a page either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from atlas_desktop.domain.entry import Origin

from .atlas_page import MAX_PAGE_BYTES
from .detect import (
    FileKind,
    Head,
    is_bibtex,
    is_bundle,
    is_corrections,
    is_csl_json,
    is_json,
    is_ris,
    is_wos,
    sniff,
)
from .input_files import InputFile
from .readers import (
    MAX_BUNDLE_BYTES,
    MAX_REFERENCE_BYTES,
    REFERENCE_FILES,
    FileContents,
    ReadFunction,
    ReadOptions,
    bundle_too_large,
    page_too_large,
    read_bibtex_file,
    read_bundle_file,
    read_csl_json_file,
    read_page_file,
    read_ris_file,
    references_too_large,
    refuse_corrections,
    refuse_other_json,
)
from .text import FormatError


@dataclass(frozen=True)
class Reader:
    kind: FileKind
    #: Whether a file's head is of this kind (asked in registration order).
    recognises: Callable[[Head], bool]
    read: ReadFunction
    #: Larger files are refused before they are read into memory, with this sentence.
    max_bytes: int | None = None
    too_large: Callable[[int], str] | None = None
    #: What files of this kind are called in a message about their size.
    what: str = "files of this kind"

    @property
    def origin(self) -> Origin:
        """Atlas entries, or the user's own references (:attr:`FileKind.is_reference_file`)."""
        return Origin.MINE if self.kind.is_reference_file else Origin.ATLAS


_READERS: list[Reader] = []
#: Text that no reader recognises: an atlas page, or nothing that can be imported.
_PAGE_READER = Reader(FileKind.ATLAS_PAGE, lambda head: True, read_page_file,
                      max_bytes=MAX_PAGE_BYTES, too_large=page_too_large, what="atlas pages")


def register(reader: Reader) -> None:
    """Ask ``reader`` after the readers registered before it (and before the atlas page)."""
    if any(r.kind is reader.kind for r in _READERS):
        raise ValueError(f"a reader for {reader.kind.value} is registered already")
    _READERS.append(reader)


def readers() -> tuple[Reader, ...]:
    """Every reader, in the order they are asked."""
    return (*_READERS, _PAGE_READER)


def reader_for(kind: FileKind) -> Reader:
    for reader in readers():
        if reader.kind is kind:
            return reader
    raise KeyError(kind)


def detect_kind(head: bytes, name: str = "") -> FileKind:
    """Classify a file by its first bytes. Raises FormatError for empty or binary files."""
    sniffed = sniff(head, name)
    for reader in _READERS:
        if reader.recognises(sniffed):
            return reader.kind
    return _PAGE_READER.kind


def read_file(path: Path, *, by_line: bool = True) -> FileContents:
    """Read one file with the reader its content calls for, without touching the library.

    Only a regular file is read, at most up to its reader's limit (:class:`InputFile`: a
    FIFO, a device or a folder is refused at once, and nothing is read "until the end").
    Nothing is raised for a bad file: what could not be read is an error of the result, in a
    sentence for the user (a reader's own bug included, so one file cannot take an import
    down)."""
    contents = FileContents()
    try:
        with InputFile(path) as source:
            kind = detect_kind(source.head(), path.name)
            reader = reader_for(kind)
            contents.kind, contents.origin = kind, reader.origin
            if reader.max_bytes is not None and source.size > reader.max_bytes:
                assert reader.too_large is not None
                raise FormatError(reader.too_large(source.size))
            # A reader without a limit refuses its kind whatever the content: its head will do.
            data = (source.read(reader.max_bytes, reader.what) if reader.max_bytes is not None
                    else source.head())
        try:
            reader.read(data, contents, ReadOptions(str(path), by_line=by_line))
        except (FormatError, OSError, MemoryError):
            raise
        except Exception as exc:
            raise FormatError(
                f"The file could not be read ({type(exc).__name__}: {exc}). Nothing "
                "was imported from it.") from exc
    except FormatError as exc:
        contents.errors.append(exc.message)
    except IsADirectoryError:
        contents.errors.append("This is a folder, not a file.")
    except FileNotFoundError:
        contents.errors.append("The file does not exist.")
    except PermissionError:
        contents.errors.append("The file cannot be read (permission denied).")
    except OSError as exc:
        contents.errors.append(f"The file cannot be read ({exc.strerror or exc}).")
    except MemoryError:
        contents.errors.append("The file is too large to read into memory.")
    return contents


for _reader in (
    # JSON first: a bundle, an outbox export, CSL-JSON, or JSON we cannot import.
    Reader(FileKind.BUNDLE, is_bundle, read_bundle_file, MAX_BUNDLE_BYTES, bundle_too_large,
           "bundles"),
    Reader(FileKind.CORRECTIONS, is_corrections, refuse_corrections),
    Reader(FileKind.CSL_JSON, is_csl_json, read_csl_json_file, MAX_REFERENCE_BYTES,
           references_too_large, REFERENCE_FILES),
    Reader(FileKind.JSON_OTHER, is_json, refuse_other_json),
    # Web of Science's export looks like RIS, so it is recognised first.
    Reader(FileKind.WOS, is_wos, read_ris_file, MAX_REFERENCE_BYTES, references_too_large,
           REFERENCE_FILES),
    Reader(FileKind.RIS, is_ris, read_ris_file, MAX_REFERENCE_BYTES, references_too_large,
           REFERENCE_FILES),
    # After the others: an atlas page holds a BibTeX block after its prose.
    Reader(FileKind.BIBTEX, is_bibtex, read_bibtex_file, MAX_REFERENCE_BYTES,
           references_too_large, REFERENCE_FILES),
):
    register(_reader)

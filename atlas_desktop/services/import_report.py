"""What an import reports, per file and in total: plain values for the CLI and the window,
which lay them out (``to_dict`` is the shape of ``import --json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from atlas_desktop.domain.entry import Origin
from atlas_desktop.domain.references import AtlasLink, DuplicatePair
from atlas_desktop.formats.bibtex import BibEntry
from atlas_desktop.formats.bundle import EntryLines


@dataclass
class FileResult:
    """One file of an import.

    ``errors`` are problems that stop the import unless the user chose to import the valid
    entries: the whole file when it could not be read at all, or single entries (``partial``
    is then True and the file's other entries can still be imported). ``warnings`` never
    stop an import.
    """

    file: str
    kind: str | None = None
    imported: list[str] = field(default_factory=list)
    #: Ids imported again: changed ones and, among them too, ``unchanged`` ones.
    updated: list[str] = field(default_factory=list)
    #: Those of ``updated`` that were already stored exactly so.
    unchanged: list[str] = field(default_factory=list)
    #: Detected duplicates; nothing was merged.
    duplicates: list[DuplicatePair] = field(default_factory=list)
    #: The user's references linked to atlas entries by DOI or PMID.
    linked: list[AtlasLink] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: True when the errors concern single entries and the rest of the file is importable.
    partial: bool = False
    origin: Origin = Origin.ATLAS
    #: Parsed entries as canonical contract dicts (atlas pages, the user's references).
    contracts: list[dict[str, Any]] = field(default_factory=list, repr=False)
    #: Bundle entries as read, validated while they are written (see ``_stream``).
    raw_entries: list[Any] | EntryLines = field(default_factory=list, repr=False)
    #: BibTeX entries before crossrefs are resolved (across all files of the import).
    bib_entries: list[BibEntry] = field(default_factory=list, repr=False)
    #: Ids in file order (pages and bundle entries).
    ids: list[str] = field(default_factory=list, repr=False)
    #: ids derived from authors/year/title (no atlas URL) may be renumbered to stay unique.
    derived: set[str] = field(default_factory=set, repr=False)

    @property
    def changed(self) -> list[str]:
        """Ids imported again whose entry changed."""
        unchanged = set(self.unchanged)
        return [i for i in self.updated if i not in unchanged]

    @property
    def entries_read(self) -> int:
        """Entries read from the file (an id listed twice counts once)."""
        return len(dict.fromkeys(self.ids))

    @property
    def importable(self) -> bool:
        """Whether the file has entries to write once the user accepted its problems."""
        return bool(self.ids) and (not self.errors or self.partial)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "imported": self.imported,
            "updated": self.updated,
            "duplicates": [d.to_dict() for d in self.duplicates],
            "linked": [link.to_dict() for link in self.linked],
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass(frozen=True, slots=True)
class FileMessage:
    """An error or a warning about one file of an import."""

    file: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "message": self.message}


#: Imports of more entries than this use the store's bulk mode (see LibraryDB.write) and are
#: followed by Library.maintain.
BULK_THRESHOLD = 5000


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    committed: bool = False

    @property
    def wants_tidying(self) -> bool:
        """A saved import big enough to leave the search index in pieces and the write-ahead
        log full: :meth:`Library.maintain` should follow it (off the UI thread)."""
        return self.committed and len(self.imported) + len(self.updated) > BULK_THRESHOLD

    @property
    def imported(self) -> list[str]:
        return [i for f in self.files for i in f.imported]

    @property
    def updated(self) -> list[str]:
        return [i for f in self.files for i in f.updated]

    @property
    def duplicates(self) -> list[DuplicatePair]:
        return [d for f in self.files for d in f.duplicates]

    @property
    def linked(self) -> list[AtlasLink]:
        return [link for f in self.files for link in f.linked]

    @property
    def errors(self) -> list[FileMessage]:
        return [FileMessage(f.file, m) for f in self.files for m in f.errors]

    @property
    def warnings(self) -> list[FileMessage]:
        return [FileMessage(f.file, m) for f in self.files for m in f.warnings]

    @property
    def valid_entry_count(self) -> int:
        """Entries that "import the valid entries" would write."""
        return sum(len(f.ids) for f in self.files if f.importable)

    def to_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "duplicates": [d.to_dict() for d in self.duplicates],
            "linked": [link.to_dict() for link in self.linked],
            "errors": [e.to_dict() for e in self.errors],
            "warnings": [w.to_dict() for w in self.warnings],
            "committed": self.committed,
            "files": [f.to_dict() for f in self.files],
        }

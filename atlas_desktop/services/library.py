"""Opening a library folder and the services that work on it."""

from __future__ import annotations

from importlib import resources
from typing import Any

from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.entry import Origin
from atlas_desktop.formats.bundle import parse_bundle
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.store import LibraryDB
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import user as user_store
from atlas_desktop.store.database import CheckMode

from .annotations import AnnotationService
from .catalogue import CatalogueService
from .citations import CitationService
from .context import LibraryContext
from .documents import DocumentService
from .exporting import ExportService
from .importing import ImportService
from .references import ReferenceService
from .reports import ReportService
from .sync import SyncService

SAMPLE_SEEDED_KEY = "sample_library_seeded"


class Library:
    """One open library: the catalogue, the user's layer, imports and reports.

    The CLI and the window are two faces of this object; neither touches the store.
    """

    def __init__(self, ctx: LibraryContext) -> None:
        self.ctx = ctx
        self.catalogue = CatalogueService(ctx)
        self.importer = ImportService(ctx)
        self.exporter = ExportService(ctx)
        self.references = ReferenceService(ctx)
        self.annotations = AnnotationService(ctx)
        self.reports = ReportService(ctx)
        self.sync = SyncService(ctx)
        self.citations = CitationService(ctx)
        self.documents = DocumentService(ctx)

    @property
    def paths(self) -> LibraryPaths:
        return self.ctx.paths

    @property
    def verified(self) -> bool:
        return self.ctx.db.verified

    def verify(self) -> None:
        """Run the integrity check now (the window does this in the background)."""
        self.ctx.db.verify()

    def subscribe(self, listener: Any) -> Any:
        return self.ctx.subscribe(listener)

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.ctx.db.read() as conn:
            return user_store.get_setting(conn, key, default)

    def set_setting(self, key: str, value: Any) -> None:
        with self.ctx.db.write() as conn:
            user_store.set_setting(conn, key, value)
        self.ctx.notify(Changes.SETTINGS)

    def add_sample_library(self) -> list[str]:
        """Add the bundled sample entries (ids already present are left alone)."""
        text = resources.files("atlas_desktop.data").joinpath("sample_library.json").read_text(
            "utf-8"
        )
        bundle = parse_bundle(text)
        with self.ctx.db.write() as conn:
            present = cat.existing_ids(conn, [d["id"] for d in bundle.contracts])
            fresh = [d for d in bundle.contracts if d["id"] not in present]
            result = cat.upsert_contracts(conn, fresh, ids=[d["id"] for d in fresh],
                                          now=self.ctx.clock(), origin=Origin.ATLAS)
            user_store.set_meta(conn, SAMPLE_SEEDED_KEY, self.ctx.clock())
        self.ctx.notify(Changes.CATALOGUE)
        return result.new

    def maintain(self) -> None:
        """After a big import: merge the search index and fold the write-ahead log into the
        library file. Takes seconds at 100,000 entries; run it off the UI thread."""
        with self.ctx.db.write() as conn:
            cat.optimize_indexes(conn)
        self.ctx.db.checkpoint()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the library file."""
        self.ctx.db.checkpoint()

    def close(self) -> None:
        self.ctx.db.close()


def open_library(paths: LibraryPaths, *, check: CheckMode = "now") -> Library:
    """Open (creating if needed) the library in ``paths``.

    A brand-new default library starts with the sample entries. Raises a
    :class:`~atlas_desktop.store.StoreError` subclass with a sentence for the user if the file
    is damaged, too new, or not a library.
    """
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    is_new = not paths.database.exists()
    db = LibraryDB(paths.database, check=check)
    library = Library(LibraryContext(db=db, paths=paths))
    if is_new and paths.is_default:
        library.add_sample_library()
    return library

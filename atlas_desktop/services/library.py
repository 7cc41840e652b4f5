"""Opening a library folder and the services that work on it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from importlib import resources
from typing import Any

from atlas_desktop.domain.changes import ELSEWHERE, Changes
from atlas_desktop.domain.entry import Origin
from atlas_desktop.formats.bundle import parse_bundle
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.store import LibraryDB, LibraryMissing
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import user as user_store
from atlas_desktop.store.database import CheckMode

from .adding import AddService
from .annotations import AnnotationService
from .catalogue import CatalogueService
from .citations import CitationService
from .completion import CompletionService
from .context import ChangeListener, LibraryContext
from .copy_checks import CopyChecks
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
        #: What to read about each entry of a copy before pasting it (issue 18.6).
        self.copy_checks = CopyChecks(ctx)
        self.completion = CompletionService(ctx)
        self.adding = AddService(ctx, self.completion)
        # Each sync also completes records and checks them for notices (issue 15).
        self.sync.after_run.append(self.completion.check_after_sync)
        self.documents = DocumentService(ctx)

    @property
    def paths(self) -> LibraryPaths:
        return self.ctx.paths

    @property
    def read_only(self) -> str | None:
        """Why this library cannot be written, as a sentence for a banner ("This library is
        read-only, because its folder … cannot be written …"), or None. Reads work; every
        write raises :class:`~atlas_desktop.store.LibraryReadOnly` before it starts."""
        return self.ctx.db.read_only

    @property
    def verified(self) -> bool:
        return self.ctx.db.verified

    def verify(self) -> None:
        """Run the integrity check now (the window does this in the background)."""
        self.ctx.db.verify()

    def subscribe(self, listener: ChangeListener) -> Callable[[], None]:
        """Call ``listener`` with every :class:`ChangeNotice` (on the thread that wrote);
        returns the function that unsubscribes."""
        return self.ctx.subscribe(listener)

    def initiated_by(self, initiator: object | None) -> AbstractContextManager[None]:
        """Writes in this block (on this thread) send notices naming ``initiator``: the
        window's operations wrap each write in it, so a view can tell its own changes."""
        return self.ctx.initiated_by(initiator)

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.ctx.db.read() as conn:
            return user_store.get_setting(conn, key, default)

    def set_setting(self, key: str, value: Any) -> None:
        with self.ctx.write(Changes.SETTINGS, entry_ids=()) as conn:
            user_store.set_setting(conn, key, value)

    def add_sample_library(self) -> list[str]:
        """Add the bundled sample entries (ids already present are left alone)."""
        text = resources.files("atlas_desktop.data").joinpath("sample_library.json").read_text(
            "utf-8"
        )
        bundle = parse_bundle(text)
        added: list[str] = []
        with self.ctx.write(Changes.CATALOGUE, entry_ids=added) as conn:
            present = cat.existing_ids(conn, [d["id"] for d in bundle.contracts])
            fresh = [d for d in bundle.contracts if d["id"] not in present]
            result = cat.upsert_contracts(conn, fresh, ids=[d["id"] for d in fresh],
                                          now=self.ctx.clock(), origin=Origin.ATLAS)
            user_store.set_meta(conn, SAMPLE_SEEDED_KEY, self.ctx.clock())
            added += result.new
        return result.new

    def maintain(self) -> None:
        """After a big import: merge the search index and fold the write-ahead log into the
        library file. Takes seconds at 100,000 entries; run it off the UI thread."""
        # Nothing a view shows changes: the index is merged, not altered.
        with self.ctx.write(Changes.NONE) as conn:
            cat.optimize_indexes(conn)
        self.ctx.db.checkpoint()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the library file."""
        self.ctx.db.checkpoint()

    def checkpoint_idle(self) -> bool:
        """A cheap checkpoint for when the window is idle after the user's writes: nothing
        waits for it, and it waits for nobody (see ``LibraryDB.checkpoint_idle``)."""
        return self.ctx.db.checkpoint_idle()

    def notice_changes_elsewhere(self) -> bool:
        """If another program changed the library since the last call, tell every listener
        with one notice (anything may have changed; its initiator is
        :data:`~atlas_desktop.domain.changes.ELSEWHERE`) and return True. Never waits."""
        if not self.ctx.db.changed_elsewhere():
            return False
        with self.ctx.initiated_by(ELSEWHERE):
            self.ctx.notify(Changes.everything(), entry_ids=None)
        return True

    def close(self) -> None:
        self.ctx.db.close()


def open_library(paths: LibraryPaths, *, check: CheckMode = "now",
                 create: bool = True) -> Library:
    """Open (creating if needed, unless ``create`` is False) the library in ``paths``.

    A brand-new default library starts with the sample entries. Raises a
    :class:`~atlas_desktop.store.StoreError` subclass with a sentence for the user if the file
    is damaged, too new, empty or not a library, or (``create=False``) missing: what only
    reads never makes a library, so a mistyped folder is reported instead of filled.
    """
    is_new = not paths.database.exists()
    if is_new and not create:
        detail = ("the folder holds no library.sqlite3" if paths.data_dir.is_dir()
                  else "there is no such folder")
        raise LibraryMissing(
            f"There is no library in {paths.data_dir} ({detail}), and nothing was created "
            "there. Check the folder's name.")
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    db = LibraryDB(paths.database, check=check)
    library = Library(LibraryContext(db=db, paths=paths))
    if is_new and paths.is_default:
        library.add_sample_library()
    return library

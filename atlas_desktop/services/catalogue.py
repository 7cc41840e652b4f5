"""Reading the catalogue: search, entry details, list rows."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from atlas_desktop.domain.annotations import UserData
from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.entry import Entry
from atlas_desktop.domain.listing import EntryBrief, Facets, ListRow, SearchResult, SortKey
from atlas_desktop.domain.query import PREFIX_MIN_LETTERS, parse_query, without_unfinished_word
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import facets as store_facets
from atlas_desktop.store import search as store_search
from atlas_desktop.store import user as user_store
from atlas_desktop.store.facets import CatalogueBits
from atlas_desktop.store.terms import TermList, load_terms

from .context import LibraryContext


class CatalogueService:
    def __init__(self, ctx: LibraryContext) -> None:
        self._ctx = ctx
        self._bits: CatalogueBits | None = None
        self._library_facets: Facets | None = None
        # Bumped by every change, so a result computed across a change is not cached.
        self._user_generation = 0
        self._catalogue_generation = 0
        self._count_all: int | None = None
        self._counts_lock = threading.Lock()
        # The full-text index's words, for spelling out typed prefixes (store/terms.py).
        # Searches use them only while they still describe the index, whoever changed it.
        self._terms: TermList | None = None
        ctx.subscribe(self._on_changes)

    def _on_changes(self, notice: ChangeNotice) -> None:
        # Any change may move a count (user data included: starred, collections…); the
        # catalogue's bitsets only move with the catalogue.
        with self._counts_lock:
            self._library_facets = None
            self._user_generation += 1
            if notice.concerns(Changes.CATALOGUE):
                self._count_all = None
                self._bits = None
                self._catalogue_generation += 1

    def facets(self, *, text: str) -> Facets:
        """Live counts per facet value for the result of ``text``. The first call after a
        catalogue change indexes the catalogue (about half a second at 100,000 entries)."""
        query = parse_query(text)
        with self._counts_lock:
            if query.is_empty and self._library_facets is not None:
                return self._library_facets
            bits = self._bits
            generations = (self._user_generation, self._catalogue_generation)
        with self._ctx.db.read() as conn:
            if bits is None:
                bits = store_facets.catalogue_bits(conn)
            facets = store_facets.facet_counts(conn, query, bits=bits, terms=self._terms)
        with self._counts_lock:
            # Kept only if nothing changed meanwhile.
            if generations[1] == self._catalogue_generation:
                self._bits = bits
                if query.is_empty and generations[0] == self._user_generation:
                    self._library_facets = facets
        return facets

    def search(
        self, *, text: str, sort: SortKey = SortKey.RELEVANCE, limit: int | None = None,
        exact_total: bool = True,
    ) -> SearchResult:
        """Run the search box's query language. Never raises for broken syntax.

        With ``limit`` only the first rows come back (``complete`` is then False if there
        are more); ``exact_total=False`` skips counting such a long result (total -1).
        """
        query = parse_query(text)
        with self._ctx.db.read() as conn:
            return store_search.run_search(conn, query, sort=sort, limit=limit,
                                           exact_total=exact_total, terms=self._terms)

    def refresh_terms(self) -> bool:
        """Read the full-text index's words again unless those held still describe it; True
        if they were read. Searches as you type are several times faster with them (a
        prefix is looked up as the words it begins); reading them takes about a second at
        100,000 entries, so call this off the UI thread, when the window is idle."""
        with self._ctx.db.read() as conn:
            if store_search.current_terms(conn, self._terms) is not None:
                return False
            terms = load_terms(conn)
        self._terms = terms
        return True

    def as_typed(self, *, text: str) -> tuple[str, str | None]:
        """What the window searches for while ``text`` is being typed, and a hint: the text
        itself, or, if it ends in a word too short to be a beginning ("post e") that finds
        nothing as a whole word, the text without that word until it is longer."""
        unfinished = without_unfinished_word(text)
        if unfinished is None:
            return text, None
        shorter, word = unfinished
        if self.search(text=text, limit=1, exact_total=False).pks:
            return text, None  # a whole word that exists ("vitamin d", "il 6")
        return shorter, (f"Keep typing: “{word}” is too short to search for as the start "
                         f"of a word ({PREFIX_MIN_LETTERS} letters are needed).")

    def count(self, *, text: str) -> int:
        """How many entries a query matches."""
        query = parse_query(text)
        with self._ctx.db.read() as conn:
            return store_search.count_matches(conn, store_search.compile_query(query))

    def count_all(self) -> int:
        """Entries in the library (withdrawn ones excluded); cached until the catalogue
        changes."""
        with self._counts_lock:
            if self._count_all is not None:
                return self._count_all
        with self._ctx.db.read() as conn:
            total = cat.count_entries(conn)
        with self._counts_lock:
            self._count_all = total
        return total

    def get_entry(self, *, entry_id: str) -> Entry | None:
        with self._ctx.db.read() as conn:
            return cat.get_entry(conn, entry_id)

    def get_entries(self, *, entry_ids: Sequence[str]) -> list[Entry]:
        with self._ctx.db.read() as conn:
            return cat.get_entries(conn, entry_ids)

    def get_entries_by_pk(self, *, pks: Sequence[int]) -> list[Entry]:
        with self._ctx.db.read() as conn:
            return cat.get_entries_by_pk(conn, pks)

    def entry_with_user(self, *, pk: int) -> tuple[Entry, UserData] | None:
        """An entry and the user's data on it, from one snapshot (the detail pane's read)."""
        with self._ctx.db.read() as conn:
            entries = cat.get_entries_by_pk(conn, [pk])
            if not entries:
                return None
            return entries[0], user_store.user_data(conn, entries[0].id)

    def ids_for_pks(self, *, pks: Sequence[int]) -> list[str]:
        with self._ctx.db.read() as conn:
            return cat.ids_for_pks(conn, pks)

    def pk_for_id(self, *, entry_id: str) -> int | None:
        with self._ctx.db.read() as conn:
            return cat.pk_for_id(conn, entry_id)

    def briefs(self, *, pks: Sequence[int]) -> list[EntryBrief]:
        """Id, title, authors, year and badges of ``pks``, in that order (no prose)."""
        with self._ctx.db.read() as conn:
            return cat.briefs(conn, pks)

    def list_rows(self, *, pks: Sequence[int]) -> dict[int, ListRow]:
        with self._ctx.db.read() as conn:
            return cat.list_rows(conn, pks)

    def show(self, *, entry_id: str) -> tuple[Entry, UserData] | None:
        """An entry and the user's data on it, from one snapshot (``show``'s one read)."""
        with self._ctx.db.read() as conn:
            entry = cat.get_entry(conn, entry_id)
            if entry is None:
                return None
            return entry, user_store.user_data(conn, entry_id)

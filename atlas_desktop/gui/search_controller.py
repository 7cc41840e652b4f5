"""Searching without ever blocking the window.

For each search: the first page of the result (a few milliseconds even at 100,000 entries),
then the complete result, then the facet counts, each on a worker thread. A search that
starts while another is under way makes the older one's results stale: they are dropped.
Once the counts are in, the catalogue's word list is brought up to date in the background
(it makes typed prefixes fast; searches never wait for it).

It follows the library's change notices itself (:meth:`SearchController.apply_notice`): a
catalogue change searches again, once however many notices arrive together; a change of the
user's own data counts the facets again, and searches again only when the query filters on
that data (``is:starred`` after a star).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.listing import Facets, ListRow, SearchResult, SortKey
from atlas_desktop.domain.query import FilterKind, parse_query
from atlas_desktop.services import Library

from .failure_dialog import is_storage_failure
from .runner import Runner

FIRST_PAGE = 300
#: Display rows read with the first page, on the worker, unless the window says how many
#: it shows (``prefetch_rows``): a screenful.
PREFETCH_ROWS = 64
#: The rest of a long result is read this long after its first page (see _on_page).
REST_DELAY_MS = 16
#: Facets wait this long after the list is shown, so fast typing does not count in vain.
FACETS_DELAY_MS = 180
#: The filters whose results a change of the user's own data can move.
_MOVED_BY: dict[Changes, tuple[tuple[FilterKind, str | None], ...]] = {
    Changes.STATE: ((FilterKind.IS, "starred"), (FilterKind.IS, "read"),
                    (FilterKind.IS, "unread")),
    Changes.NOTES: ((FilterKind.IS, "noted"),),
    Changes.REPORTS: ((FilterKind.IS, "reported"),),
    Changes.COLLECTIONS: ((FilterKind.COLLECTION, None),),
    Changes.LABELS: ((FilterKind.LABEL, None),),
    Changes.COMPLETION: ((FilterKind.IS, "retracted"), (FilterKind.IS, "corrected"),
                         (FilterKind.IS, "concern")),
}
#: What moves a result or its counts: the catalogue, the user's data, notices found online.
_FOLLOWED = Changes.CATALOGUE | Changes.user_data() | Changes.COMPLETION


class SearchController(QObject):
    page_ready = Signal(object, int)  # SearchResult (maybe incomplete), library total
    result_completed = Signal(object)  # the complete SearchResult
    facets_ready = Signal(object)  # Facets
    busy_changed = Signal(bool)
    failed = Signal(str)
    #: A search or count met a storage failure (the exception; the window shows a dialog).
    storage_failed = Signal(object)
    #: The word list check ended: True if the words were read again.
    terms_refreshed = Signal(bool)

    def __init__(self, library: Library, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._runner = runner
        self._seq = 0
        self._pending = 0
        self._text = ""
        self._sort = SortKey.RELEVANCE
        self._facets_timer = QTimer(self)
        self._facets_timer.setSingleShot(True)
        self._facets_timer.setInterval(FACETS_DELAY_MS)
        self._facets_timer.timeout.connect(self._start_facets)
        self._rest_timer = QTimer(self)
        self._rest_timer.setSingleShot(True)
        self._rest_timer.setInterval(REST_DELAY_MS)
        self._rest_timer.timeout.connect(self._start_rest)
        # Notices that arrive together (an import's, a merge's) make one search.
        self._again_timer = QTimer(self)
        self._again_timer.setSingleShot(True)
        self._again_timer.setInterval(0)
        self._again_timer.timeout.connect(self._search_again)
        self._asked = ""  # the text as the window gave it (``_text`` is what was searched)
        self._started = 0
        #: Display rows read with the last first page (pk -> ListRow), for the model.
        self.prefetched_rows: dict[int, ListRow] = {}
        #: How many rows the list shows at once (the window keeps it up to date).
        self.prefetch_rows = PREFETCH_ROWS
        self._rows_generation = 0
        self._terms_job = False

    @property
    def text(self) -> str:
        return self._text

    @property
    def sort(self) -> SortKey:
        return self._sort

    @property
    def searches_started(self) -> int:
        """How many searches were started (each reads the library once or more)."""
        return self._started

    def run(self, text: str, sort: SortKey | None = None) -> None:
        # Records being completed on another thread wait while this keystroke is answered.
        self._library.completion.make_way()
        self._seq += 1
        self._started += 1
        self._asked = text
        self._again_timer.stop()
        if self._rest_timer.isActive():  # that result's rest is not wanted any more
            self._rest_timer.stop()
            self._end()
        self._text = text
        if sort is not None:
            self._sort = sort
        seq, sort_key, catalogue = self._seq, self._sort, self._library.catalogue
        generation, prefetch = self._rows_generation, self.prefetch_rows

        def first_page() -> tuple[SearchResult, int, dict[int, ListRow], int, str]:
            searched, hint = catalogue.as_typed(text=text)
            result = catalogue.search(text=searched, sort=sort_key, limit=FIRST_PAGE,
                                      exact_total=False)
            if hint is not None:
                result = replace(result, hints=(*result.hints, hint))
            rows = catalogue.list_rows(pks=list(result.pks[:prefetch]))
            return result, catalogue.count_all(), rows, generation, searched

        self._begin()
        self._runner.submit(first_page, lambda value: self._on_page(seq, value),
                            self._on_error)

    def stop(self) -> None:
        """Start nothing more (the window is closing); what runs comes back as usual."""
        for timer in (self._facets_timer, self._rest_timer, self._again_timer):
            timer.stop()
        self._seq += 1  # results still on their way are stale

    def invalidate_rows(self) -> None:
        """The user's data or the catalogue changed: rows read before now are stale."""
        self._rows_generation += 1
        self.prefetched_rows = {}

    def refresh_facets(self) -> None:
        """Count again for the current search (after the user's data changed)."""
        self._facets_timer.start(0)

    def apply_notice(self, notice: ChangeNotice) -> None:
        """A change landed: search again if the result may have moved, else recount."""
        if not notice.concerns(_FOLLOWED):
            return
        self.invalidate_rows()
        if notice.concerns(Changes.CATALOGUE) or self._filters_on(notice.kinds):
            self._again_timer.start()
        else:
            self.refresh_facets()

    def _filters_on(self, kinds: Changes) -> bool:
        wanted = [f for kind, filters in _MOVED_BY.items() if kinds & kind for f in filters]
        return any((c.kind, c.value.lower()) in wanted or (c.kind, None) in wanted
                   for c in parse_query(self._asked).filters)

    def _search_again(self) -> None:
        self.run(self._asked)

    def _on_page(self, seq: int,
                 value: tuple[SearchResult, int, dict[int, ListRow], int, str]) -> None:
        self._end()
        if seq != self._seq:
            return
        result, total, rows, generation, searched = value
        # The rest of the result and the facets follow what was searched.
        self._text = searched
        self.prefetched_rows = rows if generation == self._rows_generation else {}
        self.page_ready.emit(result, total)
        if not result.complete:
            # The rest waits a frame, so the first page is painted without a worker thread
            # reading (and holding Python's lock for) a long result at the same moment.
            self._begin()  # busy until the rest has arrived
            self._rest_timer.start()
        self._facets_timer.start(FACETS_DELAY_MS)  # start(0) above keeps 0 otherwise

    def _start_rest(self) -> None:
        seq, text, sort, catalogue = self._seq, self._text, self._sort, self._library.catalogue
        self._runner.submit(lambda: catalogue.search(text=text, sort=sort),
                            lambda full: self._on_complete(seq, full), self._on_error)

    def _on_complete(self, seq: int, result: SearchResult) -> None:
        self._end()
        if seq == self._seq:
            self.result_completed.emit(result)

    def _start_facets(self) -> None:
        seq, text, catalogue = self._seq, self._text, self._library.catalogue
        self._begin()
        self._runner.submit(lambda: catalogue.facets(text=text),
                            lambda facets: self._on_facets(seq, facets), self._on_error)

    def _on_facets(self, seq: int, facets: Facets) -> None:
        self._end()
        if seq == self._seq:
            self.facets_ready.emit(facets)
        self._refresh_terms()

    def _refresh_terms(self) -> None:
        """Cheap when the words still describe the index (one small read); after a change,
        ours or another program's, about a second of a worker's time."""
        if self._terms_job:
            return
        self._terms_job = True
        self._runner.submit(self._library.catalogue.refresh_terms, self._on_terms,
                            self._on_terms_failed)

    def _on_terms(self, read: bool) -> None:
        self._terms_job = False
        self.terms_refreshed.emit(read)

    def _on_terms_failed(self, exc: BaseException) -> None:
        # Only speed is lost: searches spell nothing out until a later check succeeds. A
        # library that cannot be read says so through the searches themselves.
        self._terms_job = False
        self.terms_refreshed.emit(False)

    def _on_error(self, exc: BaseException) -> None:
        self._end()
        if is_storage_failure(exc):
            self.storage_failed.emit(exc)
        else:
            self.failed.emit(str(exc))

    def _begin(self) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

    def _end(self) -> None:
        self._pending = max(0, self._pending - 1)
        if self._pending == 0:
            self.busy_changed.emit(False)

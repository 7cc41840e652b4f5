"""Choosing how to run a query: a :class:`SearchPlan`, made by :func:`choose_plan`.

Ranking costs time in proportion to the number of matches, so it is used only where it pays:
when the words of the query are selective. A prefix such as ``f`` that matches most of the
library is listed in the default order instead of ranking 100,000 rows (the user will type
another letter long before they read that far). Choosing may read the index (a capped count
of the matches, the words a prefix stands for); it returns before any result row is read.
:mod:`.run` carries the plan out.

The strategies, in the order :func:`choose_plan` considers them:

1. ``FILTERS``: no words, only filters: SQL over the entries, in the order asked for.
2. ``NOTHING``: the words match nothing (ranked order), so no filter can add a row.
3. ``INDEX_ORDER``: more than :data:`RANK_LIMIT` matches, or the newest-first order was asked
   for: the index's own order, in which a first page stops early.
4. ``SQL_ORDER``: another order (title, first author, oldest first) sorted by SQL.
5. ``RANK_BY_OTHER_WORDS``: a beginning of more than :data:`RANK_PREFIX_WORDS` index words
   ("okafor the" while "the" is typed) only filters, and bm25 over the query's other words
   orders the matches, when those match at most :data:`RANK_LIMIT` entries.
6. ``RANK``: bm25 over the matches, with the prefixes as typed.

For 3, 5 and 6 the plan says whether filters beyond the default one apply (``joined``: the
matches are joined to the entries) or the index alone answers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection

from atlas_desktop.domain.listing import SortKey
from atlas_desktop.domain.query import Query

from ..engine import sqlite_connection
from ..rows import PK_MASK
from ..terms import TermList, index_structure, words_starting
from .compile import CompiledQuery, compile_query, spelled_prefixes, without_words

#: Rank by relevance only when at most this many rows match. Ranking costs 2-4 µs a match;
#: past this, newest-first order serves a reader as well, at a fraction of the cost.
RANK_LIMIT: Final = 5_000
#: A prefix is spelled out as the index's words that start with it (see ``terms.py``) when
#: there are at most this many: for a first page, whose walks stop early (written out, 335
#: words cost 10 ms against 88 for the prefix, 4,157 words 126 against 345), and for a walk
#: over every match, where FTS5 steps each word's list in turn and the merged prefix list
#: wins past a few dozen words. Without the window's word list the words are looked up per
#: query, which costs more the more there are: then at most SPELLED_OUT_LOOKED_UP.
SPELLED_OUT_FIRST_PAGE: Final = 1024
SPELLED_OUT_LOOKED_UP: Final = 256
SPELLED_OUT_ALL: Final = 32
#: A beginning that is the start of more index words than this ("the": hundreds) is left out
#: of the ranking when the query's other words can rank its matches on their own. Kept as
#: typed, it makes FTS5 merge the posting lists of all those words (150 ms for "okafor the"
#: at 100k entries), and a beginning that common weighs next to nothing in bm25.
RANK_PREFIX_WORDS: Final = 64
#: Without the window's word list, at most this many prefixes are looked up one by one.
_LOOKED_UP_PREFIXES: Final = 6


def current_terms(conn: Connection, terms: TermList | None) -> TermList | None:
    """``terms`` if they describe the index this transaction sees, else None."""
    if terms is None or terms.structure != index_structure(conn):
        return None
    return terms


def query_terms(conn: Connection, query: Query, terms: TermList | None, *,
                first_page: bool) -> tuple[TermList, int] | None:
    """What to spell the prefixes of ``query`` out with, and at most how many words each:
    ``terms`` while current, else the index's words for just these prefixes (read in a
    millisecond or a few each, which still beats the prefix on a common beginning: the
    command line, and the window until its list is read). None if there is nothing to spell
    out."""
    prefixes = spelled_prefixes(query)
    if not prefixes:
        return None
    current = current_terms(conn, terms)
    if current is not None:
        return current, SPELLED_OUT_FIRST_PAGE if first_page else SPELLED_OUT_ALL
    if len(prefixes) > _LOOKED_UP_PREFIXES:
        return None  # a pasted paragraph: one lookup per word would cost more than it saves
    # Read one word more than may be used, so that a longer list is seen to be longer.
    limit = SPELLED_OUT_LOOKED_UP if first_page else SPELLED_OUT_ALL
    return words_starting(conn, prefixes, limit), limit


class Strategy(enum.Enum):
    """How the row keys of a query are read (see the module docstring)."""

    FILTERS = "filters only"
    NOTHING = "no match"
    INDEX_ORDER = "in the index's order"
    SQL_ORDER = "sorted by SQL"
    RANK_BY_OTHER_WORDS = "ranked by the other words"
    RANK = "ranked"


@dataclass(frozen=True)
class SearchPlan:
    """How to run one query, decided before any of its result rows is read."""

    strategy: Strategy
    #: What to run: the prefixes spelled out (faster walks), or as typed for a ranking.
    compiled: CompiledQuery
    #: The order the result comes in (RELEVANCE when ranked).
    sort: SortKey
    #: Whether ranking was chosen (a broad result is listed newest first instead).
    ranked: bool
    #: Filters beyond the default one apply: the matches are joined to the entries.
    joined: bool
    #: How the prefixes were spelled out (:func:`query_terms`); a count of the total reuses it.
    spell: tuple[TermList, int] | None = None
    #: RANK_BY_OTHER_WORDS: the FTS expression of the query's other words, which orders.
    rank_match: str | None = None
    #: RANK_BY_OTHER_WORDS without filters: every match of the index, already read.
    matches: list[int] | None = None


def choose_plan(conn: Connection, query: Query, *, sort: SortKey, first_page: bool,
                terms: TermList | None) -> SearchPlan:
    """The strategy for ``query`` in ``sort`` order (RELEVANCE: ranked where it pays).

    ``first_page``: only the first rows are wanted, so prefixes may be spelled out as more
    words. ``terms``: the window's word list, used while it is current."""
    spell = query_terms(conn, query, terms, first_page=first_page)
    compiled = compile_query(query, spell=spell)
    joined = not compiled.only_default_filter
    if compiled.match is None:
        order = SortKey.YEAR_DESC if sort is SortKey.RELEVANCE else sort
        return SearchPlan(Strategy.FILTERS, compiled, order, ranked=False, joined=True,
                          spell=spell)
    if sort is not SortKey.RELEVANCE:
        return _unranked(compiled, sort, joined, spell)
    # Whether ranking is worth it: the matches up to RANK_LIMIT + 1, inside the index. With a
    # broad beginning their keys are read (a ranking without it filters by them); else only
    # counted.
    broad = _broad_prefixes(conn, query, spell, terms) if spell is not None else set()
    matches: list[int] | None = None
    if broad:
        matches = [r[0] for r in sqlite_connection(conn).execute(_CAPPED_MATCHES,
                                                                 (compiled.match,))]
        matched = len(matches)
    else:
        matched = _count_capped(conn, compiled.match)
    if matched == 0:
        # The words match nothing, so no filter can add a row and nothing needs ranking
        # ("post e" while the "e" is being typed into a longer word).
        return SearchPlan(Strategy.NOTHING, compiled, SortKey.RELEVANCE, ranked=True,
                          joined=joined, spell=spell)
    if matched > RANK_LIMIT:
        return _unranked(compiled, SortKey.YEAR_DESC, joined, spell)
    if spell is not None:
        rank_match = _other_words_match(conn, query, broad)
        if rank_match is not None:
            return SearchPlan(Strategy.RANK_BY_OTHER_WORDS, compiled, SortKey.RELEVANCE,
                              ranked=True, joined=joined, spell=spell, rank_match=rank_match,
                              matches=None if joined else matches)
        # Ranked with the prefixes as typed. Spelled out, bm25 would weigh each word by its
        # own rarity and put a rare variant ("relationships") above the very word typed
        # ("relationship"); and the ranking would depend on the term list.
        compiled = compile_query(query)
    return SearchPlan(Strategy.RANK, compiled, SortKey.RELEVANCE, ranked=True, joined=joined,
                      spell=spell)


def _unranked(compiled: CompiledQuery, order: SortKey, joined: bool,
              spell: tuple[TermList, int] | None) -> SearchPlan:
    strategy = Strategy.INDEX_ORDER if order is SortKey.YEAR_DESC else Strategy.SQL_ORDER
    return SearchPlan(strategy, compiled, order, ranked=False, joined=joined, spell=spell)


def _other_words_match(conn: Connection, query: Query, broad: set[str]) -> str | None:
    """The FTS expression of the query's words other than the ``broad`` beginnings, when
    there are such words and they match at most :data:`RANK_LIMIT` rows; else None."""
    if not broad:
        return None
    rank_match = compile_query(without_words(query, broad)).match
    if rank_match is None or _count_capped(conn, rank_match) > RANK_LIMIT:
        return None
    return rank_match


#: The index's matches of a query, at most one more than are worth ranking.
_CAPPED_MATCHES: Final = (f"SELECT rowid & {PK_MASK} FROM entries_fts WHERE entries_fts MATCH ? "
                          f"LIMIT {RANK_LIMIT + 1}")


def _count_capped(conn: Connection, match: str) -> int:
    """How many rows ``match`` finds, counted inside the index up to RANK_LIMIT + 1."""
    return int(sqlite_connection(conn).execute(
        f"SELECT count(*) FROM ({_CAPPED_MATCHES})", (match,)).fetchone()[0])


def _broad_prefixes(conn: Connection, query: Query, spell: tuple[TermList, int],
                    terms: TermList | None) -> set[str]:
    """The beginnings in ``query`` that start more than :data:`RANK_PREFIX_WORDS` words of the
    index. ``spell`` (from :func:`query_terms`) tells when it is the window's word list or
    words looked up past that many; else that many are read for each. The same answer either
    way, so a ranking never depends on whether the list is held."""
    prefixes = spelled_prefixes(query)
    listed, limit = spell
    if listed is not terms and limit < RANK_PREFIX_WORDS:
        listed = words_starting(conn, prefixes, RANK_PREFIX_WORDS)
    return {p for p in prefixes if listed.starting_with(p, RANK_PREFIX_WORDS) is None}

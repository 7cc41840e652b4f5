"""Running a query: the plan of :mod:`.plan` carried out, the result's total, and counts.

Row keys are read through the DB-API cursor (:func:`_raw_rows`): for long lists of keys
SQLAlchemy's per-row result objects cost 4-5 times the query.
"""

from __future__ import annotations

from array import array
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.listing import SearchResult, SortKey
from atlas_desktop.domain.query import Query

from ..engine import sqlite_connection
from ..rows import PK_MASK
from ..terms import TermList
from .compile import BM25_WEIGHTS, HIDDEN_SQL, ORDER_BY, CompiledQuery, compile_query
from .plan import SPELLED_OUT_ALL, SearchPlan, Strategy, choose_plan

_MASK: Final = PK_MASK


def run_search(
    conn: Connection,
    query: Query,
    *,
    sort: SortKey = SortKey.RELEVANCE,
    limit: int | None = None,
    exact_total: bool = True,
    terms: TermList | None = None,
) -> SearchResult:
    """The ordered row keys of a query, or its first ``limit`` of them.

    Order: relevance (bm25) when at most :data:`~.plan.RANK_LIMIT` rows match; otherwise, and
    for ``YEAR_DESC``, the sort key (newest year first, then title), in which the full-text
    index yields its matches already sorted, so a first page costs a few hundred rows. Other
    sorts are done by SQL. With ``exact_total=False`` a first page reports ``total`` -1 instead
    of counting a long result (the window counts in the background). ``terms``, if still
    current, spell out prefixes.
    """
    plan = choose_plan(conn, query, sort=sort, first_page=limit is not None, terms=terms)
    pks = execute_plan(conn, plan, limit)
    complete = limit is None or len(pks) < limit
    if complete:
        total = len(pks)
    elif exact_total:
        # A count walks every match: at most as many words spelled out as for a whole result.
        spell = plan.spell
        total = count_matches(conn, compile_query(
            query, spell=None if spell is None else (spell[0], min(spell[1], SPELLED_OUT_ALL))))
    else:
        total = -1
    return SearchResult(pks=pks, total=total, ranked=plan.ranked, hints=query.hints,
                        sort=plan.sort, complete=complete)


#: The order of a ranking (ties in the index's order, newest first).
_BM25: Final = f"bm25(entries_fts, {BM25_WEIGHTS})"


def execute_plan(conn: Connection, plan: SearchPlan, limit: int | None) -> array[int]:
    """The row keys ``plan`` finds, in its order; at most ``limit`` of them."""
    compiled = plan.compiled
    limit_sql = f" LIMIT {int(limit)}" if limit is not None else ""
    strategy = plan.strategy
    if strategy is Strategy.FILTERS:
        return _fetch(conn, f"SELECT e.pk FROM entries e WHERE {compiled.where_sql()} "
                      f"ORDER BY {ORDER_BY[plan.sort]}{limit_sql}", compiled.params)
    if strategy is Strategy.NOTHING:
        return array("q")
    if strategy is Strategy.SQL_ORDER:
        return _fetch(conn, f"SELECT e.pk FROM entries e WHERE e.pk IN (SELECT rowid & {_MASK} "
                      f"FROM entries_fts WHERE entries_fts MATCH ?) AND {compiled.where_sql()} "
                      f"ORDER BY {ORDER_BY[plan.sort]}{limit_sql}",
                      [compiled.match, *compiled.params])
    if strategy is Strategy.RANK_BY_OTHER_WORDS:
        return _ranked_by_other_words(conn, plan, limit)
    # RANK or INDEX_ORDER. Without filters beyond the default one the index alone answers: a
    # join would cost more than the ranking itself, and in the index's order a first page
    # stops early.
    ranking = f"{_BM25}, " if strategy is Strategy.RANK else ""
    if plan.joined:
        return _joined_matches(conn, compiled, f"{ranking}f.rowid", limit_sql)
    return _visible_matches(conn, compiled, f"{ranking}rowid", limit)


def hidden_pks(conn: Connection) -> set[int]:
    """The withdrawn entries the list hides (those without any of the user's data)."""
    return {r[0] for r in sqlite_connection(conn).execute(HIDDEN_SQL)}


def _ranked_by_other_words(conn: Connection, plan: SearchPlan,
                           limit: int | None) -> array[int]:
    """The plan's matches in the order bm25 gives them for the query's other words ("okafor
    the": ranked by "okafor")."""
    if plan.matches is not None:
        keep = set(plan.matches) - hidden_pks(conn)
    else:
        keep = set(_joined_matches(conn, plan.compiled, "f.rowid", ""))
    order = _raw_rows(conn, f"SELECT rowid & {_MASK} FROM entries_fts WHERE entries_fts MATCH ? "
                      f"ORDER BY {_BM25}, rowid", (plan.rank_match,))
    found = array("q", (r[0] for r in order if r[0] in keep))
    return found[:limit] if limit is not None else found


def _visible_matches(conn: Connection, compiled: CompiledQuery, order: str,
                     limit: int | None) -> array[int]:
    """The index's matches in ``order``, less the hidden withdrawn entries: read from the
    index alone (``limit`` and as many more as are hidden)."""
    hidden = hidden_pks(conn)
    fetch = f" LIMIT {int(limit) + len(hidden)}" if limit is not None else ""
    rows = _raw_rows(conn, f"SELECT rowid & {_MASK} FROM entries_fts WHERE entries_fts MATCH ? "
                     f"ORDER BY {order}{fetch}", (compiled.match,))
    found = array("q", (r[0] for r in rows if r[0] not in hidden))
    return found[:limit] if limit is not None else found


def _joined_matches(conn: Connection, compiled: CompiledQuery, order: str,
                    limit_sql: str) -> array[int]:
    """The matches that pass the query's filters, in ``order``. Joined on the sort key (the
    index's rowid), not the pk: that finds the filter columns in the covering index
    entries_search_key, a tenth of the cost of reading each matching entry's row (about
    4 kB of text apiece)."""
    return _fetch(conn, f"SELECT e.pk FROM entries_fts f CROSS JOIN entries e "
                  f"ON e.search_key = f.rowid WHERE entries_fts MATCH ? AND "
                  f"{compiled.where_sql()} ORDER BY {order}{limit_sql}",
                  [compiled.match, *compiled.params])


def _raw_rows(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Rows through the DB-API cursor of the same connection (same transaction).

    For long lists of row keys SQLAlchemy's per-row result objects cost 4-5 times the query;
    this is the one hot path where we skip them."""
    raw = sqlite_connection(conn)
    return raw.execute(sql, params).fetchall()


def _fetch(conn: Connection, sql: str, params: list[Any]) -> array[int]:
    return array("q", [r[0] for r in _raw_rows(conn, sql, tuple(params))])


def count_matches(conn: Connection, compiled: CompiledQuery) -> int:
    """How many rows ``compiled`` finds (the index alone counts when it can)."""
    params: list[Any] = list(compiled.params)
    if compiled.match is not None:
        if compiled.only_default_filter:
            hidden = conn.exec_driver_sql(f"SELECT count(*) FROM ({HIDDEN_SQL})").scalar()
            total = conn.exec_driver_sql(
                "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?", (compiled.match,)
            ).scalar()
            if not hidden:
                return int(total or 0)
        sql = (
            f"SELECT count(*) FROM entries_fts f JOIN entries e ON e.search_key = f.rowid "
            f"WHERE entries_fts MATCH ? AND {compiled.where_sql()}"
        )
        params.insert(0, compiled.match)
    else:
        sql = f"SELECT count(*) FROM entries e WHERE {compiled.where_sql()}"
    return int(conn.exec_driver_sql(sql, tuple(params)).scalar() or 0)

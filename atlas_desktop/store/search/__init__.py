"""Running a parsed :class:`~atlas_desktop.domain.query.Query` against the catalogue: FTS5 for
words, SQL for filters.

Three steps, one module each:

* :mod:`.compile`: the query as SQL pieces (an FTS5 expression, WHERE terms, the default
  filter that hides withdrawn entries); no SQL is run;
* :mod:`.plan`: how to run it (a :class:`~.plan.SearchPlan`: filters only, ranked, in the
  index's order, sorted by SQL…), chosen by :func:`~.plan.choose_plan` from a capped count
  of the matches inside the index;
* :mod:`.run`: the plan carried out (:func:`run_search`), and counts.

The names are re-exported here for the services, which use them as ``store_search.<name>``.
"""

from .compile import BM25_WEIGHTS, MIN_PREFIX, CompiledQuery, compile_query, spelled_prefixes
from .plan import (
    RANK_LIMIT,
    RANK_PREFIX_WORDS,
    SPELLED_OUT_ALL,
    SPELLED_OUT_FIRST_PAGE,
    SPELLED_OUT_LOOKED_UP,
    SearchPlan,
    Strategy,
    choose_plan,
    current_terms,
    query_terms,
)
from .run import count_matches, execute_plan, hidden_pks, run_search

__all__ = [
    "BM25_WEIGHTS",
    "MIN_PREFIX",
    "RANK_LIMIT",
    "RANK_PREFIX_WORDS",
    "SPELLED_OUT_ALL",
    "SPELLED_OUT_FIRST_PAGE",
    "SPELLED_OUT_LOOKED_UP",
    "CompiledQuery",
    "SearchPlan",
    "Strategy",
    "choose_plan",
    "compile_query",
    "count_matches",
    "current_terms",
    "execute_plan",
    "hidden_pks",
    "query_terms",
    "run_search",
    "spelled_prefixes",
]

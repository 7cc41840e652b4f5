"""Running a parsed :class:`Query` against the catalogue: FTS5 for words, SQL for filters.

Ranking costs time in proportion to the number of matches, so it is used only where it pays:
when the words of the query are selective. A prefix such as ``f`` that matches most of the
library is listed in the default order instead of ranking 100,000 rows (the user will type
another letter long before they read that far).
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field, replace
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.entry import normalise_doi
from atlas_desktop.domain.listing import SearchResult, SortKey
from atlas_desktop.domain.query import FilterClause, FilterKind, Query, TextClause, TextField

from .engine import sqlite_connection
from .rows import PK_MASK
from .terms import TermList, index_structure, words_starting

#: Column weights for bm25: title, authors, journal, summary, body, tags.
BM25_WEIGHTS: Final = "10.0, 6.0, 2.0, 3.0, 1.0, 4.0"
#: Shortest word that is matched as a prefix ("fat" finds "fatigue").
MIN_PREFIX: Final = 3
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

_FTS_COLUMN: Final = {
    TextField.TITLE: "title",
    TextField.AUTHOR: "authors",
    TextField.JOURNAL: "journal",
}
_ORDER_BY: Final = {
    SortKey.YEAR_DESC: "e.search_key",
    SortKey.YEAR_ASC: "e.year IS NULL, e.year, e.sort_title, e.pk",
    SortKey.TITLE: "e.sort_title, e.year DESC, e.pk",
    SortKey.FIRST_AUTHOR: "e.first_author, e.year DESC, e.pk",
}
_TOKEN_RE: Final = re.compile(r"\w+", re.UNICODE)
# Withdrawn entries the user attached something to. Uncorrelated, so SQLite evaluates it once
# per query, and the default filter stays answerable from the covering list indexes.
_VISIBLE: Final = """(e.withdrawn_at IS NULL OR e.pk IN (
    SELECT w.pk FROM entries w WHERE w.withdrawn_at IS NOT NULL AND (
        EXISTS (SELECT 1 FROM notes n WHERE n.entry_id = w.id)
        OR EXISTS (SELECT 1 FROM entry_state s WHERE s.entry_id = w.id
                   AND s.starred_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM collection_entries ce WHERE ce.entry_id = w.id)
        OR EXISTS (SELECT 1 FROM entry_labels el WHERE el.entry_id = w.id)
        OR EXISTS (SELECT 1 FROM reports r WHERE r.entry_id = w.id))))"""


@dataclass
class CompiledQuery:
    """SQL pieces for one query: an FTS expression (or None) and WHERE terms with params."""

    match: str | None = None
    #: FTS expression whose matches are excluded (only-negative text queries).
    exclude_match: str | None = None
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def where_sql(self) -> str:
        return " AND ".join(self.where) if self.where else "1"


def fts_string(text: str) -> str:
    """An FTS5 string literal: the tokenizer turns it into a phrase."""
    return '"' + text.replace('"', '""') + '"'


def _any_of(words: list[str], fallback: str) -> str:
    if not words:
        return fallback  # no word of the index starts so: this matches nothing, at no cost
    if len(words) == 1:
        return fts_string(words[0])
    return "(" + " OR ".join(fts_string(w) for w in words) + ")"


def _spellable(tokens: list[str]) -> str | None:
    """The indexed form of a word typed as one ASCII token of letters and digits (the
    tokenizer only lower-cases those, so it compares with the stored words as they are);
    None for anything else (accents, punctuation inside, several tokens): those stay
    prefixes."""
    if len(tokens) == 1 and tokens[0].isascii() and tokens[0].isalnum():
        return tokens[0].lower()
    return None


def _prefix_term(word: str, tokens: list[str], spell: tuple[TermList, int] | None) -> str:
    """``"word"*``, or, with a term list, the index's words that begin with it."""
    start = _spellable(tokens) if spell is not None else None
    if spell is not None and start is not None:
        terms, limit = spell
        words = terms.starting_with(start, limit)
        if words is not None:
            return _any_of(words, fts_string(word))
    return fts_string(word) + "*"


def spelled_prefixes(query: Query) -> set[str]:
    """The beginnings in ``query`` that a term list can spell out."""
    found: set[str] = set()
    for clause in query.text_clauses:
        if clause.phrase:
            continue
        for word in clause.text.split():
            tokens = _TOKEN_RE.findall(word)
            start = _spellable(tokens)
            if start is not None and len(start) >= MIN_PREFIX:
                found.add(start)
    return found


def _text_expression(clause: TextClause, spell: tuple[TermList, int] | None = None
                     ) -> str | None:
    if clause.phrase:
        if not _TOKEN_RE.search(clause.text):
            return None
        expr = fts_string(clause.text)
    else:
        words = [w for w in clause.text.split() if _TOKEN_RE.search(w)]
        if not words:
            return None
        parts = []
        for word in words:
            tokens = _TOKEN_RE.findall(word)
            # Prefix matching starts at three letters. One or two letters ("ME", "vitamin D",
            # "IL 6") are whole words: as prefixes they would match a large part of the
            # vocabulary, cost a hundred milliseconds and find everything anyway.
            prefix = len(tokens[-1]) >= MIN_PREFIX
            parts.append(_prefix_term(word, tokens, spell) if prefix else fts_string(word))
        expr = " AND ".join(parts)
        if len(parts) > 1:
            expr = f"({expr})"
    column = _FTS_COLUMN.get(clause.field)
    if column is not None:
        expr = f"{{{column}}} : ({expr})" if " " in expr else f"{{{column}}} : {expr}"
    return expr


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_TEXT_FILTER_COLUMNS: Final = {
    FilterKind.STUDY_TYPE: "study_type",
    FilterKind.TIER: "evidence_tier",
    FilterKind.CONFIDENCE: "confidence",
    FilterKind.REVIEW_STATUS: "review_status",
}
#: Filters whose bare value matches the start (tier:E0); the others match any part.
_PREFIX_FILTERS: Final = frozenset({FilterKind.TIER, FilterKind.CONFIDENCE})


def _filter_sql(clause: FilterClause) -> tuple[str, list[Any]] | None:
    kind, value = clause.kind, clause.value
    params: list[Any]
    if kind is FilterKind.YEAR:
        parts: list[str] = []
        params = []
        if clause.low is not None:
            parts.append("e.year >= ?")
            params.append(clause.low)
        if clause.high is not None:
            parts.append("e.year <= ?")
            params.append(clause.high)
        return " AND ".join(parts), params
    if kind is FilterKind.TAG:
        category, sep, label = value.partition(":")
        if sep and label.strip():
            ids = ("SELECT id FROM tag_dict WHERE (label = ? COLLATE NOCASE) OR "
                   "(category = ? COLLATE NOCASE AND label = ? COLLATE NOCASE)")
            params = [value, category.strip(), label.strip()]
        else:
            ids = "SELECT id FROM tag_dict WHERE label = ? COLLATE NOCASE"
            params = [value]
        return (
            "EXISTS (SELECT 1 FROM entry_tag_keys k WHERE k.sk = e.search_key AND "
            f"k.tag IN ({ids}))",
            params,
        )
    if kind is FilterKind.PEM:
        return "e.pem = ?", [value]
    column = _TEXT_FILTER_COLUMNS.get(kind)
    if column is not None:
        if clause.exact:
            return f"e.{column} = ? COLLATE NOCASE", [value]
        pattern = f"{_like_escape(value)}%" if kind in _PREFIX_FILTERS else \
            f"%{_like_escape(value)}%"
        return f"e.{column} LIKE ? ESCAPE '\\'", [pattern]
    if kind is FilterKind.DOI:
        return "e.doi_norm = ?", [(normalise_doi(value) or value).lower()]
    if kind is FilterKind.PMID:
        return "e.pmid = ?", [value]
    if kind is FilterKind.COLLECTION:
        return (
            "EXISTS (SELECT 1 FROM collection_entries ce JOIN collections c "
            "ON c.id = ce.collection_id WHERE ce.entry_id = e.id AND c.deleted_at IS NULL "
            "AND c.name = ? COLLATE NOCASE)",
            [value],
        )
    if kind is FilterKind.LABEL:
        return (
            "EXISTS (SELECT 1 FROM entry_labels el JOIN labels l ON l.id = el.label_id "
            "WHERE el.entry_id = e.id AND l.name = ? COLLATE NOCASE)",
            [value],
        )
    if kind is FilterKind.IS:
        return _IS_SQL[value], []
    return None  # pragma: no cover - every kind is handled above


_IS_SQL: Final = {
    "starred": "EXISTS (SELECT 1 FROM entry_state s WHERE s.entry_id = e.id "
    "AND s.starred_at IS NOT NULL)",
    "read": "EXISTS (SELECT 1 FROM entry_state s WHERE s.entry_id = e.id "
    "AND s.read_at IS NOT NULL)",
    "unread": "NOT EXISTS (SELECT 1 FROM entry_state s WHERE s.entry_id = e.id "
    "AND s.read_at IS NOT NULL)",
    "noted": "EXISTS (SELECT 1 FROM notes n WHERE n.entry_id = e.id)",
    "reported": "EXISTS (SELECT 1 FROM reports r WHERE r.entry_id = e.id "
    "AND r.status != 'withdrawn')",
    "incomplete": "e.missing != ''",
    "withdrawn": "e.withdrawn_at IS NOT NULL",
    "mine": "e.origin = 'mine'",
    "atlas": "e.origin = 'atlas'",
}


def compile_query(query: Query, *, spell: tuple[TermList, int] | None = None
                  ) -> CompiledQuery:
    """``spell``: a term list that describes the index as it is now (see
    :func:`current_terms`) and how many words a prefix may be spelled out as."""
    compiled = CompiledQuery()
    positives: list[str] = []
    negatives: list[str] = []
    for clause in query.text_clauses:
        expr = _text_expression(clause, spell)
        if expr is None:
            continue
        (negatives if clause.negated else positives).append(expr)
    if positives:
        compiled.match = " AND ".join(positives)
        if negatives:
            compiled.match = f"({compiled.match}) NOT ({' OR '.join(negatives)})"
    elif negatives:
        compiled.exclude_match = " OR ".join(negatives)

    wants_withdrawn = False
    for filter_clause in query.filters:
        sql = _filter_sql(filter_clause)
        if sql is None or not sql[0]:
            continue
        text, params = sql
        if (filter_clause.kind is FilterKind.IS and filter_clause.value == "withdrawn"
                and not filter_clause.negated):
            wants_withdrawn = True
        compiled.where.append(f"NOT ({text})" if filter_clause.negated else f"({text})")
        compiled.params.extend(params)
    if compiled.exclude_match is not None:
        compiled.where.append(
            f"e.pk NOT IN (SELECT rowid & {PK_MASK} FROM entries_fts WHERE entries_fts MATCH ?)"
        )
        compiled.params.append(compiled.exclude_match)
    if not wants_withdrawn:
        # Withdrawn entries stay out of sight unless the user attached something to them.
        compiled.where.append(_VISIBLE)
    return compiled


_MASK: Final = PK_MASK
#: The default filter alone: only withdrawn entries without user data are hidden.
_HIDDEN_SQL: Final = """
SELECT w.pk FROM entries w WHERE w.withdrawn_at IS NOT NULL AND NOT (
    EXISTS (SELECT 1 FROM notes n WHERE n.entry_id = w.id)
    OR EXISTS (SELECT 1 FROM entry_state s WHERE s.entry_id = w.id AND s.starred_at IS NOT NULL)
    OR EXISTS (SELECT 1 FROM collection_entries ce WHERE ce.entry_id = w.id)
    OR EXISTS (SELECT 1 FROM entry_labels el WHERE el.entry_id = w.id)
    OR EXISTS (SELECT 1 FROM reports r WHERE r.entry_id = w.id))
"""


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

    Order: relevance (bm25) when at most :data:`RANK_LIMIT` rows match; otherwise, and for
    ``YEAR_DESC``, the sort key (newest year first, then title), in which the full-text index
    yields its matches already sorted, so a first page costs a few hundred rows. Other sorts
    are done by SQL. With ``exact_total=False`` a first page reports ``total`` -1 instead of
    counting a long result (the window counts in the background). ``terms``, if still
    current, spell out prefixes.
    """
    spell = query_terms(conn, query, terms, first_page=limit is not None)
    compiled = compile_query(query, spell=spell)
    params: list[Any] = list(compiled.params)
    limit_sql = f" LIMIT {int(limit)}" if limit is not None else ""
    ranked = False
    effective: SortKey = SortKey.YEAR_DESC if sort is SortKey.RELEVANCE else sort
    only_default_filter = compiled.where == [_VISIBLE] and compiled.exclude_match is None
    pks: array[int] | None = None

    if compiled.match is None:
        order = "e.search_key" if effective is SortKey.YEAR_DESC else _ORDER_BY[effective]
        sql = f"SELECT e.pk FROM entries e WHERE {compiled.where_sql()} ORDER BY {order}"
        pks = _fetch(conn, sql + limit_sql, params)
    else:
        matched: int | None = None
        broad: set[str] = set()
        first_matches: list[int] | None = None
        if sort is SortKey.RELEVANCE:
            broad = _broad_prefixes(conn, query, spell, terms) if spell is not None else set()
            # Whether ranking is worth it: the matches up to RANK_LIMIT + 1, inside the index.
            # With a broad beginning their keys are read (a ranking without it filters by
            # them); else only counted.
            if broad:
                first_matches = [r[0] for r in _raw_rows(conn, _CAPPED_MATCHES,
                                                         (compiled.match,))]
                matched = len(first_matches)
            else:
                matched = _count_capped(conn, compiled.match)
            ranked = matched <= RANK_LIMIT
        if ranked and spell is not None and matched:
            pks = _ranked_without_broad_prefixes(
                conn, query, compiled, params, broad,
                first_matches if only_default_filter else None, limit)
            if pks is None:
                # Ranked with the prefixes as typed. Spelled out, bm25 would weigh each word
                # by its own rarity and put a rare variant ("relationships") above the very
                # word typed ("relationship"); and the ranking would depend on the term list.
                compiled = compile_query(query)
                params = list(compiled.params)
        if pks is not None:
            effective = SortKey.RELEVANCE
        elif matched == 0:
            # The words match nothing, so no filter can add a row and nothing needs ranking
            # ("post e" while the "e" is being typed into a longer word).
            pks = array("q")
            effective = SortKey.RELEVANCE
        elif ranked and only_default_filter:
            effective = SortKey.RELEVANCE
            # Rank inside the index; no join (it costs more than the ranking itself).
            pks = _visible_matches(conn, compiled,
                                   f"bm25(entries_fts, {BM25_WEIGHTS}), rowid", limit)
        elif ranked:
            effective = SortKey.RELEVANCE
            pks = _joined_matches(conn, compiled, params,
                                  f"bm25(entries_fts, {BM25_WEIGHTS}), f.rowid", limit_sql)
        elif effective is SortKey.YEAR_DESC and only_default_filter:
            # The index yields its matches in this order: a first page stops early.
            pks = _visible_matches(conn, compiled, "rowid", limit)
        elif effective is SortKey.YEAR_DESC:
            pks = _joined_matches(conn, compiled, params, "f.rowid", limit_sql)
        else:
            sql = (
                f"SELECT e.pk FROM entries e WHERE e.pk IN (SELECT rowid & {_MASK} FROM "
                f"entries_fts WHERE entries_fts MATCH ?) AND {compiled.where_sql()} "
                f"ORDER BY {_ORDER_BY[effective]}{limit_sql}"
            )
            pks = _fetch(conn, sql, [compiled.match, *params])

    complete = limit is None or len(pks) < limit
    if complete:
        total = len(pks)
    elif exact_total:
        # A count walks every match: at most as many words spelled out as for a whole result.
        total = count_matches(conn, compile_query(
            query, spell=None if spell is None else (spell[0], min(spell[1], SPELLED_OUT_ALL))))
    else:
        total = -1
    return SearchResult(pks=pks, total=total, ranked=ranked, hints=query.hints,
                        sort=effective, complete=complete)


#: The index's matches of a query, at most one more than are worth ranking.
_CAPPED_MATCHES: Final = (f"SELECT rowid & {PK_MASK} FROM entries_fts WHERE entries_fts MATCH ? "
                          f"LIMIT {RANK_LIMIT + 1}")


def _count_capped(conn: Connection, match: str) -> int:
    """How many rows ``match`` finds, counted inside the index up to RANK_LIMIT + 1."""
    return int(sqlite_connection(conn).execute(
        f"SELECT count(*) FROM ({_CAPPED_MATCHES})", (match,)).fetchone()[0])


def hidden_pks(conn: Connection) -> set[int]:
    """The withdrawn entries the list hides (those without any of the user's data)."""
    return {r[0] for r in sqlite_connection(conn).execute(_HIDDEN_SQL)}


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


def _without_words(query: Query, starts: set[str]) -> Query:
    """``query`` less the plain words (not phrases, not excluded) that are these beginnings."""
    clauses: list[Any] = []
    for clause in query.clauses:
        if isinstance(clause, TextClause) and not clause.phrase and not clause.negated:
            kept = [w for w in clause.text.split()
                    if _spellable(_TOKEN_RE.findall(w)) not in starts]
            if kept:
                clauses.append(replace(clause, text=" ".join(kept)))
        else:
            clauses.append(clause)
    return Query(raw=query.raw, clauses=tuple(clauses))


def _ranked_without_broad_prefixes(
    conn: Connection, query: Query, compiled: CompiledQuery, params: list[Any],
    broad: set[str], all_matches: list[int] | None, limit: int | None,
) -> array[int] | None:
    """The matches of ``compiled`` in the order bm25 gives them for the query's other words
    ("okafor the": ranked by "okafor"), when a beginning is too broad to rank with as typed
    and the other words match at most :data:`RANK_LIMIT` rows; else None. ``all_matches``:
    every match of the index query when no filter but the default one applies."""
    if not broad:
        return None
    rank_match = compile_query(_without_words(query, broad)).match
    if rank_match is None:
        return None
    if _count_capped(conn, rank_match) > RANK_LIMIT:
        return None
    if all_matches is not None:
        keep = set(all_matches) - hidden_pks(conn)
    else:
        keep = set(_joined_matches(conn, compiled, params, "f.rowid", ""))
    order = _raw_rows(conn, f"SELECT rowid & {_MASK} FROM entries_fts WHERE entries_fts MATCH ? "
                      f"ORDER BY bm25(entries_fts, {BM25_WEIGHTS}), rowid", (rank_match,))
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


def _joined_matches(conn: Connection, compiled: CompiledQuery, params: list[Any], order: str,
                    limit_sql: str) -> array[int]:
    """The matches that pass the query's filters, in ``order``. Joined on the sort key (the
    index's rowid), not the pk: that finds the filter columns in the covering index
    entries_search_key, a tenth of the cost of reading each matching entry's row (about
    4 kB of text apiece)."""
    return _fetch(conn, f"SELECT e.pk FROM entries_fts f CROSS JOIN entries e "
                  f"ON e.search_key = f.rowid WHERE entries_fts MATCH ? AND "
                  f"{compiled.where_sql()} ORDER BY {order}{limit_sql}",
                  [compiled.match, *params])


def _raw_rows(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Rows through the DB-API cursor of the same connection (same transaction).

    For long lists of row keys SQLAlchemy's per-row result objects cost 4-5 times the query;
    this is the one hot path where we skip them."""
    raw = sqlite_connection(conn)
    return raw.execute(sql, params).fetchall()


def _fetch(conn: Connection, sql: str, params: list[Any]) -> array[int]:
    return array("q", [r[0] for r in _raw_rows(conn, sql, tuple(params))])


def count_matches(conn: Connection, compiled: CompiledQuery) -> int:
    params: list[Any] = list(compiled.params)
    if compiled.match is not None:
        if compiled.where == [_VISIBLE] and compiled.exclude_match is None:
            hidden = conn.exec_driver_sql(f"SELECT count(*) FROM ({_HIDDEN_SQL})").scalar()
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

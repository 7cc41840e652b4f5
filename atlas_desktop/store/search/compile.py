"""Compiling a parsed :class:`Query` into SQL pieces: an FTS5 expression for the words, WHERE
terms for the filters, and the default filter that hides withdrawn entries.

No SQL is run here. Prefixes are written as typed (``"fat"*``) unless a term list is given to
spell them out as the index's words (see :mod:`.plan` for when that pays). Words are folded
as the index's text was (``domain/folding.py``: ``sørland`` is ``sorland``) before anything
else looks at them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Final

from atlas_desktop.domain.entry import normalise_doi
from atlas_desktop.domain.folding import fold_for_search
from atlas_desktop.domain.listing import SortKey
from atlas_desktop.domain.query import FilterClause, FilterKind, Query, TextClause, TextField

from ..rows import PK_MASK
from ..terms import TermList

#: Column weights for bm25: title, authors, journal, summary, body, tags.
BM25_WEIGHTS: Final = "10.0, 6.0, 2.0, 3.0, 1.0, 4.0"
#: Shortest word that is matched as a prefix ("fat" finds "fatigue").
MIN_PREFIX: Final = 3

_FTS_COLUMN: Final = {
    TextField.TITLE: "title",
    TextField.AUTHOR: "authors",
    TextField.JOURNAL: "journal",
}
ORDER_BY: Final = {
    SortKey.YEAR_DESC: "e.search_key",
    SortKey.YEAR_ASC: "e.year IS NULL, e.year, e.sort_title, e.pk",
    SortKey.TITLE: "e.sort_title, e.year DESC, e.pk",
    SortKey.FIRST_AUTHOR: "e.first_author, e.year DESC, e.pk",
}
_TOKEN_RE: Final = re.compile(r"\w+", re.UNICODE)
# Withdrawn entries the user attached something to. Uncorrelated, so SQLite evaluates it once
# per query, and the default filter stays answerable from the covering list indexes.
VISIBLE: Final = """(e.withdrawn_at IS NULL OR e.pk IN (
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

    @property
    def only_default_filter(self) -> bool:
        """No filter but the one that hides withdrawn entries: the index alone can answer."""
        return self.where == [VISIBLE] and self.exclude_match is None


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
        for word in fold_for_search(clause.text).split():
            tokens = _TOKEN_RE.findall(word)
            start = _spellable(tokens)
            if start is not None and len(start) >= MIN_PREFIX:
                found.add(start)
    return found


def _text_expression(clause: TextClause, spell: tuple[TermList, int] | None = None
                     ) -> str | None:
    text = fold_for_search(clause.text)
    if clause.phrase:
        if not _TOKEN_RE.search(text):
            return None
        expr = fts_string(text)
    else:
        words = [w for w in text.split() if _TOKEN_RE.search(w)]
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
    # The notices table holds only entries that have one: a probe of its (kind, entry_id)
    # index per entry considered.
    "retracted": "EXISTS (SELECT 1 FROM entry_notices en WHERE en.kind = 'retraction' "
    "AND en.entry_id = e.id)",
    "corrected": "EXISTS (SELECT 1 FROM entry_notices en WHERE en.kind = 'correction' "
    "AND en.entry_id = e.id)",
    "concern": "EXISTS (SELECT 1 FROM entry_notices en WHERE en.kind = 'concern' "
    "AND en.entry_id = e.id)",
}


def compile_query(query: Query, *, spell: tuple[TermList, int] | None = None
                  ) -> CompiledQuery:
    """``spell``: a term list that describes the index as it is now (see
    :func:`.plan.current_terms`) and how many words a prefix may be spelled out as."""
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
        compiled.where.append(VISIBLE)
    return compiled


#: The default filter alone: only withdrawn entries without user data are hidden.
HIDDEN_SQL: Final = """
SELECT w.pk FROM entries w WHERE w.withdrawn_at IS NOT NULL AND NOT (
    EXISTS (SELECT 1 FROM notes n WHERE n.entry_id = w.id)
    OR EXISTS (SELECT 1 FROM entry_state s WHERE s.entry_id = w.id AND s.starred_at IS NOT NULL)
    OR EXISTS (SELECT 1 FROM collection_entries ce WHERE ce.entry_id = w.id)
    OR EXISTS (SELECT 1 FROM entry_labels el WHERE el.entry_id = w.id)
    OR EXISTS (SELECT 1 FROM reports r WHERE r.entry_id = w.id))
"""


def without_words(query: Query, starts: set[str]) -> Query:
    """``query`` less the plain words (not phrases, not excluded) that are these beginnings."""
    clauses: list[Any] = []
    for clause in query.clauses:
        if isinstance(clause, TextClause) and not clause.phrase and not clause.negated:
            kept = [w for w in clause.text.split()
                    if _spellable(_TOKEN_RE.findall(fold_for_search(w))) not in starts]
            if kept:
                clauses.append(replace(clause, text=" ".join(kept)))
        else:
            clauses.append(clause)
    return Query(raw=query.raw, clauses=tuple(clauses))


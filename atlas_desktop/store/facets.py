"""Live facet counts for a query's result, computed in SQL.

The rows to count are first gathered, as sort keys, into a temporary table: from the full-text
index (which yields them in sort-key order, so the table is filled by appending) or from the
query's WHERE clause. Each facet is then a GROUP BY that walks that table and the covering
sort-key index (or the tag table, also keyed by sort key) in the same order.

SQLite spends a few tenths of a microsecond per row and query, so for a broad result (more
than half the library) the counts are taken over the *complement* and subtracted from the
whole library's counts, which the caller caches (see ``RawCounts`` and the service).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.entry import PEM_LABELS
from atlas_desktop.domain.listing import Facets, FacetValue
from atlas_desktop.domain.query import Query

from .search import _HIDDEN_SQL, _VISIBLE, compile_query

STATE: Final = "state"
PEM: Final = "pem"
TIER: Final = "evidence_tier"
CONFIDENCE: Final = "confidence"
STUDY_TYPE: Final = "study_type"
REVIEW: Final = "review_status"
DECADE: Final = "decade"
COLLECTIONS: Final = "collections"
LABELS: Final = "labels"
TAG_PREFIX: Final = "tag:"
#: Not a facet: "year|pem" -> count, for the evidence overview chart.
CHART: Final = "chart"

_COLUMNS: Final = {
    TIER: ("evidence_tier", "tier"),
    CONFIDENCE: ("confidence", "confidence"),
    STUDY_TYPE: ("study_type", "type"),
    REVIEW: ("review_status", "status"),
}
_SCOPE: Final = "temp.facet_scope"
_OTHER: Final = "temp.facet_other"


@dataclass
class RawCounts:
    """Counts by value, before they are labelled; subtractable (complement strategy)."""

    total: int = 0
    chart: Counter[tuple[int | None, str | None]] = field(default_factory=Counter)
    columns: dict[str, Counter[str]] = field(default_factory=dict)
    tags: Counter[int] = field(default_factory=Counter)
    state: Counter[str] = field(default_factory=Counter)
    collections: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)

    def minus(self, other: RawCounts) -> RawCounts:
        def sub(a: Counter[Any], b: Counter[Any]) -> Counter[Any]:
            out = Counter(a)
            out.subtract(b)
            return Counter({k: v for k, v in out.items() if v > 0})

        return RawCounts(
            total=self.total - other.total,
            chart=sub(self.chart, other.chart),
            columns={k: sub(v, other.columns.get(k, Counter())) for k, v in self.columns.items()},
            tags=sub(self.tags, other.tags),
            state=sub(self.state, other.state),
            collections=sub(self.collections, other.collections),
            labels=sub(self.labels, other.labels),
        )


def quoted(value: str) -> str:
    """A value as the query language quotes it (it has no escape for quotes inside)."""
    return '"' + value.replace('"', "") + '"'


def library_counts(conn: Connection) -> RawCounts:
    """Counts over every visible entry (what an empty search shows). Cache this."""
    _create(conn, _SCOPE)
    conn.exec_driver_sql(
        f"INSERT INTO {_SCOPE} SELECT e.search_key FROM entries e "
        f"WHERE {_VISIBLE} ORDER BY e.search_key")
    return _count(conn, _SCOPE)


def facet_counts(conn: Connection, query: Query, *, library: RawCounts | None = None) -> Facets:
    """Facets for ``query``. Pass the cached :func:`library_counts` to let broad results be
    counted through their (smaller) complement."""
    return label_counts(conn, raw_counts(conn, query, library=library))


def raw_counts(conn: Connection, query: Query, *, library: RawCounts | None = None) -> RawCounts:
    compiled = compile_query(query)
    _create(conn, _SCOPE)
    params = tuple(compiled.params)
    if compiled.match is None:
        conn.exec_driver_sql(
            f"INSERT INTO {_SCOPE} SELECT e.search_key FROM entries e "
            f"WHERE {compiled.where_sql()} ORDER BY e.search_key", params)
    elif compiled.where == [_VISIBLE] and compiled.exclude_match is None:
        conn.exec_driver_sql(
            f"INSERT INTO {_SCOPE} SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? "
            "ORDER BY rowid", (compiled.match,))
        conn.exec_driver_sql(
            f"DELETE FROM {_SCOPE} WHERE (sk & {(1 << 30) - 1}) IN ({_HIDDEN_SQL})")
    else:
        conn.exec_driver_sql(
            f"INSERT INTO {_SCOPE} SELECT e.search_key FROM entries_fts f CROSS JOIN entries e "
            f"ON e.pk = (f.rowid & {(1 << 30) - 1}) "
            f"WHERE entries_fts MATCH ? AND {compiled.where_sql()} ORDER BY f.rowid",
            (compiled.match, *params))
    size = int(conn.exec_driver_sql(f"SELECT count(*) FROM {_SCOPE}").scalar() or 0)
    if library is not None and size > library.total // 2:
        # Broad result: count what is left out, and subtract.
        _create(conn, _OTHER)
        conn.exec_driver_sql(
            f"INSERT INTO {_OTHER} SELECT e.search_key FROM entries e INDEXED BY "
            f"entries_search_key WHERE {_VISIBLE} AND e.search_key NOT IN "
            f"(SELECT sk FROM {_SCOPE}) ORDER BY e.search_key")
        return library.minus(_count(conn, _OTHER))
    return _count(conn, _SCOPE)


def _create(conn: Connection, table: str) -> None:
    conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {table.split('.')[1]} "
                         "(sk INTEGER PRIMARY KEY)")
    conn.exec_driver_sql(f"DELETE FROM {table}")


#: Above this many rows, tags are counted by walking the tag index instead of the scope.
_TAG_INDEX_ABOVE: Final = 40_000


def _count(conn: Connection, table: str) -> RawCounts:
    """Counts over the entries whose sort keys are in ``table`` (four statements whatever
    the facet count: each statement costs a pass over the rows)."""
    raw = RawCounts()
    join = (f"FROM {table} r CROSS JOIN entries e INDEXED BY entries_search_key "
            "ON e.search_key = r.sk")
    for year, pem, incomplete, origin, withdrawn, n in conn.exec_driver_sql(
        f"SELECT e.year, e.pem, e.missing != '', e.origin, e.withdrawn_at IS NOT NULL, "
        f"count(*) {join} GROUP BY 1, 2, 3, 4, 5"
    ):
        raw.total += n
        raw.chart[(year, pem)] += n
        if incomplete:
            raw.state["is:incomplete"] += n
        if origin == "mine":
            raw.state["is:mine"] += n
        if withdrawn:
            raw.state["is:withdrawn"] += n
    names = list(_COLUMNS)
    columns: dict[str, Counter[str]] = {group: Counter() for group in names}
    for row in conn.exec_driver_sql(
        f"SELECT {', '.join(f'e.{_COLUMNS[g][0]}' for g in names)}, count(*) {join} "
        f"GROUP BY {', '.join(str(i + 1) for i in range(len(names)))}"
    ):
        n = row[-1]
        for group, value in zip(names, row[:-1], strict=True):
            if value is not None:
                columns[group][value] += n
    raw.columns = columns
    tag_sql = (
        "SELECT k.tag, count(*) FROM entry_tag_keys k INDEXED BY entry_tag_keys_tag "
        f"WHERE k.sk IN (SELECT sk FROM {table}) GROUP BY k.tag"
        if raw.total > _TAG_INDEX_ABOVE else
        f"SELECT k.tag, count(*) FROM {table} r CROSS JOIN entry_tag_keys k ON k.sk = r.sk "
        "GROUP BY k.tag"
    )
    raw.tags = Counter(dict(conn.exec_driver_sql(tag_sql).all()))
    # The user's tables are small: start from them (CROSS JOIN keeps that order) and look
    # each entry up in the scope.
    member = f"EXISTS (SELECT 1 FROM {table} r WHERE r.sk = e.search_key)"
    for token, sql in (
        ("is:starred", "SELECT count(*) FROM entry_state s CROSS JOIN entries e "
                       f"ON e.id = s.entry_id WHERE s.starred_at IS NOT NULL AND {member}"),
        ("is:noted", "SELECT count(*) FROM notes n CROSS JOIN entries e ON e.id = n.entry_id "
                     f"WHERE {member}"),
        ("is:reported", "SELECT count(DISTINCT e.pk) FROM reports rp CROSS JOIN entries e "
                        f"ON e.id = rp.entry_id WHERE rp.status != 'withdrawn' AND {member}"),
        ("read", "SELECT count(*) FROM entry_state s CROSS JOIN entries e ON e.id = s.entry_id "
                 f"WHERE s.read_at IS NOT NULL AND {member}"),
    ):
        raw.state[token] = int(conn.exec_driver_sql(sql).scalar() or 0)
    raw.state["is:unread"] = raw.total - raw.state.pop("read")
    raw.collections = Counter(dict(conn.exec_driver_sql(
        "SELECT c.name, count(*) FROM collection_entries ce CROSS JOIN entries e "
        "ON e.id = ce.entry_id JOIN collections c ON c.id = ce.collection_id "
        f"WHERE c.deleted_at IS NULL AND {member} GROUP BY c.id").all()))
    raw.labels = Counter(dict(conn.exec_driver_sql(
        "SELECT l.name, count(*) FROM entry_labels el CROSS JOIN entries e "
        f"ON e.id = el.entry_id JOIN labels l ON l.id = el.label_id WHERE {member} "
        "GROUP BY l.id").all()))
    return raw


_CONFIDENCE_ORDER: Final = {"high": 0, "moderate": 1, "low": 2, "very low": 3}


def _by_count(kv: tuple[str, int]) -> tuple[Any, ...]:
    return (-kv[1], kv[0])


#: Scales read in their own order (E0 before E1; high before low), the rest by count.
_ORDERS: Final = {
    TIER: lambda kv: (kv[0].casefold(),),
    CONFIDENCE: lambda kv: (_CONFIDENCE_ORDER.get(kv[0].casefold(), 9), kv[0]),
}

_STATE_LABELS: Final = (
    ("is:starred", "Starred"),
    ("is:noted", "With a note"),
    ("is:reported", "Reported"),
    ("is:unread", "Unread"),
    ("is:incomplete", "Incomplete"),
    ("is:mine", "My library"),
    ("is:withdrawn", "Withdrawn"),
)


def label_counts(conn: Connection, raw: RawCounts) -> Facets:
    """Turn raw counts into labelled facet values with the query tokens they stand for."""
    groups: dict[str, tuple[FacetValue, ...]] = {}
    groups[STATE] = (
        FacetValue("", "All entries", raw.total),
        *(FacetValue(token, label, raw.state[token])
          for token, label in _STATE_LABELS if raw.state.get(token)),
    )
    pem: Counter[str | None] = Counter()
    decades: Counter[int] = Counter()
    for (year, value), n in raw.chart.items():
        pem[value] += n
        if year is not None:
            decades[year // 10 * 10] += n
    groups[PEM] = tuple(FacetValue(f"pem:{v}", PEM_LABELS[v], pem[v])
                        for v in ("required", "not_required", "unknown") if pem.get(v))
    groups[DECADE] = tuple(FacetValue(f"year:{d}-{d + 9}", f"{d}s", n)
                           for d, n in sorted(decades.items(), reverse=True))
    for group, (_, token) in _COLUMNS.items():
        counts = raw.columns.get(group, Counter())
        groups[group] = tuple(
            FacetValue(f"{token}:{quoted(v)}", v, n)
            for v, n in sorted(counts.items(), key=_ORDERS.get(group, _by_count))
        )
    names = {tag: (c, lab) for tag, c, lab in conn.exec_driver_sql(
        "SELECT id, category, label FROM tag_dict")}
    by_category: dict[str, list[FacetValue]] = {}
    for tag, n in sorted(raw.tags.items(), key=lambda kv: (-kv[1], names[kv[0]][1])):
        category, label = names[tag]
        by_category.setdefault(category, []).append(
            FacetValue(f"tag:{quoted(f'{category}: {label}')}", label, n))
    for category in sorted(by_category):
        groups[f"{TAG_PREFIX}{category}"] = tuple(by_category[category])
    groups[COLLECTIONS] = tuple(FacetValue(f"collection:{quoted(n)}", n, c)
                                for n, c in sorted(raw.collections.items(),
                                                   key=lambda kv: kv[0].casefold()))
    groups[LABELS] = tuple(FacetValue(f"label:{quoted(n)}", n, c)
                           for n, c in sorted(raw.labels.items(), key=lambda kv: kv[0].casefold()))
    groups[CHART] = tuple(
        FacetValue(f"{year if year is not None else ''}|{value or ''}", "", n)
        for (year, value), n in sorted(raw.chart.items(),
                                       key=lambda kv: (kv[0][0] or 0, kv[0][1] or ""))
    )
    return Facets(groups=groups)

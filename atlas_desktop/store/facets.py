"""Live facet counts for a query's result.

Per facet value the catalogue keeps the set of its entries as a bitset (a Python int with bit
``pk`` set), built in one pass over the catalogue and cached by the caller until the catalogue
changes (:class:`CatalogueBits`). A recount is then: the query's result (the same SQL the
list uses) as a bitset, one AND and one popcount per facet value, and a few small queries for
the user's own data (stars, notes, collections...), which changes without the catalogue.

At 100,000 entries the bitsets take about 12 KB per value and a recount costs little more
than fetching the result's keys; a GROUP BY per facet over a broad result cost ten times that.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import Connection

from atlas_desktop.domain.entry import PEM_LABELS
from atlas_desktop.domain.listing import Facets, FacetValue
from atlas_desktop.domain.query import Query

from .engine import sqlite_connection
from .rows import PK_MASK
from .search.compile import VISIBLE, compile_query
from .search.plan import query_terms
from .search.run import hidden_pks
from .terms import TermList

STATE: Final = "state"
PEM: Final = "pem"
TIER: Final = "evidence_tier"
CONFIDENCE: Final = "confidence"
STUDY_TYPE: Final = "study_type"
REVIEW: Final = "review_status"
DECADE: Final = "decade"
COLLECTIONS: Final = "collections"
LABELS: Final = "labels"
#: Retractions, corrections and expressions of concern found when records were completed.
NOTICES: Final = "notices"
TAG_PREFIX: Final = "tag:"
#: Not a facet: "year|pem" -> count, for the evidence overview chart.
CHART: Final = "chart"

_COLUMNS: Final = {
    TIER: ("evidence_tier", "tier"),
    CONFIDENCE: ("confidence", "confidence"),
    STUDY_TYPE: ("study_type", "type"),
    REVIEW: ("review_status", "status"),
}


@dataclass
class RawCounts:
    """Counts by value, before they are labelled."""

    total: int = 0
    chart: Counter[tuple[int | None, str | None]] = field(default_factory=Counter)
    columns: dict[str, Counter[str]] = field(default_factory=dict)
    tags: Counter[int] = field(default_factory=Counter)
    state: Counter[str] = field(default_factory=Counter)
    collections: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    notices: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class CatalogueBits:
    """The catalogue's facet values as bitsets over entry pks (immutable once built)."""

    chart: dict[tuple[int | None, str | None], int]
    columns: dict[str, dict[str, int]]
    tags: dict[int, int]
    incomplete: int
    mine: int
    withdrawn: int
    #: Bytes a bitset over every pk needs.
    width: int


def bitset(pks: Iterable[int], width: int) -> int:
    """The int with bit ``pk`` set for each of ``pks``: ``width`` bytes, or more if a pk
    needs them (an entry added since the catalogue's bitsets were built)."""
    buf = bytearray(width)
    for pk in pks:
        try:
            buf[pk >> 3] |= 1 << (pk & 7)
        except IndexError:  # free in the common case (no check per key)
            buf.extend(bytes((pk >> 3) + 1 - len(buf)))
            buf[pk >> 3] |= 1 << (pk & 7)
    return int.from_bytes(buf, "little")


def _keys(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> Iterator[int]:
    """The first column of ``sql``'s rows, streamed from the DB-API cursor."""
    return (row[0] for row in sqlite_connection(conn).execute(sql, params))


def catalogue_bits(conn: Connection) -> CatalogueBits:
    """One pass over the catalogue (and its tag index), streamed into one bit buffer per
    value: no per-row Python objects are kept, so indexing 100,000 entries adds a few MB, not
    the ~60 MB that lists of keys took. About half a second at that size: build it off the UI
    thread and cache it until the catalogue changes."""
    top = conn.exec_driver_sql("SELECT max(pk) FROM entries").scalar() or 0
    width = (int(top) >> 3) + 1

    def buffers() -> defaultdict[Any, bytearray]:
        return defaultdict(lambda: bytearray(width))

    chart: defaultdict[tuple[int | None, str | None], bytearray] = buffers()
    names = list(_COLUMNS)
    columns = {group: buffers() for group in names}
    tier, confidence, study, review = (columns[g] for g in names)
    flags = buffers()  # "incomplete", "mine", "withdrawn"
    raw = sqlite_connection(conn)
    for pk, year, pem, tv, cv, sv, rv, missing, origin, gone in raw.execute(
        f"SELECT search_key & {PK_MASK}, year, pem, evidence_tier, confidence, study_type, "
        "review_status, missing != '', origin, withdrawn_at IS NOT NULL "
        "FROM entries INDEXED BY entries_search_key",
    ):
        byte, bit = pk >> 3, 1 << (pk & 7)
        chart[(year, pem)][byte] |= bit
        if tv is not None:
            tier[tv][byte] |= bit
        if cv is not None:
            confidence[cv][byte] |= bit
        if sv is not None:
            study[sv][byte] |= bit
        if rv is not None:
            review[rv][byte] |= bit
        if missing:
            flags["incomplete"][byte] |= bit
        if origin == "mine":
            flags["mine"][byte] |= bit
        if gone:
            flags["withdrawn"][byte] |= bit
    tags: defaultdict[int, bytearray] = buffers()
    for tag, pk in raw.execute(f"SELECT tag, sk & {PK_MASK} FROM entry_tag_keys "
                               "INDEXED BY entry_tag_keys_tag"):
        tags[tag][pk >> 3] |= 1 << (pk & 7)

    def ints(values: dict[Any, bytearray]) -> dict[Any, int]:
        return {key: int.from_bytes(buf, "little") for key, buf in values.items()}

    return CatalogueBits(
        chart=ints(chart),
        columns={g: ints(columns[g]) for g in names},
        tags=ints(tags),
        incomplete=int.from_bytes(flags["incomplete"], "little"),
        mine=int.from_bytes(flags["mine"], "little"),
        withdrawn=int.from_bytes(flags["withdrawn"], "little"),
        width=width,
    )


def quoted(value: str) -> str:
    """A value as the query language quotes it (it has no escape for quotes inside)."""
    return '"' + value.replace('"', "") + '"'


def facet_counts(conn: Connection, query: Query, *, bits: CatalogueBits,
                 terms: TermList | None = None) -> Facets:
    """Facets for ``query`` (the empty query: the whole library)."""
    return label_counts(conn, raw_counts(conn, query, bits=bits, terms=terms))


def result_bits(conn: Connection, query: Query, width: int, terms: TermList | None = None
                ) -> tuple[int, int]:
    """The result of ``query`` as bitsets, in no order: (what the list shows, the same with
    the withdrawn entries it hides), one query for both.

    The second answers "Withdrawn": clicking it adds ``is:withdrawn``, which shows every
    withdrawn match, hidden or not. Words alone (the common case while typing) are read
    straight from the full-text index: skipping the list's ordering and per-key filtering
    halves the recount of a broad word (87,000 keys at 100,000 entries)."""
    compiled = compile_query(query, spell=query_terms(conn, query, terms, first_page=False))
    hides = VISIBLE in compiled.where
    where = [w for w in compiled.where if w != VISIBLE]
    where_sql = " AND ".join(where) if where else "1"
    params: tuple[Any, ...] = tuple(compiled.params)
    if compiled.match is not None and not where:
        sql = (f"SELECT rowid & {PK_MASK} FROM entries_fts WHERE entries_fts MATCH ?")
        params = (compiled.match,)
    elif compiled.match is not None:
        sql = (f"SELECT e.pk FROM entries_fts f CROSS JOIN entries e "
               f"ON e.search_key = f.rowid WHERE entries_fts MATCH ? AND {where_sql}")
        params = (compiled.match, *params)
    else:
        sql = f"SELECT e.pk FROM entries e WHERE {where_sql}"
    full = bitset(_keys(conn, sql, params), width)
    if not hides:
        return full, full
    return full & ~bitset(hidden_pks(conn), width), full


def raw_counts(conn: Connection, query: Query, *, bits: CatalogueBits,
               terms: TermList | None = None) -> RawCounts:
    """Counts over the result of ``query``, the entries the list shows for it."""
    result, with_hidden = result_bits(conn, query, bits.width, terms)
    raw = RawCounts(total=result.bit_count())
    raw.chart = _count(result, bits.chart)
    raw.columns = {group: _count(result, values) for group, values in bits.columns.items()}
    raw.tags = _count(result, bits.tags)
    for token, value, scope in (("is:incomplete", bits.incomplete, result),
                                ("is:mine", bits.mine, result),
                                ("is:withdrawn", bits.withdrawn, with_hidden)):
        if n := (scope & value).bit_count():
            raw.state[token] = n
    # The user's own tables are small: each becomes a bitset per query.
    for token, sql in (
        ("is:starred", "SELECT e.pk FROM entry_state s CROSS JOIN entries e "
                       "ON e.id = s.entry_id WHERE s.starred_at IS NOT NULL"),
        ("is:noted", "SELECT e.pk FROM notes n CROSS JOIN entries e ON e.id = n.entry_id"),
        ("is:reported", "SELECT DISTINCT e.pk FROM reports rp CROSS JOIN entries e "
                        "ON e.id = rp.entry_id WHERE rp.status != 'withdrawn'"),
        ("read", "SELECT e.pk FROM entry_state s CROSS JOIN entries e ON e.id = s.entry_id "
                 "WHERE s.read_at IS NOT NULL"),
    ):
        raw.state[token] = (result & bitset(_keys(conn, sql), bits.width)).bit_count()
    raw.state["is:unread"] = raw.total - raw.state.pop("read")
    raw.collections = _count_groups(conn, result, bits.width, (
        "SELECT c.name, e.pk FROM collection_entries ce CROSS JOIN entries e "
        "ON e.id = ce.entry_id JOIN collections c ON c.id = ce.collection_id "
        "WHERE c.deleted_at IS NULL"))
    raw.labels = _count_groups(conn, result, bits.width, (
        "SELECT l.name, e.pk FROM entry_labels el CROSS JOIN entries e "
        "ON e.id = el.entry_id JOIN labels l ON l.id = el.label_id"))
    # Notices change when records are completed, not with the catalogue, so like the user's
    # tables they are read per count (a small table: only entries that have a notice).
    raw.notices = _count_groups(conn, result, bits.width, (
        "SELECT en.kind, e.pk FROM entry_notices en CROSS JOIN entries e "
        "ON e.id = en.entry_id"))
    return raw


def _count(result: int, values: dict[Any, int]) -> Counter[Any]:
    counts: Counter[Any] = Counter()
    for key, value in values.items():
        if n := (result & value).bit_count():
            counts[key] = n
    return counts


def _count_groups(conn: Connection, result: int, width: int, sql: str) -> Counter[str]:
    members: defaultdict[str, list[int]] = defaultdict(list)
    for name, pk in sqlite_connection(conn).execute(sql):
        members[name].append(pk)
    return _count(result, {name: bitset(pks, width) for name, pks in members.items()})


_CONFIDENCE_ORDER: Final = {"high": 0, "moderate": 1, "low": 2, "very low": 3}


def _by_count(kv: tuple[str, int]) -> tuple[Any, ...]:
    return (-kv[1], kv[0])


#: Scales read in their own order (E0 before E1; high before low), the rest by count.
_ORDERS: Final = {
    TIER: lambda kv: (kv[0].casefold(),),
    CONFIDENCE: lambda kv: (_CONFIDENCE_ORDER.get(kv[0].casefold(), 9), kv[0]),
}

#: Notice kind -> (the search token, its label), in the order shown.
NOTICE_FACETS: Final = {
    "retraction": ("is:retracted", "Retracted"),
    "concern": ("is:concern", "Expression of concern"),
    "correction": ("is:corrected", "Correction published"),
}

_STATE_LABELS: Final = (
    ("is:starred", "Starred"),
    ("is:noted", "With a note"),
    ("is:reported", "Reported"),
    ("is:unread", "Unread"),
    ("is:incomplete", "Incomplete"),
    ("is:mine", "My own references"),
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
    groups[NOTICES] = tuple(FacetValue(token, label, raw.notices[kind])
                            for kind, (token, label) in NOTICE_FACETS.items()
                            if raw.notices.get(kind))
    groups[CHART] = tuple(
        FacetValue(f"{year if year is not None else ''}|{value or ''}", "", n)
        for (year, value), n in sorted(raw.chart.items(),
                                       key=lambda kv: (kv[0][0] or 0, kv[0][1] or ""))
    )
    return Facets(groups=groups)

"""Versions 6 and 7: letters folded in the full-text index, and "incomplete" for the user's
own references. Frozen once released: never edited, only followed by new versions."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection

from atlas_desktop.domain.folding import fold_for_search

from .base import Migration
from .early import _FTS_COLUMNS, _FTS_EXPR_V1

# ----- version 6: letters folded for search (issue 18.14). The index's tokenizer drops the
# accents Unicode composes (ü, é) but not letters of their own (ø, ı, ł, æ, ß, đ), so
# ``sorland`` never found Sørland. Rows keep their text; the index reads folded copies of the
# texts folding changes (NULL elsewhere, which costs a row nothing). Existing libraries get
# those copies, and their index rows, below; the tokenizer and the index's layout stay.
_FOLD_COLUMNS_V6 = ("fold_title", "fold_authors", "fold_journal", "fold_summary", "fold_body",
                    "fold_tags")
_FTS_EXPR_V6 = {
    "title": "coalesce({r}.fold_title, {r}.title, '')",
    "authors": "coalesce({r}.fold_authors, {r}.authors_text, '')",
    "journal": "coalesce({r}.fold_journal, {r}.journal, '')",
    "summary": "coalesce({r}.fold_summary, {r}.summary, '')",
    "body": "coalesce({r}.fold_body, " + _FTS_EXPR_V1["body"] + ")",
    "tags": "coalesce({r}.fold_tags, {r}.tags_text)",
}
_SEARCH_VIEW_V6 = (
    f"CREATE VIEW entries_search (search_key, pk, {_FTS_COLUMNS}) AS SELECT e.search_key, "
    f"e.pk, {', '.join(expr.format(r='e') for expr in _FTS_EXPR_V6.values())} FROM entries AS e"
)


def _not_ascii(column: str) -> str:
    # A text is ASCII exactly when it has as many characters as bytes.
    return f"length({column}) != length(CAST({column} AS BLOB))"


def _fold_index_v6(conn: Connection) -> None:
    """Give the rows whose index text folding changes their folded copies, and index them
    again: out of the index with the text they were indexed with (the old view), back in with
    the folded text (the new one)."""
    cols = _FTS_COLUMNS
    candidates = " OR ".join(_not_ascii(c) for c in _FTS_EXPR_V1)
    folded: dict[int, tuple[str | None, ...]] = {}
    for pk, *texts in conn.exec_driver_sql(
            f"SELECT pk, {cols} FROM entries_search WHERE {candidates}"):
        values = tuple(None if fold_for_search(t) == t else fold_for_search(t) for t in texts)
        if any(v is not None for v in values):
            folded[int(pk)] = values
    pks = sorted(folded)
    for start in range(0, len(pks), 500):
        chunk = pks[start:start + 500]
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"INSERT INTO entries_fts (entries_fts, rowid, {cols}) SELECT 'delete', search_key, "
            f"{cols} FROM entries_search WHERE pk IN ({marks})", tuple(chunk))
    if pks:
        conn.exec_driver_sql(
            "UPDATE entries SET " + ", ".join(f"{c} = ?" for c in _FOLD_COLUMNS_V6)
            + " WHERE pk = ?", [(*folded[pk], pk) for pk in pks])
    conn.exec_driver_sql("DROP VIEW entries_search")
    conn.exec_driver_sql(_SEARCH_VIEW_V6)
    for start in range(0, len(pks), 500):
        chunk = pks[start:start + 500]
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"INSERT INTO entries_fts (rowid, {cols}) SELECT search_key, {cols} FROM "
            f"entries_search WHERE pk IN ({marks}) ORDER BY search_key", tuple(chunk))


V6 = Migration(
    6,
    "search: letters folded in the full-text index (ø, ı, ł, æ, ß, đ…)",
    tuple(f"ALTER TABLE entries ADD COLUMN {c} TEXT" for c in _FOLD_COLUMNS_V6),
    after=_fold_index_v6,
)

# ----- version 7: "incomplete" for the user's own references (issue 18.4) means no title, no
# authors or no year; what the atlas's plain-language record lacks concerns atlas entries
# only. The ``missing`` column is part of each row's digest (which tells an unchanged
# re-import), so the digest of those rows is made again as ``store/rows.py`` made it then.
_DIGEST_COLUMNS_V7 = (
    "id", "origin", "year", "sort_title", "first_author", "pem", "evidence_tier",
    "confidence", "study_type", "peer_reviewed", "review_status", "missing", "doi_norm", "pmid",
    "author_count", "authors_truncated", "title", "journal", "doi", "url", "last_updated",
    "bibtex_key", "badges_json", "authors_json", "snapshot_json", "tags_json", "authors_text",
    "evidence_level", "summary", "why_it_matters", "does_not_prove", "findings", "conclusions",
    "questions", "tags_text", "extra_text", "extra_json",
)


def _digest_own_references_v7(conn: Connection) -> None:
    rows = conn.exec_driver_sql(
        f"SELECT pk, {', '.join(_DIGEST_COLUMNS_V7)} FROM entries WHERE origin = 'mine'"
    ).fetchall()
    updates = []
    for pk, *values in rows:
        payload = "\x1f".join("\x00" if v is None else str(v) for v in values)
        updates.append((hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False)
                        .hexdigest(), pk))
    if updates:
        conn.exec_driver_sql("UPDATE entries SET content_hash = ? WHERE pk = ?", updates)


V7 = Migration(
    7,
    "incomplete own references: no title, no authors or no year",
    (
        """
        UPDATE entries SET missing = rtrim(
            (CASE WHEN title IS NULL OR trim(title) = '' THEN 'title,' ELSE '' END)
            || (CASE WHEN author_count = 0 THEN 'authors,' ELSE '' END)
            || (CASE WHEN year IS NULL THEN 'year,' ELSE '' END), ',')
        WHERE origin = 'mine'
        """,
    ),
    after=_digest_own_references_v7,
)

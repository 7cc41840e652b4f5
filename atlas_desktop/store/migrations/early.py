"""Versions 1 to 4: the catalogue and its full-text index, the user's tables, tags as
integer ids, and the record of what catalogue pulls changed. Frozen: never edited."""

from __future__ import annotations

from .base import Migration

# Text the full-text index sees for one entry row, as SQL over an ``entries`` row. Index rows
# are always written and deleted through the ``entries_search`` view built from these
# expressions, so what is inserted and what is later deleted always agree.
_FTS_EXPR_V1 = {
    "title": "coalesce({r}.title, '')",
    "authors": "coalesce({r}.authors_text, '')",
    "journal": "coalesce({r}.journal, '')",
    "summary": "coalesce({r}.summary, '')",
    "body": (
        "coalesce({r}.why_it_matters, '') || ' ' || coalesce({r}.does_not_prove, '') || ' ' || "
        "{r}.findings || ' ' || {r}.conclusions || ' ' || {r}.questions || ' ' || "
        "coalesce({r}.evidence_level, '') || ' ' || coalesce({r}.extra_text, '')"
    ),
    "tags": "{r}.tags_text",
}
# No subqueries or table-valued functions here: FTS5 reads the view with virtual tables
# disallowed (for 'rebuild' and the content integrity-check).


def _fts_values(ref: str) -> str:
    return ", ".join(expr.format(r=ref) for expr in _FTS_EXPR_V1.values())


_FTS_COLUMNS = ", ".join(_FTS_EXPR_V1)

V1 = Migration(
    1,
    "catalogue, full-text index, notes, entry state, settings",
    (
        # Column order matters: SQLite stores a row's columns in order and long text spills to
        # overflow pages, so everything the list and the filters read comes first and the
        # prose last. A list query then never touches an overflow page.
        """
        CREATE TABLE entries (
            pk INTEGER PRIMARY KEY,
            -- The default order packed in one integer, also the full-text index's rowid:
            -- (newest year first, title prefix, pk). See store/rows.py:search_key.
            search_key INTEGER NOT NULL,
            id TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL DEFAULT 'atlas' CHECK (origin IN ('atlas', 'mine')),
            withdrawn_at TEXT,
            year INTEGER,
            sort_title TEXT NOT NULL DEFAULT '',
            first_author TEXT NOT NULL DEFAULT '',
            pem TEXT,
            evidence_tier TEXT,
            confidence TEXT,
            study_type TEXT,
            peer_reviewed INTEGER,
            review_status TEXT,
            missing TEXT NOT NULL DEFAULT '',
            doi_norm TEXT,
            pmid TEXT,
            author_count INTEGER NOT NULL DEFAULT 0,
            authors_truncated INTEGER NOT NULL DEFAULT 0,
            title TEXT,
            journal TEXT,
            doi TEXT,
            url TEXT,
            last_updated TEXT,
            bibtex_key TEXT,
            badges_json TEXT NOT NULL DEFAULT '{}',
            authors_json TEXT NOT NULL DEFAULT '[]',
            content_hash TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            snapshot_json TEXT,
            tags_json TEXT NOT NULL DEFAULT '{}',
            authors_text TEXT NOT NULL DEFAULT '',
            evidence_level TEXT,
            summary TEXT,
            why_it_matters TEXT,
            does_not_prove TEXT,
            -- List sections: items joined by U+001E (record separator), never inside an item.
            findings TEXT NOT NULL DEFAULT '',
            conclusions TEXT NOT NULL DEFAULT '',
            questions TEXT NOT NULL DEFAULT '',
            tags_text TEXT NOT NULL DEFAULT '',
            extra_text TEXT,
            extra_json TEXT NOT NULL DEFAULT '{}'
        )
        """,
        # Covering indexes for the list orders (withdrawn_at included so the default filter
        # is answered from the index alone).
        # The default order, covering the common filters, so a first page with filters is
        # read from this index alone.
        "CREATE UNIQUE INDEX entries_search_key ON entries (search_key, withdrawn_at, pem, "
        "evidence_tier, study_type, confidence, review_status, year, origin, missing)",
        "CREATE INDEX entries_title ON entries (sort_title, year, withdrawn_at)",
        "CREATE INDEX entries_first_author ON entries (first_author, year, withdrawn_at)",
        "CREATE INDEX entries_withdrawn ON entries (withdrawn_at) WHERE withdrawn_at IS NOT NULL",
        "CREATE INDEX entries_doi ON entries (doi_norm) WHERE doi_norm IS NOT NULL",
        "CREATE INDEX entries_pmid ON entries (pmid) WHERE pmid IS NOT NULL",
        """
        CREATE TABLE entry_tags (
            entry_pk INTEGER NOT NULL REFERENCES entries (pk) ON DELETE CASCADE,
            category TEXT NOT NULL,
            label TEXT NOT NULL,
            PRIMARY KEY (entry_pk, category, label)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX entry_tags_label ON entry_tags (label COLLATE NOCASE, category, entry_pk)",
        "CREATE INDEX entry_tags_category ON entry_tags (category, label, entry_pk)",
        # What the full-text index sees of each entry. The store writes index rows from this
        # view in the same transaction as the entry rows (store/catalogue/index.py), in bulk.
        f"""
        CREATE VIEW entries_search (search_key, pk, {_FTS_COLUMNS}) AS
        SELECT e.search_key, e.pk, {_fts_values("e")} FROM entries AS e
        """,
        f"""
        CREATE VIRTUAL TABLE entries_fts USING fts5 (
            {_FTS_COLUMNS},
            content = 'entries_search',
            content_rowid = 'search_key',
            tokenize = 'unicode61 remove_diacritics 2'
        )
        """,
        # No prefix index: measured at 100k entries it made imports 60% slower and the file
        # 45% larger for a few milliseconds on two-letter prefixes.
        # Let FTS5 gather up to 64 MiB of terms in memory before writing a segment: big
        # imports then write few large segments instead of merging many small ones.
        "INSERT INTO entries_fts (entries_fts, rank) VALUES ('hashsize', 67108864)",
        # Per-term document counts, read to decide whether ranking a query is worth it.
        "CREATE VIRTUAL TABLE entries_vocab USING fts5vocab (entries_fts, 'row')",
        # ----- user tables: keyed by the entry's string id, never by a catalogue row, so a
        # catalogue update or withdrawal cannot touch them.
        """
        CREATE TABLE notes (
            entry_id TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE entry_state (
            entry_id TEXT PRIMARY KEY,
            starred_at TEXT,
            read_at TEXT
        )
        """,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value_json TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """,
    ),
)

V2 = Migration(
    2,
    "collections, labels and the correction-report outbox",
    (
        """
        CREATE TABLE collections (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        )
        """,
        # Names are unique among live collections; a deleted one (kept for undo) frees its name.
        """
        CREATE UNIQUE INDEX collections_name ON collections (name COLLATE NOCASE)
        WHERE deleted_at IS NULL
        """,
        """
        CREATE TABLE collection_entries (
            collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
            entry_id TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (collection_id, entry_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX collection_entries_entry ON collection_entries (entry_id)",
        """
        CREATE TABLE labels (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            color TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE entry_labels (
            entry_id TEXT NOT NULL,
            label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
            PRIMARY KEY (entry_id, label_id)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX entry_labels_label ON entry_labels (label_id)",
        # The outbox (Zotero's syncQueue is the model): one row per report, the request body
        # fixed at queue time, with attempts, the last error and the next attempt time.
        """
        CREATE TABLE reports (
            seq INTEGER PRIMARY KEY,
            report_id TEXT NOT NULL UNIQUE,
            entry_id TEXT NOT NULL,
            field TEXT NOT NULL,
            body TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('queued', 'sending', 'sent', 'needs_attention', 'withdrawn')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_http_status INTEGER,
            next_attempt_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sent_at TEXT,
            received_at TEXT,
            withdrawn_at TEXT,
            server_status TEXT,
            reviewer_note TEXT,
            status_checked_at TEXT
        )
        """,
        "CREATE INDEX reports_status ON reports (status, seq)",
        "CREATE INDEX reports_entry ON reports (entry_id)",
    ),
)

V3 = Migration(
    3,
    "tags as integer ids keyed by the sort key (fast facet counts)",
    (
        """
        CREATE TABLE tag_dict (
            id INTEGER PRIMARY KEY,
            category TEXT NOT NULL,
            label TEXT NOT NULL,
            UNIQUE (category, label)
        )
        """,
        "CREATE INDEX tag_dict_label ON tag_dict (label COLLATE NOCASE, category)",
        # Keyed by the entry's sort key, like the full-text index: counting the tags of a
        # result walks this table in the same order as the result itself.
        """
        CREATE TABLE entry_tag_keys (
            sk INTEGER NOT NULL,
            tag INTEGER NOT NULL REFERENCES tag_dict (id),
            PRIMARY KEY (sk, tag)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX entry_tag_keys_tag ON entry_tag_keys (tag, sk)",
        "INSERT INTO tag_dict (category, label) "
        "SELECT DISTINCT category, label FROM entry_tags ORDER BY category, label",
        "INSERT INTO entry_tag_keys (sk, tag) SELECT DISTINCT e.search_key, d.id "
        "FROM entry_tags t JOIN entries e ON e.pk = t.entry_pk "
        "JOIN tag_dict d ON d.category = t.category AND d.label = t.label ORDER BY 1, 2",
        "DROP TABLE entry_tags",
    ),
)

V4 = Migration(
    4,
    "sync: the record of what each catalogue pull changed",
    (
        # One row per entry a pull added, changed or withdrew, written in the same
        # transaction as the page and its cursor, so the record and the catalogue agree.
        # Keyed by the entry's string id (no foreign key), like the user tables.
        """
        CREATE TABLE catalogue_changes (
            seq INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL,
            pulled_at TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('new', 'changed', 'withdrawn')),
            title TEXT,
            fields_json TEXT NOT NULL DEFAULT '[]',
            badges_json TEXT NOT NULL DEFAULT '{}'
        )
        """,
        "CREATE INDEX catalogue_changes_run ON catalogue_changes (run_id, seq)",
        "CREATE INDEX catalogue_changes_pulled ON catalogue_changes (pulled_at)",
        # Finding the reports whose review status is due for a check.
        "CREATE INDEX reports_status_checked ON reports (status, status_checked_at)",
    ),
)

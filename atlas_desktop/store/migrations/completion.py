"""Version 5: records completed online (PubMed, Crossref, doi.org), their notices, and the
lookups waiting (issue 15). Frozen: never edited."""

from __future__ import annotations

from .base import Migration

V5 = Migration(
    5,
    "records completed online (PubMed, Crossref, doi.org), their notices, and what waits",
    (
        # What each source said about an entry, kept beside the atlas's values (never over
        # them). Keyed by the entry's string id like the user tables, so catalogue updates
        # and withdrawals leave it alone.
        """
        CREATE TABLE completed_records (
            entry_id TEXT NOT NULL,
            source TEXT NOT NULL,
            identifier TEXT NOT NULL,
            retrieved_at TEXT NOT NULL,
            record_json TEXT NOT NULL,
            PRIMARY KEY (entry_id, source)
        ) WITHOUT ROWID
        """,
        # Retractions, corrections, expressions of concern and updates, merged across
        # sources: one row per notice, for is:retracted, facets and badges.
        """
        CREATE TABLE entry_notices (
            entry_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('retraction', 'correction', 'concern', 'update')),
            source TEXT NOT NULL,
            date TEXT,
            doi TEXT,
            pmid TEXT
        )
        """,
        "CREATE INDEX entry_notices_entry ON entry_notices (entry_id)",
        "CREATE INDEX entry_notices_kind ON entry_notices (kind, entry_id)",
        # Lookups that could not be made (offline, a busy server): done at the next chance.
        """
        CREATE TABLE completion_queue (
            entry_id TEXT PRIMARY KEY,
            queued_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )
        """,
    ),
)

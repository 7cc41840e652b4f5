"""How tests/data/library-v1.sqlite3 was made: a library as the first release wrote it
(schema 1: catalogue, full-text index, notes, entry state, settings). Kept so that every later
migration is tested against a real old file. Re-running it is only needed if the fixture is
lost; the v1 migration is frozen, so it produces the same schema.

    python tests/data/make_library_v1.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from atlas_desktop.store.engine import create_sqlite_engine  # noqa: E402
from atlas_desktop.store.migrations import migrate  # noqa: E402
from atlas_desktop.store.rows import search_key  # noqa: E402

ENTRIES = [
    # (id, title, authors_json, authors_text, first_author, year, journal, doi, pmid, tags_json)
    ("heins-2013-role-therapeutic", "The role of the therapeutic relationship in cognitive "
     "behaviour therapy for chronic fatigue syndrome.",
     [["Heins", "Marianne J"], ["Knoop", "Hans"], ["Bleijenberg", "Gijs"]],
     "Heins Marianne J; Knoop Hans; Bleijenberg Gijs", "heins", 2013,
     "Behaviour research and therapy", "10.1016/j.brat.2013.02.001", "23639303", {}),
    ("twisk-2009-review-cognitive", "A review on cognitive behavorial therapy (CBT) and graded "
     "exercise therapy (GET) in ME/CFS.", [["Twisk", "Frank N M"], ["Maes", "Michael"]],
     "Twisk Frank N M; Maes Michael", "twisk", 2009, "Neuro endocrinology letters", None,
     "19855350", {"Symptom": ["Post-Exertional Malaise", "Fatigue"]}),
]


def main() -> None:
    target = HERE / "library-v1.sqlite3"
    target.unlink(missing_ok=True)
    engine = create_sqlite_engine(target, pooled=False)
    migrate(engine, target=1)
    with engine.connect().execution_options(atlas_write=True) as conn, conn.begin():
        for pk, (entry_id, title, authors, authors_text, first, year, journal, doi, pmid,
                 tags) in enumerate(ENTRIES, start=1):
            conn.exec_driver_sql(
                "INSERT INTO entries (pk, search_key, id, title, sort_title, authors_json, authors_text, "
                "first_author, author_count, journal, year, doi, doi_norm, pmid, summary, "
                "tags_json, tags_text, pem, badges_json, content_hash, first_seen_at, changed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'v1', "
                "'2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')",
                (pk, search_key(year, title.lower(), pk), entry_id, title, title.lower(), json.dumps(authors), authors_text, first,
                 len(authors), journal, year, doi, doi.lower() if doi else None, pmid,
                 f"Summary of {entry_id}.", json.dumps(tags),
                 "\x1e".join(x for labels in tags.values() for x in labels),
                 "required" if tags else None,
                 json.dumps({"pem": "required"} if tags else {})),
            )
        # Derived indexes, written as the v1 store writes them.
        conn.exec_driver_sql(
            "INSERT INTO entries_fts (rowid, title, authors, journal, summary, body, tags) "
            "SELECT search_key, title, authors, journal, summary, body, tags FROM entries_search"
        )
        conn.exec_driver_sql(
            "INSERT INTO entry_tags SELECT DISTINCT e.pk, c.key, l.value FROM entries e, "
            "json_each(e.tags_json) c, json_each(c.value) l"
        )
        conn.exec_driver_sql(
            "INSERT INTO notes VALUES ('heins-2013-role-therapeutic', 'Discuss with the team.', "
            "'2026-11-02T10:00:00Z', '2026-11-02T10:00:00Z')"
        )
        conn.exec_driver_sql(
            "INSERT INTO entry_state VALUES ('twisk-2009-review-cognitive', "
            "'2026-11-03T10:00:00Z', NULL)"
        )
        conn.exec_driver_sql("INSERT INTO settings VALUES ('citation.default_style', '\"apa\"')")
    engine.dispose()
    print(target)


if __name__ == "__main__":
    main()

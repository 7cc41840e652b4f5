"""The catalogue's derived indexes: the full-text index and the tag keys.

Both are derived from ``entries`` rows and written by the store itself, in the caller's
transaction (there are no triggers: they did the same job 2.5 times slower on bulk imports).
Index rows are removed, with the values they were made from (read through the
``entries_search`` view), before a row changes, and added after it changed. A bulk insert
indexes each chunk on a second thread (:class:`Indexer`) while the next chunk is prepared.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Connection

from .read import chunks

_FTS_COLS: Final = "title, authors, journal, summary, body, tags"
_TAG_NAMES_FROM_JSON: Final = (
    "INSERT OR IGNORE INTO tag_dict (category, label) "
    "SELECT DISTINCT c.key, l.value FROM entries AS e, json_each(e.tags_json) AS c, "
    "json_each(c.value) AS l WHERE {where}"
)
_TAG_KEYS_FROM_JSON: Final = (
    "INSERT OR IGNORE INTO entry_tag_keys (sk, tag) "
    "SELECT e.search_key, d.id FROM entries AS e, json_each(e.tags_json) AS c, "
    "json_each(c.value) AS l JOIN tag_dict AS d ON d.category = c.key AND d.label = l.value "
    "WHERE {where} ORDER BY 1, 2"
)


def _add_tags_from_json(conn: Connection, where: str, params: tuple[Any, ...]) -> None:
    conn.exec_driver_sql(_TAG_NAMES_FROM_JSON.format(where=where), params)
    conn.exec_driver_sql(_TAG_KEYS_FROM_JSON.format(where=where), params)


def index_remove(conn: Connection, pks: Sequence[int]) -> None:
    """Take rows out of the indexes, before they change or go."""
    for chunk in chunks(list(pks)):
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"INSERT INTO entries_fts (entries_fts, rowid, {_FTS_COLS}) "
            f"SELECT 'delete', search_key, {_FTS_COLS} FROM entries_search "
            f"WHERE pk IN ({marks})",
            tuple(chunk),
        )
        conn.exec_driver_sql(
            "DELETE FROM entry_tag_keys WHERE sk IN "
            f"(SELECT search_key FROM entries WHERE pk IN ({marks}))",
            tuple(chunk),
        )


def index_add(conn: Connection, pks: Sequence[int]) -> None:
    """Put changed rows back into the indexes."""
    for chunk in chunks(list(pks)):
        marks = ",".join("?" * len(chunk))
        conn.exec_driver_sql(
            f"INSERT INTO entries_fts (rowid, {_FTS_COLS}) "
            f"SELECT search_key, {_FTS_COLS} FROM entries_search WHERE pk IN ({marks}) "
            "ORDER BY search_key",
            tuple(chunk),
        )
        _add_tags_from_json(conn, f"e.pk IN ({marks})", tuple(chunk))


def rebuild_indexes(conn: Connection) -> None:
    """Rebuild the full-text index and tag table from the entries (repair and tests)."""
    conn.exec_driver_sql("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')")
    conn.exec_driver_sql("DELETE FROM entry_tag_keys")
    _add_tags_from_json(conn, "1", ())


def optimize_indexes(conn: Connection) -> None:
    """Merge the full-text index into one segment (after bulk imports; a few seconds)."""
    conn.exec_driver_sql("INSERT INTO entries_fts (entries_fts) VALUES ('optimize')")


def check_indexes(conn: Connection) -> None:
    """Raise if the full-text index disagrees with the entries (FTS5 integrity-check)."""
    conn.exec_driver_sql(
        "INSERT INTO entries_fts (entries_fts, rank) VALUES ('integrity-check', 1)")


def index_range(conn: Connection, lo: int, hi: int) -> None:
    """Index the rows whose pk is between ``lo`` and ``hi`` (new rows of one chunk)."""
    conn.exec_driver_sql(
        # In sort-key order: FTS5 flushes its in-memory segment whenever a rowid arrives
        # below the previous one, so an unsorted insert writes a segment per row.
        f"INSERT INTO entries_fts (rowid, {_FTS_COLS}) "
        f"SELECT search_key, {_FTS_COLS} FROM entries_search WHERE pk BETWEEN ? AND ? "
        "ORDER BY search_key",
        (lo, hi),
    )


class Indexer:
    """Builds the full-text index of one chunk on a second thread during a bulk insert.

    The index statement is a single long SQLite step, during which SQLite releases the GIL, so
    the caller validates and prepares the next chunk meanwhile. Row inserts stay on the
    caller's thread (many short steps would fight over the GIL). The connection is used by one
    thread at a time: the caller calls :meth:`wait` before touching it.

    Each chunk becomes one index segment: FTS5's automerge is off while the indexer runs
    (merging segments while inserting cost more than the insert) and back on after
    :meth:`close`; the segments are merged after the import (``Library.maintain``), off the
    UI thread.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        conn.exec_driver_sql("INSERT INTO entries_fts (entries_fts, rank) VALUES ('automerge', 0)")
        self._jobs: queue.Queue[tuple[int, int] | None] = queue.Queue()
        self._idle = threading.Event()
        self._idle.set()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="atlas-fts-indexer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                if self._error is None:
                    index_range(self._conn, *job)
            except BaseException as exc:
                self._error = exc
            finally:
                self._idle.set()

    def start(self, lo: int, hi: int) -> None:
        self._idle.clear()
        self._jobs.put((lo, hi))

    def wait(self) -> None:
        self._idle.wait()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Wait for the last chunk (re-raising its error, if any); automerge is back on."""
        self._idle.wait()
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        self._conn.exec_driver_sql(
            "INSERT INTO entries_fts (entries_fts, rank) VALUES ('automerge', 4)")

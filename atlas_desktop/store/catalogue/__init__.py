"""Catalogue rows: what the atlas says about each entry (and the user's imported references).

Every function takes an open :class:`~sqlalchemy.Connection` inside the caller's transaction,
so an import or a catalogue page is applied whole or not at all. Three modules:

* :mod:`.write`: the upsert of imports and catalogue pages, withdrawals and deletions;
* :mod:`.read`: entries by id or row key, ids, counts, and the list's display rows;
* :mod:`.index`: the full-text index and the tag keys. There are no triggers: the store
  writes these itself, in the same transaction as the rows they come from (triggers did the
  same job 2.5 times slower on bulk imports), and a bulk insert indexes each chunk on a
  second thread while the next one is prepared.

The names are re-exported here for the services, which use them as ``cat.<name>``.
"""

from .index import check_indexes, optimize_indexes, rebuild_indexes
from .read import (
    all_ids,
    briefs,
    count_entries,
    existing_ids,
    get_entries,
    get_entries_by_pk,
    get_entry,
    ids_for_pks,
    iter_entries_by_pk,
    list_rows,
    origin_of,
    pk_for_id,
)
from .write import (
    UpsertCancelled,
    delete_entries,
    describe_change,
    upsert_contracts,
    upsert_entries,
    withdraw_entries,
)

__all__ = [
    "UpsertCancelled",
    "all_ids",
    "briefs",
    "check_indexes",
    "count_entries",
    "delete_entries",
    "describe_change",
    "existing_ids",
    "get_entries",
    "get_entries_by_pk",
    "get_entry",
    "ids_for_pks",
    "iter_entries_by_pk",
    "list_rows",
    "optimize_indexes",
    "origin_of",
    "pk_for_id",
    "rebuild_indexes",
    "upsert_contracts",
    "upsert_entries",
    "withdraw_entries",
]

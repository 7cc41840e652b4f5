"""User tables: notes and entry state, labels, collections, the report outbox, settings, meta.

All keyed by the entry's string id and never joined to a catalogue row by constraint, so
catalogue updates and withdrawals leave them exactly as they were.

One module per table group: :mod:`.notes` (notes, stars, read marks, and everything attached
to one entry), :mod:`.labels`, :mod:`.collections`, :mod:`.reports` (the outbox),
:mod:`.settings` (settings and meta). The names are re-exported here for the services, which
use them as ``user_store.<name>``.
"""

from .collections import (
    add_to_collection,
    collection_by_id,
    collection_by_name,
    collection_entry_ids,
    create_collection,
    delete_collection,
    list_collections,
    purge_deleted_collections,
    remove_from_collection,
    rename_collection,
    restore_collection,
)
from .labels import create_label, delete_label, label_by_name, list_labels, set_entry_label
from .notes import get_note, set_note, set_read, set_starred, user_data
from .reports import (
    count_reports,
    get_report,
    insert_report,
    list_reports,
    report_http_status,
    reports_for_entry,
    update_report,
)
from .settings import get_meta, get_setting, set_meta, set_setting

__all__ = [
    "add_to_collection",
    "collection_by_id",
    "collection_by_name",
    "collection_entry_ids",
    "count_reports",
    "create_collection",
    "create_label",
    "delete_collection",
    "delete_label",
    "get_meta",
    "get_note",
    "get_report",
    "get_setting",
    "insert_report",
    "label_by_name",
    "list_collections",
    "list_labels",
    "list_reports",
    "purge_deleted_collections",
    "remove_from_collection",
    "rename_collection",
    "report_http_status",
    "reports_for_entry",
    "restore_collection",
    "set_entry_label",
    "set_meta",
    "set_note",
    "set_read",
    "set_setting",
    "set_starred",
    "update_report",
    "user_data",
]

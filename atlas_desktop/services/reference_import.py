"""The user's own reference files in an import: reading, crossrefs, ids, duplicates, links.

Steps, in the order :class:`~.importing.ImportService` runs them:

1. the file's reader (see :mod:`atlas_desktop.formats.registry`) parses it; nothing is
   written;
2. :func:`finish_references` resolves BibTeX crossrefs over all files of the import and
   validates every reference; an entry that fails is an error of its file (``partial``);
3. inside the import's one transaction, :func:`assign_ids` settles ids against the library
   (see :mod:`atlas_desktop.domain.references`), then the references are written, then
   :func:`report_duplicates_and_links` says which look like references already there and
   which link to atlas entries. Nothing is merged here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from atlas_desktop.domain.contract import EntryFormatError, canonical_entry_dict
from atlas_desktop.domain.entry import Origin
from atlas_desktop.domain.references import (
    AtlasLink,
    Fingerprint,
    find_duplicate_pairs,
    same_reference,
    suffixed,
)
from atlas_desktop.formats.bibtex_crossref import apply_crossrefs
from atlas_desktop.formats.bibtex_fields import entry_to_reference
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import references as ref_store
from atlas_desktop.store import user as user_store

from .import_report import FileResult

#: Settings key: pairs of reference ids the user chose to keep apart (not duplicates).
KEPT_APART_KEY: Final = "references_kept_apart"


def finish_references(files: Sequence[FileResult]) -> None:
    """Crossrefs across all BibTeX files, then every reference validated into its file."""
    bib_files = [f for f in files if f.bib_entries]
    by_source = {f.file: f for f in bib_files}
    for entry, message in apply_crossrefs([e for f in bib_files for e in f.bib_entries]):
        by_source[entry.source].warnings.append(message)
    for f in files:
        if f.origin is not Origin.MINE:
            continue
        drafts = list(f.contracts)
        for bib in f.bib_entries:
            draft, warnings = entry_to_reference(bib)
            f.warnings.extend(warnings)
            drafts.append(draft)
        f.bib_entries = []
        f.contracts = []
        for position, draft in enumerate(drafts, start=1):
            try:
                f.contracts.append(canonical_entry_dict(draft))
            except EntryFormatError as exc:
                f.errors.append(f"entry {position} ({draft.get('bibtex_key')}): {exc}; it was "
                                "left out.")
        f.ids = [d["id"] for d in f.contracts]
        f.partial = bool(f.errors) and bool(f.contracts)


def assign_ids(conn: Any, files: Sequence[FileResult]) -> None:
    """Make each reference's id final: its own when free or when the stored reference with
    that id is this one imported again; else the next free ``-2``, ``-3``… (key alike)."""
    wanted = [d["id"] for f in files for d in f.contracts]
    stored = {e.id: e for e in cat.get_entries(conn, wanted)}
    claimed: set[str] = set()
    for f in files:
        for index, d in enumerate(f.contracts):
            base = d["id"]
            fp = Fingerprint.of(d)
            n = 1
            candidate = base
            while True:
                other = None
                if candidate not in claimed:
                    other = stored.get(candidate) if candidate == base else \
                        cat.get_entry(conn, candidate)
                    if other is None or (other.origin is Origin.MINE and same_reference(
                            Fingerprint.of_entry(other), fp)):
                        break
                n += 1
                candidate = suffixed(base, n)
            claimed.add(candidate)
            if candidate != base:
                key = d.get("bibtex_key") or base
                new_key = suffixed(str(key), n)
                if other is None:  # said once, when the reference is first saved
                    f.warnings.append(
                        f"“{key}” is already the key of a different reference in your library "
                        f"or in another file of this import; this one was saved as "
                        f"“{new_key}”.")
                f.contracts[index] = {**d, "id": candidate, "bibtex_key": new_key}
        f.ids = [d["id"] for d in f.contracts]


def report_duplicates_and_links(conn: Any, files: Sequence[FileResult]) -> None:
    """Fill ``duplicates`` and ``linked`` of each file (after its references were written)."""
    written = {i: f for f in files for i in (*f.imported, *f.updated)}
    if not written:
        return
    kept = kept_apart_pairs(user_store.get_setting(conn, KEPT_APART_KEY, []))
    pairs = find_duplicate_pairs(ref_store.reference_fingerprints(conn), among=set(written),
                                 kept_apart=kept)
    for pair in pairs:
        owner = written.get(pair.id) or written.get(pair.duplicate_of)
        if owner is not None:
            owner.duplicates.append(pair)
    links = ref_store.atlas_links(conn, list(written))
    for entry_id, atlas_id in links.items():
        written[entry_id].linked.append(AtlasLink(entry_id, atlas_id))


def kept_apart_pairs(raw: Any) -> set[frozenset[str]]:
    return {frozenset(p) for p in raw or [] if isinstance(p, list) and len(p) == 2}

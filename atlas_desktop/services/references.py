"""The user's own references after import: duplicates reviewed, merged or kept apart.

Nothing here runs by itself: an import only *reports* duplicates. The user (or the CLI's
``merge`` command) decides, and each decision is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.contract import canonical_entry_dict, entry_to_contract
from atlas_desktop.domain.entry import Entry, Origin
from atlas_desktop.domain.references import (
    DuplicateDecision,
    DuplicatePair,
    find_duplicate_pairs,
)
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import references as ref_store
from atlas_desktop.store import user as user_store

from .context import LibraryContext
from .reference_import import KEPT_APART_KEY, kept_apart_pairs


class ReferenceError(ValueError):
    """A merge or a decision that cannot be made; the message is for the user."""


class ReferenceService:
    def __init__(self, ctx: LibraryContext) -> None:
        self._ctx = ctx

    def find_duplicates(self) -> list[DuplicatePair]:
        """Every pair of the user's references that look like the same paper (DOI, PMID,
        or title + year + first author), minus the pairs the user kept apart."""
        with self._ctx.db.read() as conn:
            kept = kept_apart_pairs(user_store.get_setting(conn, KEPT_APART_KEY, []))
            return find_duplicate_pairs(ref_store.reference_fingerprints(conn), kept_apart=kept)

    def linked_atlas_entry(self, *, entry_id: str) -> Entry | None:
        """The atlas entry (with its badges) one of the user's references is linked to."""
        with self._ctx.db.read() as conn:
            atlas_id = ref_store.atlas_links(conn, [entry_id]).get(entry_id)
            return cat.get_entry(conn, atlas_id) if atlas_id else None

    def keep_apart(self, *, entry_ids: Sequence[str]) -> None:
        """Record that these references are different papers: they are not offered as
        duplicates of each other again."""
        ids = list(dict.fromkeys(entry_ids))
        if len(ids) < 2:
            raise ReferenceError("Choose at least two references to keep apart.")
        with self._ctx.write(Changes.SETTINGS, entry_ids=ids) as conn:
            pairs = kept_apart_pairs(user_store.get_setting(conn, KEPT_APART_KEY, []))
            pairs.update(frozenset((a, b)) for i, a in enumerate(ids) for b in ids[i + 1:])
            user_store.set_setting(conn, KEPT_APART_KEY, sorted(sorted(p) for p in pairs))

    def merge(self, *, keep_id: str, merge_ids: Sequence[str]) -> Entry:
        """Merge references into ``keep_id``: fields it lacks are taken from the others
        (first one first), their notes, stars, collections and labels move to it, and the
        others are deleted. Only the user's own references can be merged. One transaction.
        """
        others = [i for i in dict.fromkeys(merge_ids) if i != keep_id]
        if not others:
            raise ReferenceError("Choose at least one other reference to merge.")
        with self._ctx.write(Changes.CATALOGUE | Changes.user_data(),
                             entry_ids=[keep_id, *others]) as conn:
            result = self._merge_in(conn, keep_id, others, self._ctx.clock())
        return result

    def resolve_duplicates(
        self, *, decisions: Sequence[tuple[DuplicatePair, DuplicateDecision]]
    ) -> DecisionOutcome:
        """Apply the user's decisions about duplicate pairs, all in one transaction.

        Pairs are taken in order; a reference already merged away stands for the one it was
        merged into, so chains (A~B, B~C) resolve cleanly and nothing is merged twice.
        """
        merged_into: dict[str, str] = {}
        outcome = DecisionOutcome()
        now = self._ctx.clock()

        def current(entry_id: str) -> str:
            while entry_id in merged_into:
                entry_id = merged_into[entry_id]
            return entry_id

        concerned = {i for pair, _ in decisions for i in (pair.id, pair.duplicate_of)}
        with self._ctx.write(Changes.CATALOGUE | Changes.user_data() | Changes.SETTINGS,
                             entry_ids=concerned) as conn:
            kept = kept_apart_pairs(user_store.get_setting(conn, KEPT_APART_KEY, []))
            for pair, decision in decisions:
                later, earlier = current(pair.id), current(pair.duplicate_of)
                if later == earlier or decision is DuplicateDecision.DECIDE_LATER:
                    continue
                if decision is DuplicateDecision.KEEP_BOTH:
                    kept.add(frozenset((pair.id, pair.duplicate_of)))
                    outcome.kept_apart += 1
                    continue
                keep, drop = (earlier, later) if decision is \
                    DuplicateDecision.MERGE_INTO_EARLIER else (later, earlier)
                self._merge_in(conn, keep, [drop], now)
                merged_into[drop] = keep
                outcome.merged.append((drop, keep))
            user_store.set_setting(conn, KEPT_APART_KEY, sorted(sorted(p) for p in kept))
        return outcome

    def _merge_in(self, conn: Any, keep_id: str, others: list[str], now: str) -> Entry:
        entries = {e.id: e for e in cat.get_entries(conn, [keep_id, *others])}
        missing = [i for i in (keep_id, *others) if i not in entries]
        if missing:
            raise ReferenceError("There is no reference " + ", ".join(
                f"“{i}”" for i in missing) + " in this library.")
        atlas = [i for i in (keep_id, *others) if entries[i].origin is not Origin.MINE]
        if atlas:
            raise ReferenceError(
                "Atlas entries cannot be merged (only your own references can): "
                + ", ".join(atlas) + ".")
        merged = canonical_entry_dict(merge_contracts(
            entry_to_contract(entries[keep_id]),
            [entry_to_contract(entries[i]) for i in others]))
        cat.upsert_contracts(conn, [merged], ids=[keep_id], now=now, origin=Origin.MINE)
        for other in others:
            ref_store.move_user_data(conn, from_id=other, to_id=keep_id, now=now)
        cat.delete_entries(conn, others)
        result = cat.get_entry(conn, keep_id)
        assert result is not None
        return result


@dataclass
class DecisionOutcome:
    #: (merged-away id, id it was merged into), in order.
    merged: list[tuple[str, str]] = field(default_factory=list)
    kept_apart: int = 0


_MERGED_FIELDS = ("title", "authors", "journal", "year", "doi", "pmid", "url", "bibtex_key")


def merge_contracts(keep: Mapping[str, Any], others: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``keep`` with every empty field filled from ``others`` (in order). Nested field
    tables (``bibtex_fields``, ``ris_fields``) are merged key by key; keywords are joined."""
    out = dict(keep)
    for other in others:
        for name in _MERGED_FIELDS:
            if out.get(name) in (None, "", [], ()) and other.get(name) not in (None, "", []):
                out[name] = other[name]
                if name == "authors":  # the list and its "et al." mark go together
                    out.pop("authors_truncated", None)
                    if other.get("authors_truncated"):
                        out["authors_truncated"] = True
        for name, value in other.items():
            if name in _MERGED_FIELDS or name in ("id", "authors_truncated"):
                continue
            current = out.get(name)
            if current in (None, "", [], {}):
                out[name] = value
            elif isinstance(current, Mapping | MappingProxyType) and isinstance(value, Mapping):
                out[name] = {**value, **current}
            elif name == "keywords" and isinstance(current, list) and isinstance(value, list):
                out[name] = list(dict.fromkeys([*current, *value]))
    return out

"""The user's own layer: notes, stars, read marks, labels and collections."""

from __future__ import annotations

from collections.abc import Sequence

from atlas_desktop.domain.annotations import (
    LABEL_COLOURS,
    NOTE_MAX,
    Collection,
    Label,
    NameInvalid,
    Note,
    UserData,
    clean_name,
)
from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.note_merge import merge_notes
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import user as user_store

from .context import LibraryContext, utc_now_precise


class AnnotationError(ValueError):
    """A request the user can fix (unknown entry, duplicate name…); ``str`` says how."""


class AnnotationService:
    def __init__(self, ctx: LibraryContext) -> None:
        self._ctx = ctx

    # ----------------------------------------------------------------- notes

    def get_note(self, *, entry_id: str) -> Note | None:
        with self._ctx.db.read() as conn:
            return user_store.get_note(conn, entry_id)

    def set_note(self, *, entry_id: str, text: str,
                 based_on: str | None = None) -> Note | None:
        """Save the note (blank text deletes it). Returns what is now stored.

        ``based_on`` is the stored text the caller's edit started from ("" for no note). If
        the note was changed elsewhere since (another program, another window), the two are
        merged (``domain/note_merge.py``) and the merge is stored: a newer note is never
        saved over silently. Without it, ``text`` replaces the note (the command line's
        ``note``, which the user gives whole)."""
        if len(text) > NOTE_MAX:
            raise AnnotationError(f"The note is longer than {NOTE_MAX:,} characters.")
        text = text.replace("\r\n", "\n").replace("\x00", "")
        with self._ctx.write(Changes.NOTES, entry_ids=[entry_id]) as conn:
            self._require_entry(conn, entry_id)
            if based_on is not None:
                stored = user_store.get_note(conn, entry_id)
                current = stored.text if stored else ""
                if current != based_on:
                    text = merge_notes(based_on, current, text)[:NOTE_MAX]
            note = user_store.set_note(conn, entry_id, text, now=utc_now_precise())
        return note

    # ----------------------------------------------------------------- state

    def set_starred(self, *, entry_id: str, starred: bool) -> None:
        with self._ctx.write(Changes.STATE, entry_ids=[entry_id]) as conn:
            self._require_entry(conn, entry_id)
            user_store.set_starred(conn, entry_id, starred, now=self._ctx.clock())

    def set_read(self, *, entry_ids: Sequence[str], read: bool) -> None:
        with self._ctx.write(Changes.STATE, entry_ids=entry_ids) as conn:
            for entry_id in entry_ids:
                user_store.set_read(conn, entry_id, read, now=self._ctx.clock())

    def user_data(self, *, entry_id: str) -> UserData:
        with self._ctx.db.read() as conn:
            return user_store.user_data(conn, entry_id)

    # ----------------------------------------------------------------- labels

    def labels(self) -> list[Label]:
        with self._ctx.db.read() as conn:
            return user_store.list_labels(conn)

    def create_label(self, *, name: str, color: str) -> Label:
        try:
            name = clean_name(name, "label name")
        except NameInvalid as exc:
            raise AnnotationError(str(exc)) from None
        if color.lower() not in LABEL_COLOURS:
            raise AnnotationError(
                "Choose one of the label colours: " + ", ".join(LABEL_COLOURS.values()) + "."
            )
        try:
            with self._ctx.write(Changes.LABELS, entry_ids=()) as conn:
                label = user_store.create_label(conn, name, color.lower(), now=self._ctx.clock())
        except ValueError as exc:
            raise AnnotationError(str(exc)) from None
        return label

    def set_label(self, *, entry_ids: Sequence[str], label_id: int, on: bool) -> None:
        with self._ctx.write(Changes.LABELS, entry_ids=entry_ids) as conn:
            for entry_id in entry_ids:
                user_store.set_entry_label(conn, entry_id, label_id, on)

    def delete_label(self, *, label_id: int) -> None:
        # The entries that carried it are not looked up: None says "any entry".
        with self._ctx.write(Changes.LABELS) as conn:
            user_store.delete_label(conn, label_id)

    # ----------------------------------------------------------------- collections

    def collections(self) -> list[Collection]:
        with self._ctx.db.read() as conn:
            return user_store.list_collections(conn)

    def collection_by_name(self, *, name: str) -> Collection | None:
        with self._ctx.db.read() as conn:
            return user_store.collection_by_name(conn, name)

    def create_collection(self, *, name: str) -> Collection:
        try:
            name = clean_name(name, "collection name")
            with self._ctx.write(Changes.COLLECTIONS, entry_ids=()) as conn:
                created = user_store.create_collection(conn, name, now=self._ctx.clock())
        except (NameInvalid, ValueError) as exc:
            raise AnnotationError(str(exc)) from None
        return created

    def rename_collection(self, *, collection_id: int, name: str) -> None:
        try:
            name = clean_name(name, "collection name")
            with self._ctx.write(Changes.COLLECTIONS, entry_ids=()) as conn:
                user_store.rename_collection(conn, collection_id, name, now=self._ctx.clock())
        except (NameInvalid, ValueError) as exc:
            raise AnnotationError(str(exc)) from None

    def delete_collection(self, *, collection_id: int) -> None:
        """Delete (recoverably: :meth:`restore_collection` undoes it)."""
        members: list[str] = []
        with self._ctx.write(Changes.COLLECTIONS, entry_ids=members) as conn:
            members += user_store.collection_entry_ids(conn, collection_id)
            user_store.delete_collection(conn, collection_id, now=self._ctx.clock())

    def restore_collection(self, *, collection_id: int) -> None:
        members: list[str] = []
        try:
            with self._ctx.write(Changes.COLLECTIONS, entry_ids=members) as conn:
                user_store.restore_collection(conn, collection_id, now=self._ctx.clock())
                members += user_store.collection_entry_ids(conn, collection_id)
        except ValueError as exc:
            raise AnnotationError(str(exc)) from None

    def add_to_collection(
        self, *, name: str, entry_ids: Sequence[str], create: bool = True
    ) -> tuple[Collection, int]:
        """Add entries to a collection by name (created if missing). Returns it and the count
        of entries that were not in it before."""
        try:
            clean = clean_name(name, "collection name")
        except NameInvalid as exc:
            raise AnnotationError(str(exc)) from None
        with self._ctx.write(Changes.COLLECTIONS, entry_ids=entry_ids) as conn:
            missing = [e for e in entry_ids if cat.pk_for_id(conn, e) is None]
            if missing:
                raise AnnotationError("No such entry: " + ", ".join(missing))
            collection = user_store.collection_by_name(conn, clean)
            if collection is None:
                if not create:
                    raise AnnotationError(f"There is no collection called “{clean}”.")
                collection = user_store.create_collection(conn, clean, now=self._ctx.clock())
            added = user_store.add_to_collection(
                conn, collection.id, list(dict.fromkeys(entry_ids)), now=self._ctx.clock()
            )
            collection = user_store.collection_by_id(conn, collection.id) or collection
        return collection, added

    def add_to_collection_id(self, *, collection_id: int, entry_ids: Sequence[str]) -> int:
        with self._ctx.write(Changes.COLLECTIONS, entry_ids=entry_ids) as conn:
            added = user_store.add_to_collection(
                conn, collection_id, list(dict.fromkeys(entry_ids)), now=self._ctx.clock()
            )
        return added

    def remove_from_collection(self, *, collection_id: int, entry_ids: Sequence[str]) -> None:
        with self._ctx.write(Changes.COLLECTIONS, entry_ids=entry_ids) as conn:
            user_store.remove_from_collection(conn, collection_id, entry_ids)

    def collection_entry_ids(self, *, collection_id: int) -> list[str]:
        with self._ctx.db.read() as conn:
            return user_store.collection_entry_ids(conn, collection_id)

    # ----------------------------------------------------------------- helpers

    @staticmethod
    def _require_entry(conn: object, entry_id: str) -> None:
        if cat.pk_for_id(conn, entry_id) is None:  # type: ignore[arg-type]
            raise AnnotationError(f"There is no entry “{entry_id}” in this library.")

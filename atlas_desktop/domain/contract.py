"""The contract's entry object (``../shared/contracts/atlas-api-v1.md`` section 1) and
:class:`~atlas_desktop.domain.entry.Entry`: the one module that knows both shapes.

- :func:`canonical_entry_dict` is the one validator. Every entry from outside (a bundle, a
  catalogue page, an atlas page or a reference file once parsed) passes through it and
  comes out *canonical*: the contract's object with a bare DOI, trimmed text, empty items
  and repeated tags dropped, unknown fields kept, in the contract's order. Every field is
  bounded here (``domain/limits.py``): a longer one is refused, named with its limit.
- :func:`entry_from_canonical` and :func:`entry_to_contract` turn that dict into an
  :class:`Entry` and back. ``entry_to_contract(entry_from_canonical(d)) == d``.

A canonical dict is what large imports carry (100,000 bundle entries never become
:class:`Entry` objects on their way into the library), and what the store makes its rows
from and reads its rows back into (``store/rows.py``), so the store holds no rule of its own
about an entry's fields. Whether an entry is complete is one rule too,
:func:`~atlas_desktop.domain.entry.missing_fields_of`, applied to either shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from . import limits
from .entry import (
    BADGE_KEYS,
    CONTRACT_FIELDS,
    DOI_RE,
    ENTRY_ID_RE,
    PMID_RE,
    SNAPSHOT_KEYS,
    Author,
    Badges,
    Entry,
    Origin,
    Pem,
    Snapshot,
    normalise_doi,
)

_CONTRACT_SET: Final = frozenset(CONTRACT_FIELDS)
_PEM_VALUES: Final = frozenset(p.value for p in Pem)
# Shared by every entry without badges or tags (both are immutable): exports read thousands
# of the user's references, which have neither.
_NO_BADGES: Final = Badges()
_NO_TAGS: Final[MappingProxyType[str, tuple[str, ...]]] = MappingProxyType({})


class EntryFormatError(ValueError):
    """An entry object does not follow the contract. ``path`` names the offending field."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message


# --------------------------------------------------------------------------- validation


def canonical_entry_dict(data: Any) -> dict[str, Any]:
    """Validate a contract entry object and return it canonical (see the module docstring).

    Raises :class:`EntryFormatError` naming the field at fault.
    """
    if not isinstance(data, Mapping):
        raise EntryFormatError("an entry must be a JSON object")
    entry_id = data.get("id")
    if not isinstance(entry_id, str) or not ENTRY_ID_RE.match(entry_id):
        raise EntryFormatError(f"must match [a-z0-9-]{{1,200}} (got {entry_id!r})", "id")

    authors_raw = data.get("authors") or []
    if not isinstance(authors_raw, list):
        raise EntryFormatError("must be a list", "authors")
    _count(authors_raw, limits.AUTHORS_MAX, "authors", "authors")
    authors: list[dict[str, str | None]] = []
    for i, raw in enumerate(authors_raw):
        family = raw.get("family") if isinstance(raw, Mapping) else None
        if not isinstance(family, str):
            raise EntryFormatError('each author needs a string "family"', f"authors[{i}]")
        given = raw.get("given")
        if given is not None and not isinstance(given, str):
            raise EntryFormatError('"given" must be a string or null', f"authors[{i}]")
        _bounded(family, limits.NAME_MAX, f"authors[{i}].family")
        _bounded(given or "", limits.NAME_MAX, f"authors[{i}].given")
        authors.append({"family": family.strip(), "given": (given or "").strip() or None})

    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise EntryFormatError("must be an integer or null", "year")

    doi = normalise_doi(_opt_str(data, "doi", limits.DOI_MAX))
    if doi is not None and not DOI_RE.match(doi):
        raise EntryFormatError(f"is not a DOI (got {doi!r})", "doi")
    pmid_raw = data.get("pmid")
    if isinstance(pmid_raw, int) and not isinstance(pmid_raw, bool):
        pmid_raw = str(pmid_raw)
    pmid = _opt_str({"pmid": pmid_raw}, "pmid")
    if pmid is not None and not PMID_RE.match(pmid):
        raise EntryFormatError(f"must be digits only (got {pmid!r})", "pmid")

    tags_raw = data.get("tags") or {}
    if not isinstance(tags_raw, Mapping):
        raise EntryFormatError("must be an object of category -> list of strings", "tags")
    tags: dict[str, list[str]] = {}
    _count([x for labels in tags_raw.values() if isinstance(labels, list) for x in labels]
           or tags_raw, limits.TAGS_MAX, "tags", "tags")
    for category, labels in tags_raw.items():
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise EntryFormatError("must be a list of strings", f"tags.{category}")
        _bounded(str(category), limits.TAG_MAX, "tags")
        for label in labels:
            _bounded(label, limits.TAG_MAX, f"tags.{str(category)[:40]}")
        cleaned = list(dict.fromkeys(x.strip().replace("\x1e", " ") for x in labels if x.strip()))
        if cleaned:
            tags[str(category).strip()] = cleaned

    last_updated = _date(data.get("last_updated"), "last_updated")
    # One budget for everything the contract does not name: unknown badges, the snapshot's
    # other fields and the entry's own, together (each part alone could be within it).
    budget = _Budget()
    out: dict[str, Any] = {
        "id": entry_id,
        "title": _opt_str(data, "title", limits.TITLE_MAX),
        "authors": authors,
        "journal": _opt_str(data, "journal", limits.JOURNAL_MAX),
        "year": year,
        "doi": doi,
        "pmid": pmid,
        "url": _opt_str(data, "url", limits.URL_MAX),
        "summary": _opt_str(data, "summary", limits.PROSE_MAX),
        "why_it_matters": _opt_str(data, "why_it_matters", limits.PROSE_MAX),
        "does_not_prove": _opt_str(data, "does_not_prove", limits.PROSE_MAX),
        "observed_findings": _str_list(data, "observed_findings"),
        "inferred_conclusions": _str_list(data, "inferred_conclusions"),
        "remaining_questions": _str_list(data, "remaining_questions"),
        "badges": _canonical_badges(data.get("badges"), budget),
        "evidence_level": _opt_str(data, "evidence_level", limits.PROSE_MAX),
        "tags": tags,
        "last_updated": last_updated.isoformat() if last_updated else None,
        "snapshot": _canonical_snapshot(data.get("snapshot"), budget),
        "bibtex_key": _opt_str(data, "bibtex_key", limits.KEY_MAX),
    }
    for key, value in data.items():
        if key not in out:
            budget.other(value, str(key)[:40])
            out[key] = value
    if out.get("authors_truncated") is False:
        del out["authors_truncated"]
    budget.whole(out)
    return out


def _bounded(text: str, limit: int, path: str) -> None:
    if len(text) > limit:
        raise EntryFormatError(f"is {len(text):,} characters long; the limit is {limit:,}", path)


def _count(items: Any, limit: int, what: str, path: str) -> None:
    if len(items) > limit:
        raise EntryFormatError(f"has {len(items):,} {what}; the limit is {limit:,}", path)


class _Budget:
    """The fields the contract does not name (kept verbatim): each text at most
    :data:`~.limits.OTHER_TEXT_MAX`, at most :data:`~.limits.OTHER_VALUES_MAX` values in all
    (walked without recursion: nesting cannot exhaust the stack); and then the text of the
    whole entry at most :data:`~.limits.ENTRY_TEXT_MAX`."""

    def __init__(self) -> None:
        self.values = 0
        #: The names of what is kept verbatim count as its text too.
        self.key_text = 0

    def other(self, value: Any, path: str) -> None:
        todo = [value]
        while todo:
            item = todo.pop()
            self.values += 1
            if self.values > limits.OTHER_VALUES_MAX:
                raise EntryFormatError(f"the fields beyond the atlas's hold more than "
                                       f"{limits.OTHER_VALUES_MAX:,} values", path)
            if isinstance(item, str):
                _bounded(item, limits.OTHER_TEXT_MAX, path)
            elif isinstance(item, Mapping):
                for key, nested in item.items():
                    _bounded(str(key), limits.SHORT_MAX, path)
                    self.key_text += len(str(key))
                    todo.append(nested)
            elif isinstance(item, list):
                todo.extend(item)

    def whole(self, entry: Mapping[str, Any]) -> None:
        total = self.key_text
        todo: list[Any] = [entry]
        while todo:
            item = todo.pop()
            if isinstance(item, str):
                total += len(item)
            elif isinstance(item, Mapping):
                todo.extend(item.values())
            elif isinstance(item, list):
                todo.extend(item)
        if total > limits.ENTRY_TEXT_MAX:
            raise EntryFormatError(f"the entry holds {total:,} characters of text; the limit "
                                   f"is {limits.ENTRY_TEXT_MAX:,}")


def _opt_str(data: Mapping[str, Any], key: str, limit: int = limits.SHORT_MAX) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise EntryFormatError("must be a string or null", key)
    _bounded(value, limit, key)
    return value.strip() or None


def _str_list(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EntryFormatError("must be a list of strings", key)
    _count(value, limits.ITEMS_MAX, "items", key)
    for i, item in enumerate(value):
        _bounded(item, limits.ITEM_MAX, f"{key}[{i}]")
    # U+001E (record separator) is how the store joins items; it has no place in prose.
    return [v.replace("\x1e", " ") for v in value if v.strip()]


def _date(value: Any, path: str) -> date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise EntryFormatError("must be a date string YYYY-MM-DD", path)
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise EntryFormatError(f"is not a date YYYY-MM-DD (got {value!r})", path) from None


def _canonical_badges(raw: Any, budget: _Budget) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise EntryFormatError("must be an object", "badges")
    out: dict[str, Any] = {}
    pem = raw.get("pem")
    if pem is not None:
        if pem not in _PEM_VALUES:
            raise EntryFormatError(
                f"must be one of required, not_required, unknown (got {pem!r})", "badges.pem"
            )
        out["pem"] = pem
    for key in ("evidence_tier", "confidence", "study_type"):
        value = raw.get(key)
        if value is not None:
            if not isinstance(value, str):
                raise EntryFormatError("must be a string", f"badges.{key}")
            _bounded(value, limits.SHORT_MAX, f"badges.{key}")
            if value:
                out[key] = value
    peer = raw.get("peer_reviewed")
    if peer is not None:
        if not isinstance(peer, bool):
            raise EntryFormatError("must be true or false", "badges.peer_reviewed")
        out["peer_reviewed"] = peer
    status = raw.get("review_status")
    if status is not None:
        if not isinstance(status, str):
            raise EntryFormatError("must be a string", "badges.review_status")
        _bounded(status, limits.SHORT_MAX, "badges.review_status")
        if status:
            out["review_status"] = status
    for key, value in raw.items():
        if key not in BADGE_KEYS:
            # Shown as pills: each text as short as a badge's.
            path = f"badges.{str(key)[:40]}"
            _bounded(str(key), limits.SHORT_MAX, "badges")
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    _bounded(text, limits.SHORT_MAX, path)
            budget.key_text += len(str(key))
            budget.other(value, path)
            out[key] = value
    return out


def _canonical_snapshot(raw: Any, budget: _Budget) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise EntryFormatError("must be an object or null", "snapshot")
    out: dict[str, Any] = {}
    for key in ("generator", "scanner", "policy"):
        value = raw.get(key)
        if value is not None:
            if not isinstance(value, str):
                raise EntryFormatError("must be a string", f"snapshot.{key}")
            _bounded(value, limits.SHORT_MAX, f"snapshot.{key}")
            out[key] = value
    accessed = _date(raw.get("accessed"), "snapshot.accessed")
    if accessed is not None:
        out["accessed"] = accessed.isoformat()
    others = {k: v for k, v in raw.items() if k not in SNAPSHOT_KEYS}
    budget.other(others, "snapshot")
    out.update(others)
    return out


# --------------------------------------------------------------------------- conversion


def entry_from_contract(data: Any) -> Entry:
    """Validate a contract entry object and build an :class:`Entry`.

    Raises :class:`EntryFormatError` naming the field at fault. Unknown fields are kept.
    """
    return entry_from_canonical(canonical_entry_dict(data))


def entry_from_canonical(
    d: Mapping[str, Any], *, origin: Origin = Origin.ATLAS, withdrawn: bool = False
) -> Entry:
    """Build an :class:`Entry` from a canonical dict (:func:`canonical_entry_dict`, or a
    stored row read back by the store). A field left out counts as empty, so a partial read
    (the bibliographic columns of an export) builds an entry the same way. ``origin`` and
    ``withdrawn`` are the library's facts, not the contract's."""
    get = d.get
    extra = {k: v for k, v in d.items() if k not in _CONTRACT_SET}
    badges = get("badges")
    snapshot = get("snapshot")
    tags = get("tags")
    last_updated = get("last_updated")
    return Entry(
        id=d["id"],
        title=get("title"),
        authors=tuple([Author(a["family"], a["given"]) for a in get("authors") or ()]),
        journal=get("journal"),
        year=get("year"),
        doi=get("doi"),
        pmid=get("pmid"),
        url=get("url"),
        summary=get("summary"),
        why_it_matters=get("why_it_matters"),
        does_not_prove=get("does_not_prove"),
        observed_findings=tuple(get("observed_findings") or ()),
        inferred_conclusions=tuple(get("inferred_conclusions") or ()),
        remaining_questions=tuple(get("remaining_questions") or ()),
        badges=Badges.from_dict(badges) if badges else _NO_BADGES,
        evidence_level=get("evidence_level"),
        tags=MappingProxyType({k: tuple(v) for k, v in tags.items()}) if tags else _NO_TAGS,
        last_updated=date.fromisoformat(last_updated) if last_updated else None,
        snapshot=Snapshot.from_dict(snapshot) if snapshot is not None else None,
        bibtex_key=get("bibtex_key"),
        extra=MappingProxyType(extra),
        origin=origin,
        withdrawn=withdrawn,
        authors_truncated=bool(extra.get("authors_truncated", False)),
    )


def entry_to_contract(entry: Entry) -> dict[str, Any]:
    """The contract's JSON object for an entry, unknown fields included (canonical when the
    entry came from a canonical dict)."""
    out: dict[str, Any] = {
        "id": entry.id,
        "title": entry.title,
        "authors": [{"family": a.family, "given": a.given} for a in entry.authors],
        "journal": entry.journal,
        "year": entry.year,
        "doi": entry.doi,
        "pmid": entry.pmid,
        "url": entry.url,
        "summary": entry.summary,
        "why_it_matters": entry.why_it_matters,
        "does_not_prove": entry.does_not_prove,
        "observed_findings": list(entry.observed_findings),
        "inferred_conclusions": list(entry.inferred_conclusions),
        "remaining_questions": list(entry.remaining_questions),
        "badges": entry.badges.to_dict(),
        "evidence_level": entry.evidence_level,
        "tags": {k: list(v) for k, v in entry.tags.items()},
        "last_updated": entry.last_updated.isoformat() if entry.last_updated else None,
        "snapshot": entry.snapshot.to_dict() if entry.snapshot else None,
        "bibtex_key": entry.bibtex_key,
    }
    for key, value in entry.extra.items():
        out.setdefault(key, value)
    if entry.authors_truncated:
        out["authors_truncated"] = True
    return out

"""Records completed from PubMed, Crossref and doi.org, and the notices found with them.

The atlas's own values are never replaced: a :class:`CompletedRecord` sits beside an entry
and says, per field, what a source gave, which source and when, and where the two differ.
Later readers (citations, the detail pane, exports, the search's ``is:retracted``) use it;
nothing here knows about HTTP or SQL.

Field names are CSL-JSON variable names (``volume``, ``issue``, ``page``, ``issued``,
``container-title-short``, ``ISSN``, ``PMCID``, ``author``, ``title`` with its markup…), so
a citation can lay them over the entry's item as they are; ``publication_types`` is the one
name of ours (PubMed's list, or Crossref's type).

Direction of notices: a record *has* a notice (it is retracted, corrected, under concern or
updated) when PubMed says ``Retracted Publication`` or lists ``RetractionIn``/``ErratumIn``/
``ExpressionOfConcernIn``/``UpdateIn``, or when Crossref lists it in ``updated-by``. A
record that *is* a notice (``Retraction of Publication``, ``update-to``) is not retracted:
it is kept as ``notice_of`` and never flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from .entry import Entry


class Source(StrEnum):
    PUBMED = "pubmed"
    CROSSREF = "crossref"
    DOI = "doi.org"


#: How a source is named to a reader (a notice's sources too: Retraction Watch's records
#: come through Crossref).
SOURCE_NAMES: Final = {"pubmed": "PubMed", "crossref": "Crossref", "doi.org": "doi.org",
                       "retraction-watch": "Retraction Watch"}


def source_name(source: str) -> str:
    """``pubmed`` -> "PubMed"; a source not listed in words (``some-source`` -> "Some Source")."""
    return SOURCE_NAMES.get(source) or source.replace("-", " ").title()


class NoticeKind(StrEnum):
    RETRACTION = "retraction"
    CORRECTION = "correction"
    CONCERN = "concern"
    UPDATE = "update"


#: Which source wins a field when two gave it: PubMed's record is the one medical citations
#: follow (NLM abbreviations, full given names), Crossref and doi.org fill what it lacks.
SOURCE_ORDER: Final = (Source.PUBMED, Source.CROSSREF, Source.DOI)

#: The fields a completed record may hold, in the order they are shown.
FIELDS: Final = (
    "title", "author", "editor", "container-title", "container-title-short", "ISSN", "volume",
    "issue", "page", "issued", "publisher", "publisher-place", "publication_types", "PMID",
    "PMCID", "DOI", "type",
)


@dataclass(frozen=True, slots=True)
class Notice:
    """A retraction, correction, expression of concern or update of a paper."""

    kind: NoticeKind
    source: str  # "pubmed", "crossref", "retraction-watch", or several joined by ", "
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    doi: str | None = None  # the notice's own DOI
    pmid: str | None = None  # the notice's own PMID
    #: The source's words for it ("partial_retraction", "ErratumIn"...).
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "source": self.source, "date": self.date,
                "doi": self.doi, "pmid": self.pmid, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Notice:
        return cls(NoticeKind(data["kind"]), str(data.get("source") or ""),
                   _opt(data.get("date")), _opt(data.get("doi")), _opt(data.get("pmid")),
                   _opt(data.get("detail")))


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What one source said about one identifier."""

    source: Source
    identifier: str  # the PMID or DOI asked for
    fields: Mapping[str, Any]
    notices: tuple[Notice, ...] = ()
    #: Set when the record is itself a notice: the kinds and targets it is a notice of.
    notice_of: tuple[Notice, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"fields": dict(self.fields), "notices": [n.to_dict() for n in self.notices],
                "notice_of": [n.to_dict() for n in self.notice_of]}

    @classmethod
    def from_json(cls, source: str, identifier: str, data: Mapping[str, Any]) -> SourceRecord:
        return cls(Source(source), identifier, dict(data.get("fields") or {}),
                   tuple(Notice.from_dict(n) for n in data.get("notices") or []),
                   tuple(Notice.from_dict(n) for n in data.get("notice_of") or []))


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A source record as kept for an entry, with when it was retrieved."""

    record: SourceRecord
    retrieved_at: str


@dataclass(frozen=True, slots=True)
class CompletedField:
    value: Any
    source: str
    retrieved_at: str


@dataclass(frozen=True, slots=True)
class Difference:
    """Where the atlas and a source disagree: shown, and offered for a correction report."""

    field: str  # the atlas's field name: title, authors, journal, year, doi, pmid
    atlas_value: Any
    source_value: Any
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "atlas": self.atlas_value, "source_value": self.source_value,
                "source": self.source}


@dataclass(frozen=True)
class CompletedRecord:
    """Everything completed for one entry (empty when nothing was)."""

    entry_id: str
    fields: Mapping[str, CompletedField] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()
    #: Kinds of notice this entry's own record is (a retraction notice, an erratum...).
    notice_of: tuple[Notice, ...] = ()
    differences: tuple[Difference, ...] = ()
    #: source -> retrieved_at, for "completed from PubMed on …".
    retrieved: Mapping[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.fields and not self.notices and not self.notice_of

    @property
    def is_retracted(self) -> bool:
        return any(n.kind is NoticeKind.RETRACTION for n in self.notices)

    @property
    def is_corrected(self) -> bool:
        return any(n.kind is NoticeKind.CORRECTION for n in self.notices)

    @property
    def has_concern(self) -> bool:
        return any(n.kind is NoticeKind.CONCERN for n in self.notices)

    @property
    def is_updated(self) -> bool:
        return any(n.kind is NoticeKind.UPDATE for n in self.notices)

    def value(self, name: str) -> Any:
        completed = self.fields.get(name)
        return None if completed is None else completed.value

    def csl_fields(self) -> dict[str, Any]:
        """The completed values as CSL-JSON variables (the seam for citations and exports;
        ``publication_types`` is not a CSL variable and is left out)."""
        return {name: f.value for name, f in self.fields.items() if name != "publication_types"}

    def to_dict(self) -> dict[str, Any]:
        """``show --json``'s ``completed`` and ``notices`` (and what differs)."""
        return {
            "completed": {name: {"value": f.value, "source": f.source,
                                 "retrieved_at": f.retrieved_at}
                          for name, f in self.fields.items()},
            "notices": [n.to_dict() for n in self.notices],
            "differences": [d.to_dict() for d in self.differences],
        }


def build_record(entry: Entry | None, entry_id: str, stored: Iterable[StoredRecord]
                 ) -> CompletedRecord:
    """Merge what each source gave (in :data:`SOURCE_ORDER`) into one record for an entry,
    and list where it differs from the atlas's values."""
    by_source = {s.record.source: s for s in stored}
    fields: dict[str, CompletedField] = {}
    notices: list[Notice] = []
    notice_of: list[Notice] = []
    for source in SOURCE_ORDER:
        item = by_source.get(source)
        if item is None:
            continue
        for name in FIELDS:
            value = item.record.fields.get(name)
            if name not in fields and value not in (None, "", [], {}):
                fields[name] = CompletedField(value, source.value, item.retrieved_at)
        notices.extend(item.record.notices)
        notice_of.extend(item.record.notice_of)
    ordered: dict[str, CompletedField] = {name: fields[name] for name in FIELDS
                                          if name in fields}
    differences = tuple(atlas_differences(entry, ordered)) if entry is not None else ()
    return CompletedRecord(entry_id, ordered, tuple(merge_notices(notices)),
                           tuple(merge_notices(notice_of)), differences,
                           {s.value: by_source[s].retrieved_at for s in SOURCE_ORDER
                            if s in by_source})


def merge_notices(notices: Iterable[Notice]) -> list[Notice]:
    """One notice per notice: the same one from PubMed and Crossref (same kind and the same
    DOI or PMID, or the same date where one of them names neither) becomes one, its ids and
    sources joined. Sorted by date."""
    merged: list[Notice] = []
    for notice in notices:
        for index, other in enumerate(merged):
            if same_notice(notice, other):
                merged[index] = _join(other, notice)
                break
        else:
            merged.append(notice)
    return sorted(merged, key=lambda n: (n.date or "", n.kind.value))


#: When two sources call one notice differently (PubMed's "RetractionIn" for Wakefield's
#: 2004 notice, Retraction Watch's "correction"), the graver word is kept.
_SEVERITY: Final = {NoticeKind.RETRACTION: 3, NoticeKind.CONCERN: 2, NoticeKind.CORRECTION: 1,
                    NoticeKind.UPDATE: 0}


def same_notice(a: Notice, b: Notice) -> bool:
    """Whether two records name the same notice (found again, or by another source)."""
    if a.doi and b.doi and a.doi.lower() == b.doi.lower():
        return True  # one DOI is one notice, whatever each source calls it
    if a.pmid and b.pmid and a.pmid == b.pmid:
        return True
    if a.kind is not b.kind or (a.doi and b.doi) or (a.pmid and b.pmid):
        return False  # both name the notice, differently: two notices
    # One names it by DOI, the other by PMID (or neither does): the same day is the same one.
    return bool(a.date and b.date and a.date == b.date) or (
        not (a.doi or a.pmid) and not (b.doi or b.pmid))


def _join(a: Notice, b: Notice) -> Notice:
    sources = list(dict.fromkeys([*a.source.split(", "), *b.source.split(", ")]))
    date = a.date if a.date and (not b.date or len(a.date) >= len(b.date)) else b.date
    kind = a.kind if _SEVERITY[a.kind] >= _SEVERITY[b.kind] else b.kind
    details = list(dict.fromkeys(d for d in (a.detail, b.detail) if d))
    return Notice(kind, ", ".join(s for s in sources if s), date, a.doi or b.doi,
                  a.pmid or b.pmid, ", ".join(details) or None)


# --------------------------------------------------------------------------- differences

_TAG_RE: Final = re.compile(r"</?[a-zA-Z][^>]{0,80}>")


def plain_text(value: str) -> str:
    """A marked-up title as plain text."""
    return " ".join(_TAG_RE.sub("", value).split())


def _norm_title(value: str) -> str:
    text = plain_text(value).casefold().rstrip(".").strip("[] ")
    return re.sub(r"[^\w]+", " ", text).strip()


def _norm_journal(value: str) -> str:
    text = re.sub(r"[^\w]+", " ", value.casefold()).strip()
    return re.sub(r"^the ", "", text)


def _name_text(name: Mapping[str, Any]) -> str:
    if name.get("literal"):
        return str(name["literal"])
    given = name.get("given")
    return f"{name.get('family', '')}, {given}" if given else str(name.get("family", ""))


def issued_year(issued: Any) -> int | None:
    if isinstance(issued, Mapping):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            try:
                return int(parts[0][0])
            except (TypeError, ValueError):
                return None
    return None


def atlas_differences(entry: Entry, fields: Mapping[str, CompletedField]) -> list[Difference]:
    """Where the entry's own values disagree with the completed ones (case, punctuation and
    a trailing period are not differences; an author list the atlas cut short is)."""
    out: list[Difference] = []
    title = fields.get("title")
    if title and entry.title and _norm_title(entry.title) != _norm_title(str(title.value)):
        out.append(Difference("title", entry.title, plain_text(str(title.value)), title.source))
    journal = fields.get("container-title")
    short = fields.get("container-title-short")
    if journal and entry.journal:
        known = {_norm_journal(str(journal.value))}
        if short:
            known.add(_norm_journal(str(short.value)))
        if _norm_journal(entry.journal) not in known:
            out.append(Difference("journal", entry.journal, journal.value, journal.source))
    issued = fields.get("issued")
    year = issued_year(issued.value) if issued else None
    if issued and year is not None and entry.year is not None and year != entry.year:
        out.append(Difference("year", entry.year, year, issued.source))
    authors = fields.get("author")
    if authors and isinstance(authors.value, list) and entry.authors:
        theirs = [_name_text(a) for a in authors.value if isinstance(a, Mapping)]
        ours = [a.display() for a in entry.authors]
        families = [str(a.get("family") or a.get("literal") or "").casefold()
                    for a in authors.value if isinstance(a, Mapping)]
        if entry.authors_truncated or len(ours) != len(theirs) or any(
                a.family.casefold() != f for a, f in zip(entry.authors, families, strict=False)):
            out.append(Difference("authors", ours, theirs, authors.source))
    doi = fields.get("DOI")
    if doi and entry.doi and str(doi.value).lower() != entry.doi.lower():
        out.append(Difference("doi", entry.doi, doi.value, doi.source))
    pmid = fields.get("PMID")
    if pmid and entry.pmid and str(pmid.value) != entry.pmid:
        out.append(Difference("pmid", entry.pmid, pmid.value, pmid.source))
    return out


def _opt(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def notices_summary(records: Sequence[CompletedRecord]) -> dict[str, int]:
    """How many entries are retracted, corrected, under concern (for a run's report)."""
    return {"retracted": sum(r.is_retracted for r in records),
            "corrected": sum(r.is_corrected for r in records),
            "concern": sum(r.has_concern for r in records)}

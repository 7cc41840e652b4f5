"""Add by identifier: complete references in "my library" from a DOI, PMID, PMCID or URL.

The reference is built from what PubMed, Crossref or doi.org say (PubMed first), as a
CSL-JSON item read by the same reader and written by the same import steps as a CSL-JSON
file: ids and keys, duplicates reported, atlas entries with the same DOI or PMID linked.
A DOI or PMID already in "my library" is not added twice. The source records are kept for
the new reference, so it shows as completed and its notices are known at once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.completion import Source, SourceRecord, StoredRecord, build_record
from atlas_desktop.domain.entry import Origin
from atlas_desktop.domain.identifiers import Identifier, IdKind, find_identifiers
from atlas_desktop.domain.references import DuplicatePair
from atlas_desktop.formats.csljson import read_csl_json
from atlas_desktop.online.lookup import Cancelled, Lookup, Status
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import completion as store
from atlas_desktop.store import references as ref_store

from .completion import OFF_MESSAGE, CompletionOff, CompletionService
from .context import LibraryContext
from .import_report import FileResult
from .reference_import import assign_ids, finish_references, report_duplicates_and_links

if TYPE_CHECKING:
    from atlas_desktop.online.client import OnlineClient


class AddError(ValueError):
    """Nothing to add; ``str`` says why, for the user."""


@dataclass
class AddResult:
    identifier: str  # "doi:…", "pmid:…", "pmcid:…"
    result: str  # added, exists, not found, failed: <reason>
    id: str | None = None
    linked_atlas_id: str | None = None
    duplicates: list[DuplicatePair] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"identifier": self.identifier, "result": self.result, "id": self.id,
                "linked": self.linked_atlas_id,
                "duplicates": [d.to_dict() for d in self.duplicates]}


class AddService:
    def __init__(self, ctx: LibraryContext, completion: CompletionService) -> None:
        self._ctx = ctx
        self._completion = completion

    def add(self, *, texts: Sequence[str], cancel: threading.Event | None = None
            ) -> list[AddResult]:
        """Every DOI, PMID and PMCID in ``texts`` (arguments or one pasted block)."""
        idents = find_identifiers(list(texts))
        if not idents:
            raise AddError("No DOI, PMID or PMCID was found in what was given.")
        if not self._completion.enabled():
            raise CompletionOff(OFF_MESSAGE)
        with self._ctx.db.read() as conn:
            prints = ref_store.reference_fingerprints(conn)
        by_doi = {p.doi.lower(): p.id for p in prints if p.doi}
        by_pmid = {p.pmid: p.id for p in prints if p.pmid}
        results: dict[Identifier, AddResult] = {}
        order: list[Identifier] = []  # as found (a PMCID by the PMID it stands for)
        todo: list[Identifier] = []
        from atlas_desktop.online.client import OnlineClient  # the HTTP stack, when used

        with OnlineClient(self._completion.online_config(), cancel=cancel) as client:
            try:
                for ident in idents:
                    if ident.kind is IdKind.PMCID:
                        pmid = client.pmid_for_pmcid(ident.value)
                        if isinstance(pmid, Lookup) or pmid is None:
                            results[ident] = AddResult(str(ident), _failure(pmid))
                            order.append(ident)
                            continue
                        ident = Identifier(IdKind.PMID, pmid)  # noqa: PLW2901
                    if ident in order:
                        continue  # the PMCID of a PMID given too
                    order.append(ident)
                    existing = (by_doi.get(ident.value.lower()) if ident.kind is IdKind.DOI
                                else by_pmid.get(ident.value))
                    if existing is not None:
                        results[ident] = AddResult(str(ident), "exists", existing)
                    else:
                        todo.append(ident)
                records = _look_up(client, todo)
            except Cancelled:
                raise AddError("Adding was stopped; nothing was added.") from None
        items: list[tuple[Identifier, list[SourceRecord]]] = []
        for ident in todo:
            found = records.get(ident)
            if isinstance(found, str):
                results[ident] = AddResult(str(ident), found)
            elif found:
                items.append((ident, found))
        if items:
            self._write(items, results)
        return [results[i] for i in dict.fromkeys(order)]

    def _write(self, items: list[tuple[Identifier, list[SourceRecord]]],
               results: dict[Identifier, AddResult]) -> None:
        csl_items = [_csl_item(records) for _, records in items]
        parsed = read_csl_json(orjson.dumps(csl_items))
        result = FileResult(file="add by identifier", kind="csl-json", origin=Origin.MINE,
                            contracts=list(parsed.references))
        finish_references([result])
        now = self._ctx.clock()
        with self._ctx.write(Changes.CATALOGUE | Changes.COMPLETION) as conn:
            assign_ids(conn, [result])
            outcome = cat.upsert_contracts(conn, result.contracts, ids=result.ids, now=now,
                                           origin=Origin.MINE)
            result.imported = list(outcome.new)
            result.updated = [i for i in outcome.updated_ids if i not in outcome.new]
            report_duplicates_and_links(conn, [result])
            written = _match(items, result.contracts)
            for ident, records in items:
                entry_id = written.get(ident)
                if entry_id is None:
                    continue
                for record in records:
                    store.save_record(conn, entry_id, record, now=now)
                stored = [StoredRecord(r, now) for r in records]
                store.set_notices(conn, entry_id, build_record(None, entry_id, stored).notices)
        linked = {link.id: link.atlas_id for link in result.linked}
        for ident, entry_id in written.items():
            results[ident] = AddResult(
                str(ident), "added", entry_id, linked.get(entry_id),
                [d for d in result.duplicates if entry_id in (d.id, d.duplicate_of)])
        for ident, _ in items:
            results.setdefault(ident, AddResult(str(ident), "failed: " + "; ".join(
                result.errors or ["the record could not be made into a reference"])))


def _look_up(client: OnlineClient, idents: list[Identifier]
             ) -> dict[Identifier, list[SourceRecord] | str]:
    """Each identifier's records (PubMed first), or the reason there are none."""
    pmids = [i.value for i in idents if i.kind is IdKind.PMID]
    pubmed = client.pubmed(pmids) if pmids else {}
    dois = [i.value for i in idents if i.kind is IdKind.DOI]
    # The DOIs PubMed gave: Crossref holds their notices (Retraction Watch's among them).
    for pmid in pmids:
        record = pubmed[pmid].record
        if record is not None and isinstance(record.fields.get("DOI"), str):
            dois.append(record.fields["DOI"])
    crossref = client.crossref(dois) if dois else {}
    out: dict[Identifier, list[SourceRecord] | str] = {}
    for ident in idents:
        if ident.kind is IdKind.PMID:
            lookup = pubmed[ident.value]
            if lookup.record is None:
                out[ident] = _failure(lookup)
                continue
            doi = lookup.record.fields.get("DOI")
            extra = crossref.get(doi) if isinstance(doi, str) else None
            out[ident] = [lookup.record, *([extra.record] if extra and extra.record else [])]
            continue
        lookup = crossref[ident.value]
        if lookup.status is Status.NOT_FOUND:
            lookup = client.doi_csl(ident.value)
        out[ident] = [lookup.record] if lookup.record is not None else _failure(lookup)
    return out


def _match(items: list[tuple[Identifier, list[SourceRecord]]],
           contracts: list[dict[str, Any]]) -> dict[Identifier, str]:
    """Which written reference each identifier became (a reference the reader refused has
    none)."""
    by_doi = {str(c["doi"]).lower(): c["id"] for c in contracts if c.get("doi")}
    by_pmid = {str(c["pmid"]): c["id"] for c in contracts if c.get("pmid")}
    out: dict[Identifier, str] = {}
    for ident, records in items:
        fields: dict[str, Any] = {}
        for record in records:
            fields = {**record.fields, **fields}
        doi, pmid = fields.get("DOI"), fields.get("PMID")
        entry_id = (by_pmid.get(str(pmid)) if pmid else None) or (
            by_doi.get(str(doi).lower()) if doi else None)
        if entry_id is not None:
            out[ident] = entry_id
    return out


def _failure(lookup: Lookup | None) -> str:
    if lookup is None or lookup.status is Status.NOT_FOUND:
        return "not found"
    return f"failed: {lookup.reason}"


def _csl_item(records: list[SourceRecord]) -> dict[str, Any]:
    """One CSL-JSON item from the records (PubMed's values first)."""
    merged = build_record(None, "", [StoredRecord(r, "") for r in records])
    item: dict[str, Any] = {k: v for k, v in merged.csl_fields().items()
                            if k not in {"author", "editor"}}
    pubmed = next((r for r in records if r.source is Source.PUBMED), None)
    first = pubmed or records[0]
    for role in ("author", "editor"):
        names = first.fields.get(role) or next(
            (r.fields.get(role) for r in records if r.fields.get(role)), None)
        if names:
            item[role] = names
    item.setdefault("type", "article-journal")
    if isinstance(item.get("ISSN"), list):
        item["ISSN"] = ", ".join(item["ISSN"])
    return item

"""Libraries with atlas entries whose identifiers are those of the recorded answers."""

from __future__ import annotations

from typing import Any

from atlas_desktop.domain.contract import canonical_entry_dict
from atlas_desktop.domain.entry import Origin
from atlas_desktop.services.completion import CompletionService
from atlas_desktop.store import catalogue as cat

WAKEFIELD = {"id": "wakefield-1998", "pmid": "9500320", "doi": "10.1016/s0140-6736(97)11096-0",
             "title": "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive "
                      "developmental disorder in children.",
             "authors": [{"family": "Wakefield", "given": "A J"},
                         {"family": "Murch", "given": "S H"}],
             "authors_truncated": True, "journal": "Lancet", "year": 1998}
WAKEFIELD_NOTICE = {"id": "wakefield-retraction-2010", "pmid": "20137807",
                    "doi": "10.1016/s0140-6736(10)60175-4", "title": "Retraction", "year": 2010}
HCQ = {"id": "mehra-2020-hydroxychloroquine", "doi": "10.1016/s0140-6736(20)31180-6",
       "title": "Hydroxychloroquine or chloroquine with or without a macrolide for treatment of "
                "COVID-19: a multinational registry analysis", "year": 2020}
HCQ_NOTICE = {"id": "mehra-2020-retraction", "doi": "10.1016/s0140-6736(20)31324-6",
              "title": "Retraction", "year": 2020}
PLOS = {"id": "neirinckx-2013-bone-marrow", "pmid": "23741377",
        "doi": "10.1371/journal.pone.0064723", "title": "Adult bone marrow neural crest stem "
        "cells and mesenchymal stem cells are not able to replace lost neurons in acute "
        "MPTP-lesioned mice", "year": 2013, "journal": "PLoS One"}
CRYO = {"id": "taddei-2001-cryopreservation", "pmid": "11748933", "year": 2002,
        "title": "Is cryopreservation a homogeneous process?", "journal": "Cryobiology",
        "authors": [{"family": "Taddei", "given": "A R"}]}
FIGSHARE = {"id": "himmelstein-2017-hetnet", "doi": "10.6084/m9.figshare.4724797",
            "title": "The hetnet awakens", "year": 2017}
UNKNOWN_PMID = {"id": "unknown-pmid", "pmid": "1", "title": "Not in PubMed", "year": 2000}
UNKNOWN_DOI = {"id": "unknown-doi", "doi": "10.5555/not-registered", "title": "Nowhere",
               "year": 2000}
ALL = [WAKEFIELD, WAKEFIELD_NOTICE, HCQ, HCQ_NOTICE, PLOS, CRYO, FIGSHARE, UNKNOWN_PMID,
       UNKNOWN_DOI]


def add_entries(library: Any, entries: list[dict[str, Any]]) -> None:
    contracts = [canonical_entry_dict({"summary": "A sample summary.", **e}) for e in entries]
    with library.ctx.db.write() as conn:
        cat.upsert_contracts(conn, contracts, ids=[c["id"] for c in contracts],
                             now=library.ctx.clock(), origin=Origin.ATLAS)


def service(library: Any, server: Any, sleeps: list[float] | None = None,
            **config: Any) -> CompletionService:
    """The library's completion against the replay server: rates off, waits recorded (the
    test's clock does not sleep), no environment overrides."""
    waits = sleeps if sleeps is not None else []
    return CompletionService(library.ctx, config=server.config(**config),
                             sleep=waits.append, environ={})

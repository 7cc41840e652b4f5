"""Citations, copies and exports of atlas entries once their records are completed from the
recorded PubMed, Crossref and doi.org answers, and the warnings for retracted papers.

Completion runs against the replay server, which is then shut down: every citation below is
made offline, from what was kept.
"""

from __future__ import annotations

import io
import json

import pytest

from atlas_desktop.citations import resolve_style, shared_engines
from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.domain.contract import canonical_entry_dict
from atlas_desktop.domain.entry import Origin
from atlas_desktop.services.exporting import ExportFormat
from atlas_desktop.store import catalogue as cat
from tests.online.replay import ReplayServer
from tests.online.support import (
    ALL,
    CRYO,
    HCQ,
    HCQ_NOTICE,
    PLOS,
    WAKEFIELD,
    WAKEFIELD_NOTICE,
    add_entries,
    service,
)

# The recorded records converted to CSL-JSON by hand, from reading them (the MEDLINE text of
# PMID 9500320, the MEDLINE text of PMID 23741377, the efetch XML of PMID 11748933): the
# authors as FAU lists them, TI without its closing period (CSL titles carry none), DP as
# the date, VI, IP and PG as they are, JT as the container title and TA as its short form,
# the DOI of AID/ELocationID, PMID and PMC.
HAND = {
    WAKEFIELD["id"]: {
        "type": "article-journal",
        "title": "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive "
                 "developmental disorder in children",
        "author": [{"family": f, "given": g} for f, g in (
            ("Wakefield", "A J"), ("Murch", "S H"), ("Anthony", "A"), ("Linnell", "J"),
            ("Casson", "D M"), ("Malik", "M"), ("Berelowitz", "M"), ("Dhillon", "A P"),
            ("Thomson", "M A"), ("Harvey", "P"), ("Valentine", "A"), ("Davies", "S E"),
            ("Walker-Smith", "J A"))],
        "container-title": "Lancet (London, England)", "container-title-short": "Lancet",
        "volume": "351", "issue": "9103", "page": "637-41",
        "issued": {"date-parts": [[1998, 2, 28]]},
        "DOI": "10.1016/s0140-6736(97)11096-0", "PMID": "9500320",
    },
    PLOS["id"]: {
        "type": "article-journal",
        "title": "Adult bone marrow neural crest stem cells and mesenchymal stem cells are not "
                 "able to replace lost neurons in acute MPTP-lesioned mice",
        "author": [{"family": f, "given": g} for f, g in (
            ("Neirinckx", "Virginie"), ("Marquet", "Alice"), ("Coste", "Cecile"),
            ("Rogister", "Bernard"), ("Wislet-Gendebien", "Sabine"))],
        "container-title": "PloS one", "container-title-short": "PLoS One",
        "volume": "8", "issue": "5", "page": "e64723", "issued": {"date-parts": [[2013]]},
        "DOI": "10.1371/journal.pone.0064723", "PMID": "23741377", "PMCID": "PMC3669410",
    },
    CRYO["id"]: {
        "type": "article-journal",
        "title": "Is cryopreservation a homogeneous process? Ultrastructure and motility of "
                 "untreated, prefreezing, and postthawed spermatozoa of Diplodus puntazzo "
                 "(Cetti)",
        "author": [{"family": f, "given": g} for f, g in (
            ("Taddei", "A R"), ("Barbato", "F"), ("Abelli", "L"), ("Canese", "S"),
            ("Moretti", "F"), ("Rana", "K J"), ("Fausto", "A M"), ("Mazzini", "M"))],
        "container-title": "Cryobiology", "container-title-short": "Cryobiology",
        "volume": "42", "issue": "4", "page": "244-55",
        "issued": {"date-parts": [[2001, 6]]},
        "DOI": "10.1006/cryo.2001.2328", "PMID": "11748933",
    },
}

# What citeproc-js (js/node_modules/citeproc, through our engine, one item alone) printed for
# each HAND item above, in the styles of medicine; test_the_expected_texts_are_citeproc_js_s
# renders them again so this table cannot drift from that.
EXPECTED = {
    ("vancouver", WAKEFIELD["id"]):
        "1. Wakefield AJ, Murch SH, Anthony A, Linnell J, Casson DM, Malik M, et al. "
        "Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental "
        "disorder in children. Lancet. 1998 Feb 28;351(9103):637–41. "
        "doi:10.1016/s0140-6736(97)11096-0 PubMed PMID: 9500320.",
    ("ama", WAKEFIELD["id"]):
        "1. Wakefield AJ, Murch SH, Anthony A, et al. Ileal-lymphoid-nodular hyperplasia, "
        "non-specific colitis, and pervasive developmental disorder in children. Lancet. "
        "1998;351(9103):637-641. doi:10.1016/s0140-6736(97)11096-0",
    ("vancouver", PLOS["id"]):
        "1. Neirinckx V, Marquet A, Coste C, Rogister B, Wislet-Gendebien S. Adult bone marrow "
        "neural crest stem cells and mesenchymal stem cells are not able to replace lost "
        "neurons in acute MPTP-lesioned mice. PLoS One. 2013;8(5):e64723. "
        "doi:10.1371/journal.pone.0064723 PubMed PMID: 23741377; PubMed Central PMCID: "
        "PMC3669410.",
    ("ama", PLOS["id"]):
        "1. Neirinckx V, Marquet A, Coste C, Rogister B, Wislet-Gendebien S. Adult bone marrow "
        "neural crest stem cells and mesenchymal stem cells are not able to replace lost "
        "neurons in acute MPTP-lesioned mice. PLoS One. 2013;8(5):e64723. "
        "doi:10.1371/journal.pone.0064723",
    ("vancouver", CRYO["id"]):
        "1. Taddei AR, Barbato F, Abelli L, Canese S, Moretti F, Rana KJ, et al. Is "
        "cryopreservation a homogeneous process? Ultrastructure and motility of untreated, "
        "prefreezing, and postthawed spermatozoa of Diplodus puntazzo (Cetti). Cryobiology. "
        "2001 Jun;42(4):244–55. doi:10.1006/cryo.2001.2328 PubMed PMID: 11748933.",
    ("ama", CRYO["id"]):
        "1. Taddei AR, Barbato F, Abelli L, et al. Is cryopreservation a homogeneous process? "
        "Ultrastructure and motility of untreated, prefreezing, and postthawed spermatozoa of "
        "Diplodus puntazzo (Cetti). Cryobiology. 2001;42(4):244-255. "
        "doi:10.1006/cryo.2001.2328",
}


@pytest.fixture
def completed(library):
    """The atlas entries of the recorded answers, completed, with the server gone."""
    add_entries(library, ALL)
    with ReplayServer() as server:
        service(library, server).complete(entry_ids=None)
    return library


def cite(library, entry_id: str, style: str, kind: CopyKind = CopyKind.BIBLIOGRAPHY):
    return library.citations.copy(entry_ids=[entry_id], style=style, kind=kind,
                                  formats=("text",))


@pytest.mark.parametrize(("style", "entry_id"), sorted(EXPECTED))
def test_the_expected_texts_are_citeproc_js_s_for_the_hand_converted_records(style, entry_id):
    engine = shared_engines().engine(resolve_style(style), None)
    rendering = engine.render([{"id": "hand", **HAND[entry_id]}], formats=("text",))
    assert rendering.entries["text"]["hand"] == EXPECTED[(style, entry_id)]


@pytest.mark.parametrize(("style", "entry_id"), sorted(EXPECTED))
def test_completed_entries_cite_as_their_records_do_offline(completed, style, entry_id):
    copy = cite(completed, entry_id, style)
    assert copy.content.text == EXPECTED[(style, entry_id)]


def test_before_completion_the_same_entry_cites_from_the_atlas_alone(library):
    add_entries(library, [WAKEFIELD])
    ama = cite(library, WAKEFIELD["id"], "ama").content.text
    assert "Published online 1998" in ama and "Wakefield AJ, Murch SH, et al." in ama


@pytest.mark.parametrize("entry_id", [WAKEFIELD["id"], PLOS["id"], CRYO["id"]])
def test_printed_papers_are_not_preprints_or_published_online(completed, entry_id):
    assert "Published online" not in cite(completed, entry_id, "ama").content.text
    harvard = cite(completed, entry_id, "harvard")
    assert "[Preprint]" not in harvard.content.text
    assert not any("no volume or pages" in w for w in harvard.warnings)


def test_where_the_atlas_and_pubmed_disagree_the_citation_follows_pubmed_and_says_so(
        completed):
    copy = cite(completed, CRYO["id"], "apa")
    assert copy.content.text.startswith("Taddei, A. R., Barbato, F.,")
    assert "(2001)" in copy.content.text  # PubMed's year; the atlas says 2002
    said = " ".join(copy.warnings)
    assert "the atlas gives the year as “2002”, PubMed as “2001”" in said
    assert "the citation follows PubMed" in said
    # The atlas's own values are still the atlas's.
    with completed.ctx.db.read() as conn:
        stored = cat.get_entry(conn, CRYO["id"])
    assert stored.year == 2002 and stored.title == CRYO["title"]


def test_the_detail_pane_reads_the_entry_as_cited_and_where_each_field_came_from(completed):
    entry, record = completed.completion.cited(entry_id=PLOS["id"])
    assert (entry.extra["volume"], entry.extra["issue"], entry.extra["page"]) == \
        ("8", "5", "e64723")
    assert entry.title.startswith("Adult bone marrow") and entry.journal == "PLoS One"
    assert record.fields["volume"].source == "pubmed" and record.has_concern
    bare, empty = completed.completion.cited(entry_id="unknown-doi")
    assert "volume" not in bare.extra and empty.empty
    assert completed.completion.cited(entry_id="no-such-entry") is None


def test_an_author_list_the_atlas_cut_short_is_completed_without_a_dispute(completed):
    copy = cite(completed, WAKEFIELD["id"], "apa")
    assert "Walker-Smith, J. A. (1998)" in copy.content.text
    assert not any("authors" in w for w in copy.warnings)


def test_retracted_papers_are_flagged_on_every_copy_and_their_notices_are_not(completed):
    for _ in range(2):  # every time
        copy = cite(completed, WAKEFIELD["id"], "vancouver")
        (warning,) = copy.retracted
        assert warning.entry_id == WAKEFIELD["id"]
        assert "RETRACTED" in warning.sentence() and "2010-02-06" in warning.notice
    assert [w.entry_id for w in cite(completed, HCQ["id"], "apa").retracted] == [HCQ["id"]]
    for notice in (WAKEFIELD_NOTICE, HCQ_NOTICE):
        assert cite(completed, notice["id"], "apa").retracted == ()
    assert cite(completed, PLOS["id"], "apa").retracted == ()  # a concern is not a retraction
    assert [w.entry_id for w in completed.citations.retracted(
        entry_ids=[PLOS["id"], WAKEFIELD["id"], HCQ_NOTICE["id"]])] == [WAKEFIELD["id"]]
    for kind in (CopyKind.IN_TEXT, CopyKind.BIBTEX, CopyKind.CSL_JSON):
        assert cite(completed, WAKEFIELD["id"], "apa", kind).retracted


def test_copy_with_evidence_states_a_retraction_and_a_concern(completed):
    text = cite(completed, WAKEFIELD["id"], "apa", CopyKind.WITH_EVIDENCE).content.text
    lines = text.split("\n")
    assert lines[1].startswith("RETRACTED: this paper has been retracted on 2004-03-06")
    assert "2010-02-06 (notice doi:10.1016/S0140-6736(10)60175-4, PMID 20137807" in lines[1]
    plos = cite(completed, PLOS["id"], "apa", CopyKind.WITH_EVIDENCE).content.text
    assert plos.split("\n")[1].startswith(
        "Expression of concern: this paper is under an expression of concern")
    assert "RETRACTED" not in plos


def test_live_citations_in_documents_carry_the_completed_record(completed):
    citation = completed.documents.new_citation(entry_ids=[PLOS["id"]])
    (item,) = citation.items
    assert (item.item_data["volume"], item.item_data["page"]) == ("8", "e64723")
    rendered = completed.documents.render(citations=[citation], style="vancouver", locale=None)
    assert "PLoS One. 2013;8(5):e64723." in "".join(
        run.text for run in rendered.bibliography[0])


def test_exports_write_the_completed_fields_and_name_retracted_papers(completed):
    out = io.StringIO()
    result = completed.exporter.export(format=ExportFormat.CSL_JSON, out=out,
                                       entry_ids=[WAKEFIELD["id"], PLOS["id"]])
    items = {i["id"]: i for i in json.loads(out.getvalue())}
    wakefield = items[WAKEFIELD["id"]]
    assert (wakefield["volume"], wakefield["issue"], wakefield["page"]) == \
        ("351", "9103", "637-41")
    assert wakefield["container-title-short"] == "Lancet" and len(wakefield["author"]) == 13
    assert [w.entry_id for w in result.retracted] == [WAKEFIELD["id"]]
    out = io.StringIO()
    completed.exporter.export(format=ExportFormat.BIBTEX, out=out, entry_ids=[PLOS["id"]])
    bib = out.getvalue()
    assert "volume = {8}" in bib and "pages = {e64723}" in bib and "shortjournal" in bib
    out = io.StringIO()
    completed.exporter.export(format=ExportFormat.RIS, out=out, entry_ids=[CRYO["id"]])
    ris = out.getvalue()
    assert "J2  - Cryobiology" in ris and "SP  - 244" in ris and "VL  - 42" in ris


def test_a_title_as_published_keeps_its_markup_in_citations_and_exports(library):
    """Issue 15 "Markup in titles is dropped": PubMed's <i> reaches the citation."""
    runners = {"id": "garcia-2018-runners", "pmid": "30108519", "year": 2018,
               "title": "A Blood Relationship between lactate equivalents", "journal":
               "Frontiers in physiology"}
    add_entries(library, [runners])
    with ReplayServer() as server:
        service(library, server).complete(entry_ids=[runners["id"]])
    copy = library.citations.copy(entry_ids=[runners["id"]], style="apa")
    assert "<i>Blood Relationship" in copy.content.html
    assert copy.content.text.startswith("Garcia-Tabar, I., & Gorostiaga, E. M. (2018). A “Blood")
    out = io.StringIO()
    library.exporter.export(format=ExportFormat.CSL_JSON, out=out, entry_ids=[runners["id"]])
    assert "<i>Blood Relationship" in json.loads(out.getvalue())[0]["title"]
    vancouver = cite(library, runners["id"], "vancouver").content.text
    assert "Front Physiol. 2018" in vancouver and ";9:1034." in vancouver


def test_a_users_own_reference_keeps_its_values_and_gains_only_what_it_lacks(library):
    own = canonical_entry_dict({"id": "my-wakefield", "title": "My own title for it",
                                "authors": [{"family": "Wakefield", "given": "Andrew"}],
                                "journal": "The Lancet", "year": 1998,
                                "pmid": "9500320", "bibtex_key": "wakefield98"})
    with library.ctx.db.write() as conn:
        cat.upsert_contracts(conn, [own], ids=[own["id"]], now=library.ctx.clock(),
                             origin=Origin.MINE)
    with ReplayServer() as server:
        service(library, server).complete(entry_ids=["my-wakefield"])
    text = cite(library, "my-wakefield", "vancouver").content.text
    assert text.startswith("1. Wakefield A. My own title for it. Lancet. 1998 Feb 28;351(9103)")
    assert cite(library, "my-wakefield", "vancouver").warnings == ()


def test_cli_cite_and_export_warn_about_retracted_papers_every_time(cli, monkeypatch):
    with ReplayServer() as server:
        for name, value in server.environ.items():
            monkeypatch.setenv(name, value)
        from atlas_desktop.paths import LibraryPaths
        from atlas_desktop.services import open_library

        library = open_library(LibraryPaths(cli.data_dir))
        add_entries(library, [WAKEFIELD, PLOS])
        library.close()
        assert cli("complete", "--all")[0] == 0
    for _ in range(2):
        code, out, err = cli("cite", WAKEFIELD["id"], "--style", "vancouver")
        assert code == 3 and out.startswith("1. Wakefield AJ")
        assert "warning: Wakefield et al. (1998) [wakefield-1998] has been RETRACTED" in err
    code, out, err = cli("cite", WAKEFIELD["id"], "--allow-retracted")
    assert code == 0 and out and "RETRACTED" not in err
    code, _, err = cli("cite", PLOS["id"])
    assert code == 0 and "RETRACTED" not in err
    code, out, err = cli("export", "--format", "bibtex", "--ids", WAKEFIELD["id"], PLOS["id"])
    assert code == 3 and "@article" in out and err.count("RETRACTED") == 1
    code, _, err = cli("export", "--format", "ris", "--allow-retracted")
    assert code == 0 and "RETRACTED" not in err
    code, out, _ = cli("cite", WAKEFIELD["id"], "--json", "--allow-retracted")
    assert json.loads(out)["retracted"][0]["entry_id"] == WAKEFIELD["id"]

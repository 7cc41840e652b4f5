"""Reading the real recorded answers: PubMed efetch XML, Crossref works, doi.org CSL-JSON.
No network here; the service tests replay the same answers over loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas_desktop.domain.completion import NoticeKind, StoredRecord, build_record
from atlas_desktop.online.crossref import csl_record, parse_work_answer, work_record
from atlas_desktop.online.pubmed import PubmedFormatError, medline_date, parse_efetch
from tests.online.medline import load as load_medline
from tests.online.replay import ENTITY_BOMB, XML_HEAD

DATA = Path(__file__).resolve().parents[1] / "data" / "online"


def pubmed(name: str):
    return {r.identifier: r for r in parse_efetch((DATA / "pubmed" / name).read_bytes())}


def merged(*records):
    return build_record(None, "e", [StoredRecord(r, "2026-12-04T10:00:00Z") for r in records])


def test_a_pubmed_article_gives_everything_a_medical_citation_needs():
    record = pubmed("biopython_pubmed2_efetch_2articles_PMID11748933_11700088.xml")["11748933"]
    fields = record.fields
    assert fields["volume"] == "42" and fields["issue"] == "4" and fields["page"] == "244-55"
    assert fields["container-title-short"] == "Cryobiology"
    assert fields["ISSN"] == ["0011-2240"]
    assert fields["issued"] == {"date-parts": [[2001, 6]]}
    assert fields["DOI"] == "10.1006/cryo.2001.2328"
    assert fields["publication_types"] == ["Journal Article",
                                           "Research Support, Non-U.S. Gov't"]
    assert fields["author"][0] == {"family": "Taddei", "given": "A R"}
    assert [a["family"] for a in fields["author"]][-2:] == ["Fausto", "Mazzini"]
    assert len(fields["author"]) == 8  # the eight <Author> elements of the record


def test_the_title_keeps_its_markup_as_csl_markup():
    record = pubmed("biopython_pubmed4_efetch_PMID27797938_telomere_ReferenceList.xml")
    assert record["27797938"].fields["title"] == (
        "Leucocyte telomere length, genetic variants at the <i>TERT</i> gene region and risk "
        "of pancreatic cancer.")
    assert record["27797938"].fields["PMCID"] == "PMC5442267"


def test_seasons_group_authors_and_article_numbers():
    old = pubmed("biopython_pubmed1_efetch_2articles_PMID12091962_9997.xml")["12091962"]
    assert old.fields["issued"] == {"date-parts": [[1990]], "season": 1}  # Spring
    group = pubmed("metapub_efetch_PMID34843274_CollectiveName.xml")["34843274"]
    assert group.fields["author"] == [
        {"literal": "Guideline Development Panel for the Treatment of Depressive Disorders"}]
    assert group.fields["container-title-short"] == "Am Psychol"
    # An e-only article: no pages, the ELocationID article number instead.
    erratum = pubmed("metapub_efetch_PMID35649368_ErratumIn.xml")["35649368"]
    assert erratum.fields["page"] == "110870"


@pytest.mark.parametrize(("text", "date"), [
    ("1998 Dec-1999 Jan", {"date-parts": [[1998, 12], [1999, 1]]}),
    ("1993 Sep-Oct", {"date-parts": [[1993, 9], [1993, 10]]}),
    ("2003 Fall", {"date-parts": [[2003]], "season": 3}),
    ("1947-1948", {"date-parts": [[1947], [1948]]}),
    ("undated", None),
])
def test_medline_dates(text, date):
    # The MedlineDate values of the recorded PubMed baseline sample.
    assert medline_date(text) == date


def test_a_book_chapter_record_is_read():
    book = pubmed("ncbi-eutils-samples_efetch_pubmedbook_NBK1116.xml")["20301295"]
    assert book.fields["type"] == "book"
    assert book.fields["publisher"] == "University of Washington, Seattle"
    assert book.fields["editor"][0] == {"family": "Pagon", "given": "Roberta A"}


def test_an_erratum_in_is_a_correction_and_an_erratum_for_is_a_notice_of_another():
    corrected = pubmed("metapub_efetch_PMID35649368_ErratumIn.xml")["35649368"]
    assert [(n.kind, n.pmid, n.date) for n in corrected.notices] == [
        (NoticeKind.CORRECTION, "35767954", "2022-06-28")]
    notice = pubmed("metapub_efetch_PMID38962805_Correction_ErratumFor.xml")["38962805"]
    assert notice.notices == ()
    assert [n.kind for n in notice.notice_of] == [NoticeKind.CORRECTION]
    assert not merged(notice).is_corrected


def test_truncated_xml_and_an_entity_bomb_are_refused_whole():
    whole = (DATA / "pubmed" / "biopython_pubmed2_efetch_2articles_PMID11748933_11700088.xml"
             ).read_bytes()
    with pytest.raises(PubmedFormatError, match="not complete XML"):
        parse_efetch(whole[: len(whole) // 2])
    with pytest.raises(PubmedFormatError, match="entities"):
        parse_efetch(ENTITY_BOMB)
    with pytest.raises(PubmedFormatError, match="not a list of articles"):
        parse_efetch(XML_HEAD + b"<eSummaryResult/>")


# --------------------------------------------------------------------------- notices


def work(name: str, doi: str):
    path = DATA / "retractions" / name
    data = path.read_bytes()
    if b'"message-type"' in data[:200]:
        return parse_work_answer(data, doi)
    import orjson
    return work_record(orjson.loads(data), doi)


WAKEFIELD_DOI = "10.1016/s0140-6736(97)11096-0"


def test_wakefield_1998_is_retracted_from_crossref_and_from_medline_and_one_notice_is_kept():
    crossref = work("bibaudit_crossref_works_wakefield1998_RETRACTED_updated-by_retraction-watch"
                    ".json", WAKEFIELD_DOI)
    _, article = load_medline(DATA / "retractions" /
                              "bibaudit_medline_PMID9500320_wakefield_RetractedPublication_RIN_ECI.txt")
    [medline] = parse_efetch(XML_HEAD + b"<PubmedArticleSet>" + article + b"</PubmedArticleSet>")
    assert merged(crossref).is_retracted and merged(medline).is_retracted
    record = merged(medline, crossref)
    assert record.is_retracted
    retractions = [n for n in record.notices if n.kind is NoticeKind.RETRACTION]
    # 2010's retraction from both sources is one notice, with both ids and both sources.
    full = next(n for n in retractions if n.date == "2010-02-06")
    assert full.doi.lower() == "10.1016/s0140-6736(10)60175-4"
    assert full.pmid == "20137807"
    assert set(full.source.split(", ")) == {"pubmed", "retraction-watch"}
    assert len(record.notices) == len({(n.doi or "").lower() for n in record.notices})


def test_the_retraction_notices_are_not_retracted_papers():
    notice = work("bibaudit_crossref_works_wakefield_retraction-notice_update-to.json",
                  "10.1016/s0140-6736(10)60175-4")
    assert not merged(notice).is_retracted
    assert [n.doi for n in notice.notice_of] == [WAKEFIELD_DOI]
    _, article = load_medline(DATA / "retractions" /
                              "bibaudit_medline_PMID20137807_wakefield_RetractionNotice_ROF.txt")
    [medline] = parse_efetch(XML_HEAD + b"<PubmedArticleSet>" + article + b"</PubmedArticleSet>")
    assert not merged(medline).is_retracted
    hcq_notice = work("bibaudit_crossref_work-message_lancet2020-hcq_retraction-notice.json",
                      "10.1016/s0140-6736(20)31324-6")
    # Its deposit says the paper "updated" it: Retraction Watch says the other way round.
    assert not merged(hcq_notice).is_retracted


def test_the_2020_lancet_hydroxychloroquine_paper_is_retracted():
    paper = work("bibaudit_crossref_work-message_lancet2020-hcq_RETRACTED_update-to+updated-by"
                 ".json", "10.1016/s0140-6736(20)31180-6")
    record = merged(paper)
    assert record.is_retracted and record.has_concern
    assert any(n.kind is NoticeKind.RETRACTION and "retraction-watch" in n.source
               and n.doi == "10.1016/s0140-6736(20)31324-6" for n in record.notices)


def test_the_plos_one_paper_shows_one_expression_of_concern():
    paper = work("bibaudit_crossref_works_pone0064723_expression-of-concern_updated-by.json",
                 "10.1371/journal.pone.0064723")
    record = merged(paper)
    assert record.has_concern and not record.is_retracted
    # The same notice from Retraction Watch and from the publisher: one.
    assert [(n.kind, n.doi, n.date) for n in record.notices] == [
        (NoticeKind.CONCERN, "10.1371/journal.pone.0256488", "2021-10-28")]


def test_a_self_deposited_partial_retraction_counts():
    paper = work("bibaudit_crossref_works_partial-retraction_jcmhs1001023.json",
                 "10.29328/journal.jcmhs.1001023")
    assert merged(paper).is_retracted
    assert merged(paper).notices[0].detail == "partial_retraction"


def test_crossref_titles_lose_jats_but_keep_italics_and_datacite_csl_is_read():
    import orjson
    data = orjson.loads((DATA / "crossref" / "bibaudit_crossref_work-message_10.1158-1055-9965"
                         ".epi-23-0009_collective-author_jats-title.json").read_bytes())
    record = work_record(data, "10.1158/1055-9965.epi-23-0009")
    assert record.fields["title"].startswith("Relationship between <i>ABO</i> Blood Group")
    assert "\n" not in record.fields["title"] and "jats" not in record.fields["title"]
    assert {"literal": "PanScan Consortium"} in record.fields["author"] or any(
        "literal" in a for a in record.fields["author"])
    figshare = csl_record((DATA / "csljson-doi" /
                           "manubot_doi-csl_datacite_10.6084-m9.figshare.4724797.json"
                           ).read_bytes(), "10.6084/m9.figshare.4724797")
    assert figshare.fields["publisher"] == "Figshare"
    assert figshare.fields["issued"] == {"date-parts": [[2017]]}


def test_terminal_escapes_and_endless_text_from_a_source_are_not_kept():
    hostile = (b'{"status":"ok","message-type":"work","message":{"DOI":"10.1/x","type":'
               b'"journal-article","title":["Evil \\u001b]52;c;SGVsbG8=\\u0007 title\\u202e"],'
               b'"container-title":["' + b"J" * 50_000 + b'"],"volume":"1\\u001b[2J"}}')
    record = parse_work_answer(hostile, "10.1/x")
    assert record.fields["title"] == "Evil ]52;c;SGVsbG8= title"
    assert record.fields["volume"] == "1 [2J"
    assert len(record.fields["container-title"]) == 2000

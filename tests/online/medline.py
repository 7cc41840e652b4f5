"""MEDLINE records (efetch ``rettype=medline``) served as efetch XML by the replay server.

The recorded retraction and concern records exist only in MEDLINE text; the product reads
one format (efetch XML), so the replay server states the same facts in XML: every tag the
product reads is carried over (PMID, title, authors and group authors, journal, ISSN,
volume, issue, pages, date, publication types, DOI, PMCID, and the RIN/EIN/ECI/UIN/ROF/ECF/
EFR links), nothing is added. The files themselves stay as recorded.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

_LINKS = {"RIN": "RetractionIn", "EIN": "ErratumIn", "ECI": "ExpressionOfConcernIn",
          "UIN": "UpdateIn", "ROF": "RetractionOf", "ECF": "ExpressionOfConcernFor",
          "EFR": "ErratumFor"}


def read_medline(text: str) -> list[tuple[str, str]]:
    """(tag, value) pairs, continuation lines joined."""
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        if re.match(r"^[A-Z]{2,4}\s*- ", line):
            tag, value = line.split("-", 1)
            pairs.append((tag.strip(), value.strip()))
        elif line.startswith("      ") and pairs:
            tag, value = pairs[-1]
            pairs[-1] = (tag, f"{value} {line.strip()}")
    return pairs


def _date(dp: str) -> str:
    words = dp.split()
    out = f"<Year>{escape(words[0])}</Year>"
    if len(words) > 1:
        out += f"<Month>{escape(words[1])}</Month>"
    if len(words) > 2:
        out += f"<Day>{escape(words[2])}</Day>"
    return out


def medline_to_article(text: str) -> tuple[str, bytes]:
    """(PMID, one ``<PubmedArticle>`` element) for a MEDLINE record."""
    pairs = read_medline(text)
    get = {tag: value for tag, value in reversed(pairs)}
    pmid = get["PMID"]
    authors = []
    for tag, value in pairs:
        if tag == "FAU":
            family, _, given = value.partition(", ")
            authors.append(f"<Author><LastName>{escape(family)}</LastName>"
                           + (f"<ForeName>{escape(given)}</ForeName>" if given else "")
                           + "</Author>")
        elif tag == "CN":
            authors.append(f"<Author><CollectiveName>{escape(value)}</CollectiveName></Author>")
    issns = "".join(
        f'<ISSN IssnType="{"Electronic" if "Electronic" in v else "Print"}">'
        f"{escape(v.split()[0])}</ISSN>" for t, v in pairs if t == "IS" and "Linking" not in v)
    links = []
    for tag, value in pairs:
        if tag in _LINKS:
            source, _, linked = value.partition("PMID:")
            source = re.sub(r"\s*doi:.*$", "", source).strip().rstrip(".")
            doi = re.search(r"doi:\s*(\S+?)\.?\s", value + " ")
            ref_source = source + (f". doi: {doi.group(1)}" if doi else "")
            links.append(f'<CommentsCorrections RefType="{_LINKS[tag]}">'
                         f"<RefSource>{escape(ref_source)}</RefSource>"
                         + (f"<PMID>{escape(linked.strip())}</PMID>" if linked.strip() else "")
                         + "</CommentsCorrections>")
    ids = [f'<ArticleId IdType="pubmed">{pmid}</ArticleId>']
    for tag, value in pairs:
        if tag == "AID" and value.endswith("[doi]"):
            ids.append(f'<ArticleId IdType="doi">{escape(value[:-5].strip())}</ArticleId>')
        elif tag == "PMC":
            ids.append(f'<ArticleId IdType="pmc">{escape(value)}</ArticleId>')
    types = "".join(f"<PublicationType>{escape(v)}</PublicationType>"
                    for t, v in pairs if t == "PT")
    journal = (f"<Journal>{issns}<JournalIssue>"
               + (f"<Volume>{escape(get['VI'])}</Volume>" if "VI" in get else "")
               + (f"<Issue>{escape(get['IP'])}</Issue>" if "IP" in get else "")
               + f"<PubDate>{_date(get['DP'])}</PubDate></JournalIssue>"
               f"<Title>{escape(get.get('JT', ''))}</Title>"
               f"<ISOAbbreviation>{escape(get.get('TA', ''))}</ISOAbbreviation></Journal>")
    xml = (f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>{journal}"
           f"<ArticleTitle>{escape(get.get('TI', ''))}</ArticleTitle>"
           + (f"<Pagination><MedlinePgn>{escape(get['PG'])}</MedlinePgn></Pagination>"
              if "PG" in get else "")
           + f"<AuthorList>{''.join(authors)}</AuthorList>"
           f"<PublicationTypeList>{types}</PublicationTypeList></Article>"
           f"<MedlineJournalInfo><MedlineTA>{escape(get.get('TA', ''))}</MedlineTA>"
           f"</MedlineJournalInfo>"
           + (f"<CommentsCorrectionsList>{''.join(links)}</CommentsCorrectionsList>"
              if links else "")
           + f"</MedlineCitation><PubmedData><ArticleIdList>{''.join(ids)}</ArticleIdList>"
           "</PubmedData></PubmedArticle>")
    return pmid, xml.encode("utf-8")


def load(path: Path) -> tuple[str, bytes]:
    return medline_to_article(path.read_text("utf-8"))

"""PubMed efetch XML (``db=pubmed``, ``retmode=xml``) read into source records.

Read with defusedxml: a document that declares entities (an "XML bomb"), a DTD that would
be fetched, or external references is refused whole. Both ``PubmedArticle`` and
``PubmedBookArticle`` are read. Dates follow the DTD: ``Year``/``Month``/``Day``, a
``Season``, or a free ``MedlineDate`` ("1998 Dec-1999 Jan").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from atlas_desktop.domain.completion import Notice, NoticeKind, Source, SourceRecord
from atlas_desktop.net.courtesy import give_way

from .markup import element_markup, normalise_space

_MONTHS: Final = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
#: CSL seasons 1-4.
_SEASONS: Final = {"spring": 1, "summer": 2, "fall": 3, "autumn": 3, "winter": 4}

#: Bytes handed to the XML parser at a time. expat holds Python's lock for all of one call:
#: a 200-article answer (8 MB) in one call would stop every other thread, the window's
#: included, for about a second; fed 32 kB at a time, for a few milliseconds.
FEED_BYTES: Final = 32 * 1024

#: CommentsCorrections types that put a notice on this record.
NOTICE_REFS: Final = {
    "RetractionIn": NoticeKind.RETRACTION,
    "PartialRetractionIn": NoticeKind.RETRACTION,
    "ErratumIn": NoticeKind.CORRECTION,
    "ExpressionOfConcernIn": NoticeKind.CONCERN,
    "UpdateIn": NoticeKind.UPDATE,
}
#: ... and those that make this record the notice of another.
NOTICE_OF_REFS: Final = {
    "RetractionOf": NoticeKind.RETRACTION,
    "PartialRetractionOf": NoticeKind.RETRACTION,
    "ErratumFor": NoticeKind.CORRECTION,
    "ExpressionOfConcernFor": NoticeKind.CONCERN,
}
#: Publication types that say what the record itself is.
_NOTICE_TYPES: Final = {
    "Retraction of Publication": NoticeKind.RETRACTION,
    "Retraction Notice": NoticeKind.RETRACTION,
    "Published Erratum": NoticeKind.CORRECTION,
    "Expression of Concern": NoticeKind.CONCERN,
}


class PubmedFormatError(ValueError):
    """The answer is not an efetch document we can read; ``str`` says why, for the user."""


def parse_efetch(data: bytes) -> list[SourceRecord]:
    """Every article of an efetch answer. Raises PubmedFormatError for truncated or broken
    XML, entity declarations, or a document that is not a ``PubmedArticleSet``."""
    try:
        # The C tree builder: defusedxml's default is the pure-Python one, 2-3 times slower.
        parser = DefusedXMLParser(target=TreeBuilder(), forbid_dtd=False, forbid_entities=True,
                                  forbid_external=True)
        for start in range(0, len(data), FEED_BYTES):
            parser.feed(data[start:start + FEED_BYTES])
            give_way()  # the window's thread first (net/courtesy.py)
        root = parser.close()
    except DefusedXmlException:
        raise PubmedFormatError("PubMed's answer declares XML entities or external "
                                "references; it was refused unread.") from None
    except ParseError as exc:
        raise PubmedFormatError(f"PubMed's answer is not complete XML ({exc}).") from None
    if root.tag == "eFetchResult" or (root.find("ERROR") is not None and root.tag != (
            "PubmedArticleSet")):
        error = normalise_space("".join(root.itertext()))[:200]
        raise PubmedFormatError(f"PubMed answered with an error: {error}")
    if root.tag != "PubmedArticleSet":
        raise PubmedFormatError(f"PubMed's answer is a <{root.tag[:40]}>, not a list of "
                                "articles.")
    records: list[SourceRecord] = []
    for article in root:
        give_way()  # as above: an article is a fraction of a millisecond of work
        if article.tag == "PubmedArticle":
            record = _article(article)
        elif article.tag == "PubmedBookArticle":
            record = _book_article(article)
        else:
            continue
        if record is not None:
            records.append(record)
    return records


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    text = normalise_space("".join(element.itertext()))
    return text or None


def _article(node: Element) -> SourceRecord | None:
    citation = node.find("MedlineCitation")
    if citation is None:
        return None
    pmid = _text(citation.find("PMID"))
    article = citation.find("Article")
    if not pmid or article is None:
        return None
    journal = article.find("Journal")
    issue = journal.find("JournalIssue") if journal is not None else None
    info = citation.find("MedlineJournalInfo")
    fields: dict[str, Any] = {"PMID": pmid, "type": "article-journal"}
    _title(article.find("ArticleTitle"), fields)
    fields["author"] = _authors(article.find("AuthorList"))
    if journal is not None:
        fields["container-title"] = _text(journal.find("Title"))
        fields["ISSN"] = _issns(journal, info)
    short = _text(info.find("MedlineTA")) if info is not None else None
    if not short and journal is not None:
        short = _text(journal.find("ISOAbbreviation"))
    fields["container-title-short"] = short
    if issue is not None:
        fields["volume"] = _text(issue.find("Volume"))
        fields["issue"] = _text(issue.find("Issue"))
        fields["issued"] = _pub_date(issue.find("PubDate"))
    fields["page"] = _pages(article)
    fields["publication_types"] = [t for t in (_text(p) for p in article.iterfind(
        "PublicationTypeList/PublicationType")) if t]
    ids = _article_ids(node.find("PubmedData/ArticleIdList"))
    doi = ids.get("doi") or next((_text(e) for e in article.iterfind("ELocationID")
                                  if e.get("EIdType") == "doi"), None)
    fields["DOI"] = doi
    fields["PMCID"] = ids.get("pmc")
    notices, notice_of = _notices(citation, fields["publication_types"])
    return SourceRecord(Source.PUBMED, pmid, _clean(fields), notices, notice_of)


def _book_article(node: Element) -> SourceRecord | None:
    document = node.find("BookDocument")
    if document is None:
        return None
    pmid = _text(document.find("PMID"))
    if not pmid:
        return None
    book = document.find("Book")
    fields: dict[str, Any] = {"PMID": pmid, "type": "chapter"}
    _title(document.find("ArticleTitle"), fields)
    if "title" not in fields and book is not None:
        _title(book.find("BookTitle"), fields)
        fields["type"] = "book"
    else:
        fields["container-title"] = _text(book.find("BookTitle")) if book is not None else None
    authors = _authors(document.find("AuthorList[@Type='authors']"))
    fields["author"] = authors or _authors(document.find("AuthorList"))
    if book is not None:
        fields["editor"] = _authors(book.find("AuthorList[@Type='editors']"))
        fields["publisher"] = _text(book.find("Publisher/PublisherName"))
        fields["publisher-place"] = _text(book.find("Publisher/PublisherLocation"))
        fields["issued"] = _pub_date(book.find("PubDate"))
    fields["publication_types"] = [t for t in (_text(p) for p in document.iterfind(
        "PublicationType")) if t]
    ids = _article_ids(node.find("PubmedBookData/ArticleIdList"))
    fields["DOI"] = ids.get("doi")
    fields["PMCID"] = ids.get("pmc")
    return SourceRecord(Source.PUBMED, pmid, _clean(fields))


def _title(element: Element | None, fields: dict[str, Any]) -> None:
    if element is None:
        return
    markup = normalise_space(element_markup(element))
    if markup:
        fields["title"] = markup


def _authors(author_list: Element | None) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if author_list is None:
        return out
    for author in author_list.iterfind("Author"):
        if author.get("ValidYN") == "N":
            continue  # an author name PubMed itself marks as wrong
        group = _text(author.find("CollectiveName"))
        if group:
            out.append({"literal": group})
            continue
        family = _text(author.find("LastName"))
        if not family:
            continue
        name = {"family": family}
        given = _text(author.find("ForeName")) or _text(author.find("Initials"))
        if given:
            name["given"] = given
        suffix = _text(author.find("Suffix"))
        if suffix:
            name["suffix"] = suffix
        out.append(name)
    return out


def _issns(journal: Element, info: Element | None) -> list[str]:
    found = [_text(e) for e in journal.iterfind("ISSN")]
    if info is not None:
        found.append(_text(info.find("ISSNLinking")))
    return list(dict.fromkeys(i for i in found if i))


def _pages(article: Element) -> str | None:
    pages = _text(article.find("Pagination/MedlinePgn"))
    if pages:
        return pages
    start = _text(article.find("Pagination/StartPage"))
    end = _text(article.find("Pagination/EndPage"))
    if start:
        return f"{start}-{end}" if end else start
    # An article number (e-only journals): the ELocationID that is not the DOI.
    return next((_text(e) for e in article.iterfind("ELocationID")
                 if e.get("EIdType") == "pii" and e.get("ValidYN", "Y") == "Y"), None)


def _article_ids(id_list: Element | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if id_list is None:
        return out
    for item in id_list.iterfind("ArticleId"):
        kind = item.get("IdType") or ""
        value = _text(item)
        if value and kind not in out:
            out[kind] = value
    return out


def _pub_date(node: Element | None) -> dict[str, Any] | None:
    if node is None:
        return None
    medline = _text(node.find("MedlineDate"))
    if medline:
        return medline_date(medline)
    year = _int(_text(node.find("Year")))
    if year is None:
        return None
    parts = [year]
    month = _month(_text(node.find("Month")))
    if month:
        parts.append(month)
        day = _int(_text(node.find("Day")))
        if day and 1 <= day <= 31:
            parts.append(day)
    date: dict[str, Any] = {"date-parts": [parts]}
    season = _text(node.find("Season"))
    if season and season.lower() in _SEASONS and len(parts) == 1:
        date["season"] = _SEASONS[season.lower()]
    return date


def medline_date(text: str) -> dict[str, Any] | None:
    """A ``MedlineDate`` ("1998 Dec-1999 Jan", "1993 Sep-Oct", "2000 Spring", "1976-1977")
    as a CSL date: its start, its end when it has one, and the text as ``raw``."""
    pieces = list(_date_pieces(text))
    if not pieces:
        return None
    start = pieces[0]
    out: dict[str, Any] = {"date-parts": [start[0]]}
    if len(pieces) > 1 and pieces[1][0] != start[0]:
        out["date-parts"].append(pieces[1][0])
    if start[1] is not None and len(start[0]) == 1:
        out["season"] = start[1]
    return out


def _date_pieces(text: str) -> Iterator[tuple[list[int], int | None]]:
    year: int | None = None
    for chunk in re.split(r"\s*-\s*", text.strip()):
        words = chunk.split()
        if words and re.fullmatch(r"\d{4}", words[0]):
            year = int(words[0])
            words = words[1:]
        if year is None:
            continue
        parts = [year]
        season = None
        if words:
            month = _month(words[0])
            if month:
                parts.append(month)
                day = _int(words[1]) if len(words) > 1 else None
                if day and 1 <= day <= 31:
                    parts.append(day)
            elif words[0].lower() in _SEASONS:
                season = _SEASONS[words[0].lower()]
        yield parts, season


def _notices(citation: Element, types: list[str]) -> tuple[tuple[Notice, ...], tuple[Notice, ...]]:
    notices: list[Notice] = []
    notice_of: list[Notice] = []
    for ref in citation.iterfind("CommentsCorrectionsList/CommentsCorrections"):
        kind_name = ref.get("RefType") or ""
        if kind_name not in NOTICE_REFS and kind_name not in NOTICE_OF_REFS:
            continue  # "Cites", "CommentIn"...: dozens per article, none a notice
        source_text = _text(ref.find("RefSource")) or ""
        notice = Notice(
            NOTICE_REFS.get(kind_name) or NOTICE_OF_REFS.get(kind_name, NoticeKind.UPDATE),
            Source.PUBMED.value, ref_date(source_text), ref_doi(source_text),
            _text(ref.find("PMID")), kind_name)
        (notices if kind_name in NOTICE_REFS else notice_of).append(notice)
    if "Retracted Publication" in types and not any(
            n.kind is NoticeKind.RETRACTION for n in notices):
        notices.append(Notice(NoticeKind.RETRACTION, Source.PUBMED.value,
                              detail="Retracted Publication"))
    for name, kind in _NOTICE_TYPES.items():
        if name in types and not any(n.kind is kind for n in notice_of):
            notice_of.append(Notice(kind, Source.PUBMED.value, detail=name))
    return tuple(notices), tuple(notice_of)


def ref_date(text: str) -> str | None:
    """The date of a reference such as "Lancet. 2010 Feb 6;375(9713):445" (YYYY-MM-DD)."""
    match = re.search(r"\b(1[89]\d\d|20\d\d)(?:\s+([A-Za-z]{3})[a-z]*(?:\s+(\d{1,2}))?)?", text)
    if not match:
        return None
    year, month_name, day = match.groups()
    month = _month(month_name)
    if not month:
        return year
    if day and 1 <= int(day) <= 31:
        return f"{year}-{month:02d}-{int(day):02d}"
    return f"{year}-{month:02d}"


def ref_doi(text: str) -> str | None:
    match = re.search(r"\bdoi:\s*(10\.\d{3,9}/\S+?)\.?(?:\s|$)", text)
    return match.group(1) if match else None


def _month(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        value = int(text)
        return value if 1 <= value <= 12 else None
    return _MONTHS.get(text[:3].lower())


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, "", [], {})}

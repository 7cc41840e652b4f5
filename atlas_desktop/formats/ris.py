"""RIS files (and Web of Science's tagged export, which looks similar but is not RIS).

Records are read by the ``rispy`` package. rispy skips silently what it cannot place, so
the text is scanned first (:func:`_scan`): a record that does not start with ``TY`` or that
never ends with ``ER`` is reported with its line instead of vanishing.

Web of Science files (``FN``/``PT``/``ER`` lines, two-letter tags without ``  -``) are read
with rispy's Web of Science parser and said to be so: the user asked for RIS and gets a note.

Values map into the same ``extra`` keys as BibTeX (CSL names; see :mod:`.bibtex_fields`);
tags with no place are kept in ``extra["ris_fields"]`` and written back by
:func:`~.ris_writer.write_ris`.
RIS has no key: every record gets a citation key made from author, year and title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import rispy

from atlas_desktop.domain.entry import DOI_RE, PMID_RE, normalise_doi
from atlas_desktop.domain.references import key_and_id, make_citation_key

from .text import FormatError

RIS_TO_CSL: Final = {
    "JOUR": "article-journal", "EJOUR": "article-journal", "JFULL": "periodical",
    "ABST": "article-journal", "INPR": "article-journal", "MGZN": "article-magazine",
    "NEWS": "article-newspaper", "BOOK": "book", "EBOOK": "book", "EDBOOK": "book",
    "CHAP": "chapter", "ECHAP": "chapter", "CONF": "paper-conference",
    "CPAPER": "paper-conference", "RPRT": "report", "THES": "thesis", "ELEC": "webpage",
    "BLOG": "post-weblog", "UNPB": "manuscript", "MANSCPT": "manuscript", "PAT": "patent",
    "DATA": "dataset", "DBASE": "dataset", "COMP": "software", "STAND": "standard",
    "PCOMM": "personal_communication", "ICOMM": "personal_communication", "MAP": "map",
    "CASE": "legal_case", "STAT": "legislation", "BILL": "bill", "HEAR": "hearing",
    "VIDEO": "motion_picture", "MPCT": "motion_picture", "SOUND": "song", "ENCYC": "book",
    "DICT": "book", "GEN": "document", "SER": "book", "PAMP": "pamphlet",
}
# Type names some programs (EndNote) write in full instead of the RIS code.
_RIS_TYPE_NAMES: Final = {
    "JOURNAL ARTICLE": "JOUR", "BOOK SECTION": "CHAP", "CONFERENCE PAPER": "CPAPER",
    "CONFERENCE PROCEEDINGS": "CONF", "THESIS": "THES", "REPORT": "RPRT", "WEB PAGE": "ELEC",
    "GENERIC": "GEN", "BOOK": "BOOK", "EDITED BOOK": "EDBOOK", "NEWSPAPER ARTICLE": "NEWS",
    "MAGAZINE ARTICLE": "MGZN", "ELECTRONIC ARTICLE": "EJOUR",
}
_TAG_LINE_RE: Final = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
_YEAR_RE: Final = re.compile(r"-?\d{4}")
_BOOK_TYPES: Final = frozenset({"BOOK", "EBOOK", "EDBOOK", "CHAP", "ECHAP"})
# Tags read into the entry (everything else goes to ris_fields).
_CONSUMED: Final = frozenset(
    "TY TI T1 BT AU A1 A2 T2 JF JO JA J2 PY Y1 DA VL IS SP EP PB CY SN ET AB N2 N1 KW LA UR "
    "DO T3 ST".split()
)


@dataclass
class RisFile:
    references: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def looks_like_wos(text: str) -> bool:
    """Web of Science's tagged export: ``FN``/``VR`` header or ``PT`` record starts."""
    head = text.lstrip("\ufeff \r\n")[:4000]
    return bool(re.match(r"FN |VR |PT [A-Z]\b", head)) or bool(
        re.search(r"^PT [A-Z]\s*$", head, re.MULTILINE) and re.search(r"^ER\s*$", text,
                                                                        re.MULTILINE))


def read_ris(text: str) -> RisFile:
    """Records of a RIS (or Web of Science) text. Raises FormatError when there are none."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    result = RisFile()
    if looks_like_wos(text):
        result.warnings.append(
            "This is a Web of Science export (its tagged format), not RIS; it was read as one.")
        # rispy's Web of Science mapping has no slot for unknown tags: they are skipped.
        records = rispy.loads(text, implementation=rispy.WokParser, skip_unknown_tags=True)
        wos = True
    else:
        text = _scan(text, result)
        records = rispy.loads(text, skip_unknown_tags=False, enforce_list_tags=True)
        wos = False
    seen_keys: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        reference = _from_wos(record) if wos else _from_ris(record, result, number)
        key_and_id(reference, seen_keys)
        result.references.append(reference)
    if not result.references and not result.errors:
        raise FormatError("The file holds no RIS records (no line starts a record with "
                          "“TY  - ”).")
    return result


def _scan(text: str, result: RisFile) -> str:
    """Report records rispy would drop; close a last record that lacks its ER line."""
    lines = text.split("\n")
    in_record = False
    stray_start: int | None = None
    for number, line in enumerate(lines, start=1):
        match = _TAG_LINE_RE.match(line)
        if not match:
            continue
        tag = match.group(1)
        if tag == "TY":
            in_record = True
            stray_start = None
        elif tag == "ER":
            if not in_record and stray_start is not None:
                result.errors.append(
                    f"line {stray_start}: a record starts without a “TY” (type) line, so it "
                    "could not be read; it was left out.")
            in_record = False
            stray_start = None
        elif not in_record and stray_start is None:
            stray_start = number
    if stray_start is not None:
        result.errors.append(
            f"line {stray_start}: a record starts without a “TY” (type) line, so it could not "
            "be read; it was left out.")
    if in_record:
        result.warnings.append("The last record has no “ER” line (end of record); it was "
                               "read up to the end of the file.")
        text += "\nER  - \n"
    return text


def _first(record: Mapping[str, Any], *names: str) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str) and v.strip()), None)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _person(text: str) -> dict[str, Any] | None:
    """``Family, Given[, Suffix]`` (the RIS form); without a comma, the whole is kept."""
    text = " ".join(text.split()).strip(" ,")
    if not text:
        return None
    family, _, rest = text.partition(",")
    given, _, suffix = rest.strip().partition(",")
    if suffix.strip():
        family = f"{family.strip()}, {suffix.strip()}"
    return {"family": family.strip(), "given": given.strip() or None}


def _people(values: Any) -> list[dict[str, Any]]:
    items = values if isinstance(values, list) else [values] if values else []
    return [p for p in (_person(v) for v in items if isinstance(v, str)) if p]


def _date(text: str | None) -> tuple[int | None, list[int] | None]:
    """``2001/09/01/``, ``2014//``, ``2012///`` -> year and date-parts; odd parts dropped."""
    if not text:
        return None, None
    match = _YEAR_RE.search(text)
    if match is None:
        return None, None
    year = int(match.group(0))
    parts = [year]
    pieces = text.split("/")
    if len(pieces) > 1 and pieces[1].strip().isdigit() and 1 <= int(pieces[1]) <= 12:
        parts.append(int(pieces[1]))
        if len(pieces) > 2 and pieces[2].strip().isdigit() and 1 <= int(pieces[2]) <= 31:
            parts.append(int(pieces[2]))
    return year, parts


def _from_ris(record: dict[str, Any], result: RisFile, number: int) -> dict[str, Any]:
    ris_type = str(record.get("type_of_reference") or "GEN").strip().upper()
    code = _RIS_TYPE_NAMES.get(ris_type, ris_type)
    title = _first(record, "title", "primary_title")
    short_title = _first(record, "short_title")
    if title is None:
        title, short_title = short_title, None
    if code in _BOOK_TYPES - {"CHAP", "ECHAP"} and not title:
        title = _first(record, "secondary_title")
    authors = _people(record.get("authors")) + _people(record.get("first_authors"))
    container = None
    if code not in _BOOK_TYPES - {"CHAP", "ECHAP"}:
        container = _first(record, "secondary_title", "alternate_title3", "journal_name",
                           "alternate_title2", "alternate_title1")
    year, parts = _date(_first(record, "date", "year", "publication_year"))
    if parts is not None and len(parts) == 1:
        y2, parts2 = _date(_first(record, "year", "publication_year"))
        if parts2 and len(parts2) > 1 and y2 == year:
            parts = parts2
    extra: dict[str, Any] = {"type": RIS_TO_CSL.get(code, "document"), "ris_type": ris_type}
    simple = {"volume": "volume", "number": "issue", "publisher": "publisher",
              "place_published": "publisher-place", "edition": "edition",
              "language": "language", "tertiary_title": "collection-title"}
    for name, target in simple.items():
        value = _first(record, name)
        if value:
            extra[target] = value
    if short_title and short_title != title:
        extra["title-short"] = short_title
    start, end = _first(record, "start_page"), _first(record, "end_page")
    if start:
        extra["page"] = f"{start}-{end}" if end and end != start and "-" not in start else start
    issn = _first(record, "issn")
    if issn:
        extra["ISBN" if code in _BOOK_TYPES else "ISSN"] = issn
    abstract = _first(record, "abstract", "notes_abstract")
    if abstract:
        extra["abstract"] = abstract
    notes = [n for n in record.get("notes") or [] if isinstance(n, str) and n.strip()]
    if notes:
        extra["note"] = "\n\n".join(" ".join(n.split()) for n in notes)
    keywords = [k.strip() for k in record.get("keywords") or [] if isinstance(k, str) and k.strip()]
    if keywords:
        extra["keywords"] = keywords
    editors = _people(record.get("secondary_authors"))
    if editors:
        extra["editor"] = editors
    if parts is not None:
        extra["issued"] = {"date-parts": [parts]}
    urls = [u for u in record.get("urls") or [] if isinstance(u, str) and u.strip()]
    doi = normalise_doi(_first(record, "doi"))
    if doi and not DOI_RE.match(doi):
        result.warnings.append(f"record {number}: “{doi}” is not a DOI of the form 10.xxxx/…; "
                               "it was kept as a note.")
        extra["note"] = "\n\n".join(x for x in (extra.get("note"), f"DOI: {doi}") if x)
        doi = None
    if doi is None:
        doi = next((d for d in (normalise_doi(u) for u in urls) if d and DOI_RE.match(d)), None)
    pmid = _pmid(record, urls)
    kept = _unconsumed(record)
    if pmid is not None and kept.get("AN") == [pmid]:
        # The accession number was the PMID (our own export writes it so): not kept twice.
        kept.pop("AN")
        if [v.lower() for v in kept.get("DB", [])] == ["pubmed"]:
            kept.pop("DB")
    if kept:
        extra["ris_fields"] = kept
    key = make_citation_key(authors[0]["family"] if authors else None, year, title)
    return {"id": "", "title": title, "authors": authors, "journal": container, "year": year,
            "doi": doi, "pmid": pmid, "url": urls[0] if urls else None, "bibtex_key": key,
            **extra}


def _pmid(record: Mapping[str, Any], urls: list[str]) -> str | None:
    accession = _first(record, "accession_number")
    database = " ".join(filter(None, (_first(record, "name_of_database"),
                                      _first(record, "database_provider")))).lower()
    if accession and PMID_RE.match(accession) and any(
            word in database for word in ("pubmed", "medline", "nlm")):
        return accession
    for url in urls:
        match = re.search(r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,12})|ncbi\.nlm\.nih\.gov/pubmed/"
                          r"(\d{1,12})", url)
        if match:
            return match.group(1) or match.group(2)
    return None


_REVERSE_TAGS: Final = {name: tag for tag, name in rispy.TAG_KEY_MAPPING.items()}


def _unconsumed(record: Mapping[str, Any]) -> dict[str, list[str]]:
    """Tags the entry has no place for, by tag, values as lists (written back on export)."""
    kept: dict[str, list[str]] = {}
    for name, value in record.items():
        if name == "unknown_tag" and isinstance(value, Mapping):
            for tag, values in value.items():
                kept.setdefault(str(tag), []).extend(
                    " ".join(str(v).split()) for v in values if str(v).strip())
            continue
        tag = _REVERSE_TAGS.get(name)
        if tag is None or tag in _CONSUMED:
            continue
        values = value if isinstance(value, list) else [value]
        cleaned = [" ".join(str(v).split()) for v in values if str(v).strip()]
        if cleaned:
            kept.setdefault(tag, []).extend(cleaned)
    return {tag: values for tag, values in kept.items() if values}


def _from_wos(record: dict[str, Any]) -> dict[str, Any]:
    full = record.get("author_full_name")
    authors = _people(full if full else record.get("authors"))
    title = _first(record, "document_title")
    year, parts = _date(_first(record, "publication_year"))
    extra: dict[str, Any] = {"type": "article-journal" if record.get("publication_type") == "J"
                             else "document", "wos_type": record.get("publication_type")}
    for name, target in {"volume": "volume", "issue": "issue", "publisher": "publisher",
                         "language": "language", "issn": "ISSN", "abstract": "abstract",
                         "accession_number": "wos_accession"}.items():
        value = _first(record, name)
        if value:
            extra[target] = value
    start, end = _first(record, "beginning_page"), _first(record, "ending_page")
    if start:
        extra["page"] = f"{start}-{end}" if end and end != start else start
    keywords = _first(record, "author_keywords")
    if keywords:
        extra["keywords"] = [k.strip() for k in keywords.split(";") if k.strip()]
    if parts is not None:
        extra["issued"] = {"date-parts": [parts]}
    doi = normalise_doi(_first(record, "doi"))
    pmid = _first(record, "pubmed_id")
    key = make_citation_key(authors[0]["family"] if authors else None, year, title)
    return {"id": "", "title": title, "authors": authors,
            "journal": _first(record, "publication_name"), "year": year,
            "doi": doi if doi and DOI_RE.match(doi) else None,
            "pmid": pmid if pmid and PMID_RE.match(pmid) else None, "url": None,
            "bibtex_key": key, **extra}

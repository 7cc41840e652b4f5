"""BibTeX fields <-> the entry contract plus ``extra`` (the user's references).

Where CSL has a variable for a field, the value is kept in ``extra`` under the CSL name
(``volume``, ``issue``, ``page``, ``publisher``, ``publisher-place``, ``editor``, ``ISBN``,
``issued``…), so citations and CSL-JSON export use it directly. Besides those:

* ``type``: the CSL item type; ``bibtex_type``: the entry type as written (``inproceedings``);
* ``keywords``: a list of strings;
* ``bibtex_fields``: every other field, by lower-case name, as decoded text (name lists as
  ``[{"family", "given"}]``), so that our BibTeX export writes it back;
* ``author`` (and ``editor``, ``translator``, ``container-author``): CSL names, when a name
  is more than a family and a given name: a braced name is a ``literal``, "von" parts are
  particles (dropping, or non-dropping with biblatex's ``useprefix``), "Jr" a suffix;
* ``bibtex_rich``: titles with their LaTeX markup as CSL rich text (case protection,
  italics), for fields where that says more than the decoded text and more than the case
  protection our writer adds itself;
* ``bibtex_raw``: the LaTeX of those titles and of those name lists as the file had it, which
  our writer writes back as it was (so the rich text and the CSL names read back the same).

Several BibTeX fields may feed one value (``publisher``, ``institution``, ``school``): the
first present in a per-type order wins and the others stay in ``bibtex_fields``. The writer
uses the first name of that order not taken by ``bibtex_fields``, which reads back to the
same value: that is what makes a round trip of our own export lossless.
"""

from __future__ import annotations

import re
from typing import Any, Final

from atlas_desktop.domain.entry import DOI_RE, PMID_RE, Author, normalise_doi
from atlas_desktop.domain.references import reference_id

from .bibtex import BibEntry
from .bibtex_names import NAME_FIELDS, parse_csl_names, parse_name_list
from .bibtex_values import check_value
from .latex import decode_latex_rich, encode_latex, protect_case

BIB_TO_CSL_TYPE: Final = {
    "article": "article-journal", "suppperiodical": "article-journal",
    "periodical": "periodical", "book": "book", "mvbook": "book", "collection": "book",
    "mvcollection": "book", "proceedings": "book", "mvproceedings": "book",
    "reference": "book", "mvreference": "book", "booklet": "pamphlet", "inbook": "chapter",
    "bookinbook": "chapter", "suppbook": "chapter", "incollection": "chapter",
    "suppcollection": "chapter", "book_section": "chapter", "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference", "conference": "paper-conference", "manual": "report",
    "techreport": "report", "report": "report", "mastersthesis": "thesis",
    "phdthesis": "thesis", "thesis": "thesis", "misc": "document", "generic": "document",
    "set": "document", "xdata": "document", "commentary": "document",
    "unpublished": "manuscript", "online": "webpage", "www": "webpage",
    "electronic": "webpage", "webpage": "webpage", "web_page": "webpage", "patent": "patent",
    "software": "software", "softwareversion": "software", "softwaremodule": "software",
    "codefragment": "software", "dataset": "dataset", "data": "dataset", "standard": "standard",
    "artwork": "graphic", "image": "graphic", "audio": "song", "music": "song",
    "movie": "motion_picture", "video": "motion_picture", "performance": "performance",
    "letter": "personal_communication", "review": "review", "jurisdiction": "legal_case",
    "legislation": "legislation", "legal": "legislation",
}
ARTICLE_TYPES: Final = frozenset({"article", "periodical", "suppperiodical"})
PART_TYPES: Final = frozenset(
    "inbook bookinbook suppbook incollection suppcollection inproceedings conference "
    "inreference book_section".split()
)
REPORT_TYPES: Final = frozenset({"techreport", "report", "manual"})
THESIS_TYPES: Final = frozenset({"phdthesis", "mastersthesis", "thesis"})

#: Contract or extra key -> BibTeX fields that feed it, most preferred first, per type.
def candidates(bib_type: str) -> dict[str, tuple[str, ...]]:
    if bib_type in PART_TYPES:
        container: tuple[str, ...] = ("booktitle", "journal", "journaltitle")
    else:
        container = ("journal", "journaltitle", "booktitle")
    if bib_type in REPORT_TYPES:
        publisher: tuple[str, ...] = ("institution", "publisher", "school")
    elif bib_type in THESIS_TYPES:
        publisher = ("school", "institution", "publisher")
    else:
        publisher = ("publisher", "institution", "school")
    article = bib_type in ARTICLE_TYPES
    return {
        "journal": container,
        "publisher": publisher,
        "issue": ("number", "issue") if article else ("issue",),
        "number": () if article else ("number",),
        "publisher-place": ("address", "location"),
        "page": ("pages", "page"),
    }


#: BibTeX field -> extra key, for fields with exactly one source.
SIMPLE_FIELDS: Final = {
    "volume": "volume", "edition": "edition", "series": "collection-title", "isbn": "ISBN",
    "issn": "ISSN", "abstract": "abstract", "note": "note", "language": "language",
    "type": "genre", "shorttitle": "title-short", "pmcid": "PMCID",
}
NAME_EXTRAS: Final = {"editor": "editor", "translator": "translator",
                      "bookauthor": "container-author"}
MONTHS: Final = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                 "dec")
_PUBMED_NOTE_RE: Final = re.compile(
    r"^\s*Pub\s?Med(?:\s+ID)?\s*:?\s*(\d{1,12})\s*\.?\s*$", re.IGNORECASE)
_PUBMED_IN_NOTE_RE: Final = re.compile(r"\bPub\s?Med(?:\s+ID)?\s*:\s*(\d{1,12})\b", re.IGNORECASE)
_YEAR_RE: Final = re.compile(r"-?\d{1,4}")
_DATE_RE: Final = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_RANGE_DASH_RE: Final = re.compile(r"\s*[-\u2013\u2014]+\s*")
_KEYWORD_SPLIT_RE: Final = re.compile(r"\s*[,;]\s*")


_MONTH_NAMES: Final = {
    **{m: i + 1 for i, m in enumerate(MONTHS)},
    **{name: i + 1 for i, name in enumerate(
        "january february march april may june july august september october november "
        "december".split())},
    "sept": 9,
}


def month_number(text: str) -> int | None:
    """``jan``, ``January``, ``Jan.``, ``1`` or ``01`` -> 1; anything else -> None."""
    value = text.strip().rstrip(".").lower()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTH_NAMES.get(value)


def parse_date_parts(text: str) -> list[list[int]] | None:
    """biblatex ``date`` (``2012-03-16``, ``2010/2012``) as CSL date-parts, or None."""
    parts: list[list[int]] = []
    for piece in text.split("/")[:2]:
        match = _DATE_RE.match(piece.strip())
        if match is None:
            if parts:  # an open range ``2010/``
                break
            return None
        numbers = [int(g) for g in match.groups() if g is not None]
        if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
            numbers = numbers[:1]
        if len(numbers) > 2 and not 1 <= numbers[2] <= 31:
            numbers = numbers[:2]
        parts.append(numbers)
    return parts or None


def names_to_dicts(people: list[Author]) -> list[dict[str, Any]]:
    return [{"family": a.family, "given": a.given} for a in people]


def entry_to_reference(bib: BibEntry) -> tuple[dict[str, Any], list[str]]:
    """A contract dict (id derived from the key) for one BibTeX entry, and warnings."""
    fields: dict[str, Any] = dict(bib.fields)
    warnings: list[str] = []
    bib_type = bib.entry_type
    csl_type = BIB_TO_CSL_TYPE.get(bib_type)
    if csl_type is None:
        csl_type = "document"
        warnings.append(f"line {bib.line}: “@{bib_type}” is not a BibTeX or biblatex entry "
                        f"type; “{bib.key}” was kept and will be cited as a generic document.")
    extra: dict[str, Any] = {"type": csl_type, "bibtex_type": bib_type}

    raw_authors = fields.pop("author", "")
    authors, truncated = parse_name_list(raw_authors)
    title = fields.pop("title", None)
    year, issued = _take_date(fields)
    contract: dict[str, Any] = {"id": "", "title": title, "authors": names_to_dicts(authors)}

    container: str | None = None
    for target, names in candidates(bib_type).items():
        present = [n for n in names if n in fields]
        if present:
            value = fields.pop(present[0])
            if target == "page":
                value = _RANGE_DASH_RE.sub("-", value)
            if target == "journal":
                contract["journal"] = value
                container = present[0]
            else:
                extra[target] = value
    for name, target in SIMPLE_FIELDS.items():
        if name in fields:
            extra[target] = fields.pop(name)
    useprefix = _option(fields.get("options", ""), "useprefix")
    raw_kept: dict[str, str] = {}
    for name, target in NAME_EXTRAS.items():
        if name in fields:
            raw_names = fields.pop(name)
            people, _ = parse_csl_names(raw_names, useprefix=useprefix)
            if people:
                extra[target] = people
                if any(set(n) - {"family", "given"} for n in people):
                    raw_kept[name] = raw_names
    if "keywords" in fields:
        words = [w for w in _KEYWORD_SPLIT_RE.split(fields.pop("keywords")) if w]
        if words:
            extra["keywords"] = words
    if "urldate" in fields:
        accessed = parse_date_parts(fields["urldate"])
        if accessed is not None and len(accessed) == 1:
            del fields["urldate"]
            extra["accessed"] = {"date-parts": accessed}

    doi = normalise_doi(fields.pop("doi", None))
    if doi is not None and not DOI_RE.match(doi):
        warnings.append(f"line {bib.line}: the DOI of “{bib.key}” ({doi}) is not a DOI of the "
                        "form 10.xxxx/…; it was kept as written but cannot link to atlas entries.")
        fields["doi"] = doi
        doi = None
    pmid = _take_pmid(fields, extra)

    for name in list(fields):
        if name in NAME_FIELDS:  # other name lists: kept parsed, so the writer can format them
            others, _ = parse_name_list(fields[name])
            fields[name] = names_to_dicts(others)
    if fields:
        extra["bibtex_fields"] = fields
    if issued is not None:
        extra["issued"] = issued
    csl_authors, _ = parse_csl_names(raw_authors, useprefix=useprefix)
    if any(set(n) - {"family", "given"} for n in csl_authors):
        extra["author"] = csl_authors
        raw_kept["author"] = raw_authors  # literal names, particles: written back as they were
    rich = _rich_titles(bib, container)
    if rich:
        extra["bibtex_rich"] = rich
        raw_kept.update({name: bib.raw[container if name == "journal" and container else name]
                         for name in rich})
    # Kept only when it can be written back as one safe value (a stray ``\{`` cannot).
    raw_kept = {name: value for name, value in raw_kept.items()
                if check_value("{" + value + "}")}
    if raw_kept:
        extra["bibtex_raw"] = raw_kept
    if truncated:
        extra["authors_truncated"] = True
    first = authors[0].family if authors else None
    contract.update({
        "id": reference_id(bib.key, family=first, year=year, title=title),
        "year": year,
        "doi": doi,
        "pmid": pmid,
        "url": fields.pop("url", None),
        "bibtex_key": bib.key,
    })
    if not fields:
        extra.pop("bibtex_fields", None)
    contract.update(extra)
    return contract, warnings


def _option(options: str, name: str) -> bool:
    """A biblatex entry option (``options = {useprefix, juniorcomma=false}``)."""
    for part in options.split(","):
        key, _, value = part.partition("=")
        if key.strip().lower() == name:
            return value.strip().lower() in ("", "true")
    return False


def _rich_titles(bib: BibEntry, container: str | None) -> dict[str, str]:
    """Titles whose rich text says more than their decoded text does, and more than the
    case protection our writer gives any title (so that a file we wrote reads back the
    same). The field that became the entry's journal is keyed ``journal``, whichever of
    ``journal``, ``journaltitle`` or ``booktitle`` it was."""
    out: dict[str, str] = {}
    for name, raw in bib.raw.items():
        plain = bib.fields.get(name)
        if not plain:
            continue
        rich = decode_latex_rich(raw)
        if rich != plain and rich != decode_latex_rich(protect_case(encode_latex(plain))):
            out["journal" if name == container else name] = rich
    return out


def _take_date(fields: dict[str, Any]) -> tuple[int | None, dict[str, Any] | None]:
    """Year and CSL ``issued`` from ``date`` or ``year``/``month``. ``date`` stays in the
    fields (written back as it was); year and month are dropped when they agree with it."""
    parts: list[list[int]] | None = None
    if "date" in fields:
        parts = parse_date_parts(fields["date"])
    year: int | None = parts[0][0] if parts else None
    year_text = fields.get("year")
    if year_text is not None:
        match = _YEAR_RE.search(year_text)
        year_value = int(match.group(0)) if match else None
        if year is None:
            year = year_value
        if year_text.strip() == str(year):
            del fields["year"]  # canonical: the writer makes it again from the year
    month_text = fields.get("month")
    if month_text is not None:
        month = month_number(month_text)
        if parts is None and year is not None and month is not None:
            parts = [[year, month]]
            del fields["month"]
        elif parts is not None and month is not None and len(parts[0]) > 1 \
                and parts[0][1] == month:
            del fields["month"]
    if parts is None and year is not None:
        parts = [[year]]
    return year, ({"date-parts": parts} if parts is not None else None)


def _take_pmid(fields: dict[str, Any], extra: dict[str, Any]) -> str | None:
    """PMID from a ``pmid`` field, an ``eprint`` of type pubmed, or ``note = {PubMed: …}``
    (the atlas's way). A note that says nothing else is not kept as a note."""
    pmid = str(fields.get("pmid", "")).strip()
    if pmid and PMID_RE.match(pmid):
        del fields["pmid"]
        return pmid
    if fields.get("eprinttype", "").lower() == "pubmed" and PMID_RE.match(
            fields.get("eprint", "").strip()):
        return str(fields["eprint"]).strip()
    note = extra.get("note")
    if isinstance(note, str):
        whole = _PUBMED_NOTE_RE.match(note)
        if whole:
            del extra["note"]
            return str(whole.group(1))
        inside = _PUBMED_IN_NOTE_RE.search(note)
        if inside:
            return str(inside.group(1))
    return None

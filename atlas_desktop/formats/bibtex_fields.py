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

__all__ = ["BIB_TO_CSL_TYPE", "MONTHS", "NAME_EXTRAS", "SIMPLE_FIELDS", "candidates",
           "entry_to_reference", "month_number", "names_to_dicts"]

from atlas_desktop.domain.bibtex_model import (
    BIB_TO_CSL_TYPE,
    NAME_EXTRAS,
    SIMPLE_FIELDS,
    candidates,
)
from atlas_desktop.domain.csl_values import parse_date_parts
from atlas_desktop.domain.entry import DOI_RE, PMID_RE, Author, normalise_doi
from atlas_desktop.domain.references import reference_id

from .bibtex import BibEntry
from .bibtex_names import NAME_FIELDS, has_name_parts, parse_csl_names, parse_name_list
from .bibtex_values import check_value
from .latex import decode_latex_rich, encode_latex, protect_case

MONTHS: Final = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                 "dec")
_PUBMED_NOTE_RE: Final = re.compile(
    r"^\s*Pub\s?Med(?:\s+ID)?\s*:?\s*(\d{1,12})\s*\.?\s*$", re.IGNORECASE)
_PUBMED_IN_NOTE_RE: Final = re.compile(r"\bPub\s?Med(?:\s+ID)?\s*:\s*(\d{1,12})\b", re.IGNORECASE)
_YEAR_RE: Final = re.compile(r"-?\d{1,4}")
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

    #: field -> the value it became, for the rich text of those several fields may feed.
    sources: dict[str, str] = {}
    for target, names in candidates(bib_type).items():
        present = [n for n in names if n in fields]
        if present:
            value = fields.pop(present[0])
            sources[present[0]] = target
            if target == "page":
                value = _RANGE_DASH_RE.sub("-", value)
            if target == "journal":
                contract["journal"] = value
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
            if not has_name_parts(raw_names):
                plain, _ = parse_name_list(raw_names)
                if plain:
                    extra[target] = names_to_dicts(plain)
                continue
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
    csl_authors, _ = parse_csl_names(raw_authors, useprefix=useprefix) \
        if has_name_parts(raw_authors) else ([], False)
    if any(set(n) - {"family", "given"} for n in csl_authors):
        extra["author"] = csl_authors
        raw_kept["author"] = raw_authors  # literal names, particles: written back as they were
    rich, raw_rich = _rich_titles(bib, sources)
    if rich:
        extra["bibtex_rich"] = rich
        raw_kept.update(raw_rich)
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


def _rich_titles(bib: BibEntry, sources: dict[str, str]
                 ) -> tuple[dict[str, str], dict[str, str]]:
    """Rich text that says more than the decoded text does (and, for the title, more than the
    case protection our writer gives any title), so that a file we wrote reads back the
    same; and the raw values it came from. A field that fed a value several fields may feed
    is keyed by that value (``=journal``, ``=publisher``, ``=publisher-place``), whichever
    field it was (``journaltitle``, ``institution``, ``location``)."""
    rich_out: dict[str, str] = {}
    raw_out: dict[str, str] = {}
    for name, raw in bib.raw.items():
        plain = bib.fields.get(name)
        if not plain:
            continue
        protected = protect_case(encode_latex(plain)) if name == "title" else encode_latex(plain)
        if not _LATEX_RE.search(raw):
            # No markup (most values): the rich text is the plain text, kept only when the
            # writer's protection would change it ("Twice-Born").
            if "{" in protected:
                rich_out[_rich_key(name, sources)] = plain
                raw_out[_rich_key(name, sources)] = raw
            continue
        rich = decode_latex_rich(raw)
        # Kept when the writer's own rendering would not read back to it (a title the
        # writer would protect, "Twice-Born", is kept even when it is plain).
        if rich != decode_latex_rich(protected):
            rich_out[_rich_key(name, sources)] = rich
            raw_out[_rich_key(name, sources)] = raw
    return rich_out, raw_out


#: What makes a raw value's rich text differ from its decoded text.
_LATEX_RE: Final = re.compile(r"[\\{}$~]|--|``|''")


def _rich_key(name: str, sources: dict[str, str]) -> str:
    role = sources.get(name)
    return f"={role}" if role in ("journal", "publisher", "publisher-place") else name


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

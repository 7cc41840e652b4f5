"""Writing entries as BibTeX (UTF-8).

* Atlas entries are written as the atlas writes them on its pages: key
  ``mecfsatlas-<id>`` (their ``bibtex_key``), author, title, journal, year, DOI,
  ``note = {PubMed: …}`` and the atlas URL.
* The user's references keep their citation key, entry type and every field they came with
  (``extra["bibtex_fields"]``); values that map to CSL variables are written under the field
  name :func:`~.bibtex_fields.candidates` prefers, so reading the file back gives the same
  entries (the round trip is tested on the real files).

Keys are unique within one file: a clash falls back to a key made from the entry id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, TextIO

from atlas_desktop.domain.entry import Entry, Origin
from atlas_desktop.domain.references import REFERENCE_ID_PREFIX

from .bibtex import VERBATIM_FIELDS
from .bibtex_fields import MONTHS, NAME_EXTRAS, SIMPLE_FIELDS, candidates
from .bibtex_names import NAME_FIELDS
from .latex import encode_latex, protect_case

CSL_TO_BIB_TYPE: Final = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "article": "article", "periodical": "periodical", "book": "book", "chapter": "incollection",
    "entry-encyclopedia": "inreference", "entry-dictionary": "inreference",
    "paper-conference": "inproceedings", "report": "techreport", "thesis": "phdthesis",
    "manuscript": "unpublished", "patent": "patent", "pamphlet": "booklet",
    "software": "software", "dataset": "dataset", "standard": "standard",
}
_KEY_UNSAFE_RE: Final = re.compile(r"[\s,{}()=\"#%\\]+")
_LEADING_FIELDS: Final = ("author", "title")
#: Stands for BibTeX's ``and others`` (a truncated author list) in a list of people.
_OTHERS: Final[Mapping[str, Any]] = {"family": "others"}


def write_bibtex(out: TextIO, entries: Iterable[Entry]) -> int:
    """Write ``entries`` to ``out``; returns how many were written."""
    used: set[str] = set()
    count = 0
    for entry in entries:
        key = _unique_key(entry, used)
        out.write(entry_to_bibtex(entry, key=key))
        out.write("\n")
        count += 1
    return count


def _unique_key(entry: Entry, used: set[str]) -> str:
    if entry.origin is Origin.ATLAS:
        preferred = entry.bibtex_key or f"mecfsatlas-{entry.id}"
        fallback = f"mecfsatlas-{entry.id}"
    else:
        fallback = entry.id.removeprefix(REFERENCE_ID_PREFIX)
        preferred = entry.bibtex_key or fallback
    for candidate in (preferred, fallback):
        key = _KEY_UNSAFE_RE.sub("-", candidate) or "ref"
        if key.lower() not in used:
            used.add(key.lower())
            return key
    n = 2
    while f"{key}-{n}".lower() in used:
        n += 1
    used.add(f"{key}-{n}".lower())
    return f"{key}-{n}"


def entry_to_bibtex(entry: Entry, *, key: str) -> str:
    fields = _atlas_fields(entry) if entry.origin is Origin.ATLAS else _reference_fields(entry)
    bib_type = "article"
    if entry.origin is Origin.MINE:
        bib_type = _entry_type(entry.extra)
    lines = [f"@{bib_type}{{{key},"]
    lines.extend(f"  {name} = {value}," for name, value in fields)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _entry_type(extra: Mapping[str, Any]) -> str:
    bib_type = extra.get("bibtex_type")
    if isinstance(bib_type, str) and re.fullmatch(r"[A-Za-z_][\w-]*", bib_type):
        return bib_type
    csl_type = extra.get("type") or extra.get("csl_type")
    return CSL_TO_BIB_TYPE.get(csl_type, "misc") if isinstance(csl_type, str) else "misc"


def _braced(text: str) -> str:
    return "{" + encode_latex(text) + "}"


def _verbatim(text: str) -> str:
    # Links and paths are written as they are; only braces would break the file.
    if text.count("{") != text.count("}"):
        text = text.replace("{", "%7B").replace("}", "%7D")
    return "{" + text + "}"


def _title(text: str) -> str:
    return "{" + protect_case(encode_latex(text)) + "}"


def _names(people: Iterable[Any]) -> str:
    return "{" + " and ".join(
        "others" if p is _OTHERS else _name(p) for p in people if isinstance(p, Mapping)) + "}"


_PLAIN_NAME_RE: Final = re.compile(r"[\\{}%&$#_~^,]|--|``|''|\band\b|^others$", re.IGNORECASE)


def _name(person: Mapping[str, Any]) -> str:
    family = str(person.get("family") or person.get("literal") or "")
    given = person.get("given")
    if given and " " not in family and not _PLAIN_NAME_RE.search(f"{family}\n{given}"):
        return f"{family}, {given}"  # the common case, without escaping work
    fam = encode_latex(family)
    if not given:
        # One word stays as it is; several words are a corporate name, kept whole.
        plain = re.fullmatch(r"[^\s,]+", family) and family.lower() != "others"
        return fam if plain else "{" + fam + "}"
    given_text = encode_latex(str(given))
    if " and " in f" {given} ":
        given_text = "{" + given_text + "}"
    if re.search(r"\band\b", family):
        return "{" + fam + "}, " + given_text
    if ", " in family:  # ``King, Jr.``: BibTeX's "von Last, Jr, First"
        last, jr = family.split(", ", 1)
        return f"{encode_latex(last)}, {encode_latex(jr)}, {given_text}"
    return f"{fam}, {given_text}"


def _atlas_fields(entry: Entry) -> list[tuple[str, str]]:
    """The atlas's own BibTeX block: what its pages show, nothing more."""
    out: list[tuple[str, str]] = []
    if entry.authors:
        out.append(("author", _names({"family": a.family, "given": a.given}
                                     for a in entry.authors)))
    if entry.title:
        out.append(("title", _title(entry.title)))
    if entry.journal:
        out.append(("journal", _braced(entry.journal)))
    if entry.year is not None:
        out.append(("year", f"{{{entry.year}}}"))
    if entry.doi:
        out.append(("doi", _verbatim(entry.doi)))
    if entry.pmid:
        out.append(("note", f"{{PubMed: {entry.pmid}}}"))
    if entry.url:
        out.append(("url", _verbatim(entry.url)))
    return out


def _reference_fields(entry: Entry) -> list[tuple[str, str]]:
    extra = entry.extra
    bib_type = _entry_type(extra)
    kept_raw = extra.get("bibtex_fields")
    kept: Mapping[str, Any] = kept_raw if isinstance(kept_raw, Mapping) else {}
    out: dict[str, str] = {}

    if entry.authors:
        people: list[Mapping[str, Any]] = [
            {"family": a.family, "given": a.given} for a in entry.authors]
        if entry.authors_truncated:
            people.append(_OTHERS)
        out["author"] = _names(people)
    if entry.title:
        out["title"] = _title(entry.title)

    def place(target: str, value: str) -> None:
        """Under the first name that reads back to ``target`` and is not taken."""
        for name in candidates(bib_type)[target]:
            if name not in kept and name not in out:
                out[name] = value
                return

    if entry.journal:
        place("journal", _braced(entry.journal))
    issued = extra.get("issued")
    parts = _date_parts(issued)
    if "year" not in kept and entry.year is not None:
        out["year"] = f"{{{entry.year}}}"
    if "month" not in kept and parts and len(parts[0]) > 1 and 1 <= parts[0][1] <= 12:
        out["month"] = MONTHS[parts[0][1] - 1]
    if "date" not in kept and parts and (len(parts) > 1 or len(parts[0]) > 2):
        out["date"] = "{" + "/".join("-".join(f"{n:02d}" if i else str(n)
                                              for i, n in enumerate(p)) for p in parts) + "}"
    for target in ("issue", "number", "page", "publisher", "publisher-place"):
        value = extra.get(target)
        if isinstance(value, str | int) and str(value):
            text = str(value)
            if target == "page":  # a range is written with BibTeX's en dash, ``--``
                place(target, "{" + encode_latex(text).replace("-", "--") + "}")
            else:
                place(target, _braced(text))
    for name, target in SIMPLE_FIELDS.items():
        value = extra.get(target)
        if isinstance(value, str | int) and str(value) and name not in kept and name not in out:
            out[name] = _verbatim(str(value)) if name in VERBATIM_FIELDS else _braced(str(value))
    for name, target in NAME_EXTRAS.items():
        value = extra.get(target)
        if isinstance(value, list) and value and name not in kept:
            out[name] = _names(value)
    keywords = extra.get("keywords")
    if isinstance(keywords, list) and keywords and "keywords" not in kept:
        out["keywords"] = _braced(", ".join(str(k) for k in keywords))
    accessed = _date_parts(extra.get("accessed"))
    if accessed and "urldate" not in kept:
        out["urldate"] = "{" + "-".join(f"{n:02d}" if i else str(n)
                                         for i, n in enumerate(accessed[0])) + "}"
    if entry.doi and "doi" not in kept:
        out["doi"] = _verbatim(entry.doi)
    if entry.pmid and "pmid" not in kept:
        out["pmid"] = "{" + entry.pmid + "}"
    if entry.url and "url" not in kept:
        out["url"] = _verbatim(entry.url)
    for name, value in kept.items():
        if name in out or not isinstance(name, str) or not re.fullmatch(r"[^\s,={}\"#%]+", name):
            continue
        if isinstance(value, list):
            if name in NAME_FIELDS:
                out[name] = _names(value)
        elif name in VERBATIM_FIELDS:
            out[name] = _verbatim(str(value))
        elif name == "month" and str(value).lower()[:3] in MONTHS and len(str(value)) == 3:
            out[name] = str(value).lower()
        else:
            out[name] = _braced(str(value))
    ordered = [(n, out.pop(n)) for n in _LEADING_FIELDS if n in out]
    return ordered + list(out.items())


def _date_parts(value: Any) -> list[list[int]] | None:
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts:
        return None
    clean: list[list[int]] = []
    for part in parts[:2]:
        if not isinstance(part, list) or not part:
            return clean or None
        try:
            numbers = [int(x) for x in part[:3]]
        except (TypeError, ValueError):
            return clean or None
        clean.append(numbers)
    return clean

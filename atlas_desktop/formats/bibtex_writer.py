"""Writing entries as BibTeX (UTF-8).

* Atlas entries are written as the atlas writes them on its pages: key
  ``mecfsatlas-<id>`` (their ``bibtex_key``), author, title, journal, year, DOI,
  ``note = {PubMed: …}`` and the atlas URL, with volume, number and pages when the catalogue
  has them or a completed record (PubMed, Crossref) gave them, and ``and others`` when the
  atlas lists only the first authors.
* The user's references keep their citation key, entry type and every field they came with
  (``extra["bibtex_fields"]``); values that map to CSL variables are written under the field
  name :func:`~.bibtex_fields.candidates` prefers, so reading the file back gives the same
  entries (the round trip is tested on the real files).

Keys are unique within one file: a clash falls back to a key made from the entry id.

Entry text is someone else's (a server's, a bundle's, a file's), so no value may end its
field early or start a block (issue 19.3: a DOI ``10.1234/x},note={X`` added a field, a URL
wrote ``@preamble``). Every value is written so that its braces nest when counted as BibTeX
itself counts them, backslashes ignored: text escapes braces as ``\textbraceleft{}``
(``\\{`` would count for BibTeX), verbatim values (DOI, URL…) whose braces do not nest get
them percent-encoded, keys and field names are restricted to safe characters, and no line
of a value starts with ``@`` or ``%``. :func:`check_value` states the invariant; the writer
checks every value against it. The clipboard's "Copy as BibTeX" is this writer too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, TextIO

from atlas_desktop.domain.entry import Entry, Origin, page_range, recorded_locators
from atlas_desktop.domain.references import REFERENCE_ID_PREFIX

from .bibtex import VERBATIM_FIELDS
from .bibtex_fields import MONTHS, NAME_EXTRAS, SIMPLE_FIELDS, candidates
from .bibtex_names import NAME_FIELDS
from .bibtex_values import check_value
from .latex import encode_latex, protect_case

CSL_TO_BIB_TYPE: Final = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "article": "article", "periodical": "periodical", "book": "book", "chapter": "incollection",
    "entry-encyclopedia": "inreference", "entry-dictionary": "inreference",
    "paper-conference": "inproceedings", "report": "techreport", "thesis": "phdthesis",
    "manuscript": "unpublished", "patent": "patent", "pamphlet": "booklet",
    "software": "software", "dataset": "dataset", "standard": "standard",
}
_KEY_UNSAFE_RE: Final = re.compile(r"[\s,{}()=\"#%\\@]+")
_FIELD_NAME_RE: Final = re.compile(r"[A-Za-z_][\w:.+-]*")
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
    for name, value in fields:
        if _FIELD_NAME_RE.fullmatch(name) and check_value(value):
            lines.append(f"  {name} = {value},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _entry_type(extra: Mapping[str, Any]) -> str:
    bib_type = extra.get("bibtex_type")
    if isinstance(bib_type, str) and re.fullmatch(r"[A-Za-z_][\w-]*", bib_type):
        return bib_type
    csl_type = extra.get("type") or extra.get("csl_type")
    return CSL_TO_BIB_TYPE.get(csl_type, "misc") if isinstance(csl_type, str) else "misc"


def _text(text: str) -> str:
    """Text as a value body whose braces all nest: ``\\{`` counts as a brace for BibTeX,
    so literal braces become ``\\textbraceleft{}``/``\\textbraceright{}`` (read back as
    braces). Whitespace runs become one space (the reader does the same); blank lines are kept
    (paragraphs of an abstract or note), and a paragraph starting with ``@`` or ``%`` has it
    braced so that no line of the value can be taken for a block or a comment."""
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_RE.split(text)]
    encoded = (_LITERAL_BRACE_RE.sub(_brace_word, encode_latex(p)) for p in paragraphs if p)
    return "\n\n".join("{" + p[0] + "}" + p[1:] if p[:1] in "@%" else p for p in encoded)


_PARAGRAPH_RE: Final = re.compile(r"\n[ \t]*\n\s*")
_LITERAL_BRACE_RE: Final = re.compile(r"\\([{}])")


def _brace_word(match: re.Match[str]) -> str:
    return r"\textbraceleft{}" if match.group(1) == "{" else r"\textbraceright{}"


def _braced(text: str) -> str:
    return "{" + _text(text) + "}"


def _verbatim(text: str) -> str:
    """Links, paths and identifiers are written as they are (whitespace collapsed, as the
    reader collapses it), unless their braces do not nest: then they are percent-encoded."""
    text = " ".join(text.split())
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        text = text.replace("{", "%7B").replace("}", "%7D")
    return "{" + text + "}"


def _title(text: str) -> str:
    return "{" + protect_case(_text(text)) + "}"


def _as_read(raw: Mapping[str, Any], name: str) -> str | None:
    """A title or a name list as the file it came from had it (``bibtex_raw``), when that is
    one safe value: written back as it was, it reads back to the same rich text and names."""
    value = raw.get(name)
    if isinstance(value, str) and value and check_value("{" + value + "}"):
        return "{" + value + "}"
    return None


def _names(people: Iterable[Any], *, as_read: bool = True) -> str:
    """A name list. ``as_read``: names of the user's references, whose families were read
    whole from their file (``{van Dam}``) and stay whole; the atlas's "van der Vaart" is a
    particle and a name, as BibTeX reads it unbraced."""
    return "{" + " and ".join(
        "others" if p is _OTHERS else _name(p, as_read=as_read)
        for p in people if isinstance(p, Mapping)) + "}"


_PLAIN_NAME_RE: Final = re.compile(r"[\\{}%&$#_~^,]|--|``|''|\band\b|^others$", re.IGNORECASE)


def _von_like(family: str) -> bool:
    """Whether BibTeX would read a word of ``family`` as a "von" part (its first letter is
    lower-case: ``van``, ``'t``)."""
    if family[:1].isupper() and " " not in family:
        return False  # the common case
    for word in family.split():
        letter = next((ch for ch in word if ch.isalpha()), "")
        if letter.islower():
            return True
    return False


def _name(person: Mapping[str, Any], *, as_read: bool = True) -> str:
    literal = " ".join(str(person.get("literal") or "").split())
    if literal and not person.get("family"):
        return "{" + _text(literal) + "}"  # a literal name is one braced group
    particle = " ".join(str(person.get("non-dropping-particle") or person.get(
        "dropping-particle") or "").split())
    suffix = " ".join(str(person.get("suffix") or "").split())
    family = " ".join(str(person.get("family") or "").split())
    given = " ".join(str(person.get("given") or "").split()) or None
    if given and not particle and not suffix and " " not in family and \
            not _PLAIN_NAME_RE.search(f"{family}\n{given}") and not (
            as_read and _von_like(family)):
        return f"{family}, {given}"  # the common case, without escaping work
    given_text = _text(given) if given else ""
    if given and (" and " in f" {given} " or "," in given):
        given_text = "{" + given_text + "}"
    whole = as_read and (_von_like(family) or "," in family)
    fam = "{" + _text(family) + "}" if whole or re.search(r"\band\b", family) \
        else _text(family)
    if particle or suffix:
        head = " ".join(x for x in (particle, fam) if x)
        parts = [head] + ([_text(suffix)] if suffix else [])
        return ", ".join(parts + ([given_text] if given else ([""] if suffix else [])))
    if not given:
        # One word stays as it is. Several are one name: for the atlas a corporate one (a
        # literal, wholly braced); for the user's references a family name without a
        # given one (``{Name},``), as it was read.
        plain = re.fullmatch(r"[^\s,]+", family) and family.lower() != "others"
        if plain:
            return _text(family)  # one word alone is a family name, whatever its case
        return "{" + _text(family) + "}," if as_read else "{" + _text(family) + "}"
    if not whole and ", " in family:  # ``King, Jr.``: BibTeX's "von Last, Jr, First"
        last, jr = family.split(", ", 1)
        return f"{_text(last)}, {_text(jr)}, {given_text}"
    return f"{fam}, {given_text}"


def _atlas_fields(entry: Entry) -> list[tuple[str, str]]:
    """The atlas's own BibTeX block: what its pages show, nothing more."""
    out: list[tuple[str, str]] = []
    if entry.authors:
        people: list[Mapping[str, Any]] = [{"family": a.family, "given": a.given}
                                           for a in entry.authors]
        if entry.authors_truncated:
            people.append(_OTHERS)  # the atlas's "et al." (issue 18 item 5)
        out.append(("author", _names(people, as_read=False)))
    if entry.title:
        out.append(("title", _title(entry.title)))
    if entry.journal:
        out.append(("journal", _braced(entry.journal)))
    if entry.year is not None:
        out.append(("year", f"{{{entry.year}}}"))
    # Volume, issue and pages when the catalogue has them (a catalogue update may add them).
    locators = recorded_locators(entry.extra)
    for key, field in (("volume", "volume"), ("issue", "number")):
        if key in locators:
            out.append((field, _braced(locators[key])))
    if "page" in locators:  # a range with BibTeX's en dash, ``--``
        out.append(("pages", "{" + _text(page_range(locators["page"])).replace("-", "--")
                    + "}"))
    for name, field in (("container-title-short", "shortjournal"), ("ISSN", "issn"),
                        ("PMCID", "pmcid")):
        value = entry.extra.get(name)
        if isinstance(value, str) and value.strip():  # completed from PubMed or Crossref
            out.append((field, _verbatim(value) if field in VERBATIM_FIELDS else
                        _braced(value)))
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

    raw_kept = extra.get("bibtex_raw")
    raw: Mapping[str, Any] = raw_kept if isinstance(raw_kept, Mapping) else {}
    if entry.authors:
        own = extra.get("author")  # CSL names: literal, particles and suffixes as read
        people: list[Mapping[str, Any]] = list(own) if isinstance(own, list) and own else [
            {"family": a.family, "given": a.given} for a in entry.authors]
        if entry.authors_truncated:
            people.append(_OTHERS)
        out["author"] = _as_read(raw, "author") or _names(people)
    if entry.title:
        out["title"] = _as_read(raw, "title") or _title(entry.title)

    def place(target: str, value: str) -> None:
        """Under the first name that reads back to ``target`` and is not taken."""
        for name in candidates(bib_type)[target]:
            if name not in kept and name not in out:
                out[name] = value
                return

    if entry.journal:
        place("journal", _as_read(raw, "=journal") or _braced(entry.journal))
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
                place(target, "{" + _text(text).replace("-", "--") + "}")
            else:
                place(target, _as_read(raw, f"={target}") or _braced(text))
    for name, target in SIMPLE_FIELDS.items():
        value = extra.get(target)
        if isinstance(value, str | int) and str(value) and name not in kept and name not in out:
            out[name] = _verbatim(str(value)) if name in VERBATIM_FIELDS else (
                _as_read(raw, name) or _braced(str(value)))
    for name, target in NAME_EXTRAS.items():
        value = extra.get(target)
        if isinstance(value, list) and value and name not in kept:
            out[name] = _as_read(raw, name) or _names(value)
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
        out["pmid"] = _verbatim(entry.pmid)
    if entry.url and "url" not in kept:
        out["url"] = _verbatim(entry.url)
    for name, value in kept.items():
        if name in out or not isinstance(name, str) or not _FIELD_NAME_RE.fullmatch(name):
            continue
        if isinstance(value, list):
            if name in NAME_FIELDS:
                out[name] = _names(value)
        elif name in VERBATIM_FIELDS:
            out[name] = _verbatim(str(value))
        elif _as_read(raw, name):
            out[name] = str(_as_read(raw, name))
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

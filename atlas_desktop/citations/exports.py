"""Small per-entry exporters for the clipboard: BibTeX, RIS and CSL-JSON of selected entries.

These are for copying one or a few entries into another reference manager; whole-library
import and export of BibTeX/RIS live in ``formats/``. All three are built from the entry's
CSL-JSON item, so they carry exactly what a formatted citation does (for an atlas entry the
atlas page is not the paper's URL, so it is not exported as one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from atlas_desktop.domain.csl import entry_to_csl
from atlas_desktop.domain.entry import Entry

_BIBTEX_TYPES: Final = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
    "report": "techreport",
}
_RIS_TYPES: Final = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CPAPER",
    "thesis": "THES",
    "report": "RPRT",
    "webpage": "ELEC",
    "dataset": "DATA",
}
_LATEX_SPECIAL: Final = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_KEY_UNSAFE_RE: Final = re.compile(r"[^A-Za-z0-9_:.\-]+")


# --- BibTeX -------------------------------------------------------------------------------


def bibtex(entries: Sequence[Entry]) -> str:
    """BibTeX records, one per entry, separated by a blank line. Text is UTF-8 (biber and
    modern BibTeX read it); LaTeX's special characters are escaped."""
    return "\n".join(_bibtex_record(e) for e in entries)


def _bibtex_record(entry: Entry) -> str:
    item = entry_to_csl(entry)
    kind = _BIBTEX_TYPES.get(item["type"], "article" if "container-title" in item else "misc")
    fields: list[tuple[str, str]] = []
    names = _bibtex_names(item.get("author", []))
    if names:
        fields.append(("author", names))
    if "title" in item:
        fields.append(("title", _latex(item["title"])))
    container = item.get("container-title")
    if container:
        field_name = {"article": "journal", "incollection": "booktitle",
                      "inproceedings": "booktitle"}.get(kind, "howpublished")
        fields.append((field_name, _latex(container)))
    if entry.year is not None:
        fields.append(("year", str(entry.year)))
    for csl_key, bib_key in (("volume", "volume"), ("issue", "number"),
                             ("publisher", "publisher")):
        if csl_key in item:
            fields.append((bib_key, _latex(str(item[csl_key]))))
    if "page" in item:
        fields.append(("pages", _latex(re.sub(r"\s*[-–—]+\s*", "--", str(item["page"])))))
    for csl_key, bib_key in (("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid"),
                             ("URL", "url")):
        value = item.get(csl_key)
        if isinstance(value, str) and _balanced(value):
            fields.append((bib_key, value))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{_bibtex_key(entry)},\n{body}\n}}\n"


def _bibtex_names(authors: Sequence[Mapping[str, str]]) -> str:
    out = []
    for name in authors:
        if "literal" in name:
            out.append("{" + _latex(name["literal"]) + "}")
        elif name.get("given"):
            out.append(f"{_latex(name['family'])}, {_latex(name['given'])}")
        else:
            out.append(_latex(name.get("family", "")))
    return " and ".join(n for n in out if n)


def _bibtex_key(entry: Entry) -> str:
    if entry.bibtex_key:
        key = _KEY_UNSAFE_RE.sub("", entry.bibtex_key)
        if key:
            return key
    return entry.id


def _latex(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# --- RIS ----------------------------------------------------------------------------------


def ris(entries: Sequence[Entry]) -> str:
    """RIS records (``TY`` ... ``ER``), one per entry."""
    return "\n".join(_ris_record(e) for e in entries)


def _ris_record(entry: Entry) -> str:
    item = entry_to_csl(entry)
    lines = [("TY", _RIS_TYPES.get(item["type"], "GEN"))]
    for name in item.get("author", []):
        if "literal" in name:
            lines.append(("AU", name["literal"]))
        elif name.get("given"):
            lines.append(("AU", f"{name['family']}, {name['given']}"))
        else:
            lines.append(("AU", name.get("family", "")))
    if "title" in item:
        lines.append(("TI", item["title"]))
    if "container-title" in item:
        lines.append(("T2", item["container-title"]))
    if "container-title-short" in item:
        lines.append(("J2", item["container-title-short"]))
    if entry.year is not None:
        lines.append(("PY", str(entry.year)))
    for csl_key, tag in (("volume", "VL"), ("issue", "IS"), ("publisher", "PB"),
                         ("ISSN", "SN")):
        if csl_key in item:
            lines.append((tag, str(item[csl_key])))
    if "page" in item:
        first, last = _page_parts(str(item["page"]))
        lines.append(("SP", first))
        if last:
            lines.append(("EP", last))
    if "DOI" in item:
        lines.append(("DO", item["DOI"]))
    if "PMID" in item:
        lines.append(("AN", item["PMID"]))
        lines.append(("DB", "PubMed"))
    if "URL" in item:
        lines.append(("UR", item["URL"]))
    lines.append(("ER", ""))
    # One value per line: a line break inside a value would start a bogus tag.
    return "".join(f"{tag}  - {_one_line(value)}\n" for tag, value in lines)


def _page_parts(page: str) -> tuple[str, str]:
    parts = re.split(r"\s*[-–—]+\s*", page, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


# --- CSL-JSON -----------------------------------------------------------------------------


def csl_json(entries: Sequence[Entry]) -> str:
    """A CSL-JSON array (what Zotero, pandoc and citeproc read)."""
    items: list[dict[str, Any]] = [entry_to_csl(e) for e in entries]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"

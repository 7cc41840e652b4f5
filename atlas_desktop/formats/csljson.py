"""CSL-JSON files: a list of CSL items (Zotero, Better BibTeX, pandoc), in and out.

Reading keeps every CSL variable of an item in ``extra`` under its own name, so writing the
item back loses nothing we understood. Two things are cleaned on the way in, with a note:

* dates: date-parts given as strings become numbers, a malformed range end such as
  ``[[2014, 12, 31], [0]]`` (which makes citeproc-js fail for a whole bibliography) is
  dropped, seasons written as 21-24 become CSL's 13-16;
* titles with rich-text markup (``<i>``, ``<b>``, ``<sub>``, ``<span class="nocase">``) are
  shown and searched as plain text; the marked-up title is kept in ``extra["title_markup"]``
  for citations and export.

A short DOI (``10/fqd6hj``) is kept as the user wrote it (``extra["DOI"]``, written back
and cited as it is). When the item's URL is a doi.org link, the full DOI taken from it links
the reference to atlas entries; it never replaces the user's own.

Writing goes through :func:`~atlas_desktop.domain.csl.entry_to_csl`, the item citations are
made from, with the user's own citation key as ``id``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TextIO

import orjson

from atlas_desktop.domain.csl import entry_to_csl
from atlas_desktop.domain.entry import DOI_RE, PMID_RE, Entry, Origin, normalise_doi
from atlas_desktop.domain.references import key_and_id, make_citation_key

from .text import FormatError

_MARKUP_RE: Final = re.compile(r"</?(?:i|b|sub|sup|span)(?:\s[^>]*)?>", re.IGNORECASE)
_KEYLIKE_RE: Final = re.compile(r"^[\w:.+/-]{1,120}$")
#: Item fields that become contract fields (the rest stay in ``extra`` as they are).
_MAPPED: Final = frozenset({"id", "title", "author", "container-title", "DOI", "PMID", "URL",
                            "citation-key"})
_DATE_VARIABLES: Final = ("issued", "accessed", "original-date", "event-date", "submitted",
                          "available-date")
_NAME_KEYS: Final = frozenset({"family", "given", "literal", "non-dropping-particle",
                               "dropping-particle", "suffix"})


@dataclass
class CslFile:
    references: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_csl_json(data: bytes | str) -> CslFile:
    """Items of a CSL-JSON file. Raises FormatError for broken JSON or no items."""
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FormatError(f"The file is not valid JSON ({exc}).") from None
    if isinstance(parsed, Mapping) and isinstance(parsed.get("items"), list):
        items = parsed["items"]
    elif isinstance(parsed, Mapping) and "type" in parsed:
        items = [parsed]
    elif isinstance(parsed, list):
        items = parsed
    else:
        raise FormatError("The JSON is not a list of CSL items.")
    result = CslFile()
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            result.errors.append(f"item {number}: it is not a JSON object; it was left out.")
            continue
        reference = _from_item(item, number, result.warnings)
        key = str(reference["bibtex_key"])
        count = key_and_id(reference, seen)
        if count > 1:
            result.warnings.append(f"item {number}: the id “{key}” is used by an earlier item; "
                                   f"this one was kept apart as “{key}-{count}”.")
        result.references.append(reference)
    if not result.references and not result.errors:
        raise FormatError("The file holds no CSL items.")
    return result


def plain_title(title: str) -> str:
    return html.unescape(_MARKUP_RE.sub("", title)).strip()


def _person(name: Any) -> dict[str, Any] | None:
    if not isinstance(name, Mapping):
        return None
    literal = name.get("literal")
    if isinstance(literal, str) and literal.strip():
        return {"family": literal.strip(), "given": None}
    family = " ".join(str(name.get(k) or "") for k in ("non-dropping-particle", "family")).strip()
    given = " ".join(str(name.get(k) or "") for k in ("given", "dropping-particle")).strip()
    suffix = str(name.get("suffix") or "").strip()
    if suffix and family:
        family = f"{family}, {suffix}"
    if not family:
        return {"family": given, "given": None} if given else None
    return {"family": family, "given": given or None}


def clean_date(value: Any) -> tuple[dict[str, Any] | None, bool]:
    """A CSL date citeproc-js accepts, and whether anything had to change."""
    if not isinstance(value, Mapping):
        return None, value is not None
    out = dict(value)
    changed = False
    parts = value.get("date-parts")
    if parts is not None:
        clean: list[list[int]] = []
        for index, part in enumerate(parts if isinstance(parts, list) else []):
            numbers: list[int] = []
            raw_part = part if isinstance(part, list) else []
            for position, raw in enumerate(raw_part[:3]):
                try:
                    number = int(raw)  # years often come as strings: not worth a note
                except (TypeError, ValueError):
                    break
                if position == 1 and 21 <= number <= 24:
                    number -= 8  # EDTF seasons 21-24 are CSL's 13-16
                    changed = True
                if (position == 0 and not -9999 <= number <= 9999) or (
                        position == 1 and not 1 <= number <= 16) or (
                        position == 2 and not 1 <= number <= 31):
                    break
                numbers.append(number)
            if len(numbers) != len(raw_part):
                changed = True
            if not numbers or (index > 0 and numbers == [0]):
                changed = True
                continue
            clean.append(numbers)
        if clean:
            out["date-parts"] = clean[:2]
        else:
            out.pop("date-parts", None)
            changed = True
    if not any(k in out for k in ("date-parts", "raw", "literal")):
        return None, True
    return out, changed


def _year(issued: Mapping[str, Any] | None) -> int | None:
    if not issued:
        return None
    parts = issued.get("date-parts")
    if parts:
        return int(parts[0][0])
    match = re.search(r"-?\d{4}", str(issued.get("raw") or issued.get("literal") or ""))
    return int(match.group(0)) if match else None


def _from_item(item: Mapping[str, Any], number: int, warnings: list[str]) -> dict[str, Any]:
    extra: dict[str, Any] = {k: v for k, v in item.items() if k not in _MAPPED}
    if not isinstance(item.get("type"), str):
        extra["type"] = "document"
        warnings.append(f"item {number}: it has no type; it will be cited as a generic document.")
    for name in _clean_dates(extra):
        warnings.append(f"item {number}: its “{name}” date was malformed and was "
                        "repaired so that citations can be made.")
    raw_title = item.get("title")
    title = plain_title(raw_title) if isinstance(raw_title, str) else None
    if isinstance(raw_title, str) and title != raw_title.strip():
        extra["title_markup"] = raw_title
    raw_authors = item.get("author")
    authors = [p for p in (_person(n) for n in raw_authors or []) if p] \
        if isinstance(raw_authors, list) else []
    if isinstance(raw_authors, list) and any(
            isinstance(n, Mapping) and set(n) - {"family", "given"} for n in raw_authors):
        extra["author"] = raw_authors  # particles, suffixes or literals: kept as written
    url = item.get("URL") if isinstance(item.get("URL"), str) else None
    doi = _doi(item.get("DOI"), url, extra, number, warnings)
    pmid = str(item.get("PMID") or "").strip() or None
    if pmid is not None and not PMID_RE.match(pmid):
        extra["PMID"] = pmid
        pmid = None
    container = item.get("container-title")
    year = _year(extra.get("issued"))
    first = authors[0]["family"] if authors else None
    key = item.get("citation-key")
    if not isinstance(key, str) or not key.strip():
        item_id = item.get("id")
        key = str(item_id) if item_id is not None and _KEYLIKE_RE.match(str(item_id)) \
            and not str(item_id).isdigit() and "//" not in str(item_id) else None
    if not key:
        key = make_citation_key(first, year, title)
    return {"id": "", "title": title, "authors": authors,
            "journal": container if isinstance(container, str) else None, "year": year,
            "doi": doi, "pmid": pmid, "url": url, "bibtex_key": key.strip(), **extra}


def _doi(raw: Any, url: str | None, extra: dict[str, Any], number: int,
         warnings: list[str]) -> str | None:
    doi = normalise_doi(str(raw)) if raw else None
    if doi and DOI_RE.match(doi):
        return doi
    if doi:
        extra["DOI"] = str(raw)  # the user's own form, kept, written back and cited
    from_url = normalise_doi(url) if url and "doi.org/" in url else None
    if from_url and DOI_RE.match(from_url):
        return from_url  # the full form of a short DOI: it links to atlas entries
    if doi:
        warnings.append(f"item {number}: “{raw}” is a short DOI; it was kept, but it cannot "
                        "link the reference to atlas entries.")
    return None


# --------------------------------------------------------------------------- writing

def entry_item(entry: Entry) -> dict[str, Any]:
    """The CSL-JSON item of an entry as exported: the item citations are made from, with the
    user's own citation key as its ``id``."""
    item = entry_to_csl(entry, export=True)
    keywords = entry.extra.get("keywords")
    if entry.origin is Origin.MINE and isinstance(keywords, list) and "keyword" not in item:
        item["keyword"] = ", ".join(str(k) for k in keywords)
    return item


def _clean_dates(item: dict[str, Any]) -> list[str]:
    """Repair (or drop) malformed CSL dates in place; the names of those that changed."""
    changed_names: list[str] = []
    for name in _DATE_VARIABLES:
        if name in item:
            cleaned, changed = clean_date(item[name])
            if cleaned is None:
                del item[name]
            else:
                item[name] = cleaned
            if changed:
                changed_names.append(name)
    return changed_names


def write_csl_json(out: TextIO, entries: Iterable[Entry]) -> int:
    """A JSON array of items, written item by item (exports of any size). Ids are unique
    in the file: a second reference with the same key gets ``key-2``."""
    count = 0
    used: set[str] = set()
    out.write("[")
    for entry in entries:
        item = entry_item(entry)
        item_id = str(item["id"])
        if item_id in used:
            n = 2
            while f"{item_id}-{n}" in used:
                n += 1
            item_id = item["id"] = f"{item_id}-{n}"
        used.add(item_id)
        out.write(",\n" if count else "\n")
        out.write(json.dumps(item, ensure_ascii=False, indent=2))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count

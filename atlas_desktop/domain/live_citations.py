"""Live citations in word-processor documents, in the format Zotero writes.

A citation is the JSON Zotero stores in a field code (``ITEM CSL_CITATION {json}``): its
items each carry the CSL data of the cited work (``itemData``), so a document refreshes on a
machine that lacks some of the entries, and a colleague using Zotero can take it over. The
same JSON is read from Mendeley's fields (``ADDIN CSL_CITATION {json}``).

Where the code lives:
- LibreOffice: a reference mark named ``ZOTERO_ITEM CSL_CITATION {json} RND<10 chars>``; the
  bibliography is a section named ``ZOTERO_BIBL {json} CSL_BIBLIOGRAPHY RND<10 chars>``; the
  document preferences are user-defined properties ``ZOTERO_PREF_1``, ``_2``… (255
  characters each).
- Word: fields ``ADDIN ZOTERO_ITEM CSL_CITATION {json}`` and ``ADDIN ZOTERO_BIBL {json}
  CSL_BIBLIOGRAPHY``, preferences in the custom properties ``ZOTERO_PREF_n``.

Everything here comes from documents, which are hostile: parsing never raises anything but
:class:`FieldCodeError`, with a sentence for the user, and sizes are bounded.
"""

from __future__ import annotations

import json
import re
import secrets
import string
from dataclasses import dataclass, field, replace
from typing import Any, Final
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeXML

SCHEMA: Final = "https://github.com/citation-style-language/schema/raw/master/csl-citation.json"
#: Our own items' URIs: how a citation item is recognised as an entry of the library.
ENTRY_URI_PREFIX: Final = "urn:x-atlas-desktop:entry:"
ITEM_CODE: Final = "ITEM CSL_CITATION "
BIBL_CODE: Final = "BIBL "
BIBL_SUFFIX: Final = " CSL_BIBLIOGRAPHY"
#: A citation code larger than this is not a citation (Zotero's biggest are ~100 kB).
MAX_CODE_CHARS: Final = 4_000_000
PROPERTY_CHUNK: Final = 255
STYLE_URL_PREFIX: Final = "http://www.zotero.org/styles/"

# Possessive ``\s*+`` after the JSON: two optional runs of spaces side by side made a code
# ending in spaces and a stray letter take quadratic time (40,000 spaces: 5 s).
_CITATION_RE: Final = re.compile(
    r"^\s*(?:ADDIN\s+)?(?:ZOTERO_ITEM\s+|ZOTERO_)?(?:ITEM\s+)?CSL_CITATION\s*(\{.*\})\s*+"
    r"(?:RND\w+)?\s*+$", re.DOTALL)
_BIBL_RE: Final = re.compile(
    r"^\s*(?:ADDIN\s+)?(?:ZOTERO_BIBL|Mendeley\s+Bibliography|ZOTERO_)(?:\s*+BIBL)?\s*+"
    r"(\{.*?\})?\s*+(?:CSL_BIBLIOGRAPHY\b.*)?$", re.DOTALL)


class FieldCodeError(ValueError):
    """A field code that is not a readable citation (a sentence for the user)."""


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One work in a citation, with what the writer added around it."""

    #: The library entry id for our own items, else the id the document gave.
    key: str
    item_data: dict[str, Any] | None = None
    locator: str = ""
    label: str = ""
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False
    author_only: bool = False
    uris: tuple[str, ...] = ()

    @property
    def entry_id(self) -> str | None:
        """The library entry this item was cited from, if it was cited from Atlas Desktop."""
        for uri in self.uris:
            if uri.startswith(ENTRY_URI_PREFIX):
                return uri[len(ENTRY_URI_PREFIX):] or None
        return None


@dataclass(frozen=True, slots=True)
class LiveCitation:
    """One citation cluster (one or more works cited together at one place)."""

    citation_id: str
    items: tuple[CiteItem, ...]
    note_index: int = 0
    formatted: str = ""
    plain: str = ""
    #: Set when the writer kept a hand-edited text: Refresh leaves the text alone.
    dont_update: bool = False
    #: Properties we do not interpret, written back as they were.
    other_properties: dict[str, Any] = field(default_factory=dict)


def new_citation_id() -> str:
    """Eight random letters and digits, as Zotero makes them."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(8))


def random_suffix() -> str:
    """The ``RND…`` tail that keeps reference mark names unique (10 characters)."""
    alphabet = string.ascii_letters + string.digits
    return "RND" + "".join(secrets.choice(alphabet) for _ in range(10))


def entry_uri(entry_id: str) -> str:
    return ENTRY_URI_PREFIX + entry_id


def csl_item_label(data: dict[str, Any]) -> str:
    """"Family et al. (year) — title" from a work's CSL data (a document's embedded item)."""
    names = data.get("author") if isinstance(data.get("author"), list) else []
    assert isinstance(names, list)
    first = names[0] if names and isinstance(names[0], dict) else {}
    who = str(first.get("family") or first.get("literal") or "") if first else ""
    if who and len(names) > 1:
        who += " et al."
    parts = (data.get("issued") or {}).get("date-parts") if isinstance(
        data.get("issued"), dict) else None
    year = ""
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        year = f" ({parts[0][0]})"
    title = str(data.get("title") or "")
    return f"{who or 'Anonymous'}{year} — {title}" if (who or title) else ""


# --- citations ------------------------------------------------------------------------------

def is_citation_code(code: str) -> bool:
    return "CSL_CITATION" in code[:80] and "{" in code


def is_bibliography_code(code: str) -> bool:
    head = code[:200]
    # Zotero 4 wrote ``ADDIN ZOTERO_BIBL {"custom":[]}`` without the trailing keyword.
    return "ZOTERO_BIBL" in head or ("CSL_BIBLIOGRAPHY" in code and "BIBL" in head) or (
        "Mendeley Bibliography" in head)


def parse_citation(code: str) -> LiveCitation:
    """A citation from a field code in any of the forms Zotero and Mendeley write."""
    if len(code) > MAX_CODE_CHARS:
        raise FieldCodeError("A citation field is far larger than any citation; it was left "
                             "as it is.")
    match = _CITATION_RE.match(code)
    if match is None:
        raise FieldCodeError("A field that looks like a citation does not hold a citation's "
                             "data.")
    try:
        data = json.loads(match.group(1))
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        raise FieldCodeError("A citation field holds damaged data (not valid JSON).") from None
    return citation_from_json(data)


def citation_from_json(data: Any) -> LiveCitation:
    if not isinstance(data, dict):
        raise FieldCodeError("A citation field holds something other than a citation.")
    raw_items = data.get("citationItems")
    if not isinstance(raw_items, list) or not raw_items:
        raise FieldCodeError("A citation field cites no works.")
    props = data.get("properties") if isinstance(data.get("properties"), dict) else {}
    assert isinstance(props, dict)
    mendeley = data.get("mendeley") if isinstance(data.get("mendeley"), dict) else {}
    assert isinstance(mendeley, dict)
    items = tuple(_item(raw) for raw in raw_items)
    known = {"formattedCitation", "plainCitation", "noteIndex", "dontUpdate"}
    formatted = props.get("formattedCitation") or mendeley.get("formattedCitation") or ""
    # Without a plain text (pandoc's and BBT's placeholders) there is nothing to compare the
    # shown text with, so such a citation is never taken for a hand edit.
    plain = props.get("plainCitation") or mendeley.get("plainTextFormattedCitation") or ""
    return LiveCitation(
        citation_id=str(data.get("citationID") or new_citation_id())[:64],
        items=items,
        note_index=_int(props.get("noteIndex")),
        formatted=str(formatted),
        plain=str(plain),
        dont_update=bool(props.get("dontUpdate")),
        other_properties={k: v for k, v in props.items() if k not in known},
    )


def _item(raw: Any) -> CiteItem:
    if not isinstance(raw, dict):
        raise FieldCodeError("A citation field holds an item that is not a work.")
    data = raw.get("itemData")
    item_data = dict(data) if isinstance(data, dict) else None
    uris = raw.get("uris") or raw.get("uri") or []
    if isinstance(uris, str):
        uris = [uris]
    key = raw.get("id")
    if key is None and item_data is not None:
        key = item_data.get("id")
    if key is None and item_data is None:
        raise FieldCodeError("A citation field holds an item with neither an id nor data.")
    return CiteItem(
        key=str(key if key is not None else ""),
        item_data=item_data,
        locator=_text(raw.get("locator")),
        label=_text(raw.get("label")),
        prefix=_text(raw.get("prefix")),
        suffix=_text(raw.get("suffix")),
        suppress_author=bool(raw.get("suppress-author")),
        author_only=bool(raw.get("author-only")),
        uris=tuple(str(u) for u in uris if isinstance(u, str | int))[:8],
    )


def _text(value: Any) -> str:
    return str(value) if isinstance(value, str | int | float) and value != "" else ""


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def citation_json(citation: LiveCitation) -> dict[str, Any]:
    """The citation as Zotero writes it (key order as Zotero's)."""
    items: list[dict[str, Any]] = []
    for item in citation.items:
        out: dict[str, Any] = {"id": item.key}
        if item.uris:
            out["uris"] = list(item.uris)
        if item.item_data is not None:
            out["itemData"] = item.item_data
        for name, value in (("locator", item.locator), ("label", item.label),
                            ("prefix", item.prefix), ("suffix", item.suffix)):
            if value:
                out[name] = value
        if item.suppress_author:
            out["suppress-author"] = True
        if item.author_only:
            out["author-only"] = True
        items.append(out)
    props: dict[str, Any] = {"formattedCitation": citation.formatted,
                             "plainCitation": citation.plain,
                             "noteIndex": citation.note_index}
    if citation.dont_update:
        props["dontUpdate"] = True
    props.update(citation.other_properties)
    return {"citationID": citation.citation_id, "properties": props, "citationItems": items,
            "schema": SCHEMA}


def citation_code(citation: LiveCitation) -> str:
    """``ITEM CSL_CITATION {json}``: what follows ``ZOTERO_`` (LibreOffice) or ``ADDIN
    ZOTERO_`` (Word)."""
    return ITEM_CODE + json.dumps(citation_json(citation), ensure_ascii=False,
                                  separators=(",", ":"))


def word_citation_code(citation: LiveCitation) -> str:
    return f" ADDIN ZOTERO_{citation_code(citation)} "


def mark_name(citation: LiveCitation) -> str:
    """A LibreOffice reference mark's name for the citation."""
    return f"ZOTERO_{citation_code(citation)} {random_suffix()}"


def with_rendering(citation: LiveCitation, *, formatted: str, plain: str) -> LiveCitation:
    return replace(citation, formatted=formatted, plain=plain)


# --- the bibliography ------------------------------------------------------------------------

def parse_bibliography(code: str) -> dict[str, Any]:
    """The bibliography field's options (``uncited``, ``omitted``, ``custom``); Mendeley's
    field has none. Unreadable options are dropped: the bibliography is rebuilt anyway."""
    match = _BIBL_RE.match(code[:MAX_CODE_CHARS])
    if match is None or not match.group(1):
        return {}
    try:
        data = json.loads(match.group(1))
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return {}
    return data if isinstance(data, dict) else {}


def bibliography_code(options: dict[str, Any] | None = None) -> str:
    data = {"uncited": [], "omitted": [], "custom": [], **(options or {})}
    return BIBL_CODE + json.dumps(data, separators=(",", ":")) + BIBL_SUFFIX


def word_bibliography_code(options: dict[str, Any] | None = None) -> str:
    return f" ADDIN ZOTERO_{bibliography_code(options)} "


def section_name(options: dict[str, Any] | None = None) -> str:
    return f"ZOTERO_{bibliography_code(options)} {random_suffix()}"


# --- document preferences --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DocumentPrefs:
    """Zotero's document preferences (the ``<data>`` XML in ``ZOTERO_PREF_n``)."""

    #: A style URL (``http://www.zotero.org/styles/apa``) or one of our style specs.
    style: str = "http://www.zotero.org/styles/apa"
    locale: str = "en-US"
    #: ReferenceMark / Bookmark (LibreOffice) or Field / Bookmark (Word).
    field_type: str = "ReferenceMark"
    #: 0 in-text, 1 footnotes, 2 endnotes (note styles).
    note_type: int = 0
    has_bibliography: bool = True
    session_id: str = ""
    other_prefs: tuple[tuple[str, str], ...] = ()

    @property
    def style_spec(self) -> str:
        """The style as our registry names it (``apa``, a style id or a .csl path)."""
        if self.style.startswith(STYLE_URL_PREFIX):
            return self.style[len(STYLE_URL_PREFIX):]
        return self.style


def style_url(style_id: str) -> str:
    return style_id if "/" in style_id else STYLE_URL_PREFIX + style_id


def parse_prefs(xml: str) -> DocumentPrefs | None:
    """Preferences from their XML; None when there are none or they cannot be read."""
    if not xml.strip() or len(xml) > 100_000:
        return None
    try:
        root = SafeXML.fromstring(xml)
    except Exception:  # defusedxml raises several kinds for hostile or broken XML
        return None
    style = root.find("style")
    if style is None or not style.get("id"):
        return None
    session = root.find("session")
    prefs = {p.get("name", ""): p.get("value", "") for p in root.iter("pref")}
    return DocumentPrefs(
        style=str(style.get("id")),
        locale=str(style.get("locale") or "en-US"),
        field_type=prefs.pop("fieldType", "ReferenceMark") or "ReferenceMark",
        note_type=_int(prefs.pop("noteType", "0")),
        has_bibliography=style.get("hasBibliography", "1") != "0",
        session_id=session.get("id", "") if session is not None else "",
        other_prefs=tuple(sorted(prefs.items())),
    )


def prefs_xml(prefs: DocumentPrefs) -> str:
    root = Element("data", {"data-version": "3", "zotero-version": "atlas-desktop"})
    SubElement(root, "session", {"id": prefs.session_id or new_citation_id()})
    SubElement(root, "style", {"id": prefs.style, "locale": prefs.locale,
                               "hasBibliography": "1" if prefs.has_bibliography else "0",
                               "bibliographyStyleHasBeenSet": "0"})
    node = SubElement(root, "prefs")
    values = [("fieldType", prefs.field_type), *prefs.other_prefs]
    if prefs.note_type:
        values.append(("noteType", str(prefs.note_type)))
    for name, value in values:
        SubElement(node, "pref", {"name": name, "value": value})
    return tostring(root, encoding="unicode")


def split_property(value: str, name: str = "ZOTERO_PREF") -> list[tuple[str, str]]:
    """``value`` in the 255-character pieces Zotero stores (``ZOTERO_PREF_1``, ``_2``…)."""
    pieces = [value[i:i + PROPERTY_CHUNK] for i in range(0, len(value), PROPERTY_CHUNK)]
    return [(f"{name}_{n}", piece) for n, piece in enumerate(pieces or [""], start=1)]


def join_property(properties: dict[str, str], name: str = "ZOTERO_PREF") -> str:
    out: list[str] = []
    n = 1
    while f"{name}_{n}" in properties and n < 10_000:
        out.append(properties[f"{name}_{n}"])
        n += 1
    return "".join(out)

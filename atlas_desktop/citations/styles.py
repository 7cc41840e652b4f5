"""The style registry: short names, installed CSL styles, dependent styles, the user's files.

A style is asked for by a *spec*: an alias (``apa``, ``vancouver``, ``ama``, ``harvard``,
``chicago``), an installed style id (``nature``, ``vancouver-nlm``), a style URL
(``http://www.zotero.org/styles/apa``) or the path of a ``.csl`` file. Resolving a spec gives
the *independent* style that renders it: a dependent style (a journal that uses, say, the NLM
style) is only a pointer to its parent, plus possibly its own default language.

Invariants: :func:`resolve_style` either returns a style whose XML has a ``<citation>``
element, or raises :class:`StyleNotFound` / :class:`StyleInvalid` with a sentence for the user.
"""

from __future__ import annotations

import difflib
import html
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from atlas_desktop.domain.citation import StyleInfo

from .assets import styles_dir
from .errors import StyleInvalid, StyleNotFound

CSL_NS: Final = "http://purl.org/net/xbiblio/csl"
_NS: Final = {"csl": CSL_NS}

#: The styles offered by default, by the short name users know them by.
ALIASES: Final = {
    "apa": "apa",
    "vancouver": "nlm-citation-sequence",
    "ama": "american-medical-association",
    "harvard": "harvard-cite-them-right",
    "chicago": "chicago-author-date",
}
OFFERED: Final = ("apa", "vancouver", "ama", "harvard", "chicago")
SHORT_LABELS: Final = {
    "apa": "APA 7",
    "vancouver": "Vancouver",
    "ama": "AMA",
    "harvard": "Harvard (Cite Them Right)",
    "chicago": "Chicago author-date",
}
DEFAULT_STYLE: Final = "apa"

#: A user's style file larger than this is refused (the largest official style is ~200 KB).
MAX_STYLE_BYTES: Final = 5 * 1024 * 1024
_STYLE_ID_RE: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
_STYLE_URL_RE: Final = re.compile(r"^https?://(?:www\.)?zotero\.org/styles/([a-z0-9-]+)/?$")
_TITLE_RE: Final = re.compile(r"<title>(.*?)</title>", re.S)


@dataclass(frozen=True, slots=True)
class StyleSource:
    """A resolved style: what the user asked for and the XML the engine is built from."""

    info: StyleInfo
    #: The independent style's XML (the parent's, for a dependent style).
    xml: str
    #: A dependent style's own default language, which overrides its parent's.
    locale: str | None
    #: Engines are cached by this: two specs that render the same way share one engine.
    cache_key: str


def resolve_style(spec: str) -> StyleSource:
    """The style ``spec`` names. Raises StyleNotFound or StyleInvalid (with the reason)."""
    text = spec.strip()
    if not text:
        raise StyleNotFound("No citation style was given.")
    if _looks_like_path(text):
        return _resolve_file(Path(text).expanduser(), spec=text)
    lowered = text.lower()
    url = _STYLE_URL_RE.match(lowered)
    style_id = ALIASES.get(lowered) or (url.group(1) if url else lowered)
    if not _STYLE_ID_RE.match(style_id):
        raise StyleNotFound(_unknown_message(text))
    return _resolve_installed(style_id, spec=lowered if lowered in ALIASES else style_id)


def offered_styles() -> list[StyleInfo]:
    """The five default styles, with their short labels."""
    out = []
    for alias in OFFERED:
        info = resolve_style(alias).info
        out.append(StyleInfo(spec=alias, style_id=info.style_id, title=SHORT_LABELS[alias]))
    return out


def _looks_like_path(text: str) -> bool:
    return (
        ("/" in text and not _STYLE_URL_RE.match(text.lower()))
        or "\\" in text
        or text.lower().endswith(".csl")
        or text.startswith(("~", "."))
    )


# --- installed styles -------------------------------------------------------------------


def _installed_path(style_id: str) -> tuple[Path, bool] | None:
    """(path, is_dependent) of an installed style id, or None."""
    root = styles_dir()
    independent = root / f"{style_id}.csl"
    if independent.is_file():
        return independent, False
    dependent = root / "dependent" / f"{style_id}.csl"
    if dependent.is_file():
        return dependent, True
    return None


_source_cache: dict[str, StyleSource] = {}
_cache_lock = threading.Lock()


def _resolve_installed(style_id: str, *, spec: str) -> StyleSource:
    with _cache_lock:
        cached = _source_cache.get(spec)
    if cached is not None:
        return cached
    found = _installed_path(style_id)
    if found is None:
        raise StyleNotFound(_unknown_message(spec))
    path, _ = found
    source = _source_from_xml(path.read_text("utf-8"), origin=f"The installed style {style_id}",
                              spec=spec, style_id=style_id, path=None, key_prefix="installed")
    with _cache_lock:
        _source_cache[spec] = source
    return source


def _unknown_message(spec: str) -> str:
    hint = ""
    try:
        close = difflib.get_close_matches(spec.lower(), [*ALIASES, *installed_style_ids()], n=3,
                                            cutoff=0.75)
    except OSError:
        close = []
    if close:
        hint = " Did you mean " + " or ".join(close) + "?"
    return (
        f"There is no citation style called “{spec}”. Use apa, vancouver, ama, harvard or "
        "chicago, the id of an installed CSL style (`atlas-desktop styles WORD` lists them), "
        f"or the path of a .csl file.{hint}"
    )


@cache
def installed_style_ids() -> list[str]:
    """Every installed style id, independent and dependent (about 10,800), sorted."""
    root = styles_dir()
    ids = {p.stem for p in root.glob("*.csl")}
    ids.update(p.stem for p in (root / "dependent").glob("*.csl"))
    return sorted(ids)


@cache
def installed_style_titles() -> dict[str, str]:
    """id -> title of every installed style. Reads the head of ~10,800 files the first time
    (about a second): call it off the UI thread."""
    titles: dict[str, str] = {}
    for style_id in installed_style_ids():
        found = _installed_path(style_id)
        if found is None:
            continue
        with found[0].open("r", encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
        match = _TITLE_RE.search(head)
        titles[style_id] = html.unescape(match.group(1)).strip() if match else style_id
    return titles


def search_styles(query: str, *, limit: int = 200) -> list[StyleInfo]:
    """Installed styles whose id or title contains every word of ``query`` (case-blind)."""
    words = query.lower().split()
    out: list[StyleInfo] = []
    for style_id, title in installed_style_titles().items():
        haystack = f"{style_id} {title}".lower()
        if all(w in haystack for w in words):
            out.append(StyleInfo(spec=style_id, style_id=style_id, title=title))
            if len(out) >= limit:
                break
    return out


# --- the user's own .csl files ------------------------------------------------------------


def _resolve_file(path: Path, *, spec: str) -> StyleSource:
    shown = str(path)
    try:
        resolved = path.resolve(strict=True)
        stat = resolved.stat()
    except (OSError, RuntimeError):
        raise StyleNotFound(f"There is no style file at {shown}.") from None
    if not resolved.is_file():
        raise StyleNotFound(f"{shown} is a folder, not a .csl style file.")
    if stat.st_size > MAX_STYLE_BYTES:
        raise StyleInvalid(f"{shown} is too large to be a citation style "
                           f"({stat.st_size // 1024} KB).")
    try:
        raw = resolved.read_bytes()
    except OSError as exc:
        raise StyleNotFound(f"Cannot read the style file {shown}: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StyleInvalid(f"{shown} is not a text file in UTF-8, so it is not a CSL "
                           "style.") from None
    return _source_from_xml(text, origin=f"The style file {shown}", spec=str(resolved),
                            style_id=resolved.stem, path=str(resolved),
                            key_prefix=f"file:{resolved}:{stat.st_mtime_ns}:{stat.st_size}")


# --- parsing ------------------------------------------------------------------------------


def _source_from_xml(text: str, *, origin: str, spec: str, style_id: str, path: str | None,
                     key_prefix: str) -> StyleSource:
    root = _parse(text, origin)
    title = (root.findtext("csl:info/csl:title", default="", namespaces=_NS) or style_id).strip()
    if root.find("csl:citation", _NS) is not None:
        locale = root.get("default-locale")
        info = StyleInfo(spec=spec, style_id=style_id, title=title, path=path)
        key = f"{key_prefix}:{style_id}" if key_prefix == "installed" else key_prefix
        return StyleSource(info=info, xml=text, locale=None, cache_key=key)
    parent_id = _parent_id(root)
    if parent_id is None:
        raise StyleInvalid(f"{origin} has no <citation> element and names no parent style, "
                           "so it cannot format citations.")
    found = _installed_path(parent_id)
    if found is None or found[1]:
        raise StyleInvalid(f"{origin} depends on the style “{parent_id}”, which is not "
                           "installed.")
    parent_xml = found[0].read_text("utf-8")
    _parse(parent_xml, f"The installed style {parent_id}")
    # A dependent style's default-locale (e.g. a German journal) overrides its parent's.
    locale = root.get("default-locale")
    info = StyleInfo(spec=spec, style_id=style_id, title=title, parent_id=parent_id, path=path)
    return StyleSource(info=info, xml=parent_xml, locale=locale,
                       cache_key=f"installed:{parent_id}:{locale or ''}")


def _parse(text: str, origin: str) -> ET.Element:
    # Styles never need a DTD; refusing one rules out entity-expansion tricks in a user's file.
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise StyleInvalid(f"{origin} contains a DOCTYPE declaration, which CSL styles never "
                           "have; it was not loaded.")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise StyleInvalid(f"{origin} is not well-formed XML ({exc}).") from None
    if root.tag != f"{{{CSL_NS}}}style":
        local = root.tag.rsplit("}", 1)[-1]
        raise StyleInvalid(f"{origin} is not a CSL style (its root element is <{local}>, "
                           "not <style> in the CSL namespace).")
    return root


def _parent_id(root: ET.Element) -> str | None:
    for link in root.iterfind("csl:info/csl:link", _NS):
        if link.get("rel") == "independent-parent":
            href = (link.get("href") or "").rstrip("/")
            parent = href.rsplit("/", 1)[-1].lower()
            return parent if _STYLE_ID_RE.match(parent) else None
    return None

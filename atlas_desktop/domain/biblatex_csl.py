"""biblatex's data model in CSL's terms, for the user's BibTeX references.

The reader keeps what it maps in CSL variables and the rest in ``extra["bibtex_fields"]``
(decoded text, so our BibTeX export writes it back unchanged), and titles' markup in
``extra["bibtex_rich"]``; the citation item is made from them here, each time, so a better
mapping needs no new import. The mapping follows biblatex's own model and what
biblatex-csl-converter, Zotero's BibTeX translator and pandoc do with it (read, not copied):

- titles: ``title: subtitle. titleaddon`` (a ``maintitle`` becomes the title of a volume of
  a multi-volume work, its ``title`` the ``volume-title``; a part's container is its
  ``maintitle`` or ``booktitle``, a journal's ``journaltitle: journalsubtitle``);
  English titles in sentence case (:mod:`.title_case`), journals as written; a short
  title from ``shorttitle`` or the title before its colon;
- numbers: ``number`` is the series number of books and their parts, the issue of an
  article, else the report's number; ``volume.part``; ``volumes``, ``pagetotal``,
  ``chapter``, ``version``;
- names of organisations and places: ``school``, ``institution``, ``organization``,
  ``howpublished`` and ``publisher`` together; lists "A and B" as "A; B";
- keys biblatex localises (``type = {mathesis}``, ``pubstate``, ``series = {newseries}``,
  a patent's ``location = {countryus}``) in its English words;
- arXiv, JSTOR, PubMed and Google Books ``eprint``s as links; ``note`` and ``addendum``;
  ``origdate``, ``eventdate``, ``eventtitle``, ``venue``; ``langid`` as the language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from .biblatex_terms import is_english, language_tag, ordinal, term
from .bibtex_model import ARTICLE_TYPES, candidates
from .csl_values import parse_date_parts
from .title_case import protect_words, sentence_case, smart_apostrophes, unmark_protection

_CHAPTERLIKE: Final = frozenset(
    {"inbook", "incollection", "inproceedings", "inreference", "bookinbook"})
_SERIES_NUMBER_TYPES: Final = frozenset(
    "book collection proceedings reference mvbook mvcollection mvproceedings mvreference "
    "bookinbook inbook incollection inproceedings inreference suppbook suppcollection"
    .split())
#: biblatex types whose CSL type is not the reader's (biblatex's own reading of them).
_TYPES: Final = {"manual": "book", "software": "book", "standard": "legislation",
                 "performance": "speech", "commentary": "book", "misc": "document",
                 "periodical": "article-journal"}
#: A whole book is no part of anything: a ``booktitle`` it carries is its own title again.
_WHOLE_BOOKS: Final = frozenset(
    "book mvbook collection mvcollection proceedings mvproceedings reference mvreference "
    "booklet manual".split())
_EPRINT_LINKS: Final = {"arxiv": "https://arxiv.org/abs/", "jstor": "https://www.jstor.org/stable/",
                        "pubmed": "https://www.ncbi.nlm.nih.gov/pubmed/",
                        "googlebooks": "https://books.google.com?id="}
_AND_RE: Final = re.compile(r"\s+and\s+")


def join_title(title: str | None, subtitle: Any = None, addon: Any = None) -> str | None:
    """``Title: Subtitle. Addon``, the way biblatex prints the three (no second mark after
    a title that ends in one)."""
    text = _join(title or "", subtitle if isinstance(subtitle, str) else "", ":")
    text = _join(text, addon if isinstance(addon, str) else "", ".")
    return text or None


def _join(head: str, tail: str, mark: str) -> str:
    head, tail = head.strip(), tail.strip()
    if not tail:
        return head
    if not head:
        return tail
    plain_end = re.sub(r"<[^<>]*>", "", head)[-1:]
    return f"{head} {tail}" if plain_end in "!?.,:;" else f"{head}{mark} {tail}"


class _Fields:
    """A reference's biblatex fields as the file gave them, read back from where the reader
    put them, with their rich text."""

    def __init__(self, bib_type: str, fields: Mapping[str, Any], extra: Mapping[str, Any],
                 title: str | None, journal: str | None) -> None:
        # Stripped, non-empty values only: ``get`` is a plain lookup (it is asked ~50 times
        # an entry, mostly for fields the entry does not have).
        self.values: dict[str, str] = {k: v.strip() for k, v in fields.items()
                                       if isinstance(v, str) and v.strip()}
        rich = extra.get("bibtex_rich")
        self.rich: dict[str, str] = {k: v for k, v in rich.items() if isinstance(v, str)} \
            if isinstance(rich, Mapping) else {}
        roles = candidates(bib_type)
        for role, value in (("journal", journal), ("publisher", extra.get("publisher")),
                            ("publisher-place", extra.get("publisher-place")),
                            ("page", extra.get("page")), ("issue", extra.get("issue")),
                            ("number", extra.get("number"))):
            name = next((n for n in roles[role] if n not in self.values), None)
            if isinstance(value, str) and value.strip() and name is not None:
                self.values[name] = value.strip()
                if f"={role}" in self.rich:  # the rich text of the field that fed it
                    self.rich[name] = self.rich.pop(f"={role}")
        for name, key in (("volume", "volume"), ("edition", "edition"),
                          ("series", "collection-title"), ("type", "genre"),
                          ("shorttitle", "title-short"), ("note", "note"),
                          ("language", "language"), ("isbn", "ISBN"), ("issn", "ISSN")):
            value = extra.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and \
                    str(value).strip():
                self.values.setdefault(name, str(value).strip())
        if title and title.strip():
            self.values["title"] = title.strip()
        tag = language_tag(self.values.get("langid") or self.values.get("hyphenation") or "")
        self.language = tag
        self.english = is_english(tag)

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def title(self, name: str) -> str | None:
        """A title field: rich text, in sentence case when English."""
        # Without rich text, the title has just the protection our writer gives a title.
        plain = self.values.get(name)
        value = self.rich.get(name) or (
            (protect_words(plain) if name == "title" else plain) if plain else None)
        if not value:
            return None
        if self.english:
            return sentence_case(value)
        return unmark_protection(value, keep_lowercase=False)

    def periodical(self, name: str) -> str | None:
        """A journal's name: as written."""
        value = self.rich.get(name) or self.get(name)
        return unmark_protection(value, keep_lowercase=False) if value else None

    def text(self, name: str) -> str | None:
        """Any other field, with its rich text (a tie's no-break space, an "and" in braces)
        until the end: then without protection marks."""
        value = self.rich.get(name) or self.get(name)
        return value or None

    def first_title(self, *names: str) -> str | None:
        return next((t for t in (self.title(n) for n in names) if t), None)


def biblatex_variables(item: dict[str, Any], bib_type: str, fields: Mapping[str, Any],
                       extra: Mapping[str, Any], *, title: str | None,
                       journal: str | None) -> None:
    """Lay biblatex's reading of a reference's fields over ``item`` (see the module)."""
    f = _Fields(bib_type, fields, extra, title, journal)
    _titles(item, f, bib_type)
    _numbers(item, f, bib_type)
    _bodies(item, f, bib_type)
    _links_and_notes(item, f, bib_type)
    if bib_type in _TYPES:
        item["type"] = _TYPES[bib_type]
    if bib_type == "unpublished" and (f.get("eventtitle") or f.get("venue")
                                      or f.get("eventdate")):
        item["type"] = "speech"
    genre = f.get("type")
    if genre:
        item["genre"] = term(genre)
    elif bib_type in {"mastersthesis", "phdthesis"}:
        item["genre"] = term("mathesis" if bib_type == "mastersthesis" else "phdthesis")
    else:
        item.pop("genre", None)
    if f.language:
        item["language"] = f.language
    else:
        item.pop("language", None)  # biblatex's "language" is the work's, not the title's
    editortype = (f.get("editortype") or "").lower()
    if editortype == "director" and "editor" in item:
        item["director"] = item.pop("editor")
    for prefix, variable in (("orig", "original-date"), ("event", "event-date")):
        parts = parse_date_parts(f.get(f"{prefix}date") or "") or _old_date(f, prefix)
        if parts:
            item[variable] = {"date-parts": parts}


def _old_date(f: _Fields, prefix: str) -> list[list[int]] | None:
    """``origyear``/``origmonth``/``origday`` (biblatex's older fields) as date-parts."""
    parts: list[int] = []
    for part in ("year", "month", "day"):
        value = f.get(prefix + part)
        if not value or not value.strip().lstrip("-").isdigit():
            break
        parts.append(int(value))
    return [parts] if parts else None


def _titles(item: dict[str, Any], f: _Fields, bib_type: str) -> None:
    periodical = bib_type == "periodical"
    chapterlike = bib_type in _CHAPTERLIKE
    main = f.get("maintitle") is not None and not chapterlike
    has_main = f.get("maintitle") is not None
    if periodical and f.get("issuetitle"):
        head = f.title("issuetitle")
    elif main:
        head = f.title("maintitle")
    else:
        head = f.title("title")
    subtitle = (f.title("issuesubtitle") if periodical else None) or (
        f.title("mainsubtitle") if main else None) or f.title("subtitle")
    addon = (f.title("maintitleaddon") if main else None) or f.title("titleaddon")
    whole = join_title(head, subtitle, addon)
    if whole:
        item["title"] = whole
    if main:
        volume_title = join_title(f.title("title"), f.title("subtitle"), f.title("titleaddon"))
    elif has_main and chapterlike:
        volume_title = join_title(f.title("booktitle"), f.title("booksubtitle"),
                                  f.title("booktitleaddon"))
    else:
        volume_title = None
    _set(item, "volume-title", volume_title)
    if periodical:
        container = join_title(f.periodical("title"), f.periodical("subtitle"),
                               f.periodical("titleaddon"))
    elif chapterlike:
        container = join_title(f.first_title("maintitle", "booktitle"),
                               f.first_title("mainsubtitle", "booksubtitle"),
                               f.first_title("maintitleaddon", "booktitleaddon")) or (
            join_title(f.periodical("journaltitle") or f.periodical("journal"),
                       f.periodical("journalsubtitle")))
    elif bib_type in _WHOLE_BOOKS:
        container = join_title(f.periodical("journaltitle"), f.periodical("journalsubtitle"))
    else:
        container = join_title(f.periodical("journaltitle") or f.periodical("journal"),
                               f.periodical("journalsubtitle"))
    _set(item, "container-title", container)
    short_container = (f.title("shorttitle") if periodical and not has_main else None) or \
        f.periodical("shortjournal")
    _set(item, "container-title-short", short_container)
    short = f.title("shorttitle") if (not has_main or chapterlike) else None
    if short is None and head:
        before_colon = re.split(r":\s", head, maxsplit=1)
        if (subtitle or addon) and not has_main:
            short = head
        elif len(before_colon) > 1:
            short = before_colon[0]
    _set(item, "title-short", short)
    series = f.title("series")
    if series:
        words = series.strip()
        series = f"{ordinal(words)} {term('jourser')}" if words.isdigit() else " ".join(
            term(w) for w in words.split(" "))
    _set(item, "collection-title", series)
    _set(item, "event", f.title("eventtitle"))
    _set(item, "original-title", f.title("origtitle"))


def _numbers(item: dict[str, Any], f: _Fields, bib_type: str) -> None:
    number, issue = f.get("number"), f.get("issue")
    for key in ("number", "collection-number", "issue"):
        item.pop(key, None)
    if number and bib_type in _SERIES_NUMBER_TYPES:
        item["collection-number"] = number
    elif bib_type in ARTICLE_TYPES | {"review"}:
        joined = ", ".join(x for x in (number, issue) if x)
        if joined:
            item["issue"] = joined
    elif number:
        item["number"] = number
    volume, part = f.get("volume"), f.get("part")
    _set(item, "volume", f"{volume}.{part}" if volume and part else (volume or part))
    for name, variable in (("volumes", "number-of-volumes"), ("pagetotal", "number-of-pages"),
                           ("chapter", "chapter-number"), ("edition", "edition"),
                           ("version", "version")):
        _set(item, variable, f.get(name))
    pages = f.get("pages") or f.get("page")
    _set(item, "page", pages.replace("–", "-") if pages else None)


def _literal_list(value: str | None) -> str | None:
    """"A and B" as "A; B" (an "and" in braces, ``Routledge {and} Kegan Paul``, is text)."""
    if not value:
        return None
    # The rich text marks a braced "and" as protected: split only outside such spans.
    pieces = re.split(r"\s+and\s+(?![^<]*</span>)", value)
    return "; ".join(p.strip() for p in pieces if p.strip())


def _bodies(item: dict[str, Any], f: _Fields, bib_type: str) -> None:
    names = [_literal_list(f.text(n)) if n != "howpublished" else f.text(n)
             for n in ("school", "institution", "organization", "howpublished", "publisher")]
    _set(item, "publisher", "; ".join(n for n in names if n) or None)
    place = _literal_list(f.text("address")) or (
        None if bib_type == "patent" else _literal_list(f.text("location")))
    _set(item, "publisher-place", place)
    if bib_type == "patent" and f.get("location"):
        item["jurisdiction"] = "; ".join(term(p) for p in _AND_RE.split(str(f.get("location"))))
    _set(item, "original-publisher", f.text("origpublisher"))
    _set(item, "original-publisher-place", _literal_list(f.text("origlocation")))
    _set(item, "event-place", f.text("venue"))


def _links_and_notes(item: dict[str, Any], f: _Fields, bib_type: str) -> None:
    options = (f.get("options") or "").replace(" ", "").lower().split(",")
    if "url=false" in options and bib_type != "online":
        item.pop("URL", None)
    if "URL" not in item:
        kind = (f.get("eprinttype") or f.get("archiveprefix") or "").lower()
        eprint = f.get("eprint")
        if eprint and kind in _EPRINT_LINKS:
            item["URL"] = _EPRINT_LINKS[kind] + eprint
    if "doi=false" in options:
        item.pop("DOI", None)
    notes = [n for n in (None if bib_type == "periodical" else f.text("note"),
                         f.text("addendum")) if n]
    _set(item, "note", ". ".join(notes) if notes else None)
    _set(item, "annote", f.get("annotation") or f.get("annote"))
    status = f.get("pubstate")
    _set(item, "status", term(status) if status else None)


def _set(item: dict[str, Any], key: str, value: str | None) -> None:
    if value:
        item[key] = unmark_protection(value, keep_lowercase=True) if "<span" in value \
            else smart_apostrophes(value)
    else:
        item.pop(key, None)

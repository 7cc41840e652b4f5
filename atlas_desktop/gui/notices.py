"""Retractions, corrections and expressions of concern as the window shows them: the pill
in the list and the detail pane, what it means in plain words, and a notice's links.

Notices come from the records completed online (PubMed, Crossref; issue 15). They are never
the atlas's badges: a red **Retracted** pill is shown before the atlas's own, and its colour
only repeats its word.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Final
from urllib.parse import quote

from atlas_desktop.domain.citation import RetractionWarning
from atlas_desktop.domain.completion import Notice, NoticeKind, source_name

#: Notice kind -> the pill's text, gravest first. Updates ("this version was replaced") get
#: no pill: they are listed in the entry.
PILL_TEXT: Final = {
    NoticeKind.RETRACTION.value: "Retracted",
    NoticeKind.CONCERN.value: "Concern",
    NoticeKind.CORRECTION.value: "Correction",
}

_MEANINGS: Final = {
    NoticeKind.RETRACTION.value: (
        "Retracted: the journal or its publisher has withdrawn this paper (PubMed or Crossref "
        "lists a retraction notice). Cite it only as a retracted paper; the entry links to "
        "the notice."),
    NoticeKind.CONCERN.value: (
        "Expression of concern: the journal has published a notice that questions this "
        "paper's data or conduct, while it looks into them. The entry links to the notice."),
    NoticeKind.CORRECTION.value: (
        "Correction: the journal has published a correction (an erratum) of this paper. "
        "Read it before relying on the paper; the entry links to it."),
}
_NOUNS: Final = {
    NoticeKind.RETRACTION: "Retraction notice",
    NoticeKind.CONCERN: "Expression of concern",
    NoticeKind.CORRECTION: "Correction",
    NoticeKind.UPDATE: "Update",
}
#: Sources named differently in the entry's banners ("from the publisher").
_IN_BANNERS: Final = {"publisher": "the publisher"}


def is_notice_kind(kind: str) -> bool:
    return kind in PILL_TEXT


def list_pills(kinds: Collection[str]) -> tuple[tuple[str, str], ...]:
    """The one pill the list shows for an entry's notices: the gravest (a retracted paper
    with a correction is shown as retracted; the entry lists every notice)."""
    for kind, text in PILL_TEXT.items():
        if kind in kinds:
            return ((kind, text),)
    return ()


def detail_pills(notices: Collection[Notice]) -> list[tuple[str, str]]:
    """A pill per kind of notice an entry has, gravest first."""
    kinds = {n.kind.value for n in notices}
    return [(kind, text) for kind, text in PILL_TEXT.items() if kind in kinds]


def notice_meaning(kind: str) -> str:
    return _MEANINGS.get(kind, "")


def notice_noun(notice: Notice) -> str:
    return _NOUNS[notice.kind]


def source_names(notice: Notice) -> str:
    """"PubMed and Retraction Watch"."""
    names = list(dict.fromkeys(_IN_BANNERS.get(s) or source_name(s)
                               for s in notice.source.split(", ") if s))
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


def notice_links(notice: Notice) -> list[tuple[str, str]]:
    """(label, address) of the notice's own record: its DOI and its PubMed page. The
    addresses are built from identifiers we checked the shape of, never taken as given."""
    links = []
    if notice.doi:
        links.append((f"doi:{notice.doi}", "https://doi.org/" + quote(notice.doi, safe="/:;()")))
    if notice.pmid and notice.pmid.isdigit():
        links.append((f"PubMed {notice.pmid}",
                      f"https://pubmed.ncbi.nlm.nih.gov/{notice.pmid}/"))
    return links


def long_date(value: str | None) -> str:
    """``2010-02-06`` as "6 Feb 2010" (``2010-02``: "Feb 2010"); what cannot be read, as it
    is."""
    if not value:
        return ""
    parts = value[:10].split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 3:
            return f"{numbers[2]} {date(*numbers).strftime('%b %Y')}"
        if len(numbers) == 2:
            return date(numbers[0], numbers[1], 1).strftime("%b %Y")
    except ValueError:
        return value[:10]
    return value[:4]


def retracted_in_export(warnings: Collection[RetractionWarning]) -> str:
    """What an export says of the retracted papers it wrote (every time)."""
    count = len(warnings)
    lines = [f"{w.label} [{w.entry_id}]: {w.notice}." for w in list(warnings)[:20]]
    if count > 20:
        lines.append(f"… and {count - 20} more.")
    head = ("The file holds a retracted paper; cite it only as a retracted paper:" if count == 1
            else f"The file holds {count} retracted papers; cite them only as retracted "
                 "papers:")
    return "\n".join([head, *lines])

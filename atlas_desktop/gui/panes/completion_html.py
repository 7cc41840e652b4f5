"""The detail pane's parts about a record completed online (issue 15): banners for a
retraction, an expression of concern or a correction, with links to the notice; "completed
from PubMed on 4 Dec 2026" and which field came from where; and where the atlas and the
record disagree, both values, with a one-click correction report for atlas entries.

The atlas's own values stay where the pane shows them; nothing here replaces one. Every
value goes through ``html.escape`` (a source's record is as hostile as any server's text),
and the only links are the ones built here: the notice's DOI and PubMed page, and actions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from atlas_desktop.domain.completion import (
    CompletedField,
    CompletedRecord,
    Difference,
    NoticeKind,
    plain_text,
    source_name,
)
from atlas_desktop.domain.entry import Entry

from ..notices import long_date, notice_links, notice_noun, source_names
from ..plain_text import esc
from ..plain_text import escape as attr  # a link's address: escaped, nothing added
from ..theme import ThemeColours

#: Action links the pane answers: ``atlas-action:report-difference/<index>``.
REPORT_DIFFERENCE: Final = "report-difference/"
#: The anchor of the completed-record section (the line near the title links to it).
ANCHOR: Final = "completed-record"

FIELD_LABELS: Final = {
    "title": "Title as published", "author": "Authors", "editor": "Editors",
    "container-title": "Journal", "container-title-short": "Journal abbreviation",
    "ISSN": "ISSN", "volume": "Volume", "issue": "Issue", "page": "Pages or article",
    "issued": "Published", "publisher": "Publisher", "publisher-place": "Place",
    "publication_types": "Publication types", "PMID": "PMID", "PMCID": "PMCID",
    "DOI": "DOI", "type": "Kind of work",
}
#: CSL's kinds of work in words (the others: their name, spaced).
KINDS_OF_WORK: Final = {"article-journal": "Journal article", "chapter": "Book chapter",
                        "book": "Book", "dataset": "Dataset", "thesis": "Thesis",
                        "report": "Report", "paper-conference": "Conference paper",
                        "article": "Preprint or article", "review": "Review"}
#: The atlas's field names (Difference.field) in words.
ATLAS_FIELD_WORDS: Final = {"title": "title", "authors": "authors", "journal": "journal",
                            "year": "year", "doi": "DOI", "pmid": "PMID"}
_BANNERS: Final = {  # kind -> (heading, what it means for the reader)
    NoticeKind.RETRACTION: ("Retracted.", "Cite it only as a retracted paper."),
    NoticeKind.CONCERN: ("Expression of concern.",
                         "The journal questions this paper's data or conduct."),
    NoticeKind.CORRECTION: ("Correction published.",
                            "Read the correction before relying on the paper."),
    NoticeKind.UPDATE: ("Updated.", "A newer version of this paper was published."),
}
_SEVERITY: Final = (NoticeKind.RETRACTION, NoticeKind.CONCERN, NoticeKind.CORRECTION,
                    NoticeKind.UPDATE)


def notice_banners(record: CompletedRecord | None, colours: ThemeColours) -> str:
    """One banner per kind of notice, gravest first: a retraction red (the withdrawn notice's
    colours), the others amber (the incomplete entry's), both checked for contrast."""
    if record is None or not record.notices:
        return ""
    out = []
    for kind in _SEVERITY:
        notices = [n for n in record.notices if n.kind is kind]
        if not notices:
            continue
        heading, meaning = _BANNERS[kind]
        items = []
        for notice in notices:
            when = long_date(notice.date)
            links = " · ".join(f'<a href="{attr(url)}">{esc(label)}</a>'
                               for label, url in notice_links(notice))
            sources = source_names(notice)
            text = notice_noun(notice) + (f" of {esc(when)}" if when else "")
            if sources:
                text += f" (from {esc(sources)})"
            items.append(text + (f": {links}" if links else ""))
        body = f"<b>{heading}</b> {esc(meaning)}<br>" + "<br>".join(items)
        if kind is NoticeKind.RETRACTION:
            colour, fill = colours.withdrawn_text, colours.withdrawn_fill
        else:
            colour, fill = colours.incomplete_text, colours.incomplete_fill
        out.append(
            f'<table width="100%" cellpadding="7" cellspacing="0" style="background-color:'
            f'{fill}; color:{colour}; margin-bottom:8px;"><tr><td>{body}</td></tr></table>')
    return "".join(out)


def completed_line(record: CompletedRecord | None, muted: str) -> str:
    """Under the title: "Completed from PubMed on 4 Dec 2026 and Crossref on …", with a
    link down to the section (and a word when the atlas and the record disagree)."""
    if record is None or not record.fields:
        return ""
    text = "Completed from " + retrieved_words(record.retrieved)
    if record.differences:
        fields = [ATLAS_FIELD_WORDS.get(d.field, d.field) for d in record.differences]
        text += f"; it differs from the atlas in the {_words(fields)}"
    return (f'<p style="color:{muted}; margin-top:2px;">{esc(text)}. '
            f'<a href="#{ANCHOR}">Details</a></p>')


def retrieved_words(retrieved: Mapping[str, str]) -> str:
    parts = [f"{source_name(source)} on {long_date(when[:10])}"
             for source, when in retrieved.items()]
    return _words(parts)


def completed_section(entry: Entry, record: CompletedRecord | None, muted: str, *,
                      can_report: bool) -> str:
    """What was completed, field by field with its source, then where the atlas and the
    record disagree (the atlas's value stays; a report is one click for atlas entries)."""
    if record is None or not record.fields:
        return ""
    rows = []
    for name, completed in record.fields.items():
        value = _field_text(name, completed)
        if not value:
            continue
        rows.append(
            f"<tr><td style='color:{muted}; padding:2px 12px 2px 0;' valign='top'>"
            f"{esc(FIELD_LABELS.get(name, name))}</td><td style='padding:2px 12px 2px 0;'>"
            f"{esc(value)}</td><td style='color:{muted}; padding:2px 0;' valign='top'>"
            f"{esc(source_name(completed.source))}</td></tr>")
    parts = [
        f'<h3><a name="{ANCHOR}"></a>Completed record</h3>',
        f"<p style='color:{muted};'>Completed from {esc(retrieved_words(record.retrieved))}. "
        "These values are kept beside the atlas's, never over them; citations use them for "
        "what the atlas lacks (a volume, pages, the journal's abbreviation).</p>",
        "<table cellspacing='0'>" + "".join(rows) + "</table>",
    ]
    if record.differences:
        parts.append(differences_table(entry, record.differences, muted,
                                       can_report=can_report))
    return "".join(parts)


def differences_table(entry: Entry, differences: Sequence[Difference], muted: str, *,
                      can_report: bool) -> str:
    rows = []
    for index, difference in enumerate(differences):
        source = source_name(difference.source)
        action = (f' <a href="atlas-action:{REPORT_DIFFERENCE}{index}">Report to the '
                  "atlas…</a>" if can_report else "")
        rows.append(
            f"<tr><td style='color:{muted}; padding:3px 12px 3px 0;' valign='top'>"
            f"{esc(ATLAS_FIELD_WORDS.get(difference.field, difference.field).capitalize())}"
            f"</td><td style='padding:3px 0;'>The atlas: {esc(_shown(difference.atlas_value))}"
            f"<br>{esc(source)}: {esc(_shown(difference.source_value))}{action}</td></tr>")
    who = "The atlas" if entry.origin.value == "atlas" else "Your reference"
    return (f"<p style='margin-bottom:2px;'><b>Where they disagree</b> {esc(who)}'s values are "
            "kept (shown above); a copied citation says which one it uses.</p>"
            "<table cellspacing='0'>" + "".join(rows) + "</table>")


def report_draft(entry: Entry, record: CompletedRecord, index: int
                 ) -> tuple[str, str, str] | None:
    """(field, problem, suggested correction) for a report of difference ``index``: the
    completed value as the suggestion, and where it came from."""
    if not 0 <= index < len(record.differences):
        return None
    difference = record.differences[index]
    source = source_name(difference.source)
    when = record.retrieved.get(difference.source, "")
    words = ATLAS_FIELD_WORDS.get(difference.field, difference.field)
    problem = (f"{source}'s record of this paper gives the {words} as "
               f"“{value_text(difference.source_value)}”; the atlas has "
               f"“{value_text(difference.atlas_value)}”. (Found by Atlas Desktop when it "
               f"completed the record from {source}"
               + (f" on {long_date(when[:10])}" if when else "") + ".)")
    return difference.field, problem, value_text(difference.source_value)


def value_text(value: Any) -> str:
    """A value of either side as one line of text (names joined by "; ")."""
    if isinstance(value, list | tuple):
        return "; ".join(value_text(v) for v in value)
    if isinstance(value, Mapping):
        return _name(value) or _date(value) or ""
    return plain_text(str(value)) if value is not None else ""


def _shown(value: Any) -> str:
    """A value as the pane shows it: a long author list (a collaboration's thousands) by its
    first six names, any text cut at 600 characters; a report carries the whole value."""
    if isinstance(value, list | tuple) and len(value) > 6:
        return f"{value_text(value[:6])} and {len(value) - 6} more"
    text = value_text(value)
    return text if len(text) <= 600 else text[:599] + "…"


def _field_text(name: str, completed: CompletedField) -> str:
    value = completed.value
    if name in {"author", "editor"} and isinstance(value, list):
        names = [_name(n) for n in value if isinstance(n, Mapping)]
        names = [n for n in names if n]
        shown = "; ".join(names[:6])
        if len(names) > 6:
            shown += f" and {len(names) - 6} more"
        return f"{len(names)}: {shown}" if len(names) > 1 else shown
    if name == "issued" and isinstance(value, Mapping):
        return _date(value) or ""
    if name == "type" and isinstance(value, str):
        return KINDS_OF_WORK.get(value, value.replace("-", " ").capitalize())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if isinstance(v, str | int))
    if isinstance(value, str | int) and not isinstance(value, bool):
        return plain_text(str(value))[:600]
    return ""


def _name(name: Mapping[str, Any]) -> str:
    if name.get("literal"):
        return str(name["literal"])
    given = name.get("given")
    family = str(name.get("family") or "")
    return f"{family} {given}".strip() if given else family


def _date(value: Mapping[str, Any]) -> str | None:
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [p for p in parts[0][:3] if isinstance(p, int | str)]
        return long_date("-".join(f"{int(p):02d}" if i else str(p)
                                  for i, p in enumerate(numbers) if str(p).isdigit()))
    literal = value.get("literal") or value.get("raw")
    return str(literal) if literal else None


def _words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) > 1:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return items[0] if items else ""

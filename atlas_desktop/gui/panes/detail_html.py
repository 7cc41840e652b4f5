"""The detail pane's reading layout as HTML. Every piece of entry text goes through
``plain_text.escape``: nothing in an entry can add markup, run script, load an image or change
the layout. Links are only ever made by us (DOI, PMID, atlas page, tag filters, actions), and
images only come from resources we add to the document ourselves (badge pills). A ``title``
attribute becomes a tooltip, which Qt reads as markup again: its text is a
``plain_text.tooltip`` (escaped once more for the attribute).

Text shown (:func:`esc`) is also made breakable (``domain/wording.breakable``): a long run
without spaces gets zero-width spaces, so laying out any entry fits in a frame (issue 19.2).
Attribute values (links, image names) use :func:`attr`, which only escapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from PySide6.QtGui import QPalette

from atlas_desktop.domain.completion import CompletedRecord
from atlas_desktop.domain.entry import Entry, Origin

from ..badges import badge_tooltip, pill_colours
from ..notices import detail_pills
from ..plain_text import esc, tooltip
from ..plain_text import escape as attr  # an attribute's value: escaped, nothing added
from ..theme import theme_colours
from .completion_html import completed_line, completed_section, notice_banners

#: How a missing field is named to a reader.
MISSING_WORDS = {
    "title": "title",
    "authors": "complete author list",
    "journal": "journal",
    "year": "year",
    "summary": "plain-language summary",
    "doi": "DOI",
    "pmid": "PubMed ID",
}


def title_attribute(text: str) -> str:
    """A ``title="…"`` value: shown as a tooltip, as plain text."""
    return attr(tooltip(text))


def paragraphs(text: str) -> str:
    parts = [p.strip() for p in text.replace("\r", "").split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(p).replace(chr(10), '<br>')}</p>" for p in parts)


def tag_href(category: str, label: str) -> str:
    return f"atlas-tag:{quote(category, safe='')}/{quote(label, safe='')}"


def missing_sentence(missing: list[str], origin: Origin = Origin.ATLAS) -> str:
    """"title, year or DOI or PubMed ID": what an entry lacks, as a reader names it. For the
    user's own references "authors" means there are none (their rule asks for no more)."""
    fields = [m for m in missing if m not in {"doi", "pmid"}]
    names = MISSING_WORDS if origin is Origin.ATLAS else {**MISSING_WORDS, "authors": "authors"}
    words = [names.get(m, m.replace("_", " ")) for m in fields]
    if "doi" in missing and "pmid" in missing:
        words.append("DOI or PubMed ID")
    if len(words) > 1:
        return ", ".join(words[:-1]) + " or " + words[-1]
    return words[0] if words else ""


def render_entry(
    entry: Entry,
    palette: QPalette | None = None,
    *,
    pill_image: Callable[[str, str], str] | None = None,
    can_report: bool = False,
    record: CompletedRecord | None = None,
) -> str:
    """HTML for ``entry``. ``pill_image(kind, text)`` returns the document resource name of a
    badge pill image (the pane draws them); without it badges are coloured text. ``record``:
    what was completed online (its notices, fields and differences from the atlas)."""
    colours = theme_colours(palette)
    muted = colours.muted
    parts: list[str] = []

    if entry.withdrawn:
        parts.append(_notice(
            "The atlas has withdrawn this entry. Your own notes and marks on it are kept.",
            colours.withdrawn_text, colours.withdrawn_fill))
    parts.append(notice_banners(record, colours))
    missing = entry.missing_fields()
    if missing and entry.origin is Origin.ATLAS:
        action = (' &nbsp;<a href="atlas-action:report-missing">Report what is missing…</a>'
                  if can_report else "")
        parts.append(_notice(
            f"<b>Incomplete entry.</b> The atlas record has no {esc(missing_sentence(missing))}."
            f"{action}",
            colours.incomplete_text, colours.incomplete_fill, raw=True))
    elif missing:
        # The user's own reference: what a citation of it will lack, and where to fix it.
        # Nothing to report: the atlas team never sees it.
        parts.append(_notice(
            f"<b>Incomplete reference.</b> Your reference has no "
            f"{esc(missing_sentence(missing, entry.origin))}; a citation of it will lack that "
            "too. Add it in the file it came from and import the file again.",
            colours.incomplete_text, colours.incomplete_fill, raw=True))
    if entry.extra.get("sample_text"):
        parts.append(f'<p style="color:{muted};"><i>Sample library: the plain-language sections '
                     "were written for Atlas Desktop as examples; they are not the atlas's own "
                     "reading.</i></p>")
    if entry.origin.value == "mine":
        parts.append(f'<p style="color:{muted};"><i>From your own library (imported); the '
                     "atlas has not graded it.</i></p>")

    parts.append(f'<h2 style="margin-top:0; margin-bottom:4px;">{esc(entry.display_title())}'
                 "</h2>")
    if entry.authors:
        names = "; ".join(esc(a.display()) for a in entry.authors)
        if entry.authors_truncated:
            names += " <i>et al.</i>"
        parts.append(f"<p style='margin:0;'>{names}</p>")
    meta = [f"<i>{esc(entry.journal)}</i>" if entry.journal else "",
            esc(entry.year) if entry.year else ""]
    meta = [m for m in meta if m]
    if entry.doi:
        meta.append(f'DOI <a href="https://doi.org/{attr(quote(entry.doi, safe="/:;()"))}">'
                    f"{esc(entry.doi)}</a>")
    if entry.pmid:
        meta.append(f'PMID <a href="https://pubmed.ncbi.nlm.nih.gov/{attr(entry.pmid)}/">'
                    f"{esc(entry.pmid)}</a>")
    if meta:
        parts.append(f'<p style="color:{muted}; margin-top:3px;">{" · ".join(meta)}</p>')
    parts.append(completed_line(record, muted))

    badges = entry.badges.labels()
    if record is not None and record.notices:
        badges = detail_pills(record.notices) + badges
    if badges:
        parts.append("<p style='margin-top:8px; margin-bottom:4px;'>" + " ".join(
            _badge(kind, text, palette, pill_image) for kind, text in badges) + "</p>")

    # The reading sections in the order the command line's ``show`` uses too.
    for key, heading, content in entry.sections():
        if isinstance(content, tuple):
            lis = "".join(f"<li>{esc(x)}</li>" for x in content)
            parts.append(f"<h3>{esc(heading)}</h3><ul>{lis}</ul>")
        elif key == "does_not_prove":  # set apart: what a reader must not take from it
            edge, fill = colours.caution_edge, colours.caution_fill
            parts.append(
                '<table width="100%" cellspacing="0" cellpadding="0" style="margin-top:12px;">'
                f'<tr><td width="5" style="background-color:{edge};"></td>'
                f'<td style="background-color:{fill}; padding:8px 10px 4px 10px;">'
                f"<b>{esc(heading)}</b>{paragraphs(content)}"
                "</td></tr></table>"
            )
        else:
            parts.append(f"<h3>{esc(heading)}</h3>{paragraphs(content)}")
    if entry.tags:
        chip_fill = colours.chip_fill
        rows = []
        for category, labels in entry.tags.items():
            chips = " ".join(
                f'<a href="{attr(tag_href(category, label))}" style="text-decoration:none; '
                f'background-color:{chip_fill};" '
                f'title="{title_attribute("Show entries tagged " + label)}">'
                f"&nbsp;{esc(label)}&nbsp;</a>"
                for label in labels
            )
            rows.append(f"<tr><td style='color:{muted}; padding:2px 12px 2px 0;' "
                        f"valign='top'>{esc(category)}</td><td style='padding:2px 0;'>{chips}"
                        "</td></tr>")
        parts.append("<h3>Tags</h3><table cellspacing='0'>" + "".join(rows) + "</table>")

    parts.append(completed_section(entry, record, muted,
                                   can_report=can_report and entry.origin is Origin.ATLAS))
    facts = []
    if entry.evidence_level:
        facts.append(("Evidence level", esc(entry.evidence_level)))
    if entry.last_updated:
        facts.append(("Last updated", esc(_long_date(entry.last_updated))))
    if entry.snapshot:
        snap = entry.snapshot
        when = f", accessed {esc(_long_date(snap.accessed))}" if snap.accessed else ""
        facts.append(("Atlas snapshot", esc(snap.describe() or "—") + when))
    if entry.url:
        facts.append(("Atlas page", f'<a href="{attr(entry.url)}">{esc(entry.url)}</a>'))
    if entry.bibtex_key:
        facts.append(("BibTeX key", esc(entry.bibtex_key)))
    metadata = entry.extra.get("metadata")
    if isinstance(metadata, dict):
        facts.extend((esc(k), esc(v)) for k, v in metadata.items())
    if facts:
        rows_html = "".join(
            f"<tr><td style='color:{muted}; padding:2px 14px 2px 0;' valign='top'>{k}</td>"
            f"<td style='padding:2px 0;'>{v}</td></tr>" for k, v in facts)
        parts.append(f"<h3>About this entry</h3><table cellspacing='0'>{rows_html}</table>")
    return "".join(parts)


def _badge(kind: str, text: str, palette: QPalette | None,
           pill_image: Callable[[str, str], str] | None) -> str:
    tip = title_attribute(badge_tooltip(kind, text))
    if pill_image is not None:
        return (f'<a href="atlas-badge:{attr(kind)}" title="{tip}">'
                f'<img src="{attr(pill_image(kind, text))}" alt="{attr(text)}"></a>')
    c = pill_colours(kind, text, palette)
    return (f'<span title="{tip}" style="background-color:{c.fill}; color:{c.text};">'
            f"&nbsp;{esc(text)}&nbsp;</span>")


def _long_date(value: Any) -> str:
    return f"{value.day} {value.strftime('%B %Y')}"


def _notice(body: str, colour: str, fill: str, raw: bool = False) -> str:
    text = body if raw else esc(body)
    return (f'<table width="100%" cellpadding="7" cellspacing="0" style="background-color:{fill};'
            f'color:{colour}; margin-bottom:8px;"><tr><td>{text}</td></tr></table>')

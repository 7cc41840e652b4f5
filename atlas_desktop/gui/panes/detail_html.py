"""The detail pane's reading layout as HTML. Every piece of entry text goes through
``html.escape``: nothing in an entry can add markup, run script, load an image or change the
layout. Links are only ever made by us (DOI, PMID, tag filters, actions).
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote

from PySide6.QtGui import QPalette

from atlas_desktop.domain.annotations import UserData
from atlas_desktop.domain.entry import LIST_SECTIONS, Entry

from ..badges import badge_tooltip, is_dark, pill_colours


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def paragraphs(text: str) -> str:
    parts = [p.strip() for p in text.replace("\r", "").split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(p).replace(chr(10), '<br>')}</p>" for p in parts)


def tag_href(category: str, label: str) -> str:
    return f"atlas-tag:{quote(category, safe='')}/{quote(label, safe='')}"


def badge_html(kind: str, text: str, palette: QPalette | None) -> str:
    c = pill_colours(kind, text, palette)
    return (
        f'<span title="{esc(badge_tooltip(kind, text))}" style="background-color:{c.fill};'
        f'color:{c.text};">&nbsp;{esc(text)}&nbsp;</span>'
    )


def render_entry(
    entry: Entry, user: UserData | None, palette: QPalette | None = None, *,
    can_report: bool = False,
) -> str:
    dark = palette is not None and is_dark(palette)
    muted = "#9aa3ad" if dark else "#5f6b76"
    caution_fill = "#3b2f12" if dark else "#fff6e0"
    caution_edge = "#d39e00"
    parts: list[str] = []

    if entry.withdrawn:
        parts.append(_notice(
            "This entry has been withdrawn by the atlas. Your own notes and marks on it are kept.",
            "#7f1d1d" if not dark else "#fbdada", "#fbdada" if not dark else "#5c1a1a"))
    missing = entry.missing_fields()
    if missing:
        names = ", ".join(m.replace("_", " ") for m in missing)
        action = ' <a href="atlas-action:report-missing">Report what is missing…</a>' \
            if can_report else ""
        parts.append(_notice(
            f"Incomplete entry: the atlas record has no {esc(names)}.{action}",
            "#7a3e00" if not dark else "#fde7c8", "#fff3e0" if not dark else "#3b2a12",
            raw=True))
    if entry.extra.get("sample_text"):
        parts.append(f'<p style="color:{muted};"><i>Sample library: the plain-language sections '
                     "below were written for Atlas Desktop as examples; they are not the "
                     "atlas's own reading.</i></p>")

    title = esc(entry.display_title())
    parts.append(f'<h2 style="margin-bottom:4px;">{title}</h2>')
    if entry.authors:
        names = "; ".join(esc(a.display()) for a in entry.authors)
        if entry.authors_truncated:
            names += " <i>et al.</i>"
        parts.append(f"<p style='margin:0;'>{names}</p>")
    meta = [esc(x) for x in (entry.journal, entry.year) if x]
    links = []
    if entry.doi:
        links.append(f'DOI <a href="https://doi.org/{esc(quote(entry.doi, safe="/:;()"))}">'
                     f"{esc(entry.doi)}</a>")
    if entry.pmid:
        links.append(f'PMID <a href="https://pubmed.ncbi.nlm.nih.gov/{esc(entry.pmid)}/">'
                     f"{esc(entry.pmid)}</a>")
    line = " · ".join(meta + links)
    if line:
        parts.append(f'<p style="color:{muted}; margin-top:2px;">{line}</p>')

    badges = entry.badges.labels()
    if badges:
        parts.append("<p>" + " ".join(badge_html(k, t, palette) for k, t in badges) + "</p>")

    for key, heading in (("summary", "Summary"), ("why_it_matters", "Why it matters")):
        value = getattr(entry, key)
        if value:
            parts.append(f"<h3>{heading}</h3>{paragraphs(value)}")
    abstract = entry.extra.get("abstract")
    if isinstance(abstract, str) and abstract.strip():
        parts.append(f"<h3>Abstract</h3>{paragraphs(abstract)}")
    if entry.does_not_prove:
        parts.append(
            f'<table width="100%" cellpadding="8" cellspacing="0" style="margin-top:10px;'
            f'background-color:{caution_fill}; border-left:4px solid {caution_edge};">'
            f'<tr><td><b>What this study does not prove</b>{paragraphs(entry.does_not_prove)}'
            "</td></tr></table>"
        )
    for key, heading in LIST_SECTIONS:
        items = getattr(entry, key)
        if items:
            lis = "".join(f"<li>{esc(x)}</li>" for x in items)
            parts.append(f"<h3>{heading}</h3><ul>{lis}</ul>")
    if entry.tags:
        rows = []
        for category, labels in entry.tags.items():
            chips = " ".join(
                f'<a href="{esc(tag_href(category, label))}" title="Show entries tagged '
                f'{esc(label)}">{esc(label)}</a>'
                for label in labels
            )
            rows.append(f"<tr><td style='color:{muted}; padding-right:10px;'>{esc(category)}</td>"
                        f"<td>{chips}</td></tr>")
        parts.append("<h3>Tags</h3><table cellspacing='2'>" + "".join(rows) + "</table>")

    facts = []
    if entry.evidence_level:
        facts.append(("Evidence level", esc(entry.evidence_level)))
    if entry.last_updated:
        facts.append(("Last updated", esc(entry.last_updated.strftime("%-d %B %Y"))))
    if entry.snapshot:
        snap = entry.snapshot
        when = f", accessed {esc(snap.accessed.isoformat())}" if snap.accessed else ""
        facts.append(("Atlas snapshot", esc(snap.describe()) + when))
    if entry.url:
        facts.append(("Atlas page", f'<a href="{esc(entry.url)}">{esc(entry.url)}</a>'))
    if entry.bibtex_key:
        facts.append(("BibTeX key", esc(entry.bibtex_key)))
    metadata = entry.extra.get("metadata")
    if isinstance(metadata, dict):
        facts.extend((esc(k), esc(v)) for k, v in metadata.items())
    if facts:
        rows = "".join(f"<tr><td style='color:{muted}; padding-right:12px;'>{k}</td><td>{v}</td>"
                       "</tr>" for k, v in facts)
        parts.append(f"<h3>About this entry</h3><table cellspacing='2'>{rows}</table>")
    del user  # the note editor shows the user's own layer
    return "".join(parts)


def _notice(text: str, colour: str, fill: str, raw: bool = False) -> str:
    body = text if raw else esc(text)
    return (f'<table width="100%" cellpadding="6" cellspacing="0" style="background-color:{fill};'
            f'color:{colour}; margin-bottom:6px;"><tr><td>{body}</td></tr></table>')

"""The atlas's own references: the snapshot reference and "copy with evidence".

The snapshot reference cites *the atlas's reading* of a paper on a date, never the paper; it
is a separate, clearly labelled action. "Copy with evidence" is for clinic letters: the
formatted reference, then what a reader of the letter must know with it:

- a retraction, expression of concern or correction of the paper (first, in capitals for a
  retraction), and "withdrawn from the atlas" for an entry the atlas withdrew;
- for atlas entries: the badges with the plain-language meaning the window gives them, the
  "does not prove" caveat and the snapshot reference (not for the sample library, whose
  text is ours, not the atlas's reading);
- for the user's own references: only the notices (the atlas has assessed nothing).
"""

from __future__ import annotations

from datetime import date

from atlas_desktop.domain.badge_meanings import badge_meaning
from atlas_desktop.domain.citation import RichText
from atlas_desktop.domain.cited import describe_notice
from atlas_desktop.domain.completion import CompletedRecord, NoticeKind
from atlas_desktop.domain.entry import Entry, Origin, author_short

from .documents import html_escape, rtf_escape

ATLAS_NAME = "ME/CFS Atlas"


def reading_date(entry: Entry) -> tuple[date, str] | None:
    """The date of the atlas's reading and how it is known: the snapshot's access date, or
    else the date the atlas last changed the entry."""
    if entry.snapshot is not None and entry.snapshot.accessed is not None:
        return entry.snapshot.accessed, "Accessed"
    if entry.last_updated is not None:
        return entry.last_updated, "Last updated"
    return None


def snapshot_action_label(entry: Entry) -> str:
    """The menu text: what the snapshot reference cites, with its date."""
    when = reading_date(entry)
    if when is None:
        return "Cite the atlas's reading of this paper (no date recorded)"
    return f"Cite the atlas's reading of this paper on {when[0].isoformat()}"


def snapshot_reference(entry: Entry) -> RichText | None:
    """``ME/CFS Atlas. Atlas reading of “Title” (Heins et al., 2013). Generator v1 / ….
    Accessed 2026-05-26. <atlas page>`` — or None when no date of the reading is recorded."""
    when = reading_date(entry)
    if when is None:
        return None
    title = (entry.title or "").strip().rstrip(".") or entry.display_title()
    who = author_short(entry.authors, entry.authors_truncated)
    year = str(entry.year) if entry.year else "n.d."
    paper = f"{who}, {year}" if who else year
    parts = [f"{ATLAS_NAME}.", f"Atlas reading of “{title}” ({paper})."]
    versions = entry.snapshot.describe() if entry.snapshot else ""
    if versions:
        parts.append(f"{versions}.")
    parts.append(f"{when[1]} {when[0].isoformat()}.")
    url = entry.url if entry.origin is Origin.ATLAS and entry.url else None
    text = " ".join([*parts, url] if url else parts)
    html_text = html_escape(" ".join(parts))
    if url:
        html_text += f' <a href="{html_escape(url)}">{html_escape(url)}</a>'
    return RichText(text=text, html=html_text, rtf=rtf_escape(text))


def badge_line(entry: Entry) -> RichText:
    """The badges, each with what it means (the window's tooltip text)."""
    meanings = [badge_meaning(kind, text) for kind, text in entry.badges.labels()]
    text = "Atlas badges: " + (" ".join(meanings) if meanings else "none recorded.")
    return _plain(text)


def caveat_line(entry: Entry) -> RichText:
    label = "What this study does not prove: "
    caveat = (entry.does_not_prove or "").strip() or (
        "the atlas has not yet written this section for the paper."
    )
    return RichText(
        text=label + caveat,
        html=f"<i>{html_escape(label.strip())}</i> {html_escape(caveat)}",
        rtf=f"{{\\i {rtf_escape(label.strip())}}} {rtf_escape(caveat)}",
    )


def notice_lines(entry: Entry, record: CompletedRecord | None) -> list[RichText]:
    """A retraction first (in capitals), then concerns and corrections; and the atlas's own
    withdrawal of the entry."""
    out: list[RichText] = []
    notices = record.notices if record is not None else ()
    for kind, lead in ((NoticeKind.RETRACTION, "RETRACTED: this paper has been retracted"),
                       (NoticeKind.CONCERN, "Expression of concern: this paper is"),
                       (NoticeKind.CORRECTION, "Correction: this paper has been")):
        found = [n for n in notices if n.kind is kind]
        if not found:
            continue
        said = "; ".join(describe_notice(n) for n in found)
        if kind is NoticeKind.RETRACTION:
            said = said.removeprefix("retracted").lstrip()
            text = f"{lead} {said}. Cite it only as a retracted paper."
        else:
            text = f"{lead} {said}."
        out.append(_bold(text) if kind is NoticeKind.RETRACTION else _plain(text))
    if entry.withdrawn:
        out.append(_plain("This entry has been withdrawn from the atlas: the atlas no longer "
                          "stands by its reading of this paper."))
    return out


def evidence_group(entry: Entry, reference: RichText,
                   record: CompletedRecord | None = None) -> list[RichText]:
    """The paragraphs of one entry in "copy with evidence", the reference first."""
    group = [reference, *notice_lines(entry, record)]
    if entry.origin is not Origin.ATLAS:
        return group  # the user's own reference: the atlas has said nothing about it
    group += [badge_line(entry), caveat_line(entry)]
    snapshot = snapshot_reference(entry)
    if snapshot is not None and not entry.extra.get("sample_text"):
        label = "Atlas reading cited: "
        group.append(RichText(
            text=label + snapshot.text,
            html=html_escape(label) + (snapshot.html or ""),
            rtf=rtf_escape(label) + (snapshot.rtf or ""),
        ))
    return group


def _plain(text: str) -> RichText:
    return RichText(text=text, html=html_escape(text), rtf=rtf_escape(text))


def _bold(text: str) -> RichText:
    return RichText(text=text, html=f"<b>{html_escape(text)}</b>",
                    rtf=f"{{\\b {rtf_escape(text)}}}")

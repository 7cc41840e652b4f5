"""How the command line shows one entry: ``show`` as text or JSON (``merge --json`` too).

The services hand over an :class:`Entry` and the user's :class:`UserData`; this module lays
them out, with what was completed online (:class:`CompletedRecord`, issue 15) when there is
one. The reading sections come from :meth:`Entry.sections`, the list the window's
detail pane uses, so both faces show the same sections in the same order.
"""

from __future__ import annotations

import textwrap
from typing import Any, Final

from atlas_desktop.domain.annotations import UserData
from atlas_desktop.domain.completion import CompletedRecord
from atlas_desktop.domain.contract import entry_to_contract
from atlas_desktop.domain.entry import Entry

WIDTH: Final = 88


def entry_json(entry: Entry, user: UserData,
               completed: CompletedRecord | None = None) -> dict[str, Any]:
    """The contract object of an entry, plus ``user`` data, the ``incomplete`` fields and
    the library's facts (``origin``, ``withdrawn``): ``show --json``. With a completed record,
    also ``completed``, ``notices`` and ``differences``."""
    out = entry_to_contract(entry)
    out["user"] = user.to_dict()
    out["incomplete"] = entry.missing_fields()
    out["origin"] = entry.origin.value
    out["withdrawn"] = entry.withdrawn
    if completed is not None:
        out.update(completed.to_dict())
    return out


def entry_text(entry: Entry, user: UserData, completed: CompletedRecord | None = None) -> str:
    """``show``'s text: the bibliographic lines, badges, the sections, tags and facts, then
    the notices and what was completed from where."""
    lines: list[str] = [entry.title or "(untitled)"]
    authors = "; ".join(a.display() for a in entry.authors)
    if entry.authors_truncated:
        authors += " et al."
    lines.append(authors or "(no authors)")
    bits = [b for b in (entry.journal, str(entry.year or "")) if b]
    if bits:
        lines.append(" · ".join(bits))
    if entry.doi:
        lines.append(f"DOI: {entry.doi}  https://doi.org/{entry.doi}")
    if entry.pmid:
        lines.append(f"PMID: {entry.pmid}")
    badges = entry.badges.labels()
    if badges:
        lines.append("Badges: " + " | ".join(text for _, text in badges))
    for _key, heading, content in entry.sections():
        lines += ["", heading.upper()]
        if isinstance(content, tuple):
            lines += [textwrap.fill(x, WIDTH, initial_indent="- ", subsequent_indent="  ")
                      for x in content]
        else:
            paragraphs = [p for p in content.replace("\r", "").split("\n\n") if p.strip()]
            lines.append("\n\n".join(textwrap.fill(p, WIDTH) for p in paragraphs))
    if entry.tags:
        lines += ["", "TAGS"]
        lines += [f"{category}: {', '.join(labels)}" for category, labels in entry.tags.items()]
    if entry.evidence_level:
        lines += ["", "Evidence level: " + entry.evidence_level]
    if entry.last_updated:
        lines.append("Last updated: " + entry.last_updated.isoformat())
    if entry.snapshot:
        snap = entry.snapshot
        accessed = snap.accessed.isoformat() if snap.accessed else None
        lines.append(f"Atlas snapshot: generator {snap.generator}, scanner {snap.scanner}, "
                     f"policy {snap.policy}, accessed {accessed}")
    missing = entry.missing_fields()
    if missing:
        lines += ["", "Incomplete: missing " + ", ".join(missing)]
    if user.note and user.note.text:
        lines += ["", "MY NOTE", user.note.text]
    if completed is not None:
        lines += completion_lines(completed)
    return "\n".join(lines)


_NOTICE_WORDS: Final = {"retraction": "RETRACTED", "correction": "Corrected",
                        "concern": "Expression of concern", "update": "Updated"}


def completion_lines(completed: CompletedRecord) -> list[str]:
    """Notices first (a retracted paper must not be cited unawares), then what was completed
    online and from where."""
    lines: list[str] = []
    for notice in completed.notices:
        ids = ", ".join(x for x in (f"doi:{notice.doi}" if notice.doi else "",
                                    f"PMID {notice.pmid}" if notice.pmid else "") if x)
        lines.append(f"{_NOTICE_WORDS.get(notice.kind.value, notice.kind.value)}: notice "
                     f"{notice.date or '(undated)'}{f' ({ids})' if ids else ''}; "
                     f"from {notice.source}")
    by_source: dict[tuple[str, str], list[str]] = {}
    for name in ("container-title-short", "volume", "issue", "page", "ISSN", "PMCID"):
        item = completed.fields.get(name)
        if item is not None:
            value = (", ".join(map(str, item.value)) if isinstance(item.value, list)
                     else str(item.value))
            by_source.setdefault((item.source, item.retrieved_at[:10]), []).append(
                f"{name.replace('container-title-short', 'journal')} {value}")
    for (source, day), values in by_source.items():
        lines.append(f"Completed from {source} on {day}: {'; '.join(values)}")
    return lines

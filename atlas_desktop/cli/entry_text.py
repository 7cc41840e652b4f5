"""How the command line shows one entry: ``show`` as text or JSON (``merge --json`` too).

The services hand over an :class:`Entry` and the user's :class:`UserData`; this module lays
them out. The reading sections come from :meth:`Entry.sections`, the list the window's
detail pane uses, so both faces show the same sections in the same order.
"""

from __future__ import annotations

import textwrap
from typing import Any, Final

from atlas_desktop.domain.annotations import UserData
from atlas_desktop.domain.contract import entry_to_contract
from atlas_desktop.domain.entry import Entry

WIDTH: Final = 88


def entry_json(entry: Entry, user: UserData) -> dict[str, Any]:
    """The contract object of an entry, plus ``user`` data, the ``incomplete`` fields and
    the library's facts (``origin``, ``withdrawn``): ``show --json``."""
    out = entry_to_contract(entry)
    out["user"] = user.to_dict()
    out["incomplete"] = entry.missing_fields()
    out["origin"] = entry.origin.value
    out["withdrawn"] = entry.withdrawn
    return out


def entry_text(entry: Entry, user: UserData) -> str:
    """``show``'s text: the bibliographic lines, badges, the sections, tags and facts."""
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
    return "\n".join(lines)

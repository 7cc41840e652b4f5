"""biblatex's data model in CSL's terms, for the user's BibTeX references.

The reader keeps every field it does not map itself in ``extra["bibtex_fields"]`` (decoded
text, so our BibTeX export writes it back unchanged); the citation item is made from them
here, each time, so a better mapping needs no new import. The mapping follows what
biblatex-csl-converter and Zotero's BibTeX translator do (read, not copied):

- ``subtitle`` joins the title after a colon, ``titleaddon`` after a period; the same for
  ``booktitle``/``booksubtitle``/``booktitleaddon``, ``journaltitle``/``journalsubtitle``
  and ``maintitle``/``mainsubtitle``/``maintitleaddon``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def join_title(title: str | None, subtitle: Any = None, addon: Any = None) -> str | None:
    """``Title: Subtitle. Addon``, the way biblatex prints the three."""
    text = (title or "").strip()
    if isinstance(subtitle, str) and subtitle.strip():
        text = f"{text}: {subtitle.strip()}" if text else subtitle.strip()
    if isinstance(addon, str) and addon.strip():
        text = f"{text}. {addon.strip()}" if text and not text.endswith((".", "?", "!")) \
            else f"{text} {addon.strip()}".strip()
    return text or None


def biblatex_variables(item: dict[str, Any], bib_type: str,
                       fields: Mapping[str, Any]) -> None:
    """Complete ``item`` (already holding the mapped variables) from biblatex's fields."""
    title = item.get("title")
    if isinstance(title, str) and (fields.get("subtitle") or fields.get("titleaddon")):
        item.setdefault("title-short", title)
        item["title"] = join_title(title, fields.get("subtitle"), fields.get("titleaddon"))

"""CSL locale files: the terms, quotation marks and date formats of each citation language.

A citation's language comes from, in order: a dependent style's own ``default-locale`` (a
German journal stays German), the user's chosen citation language, the style's
``default-locale``, and ``en-US`` (Zotero's default, so output matches it out of the box).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Final

from .assets import locales_dir
from .errors import CitationError

_LOCALE_FILE_RE: Final = re.compile(r"^locales-([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.xml$")


class LocaleNotFound(CitationError):
    """No locale file for this language tag."""


@cache
def all_locales() -> dict[str, str]:
    """Every installed locale, tag (``en-US``) -> XML text. Read once per process (~1.6 MB).

    The engine is given all of them: citeproc-js asks for locales while it builds (the style's
    default, ``en-US``, any language a style's own ``<locale>`` blocks name), and it cannot
    wait for Python to fetch one, so a missing locale would silently fall back to English.
    """
    found: dict[str, str] = {}
    for path in sorted(locales_dir().iterdir()):
        match = _LOCALE_FILE_RE.match(path.name)
        if match:
            found[match.group(1)] = path.read_text("utf-8")
    return found


@cache
def locale_tags() -> frozenset[str]:
    """Installed locale tags, from the file names alone (cheap enough for the UI thread)."""
    return frozenset(m.group(1) for p in locales_dir().iterdir()
                     if (m := _LOCALE_FILE_RE.match(p.name)))


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(tag -> English name, base language -> primary dialect) from locales.json."""
    path = locales_dir() / "locales.json"
    data = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    names = {k: v[-1] if isinstance(v, list) and v else str(v)
             for k, v in data.get("language-names", {}).items()}
    return names, dict(data.get("primary-dialects", {}))


def normalise_locale(tag: str) -> str:
    """``en_gb`` / ``en-GB`` -> ``en-GB``; ``de`` -> ``de-DE``. Raises LocaleNotFound."""
    text = tag.strip().replace("_", "-")
    available = locale_tags()
    by_lower = {t.lower(): t for t in available}
    if text.lower() in by_lower:
        return by_lower[text.lower()]
    primary = _index()[1].get(text.lower())
    if primary and primary in available:
        return primary
    shown = ", ".join(sorted(available)[:12])
    raise LocaleNotFound(f"There is no citation language “{tag}”. Use a tag such as en-US, "
                         f"en-GB or de-DE (installed: {shown}, …).")


def locale_names() -> dict[str, str]:
    """Installed tags with their English names, e.g. ``en-GB`` -> ``English (UK)``."""
    names = _index()[0]
    return {tag: names.get(tag, tag) for tag in sorted(locale_tags())}

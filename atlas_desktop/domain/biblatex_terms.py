"""biblatex's localisation keys and language names, in English, for citing BibTeX files.

A ``.bib`` file says ``type = {mathesis}`` or ``pubstate = {forthcoming}`` and biblatex prints
its own words for them; a citation prints the same words (the terms are biblatex's English
ones, from its ``english.lbx``). Babel language names (``langid = {ngerman}``) become the
IETF tags CSL uses.
"""

from __future__ import annotations

from typing import Final

#: biblatex key -> its English words (the long form biblatex prints).
TERMS: Final = {
    "bathesis": "Bachelor's thesis", "mathesis": "Master's thesis", "phdthesis": "PhD thesis",
    "candthesis": "Candidate thesis", "resreport": "research report",
    "techreport": "technical report", "software": "computer software", "datacd": "CD-ROM",
    "audiocd": "audio CD", "version": "version", "newseries": "new series",
    "oldseries": "old series", "jourser": "series", "inpreparation": "in preparation",
    "submitted": "submitted", "forthcoming": "forthcoming", "inpress": "in press",
    "prepublished": "pre-published", "patent": "patent", "patentde": "German patent",
    "patenteu": "European patent", "patentfr": "French patent", "patentuk": "British patent",
    "patentus": "U.S. patent", "patreq": "patent request", "patreqde": "German patent request",
    "patreqeu": "European patent request", "patreqfr": "French patent request",
    "patrequk": "British patent request", "patrequs": "U.S. patent request",
    "countryde": "Germany", "countryeu": "European Union", "countryep": "European Union",
    "countryfr": "France", "countryuk": "United Kingdom",
    "countryus": "United States of America", "volume": "volume", "volumes": "volumes",
    "edition": "edition", "reprint": "reprint", "commentary": "commentary",
    "annotations": "annotations", "introduction": "introduction", "foreword": "foreword",
    "afterword": "afterword", "nodate": "no date", "idem": "idem", "circa": "circa",
}

#: Babel's language names (langid, hyphenation) -> IETF tags.
LANGUAGES: Final = {
    "american": "en-US", "english": "en-US", "usenglish": "en-US", "british": "en-GB",
    "ukenglish": "en-GB", "canadian": "en-CA", "australian": "en-AU",
    "newzealand": "en-NZ", "german": "de-DE", "ngerman": "de-DE", "austrian": "de-AT",
    "naustrian": "de-AT", "swissgerman": "de-CH", "nswissgerman": "de-CH", "french": "fr-FR",
    "italian": "it-IT", "spanish": "es-ES", "portuguese": "pt-PT", "brazilian": "pt-BR",
    "dutch": "nl-NL", "danish": "da-DK", "norsk": "nb-NO", "nynorsk": "nn-NO",
    "swedish": "sv-SE", "finnish": "fi-FI", "icelandic": "is-IS", "polish": "pl-PL",
    "czech": "cs-CZ", "slovak": "sk-SK", "slovene": "sl-SI", "croatian": "hr-HR",
    "russian": "ru-RU", "ukrainian": "uk-UA", "bulgarian": "bg-BG", "greek": "el-GR",
    "turkish": "tr-TR", "magyar": "hu-HU", "hungarian": "hu-HU", "latin": "la",
    "catalan": "ca-AD", "galician": "gl-ES", "estonian": "et-EE", "latvian": "lv-LV",
    "lithuanian": "lt-LT", "japanese": "ja-JP", "chinese": "zh-CN", "hebrew": "he-IL",
}


def term(key: str) -> str:
    """biblatex's English words for ``key``, or ``key`` itself when it is not one."""
    return TERMS.get(key.strip().lower(), key)


def language_tag(name: str) -> str | None:
    """The IETF tag of a babel language name (or of a tag given as one), else None."""
    text = name.strip().lower()
    if text in LANGUAGES:
        return LANGUAGES[text]
    if 2 <= len(text.split("-")[0]) <= 3 and text.replace("-", "").isalpha():
        return name.strip()  # already a tag ("en-GB", "de")
    return None


def is_english(tag: str | None) -> bool:
    return tag is None or tag.lower().startswith("en")


_ORDINAL_ENDINGS: Final = {1: "st", 2: "nd", 3: "rd"}


def ordinal(number: str) -> str:
    """``3`` -> ``3rd`` (English)."""
    value = int(number)
    ending = "th" if 11 <= value % 100 <= 13 else _ORDINAL_ENDINGS.get(value % 10, "th")
    return f"{number}{ending}"

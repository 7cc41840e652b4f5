"""The compact layout: ``authors · journal · year · DOI``, then three prose paragraphs
(summary, why it matters, what it does not prove); the citation parts follow
(:mod:`.citation`)."""

from __future__ import annotations

import re
from typing import Any, Final

from ..vocabulary import classify_badges, looks_like_badge_line, split_chips, vocabulary
from .common import FURNITURE_RE, HEADINGS, header_parts

_DOES_NOT_PROVE_RE: Final = re.compile(
    r"\b(?:does|do|did)\s+not\s+(?:prove|establish|demonstrate|show|mean|confirm)\b"
    r"|\bcannot\s+(?:prove|establish|tell)\b",
    re.IGNORECASE,
)


def parse_compact(lines: list[str], warnings: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    content = [line for line in lines if line]
    header_index = next(i for i, line in enumerate(content) if header_parts(line))
    values.update(header_parts(content[header_index]) or {})
    if header_index > 0:
        preamble = content[:header_index]
        chips = split_chips(preamble[0], vocabulary().badge_labels)
        if looks_like_badge_line(chips):
            values["badges"], _ = classify_badges(chips)
            preamble = preamble[1:]
        if preamble:
            values["title"] = " ".join(preamble)

    paragraphs: list[str] = []
    for line in content[header_index + 1 :]:
        if FURNITURE_RE.match(line) or line.lower().rstrip(":") in HEADINGS:
            break
        paragraphs.append(line)

    caveat_index = next(
        (i for i, p in enumerate(paragraphs) if _DOES_NOT_PROVE_RE.search(_first_sentence(p))),
        None,
    )
    if caveat_index is not None:
        values["does_not_prove"] = paragraphs.pop(caveat_index)
    if paragraphs:
        values["summary"] = paragraphs[0]
    if len(paragraphs) > 1:
        values["why_it_matters"] = "\n\n".join(paragraphs[1:])
    if not paragraphs and caveat_index is None:
        warnings.append("The page has no summary paragraphs.")
    return values


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]

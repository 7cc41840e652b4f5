"""The blog layout: the paper's abstract, then one line with the title and the authors with
their degrees (``Title  Eleanor Stein MD, FRCP(C), …``)."""

from __future__ import annotations

import re
from typing import Any

from ..names import looks_like_person_list, parse_names_with_degrees
from .common import FURNITURE_RE


def find_blog_byline(lines: list[str]) -> int | None:
    """Index of the ``Title  Given Family MD, …`` line of a blog post, or None."""
    for i, line in enumerate(lines):
        if "  " not in line or FURNITURE_RE.match(line):
            continue
        title, _, people = line.partition("  ")
        if len(title.split()) >= 3 and looks_like_person_list(people.strip()):
            return i
    return None


def parse_blog(lines: list[str], warnings: list[str]) -> dict[str, Any]:
    index = find_blog_byline(lines)
    assert index is not None
    title, _, people = lines[index].partition("  ")
    values: dict[str, Any] = {
        "title": title.strip(),
        "authors": parse_names_with_degrees(people.strip()),
    }
    abstract = "\n".join(lines[:index]).strip()
    abstract = re.sub(r"\n{3,}", "\n\n", abstract)
    if abstract:
        values["abstract"] = abstract
    warnings.append(
        "Blog layout: the page carries the paper's abstract, not the atlas's plain-language "
        "sections; the abstract is kept as extra data."
    )
    return values

"""Dates as the atlas's pages write them (``7 April 2026``, ``April 7, 2026``, ISO)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Final

_MONTHS: Final = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}


def parse_human_date(text: str) -> date | None:
    """``7 April 2026``, ``April 7, 2026`` or ``2026-04-07`` -> a date; None if unreadable."""
    text = text.strip().rstrip(".")
    try:
        return datetime.strptime(text[:10], "%Y-%m-%d").date()
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", text)
    if m:
        day, month_name, year = int(m.group(1)), m.group(2).lower(), int(m.group(3))
    else:
        m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text)
        if not m:
            return None
        month_name, day, year = m.group(1).lower(), int(m.group(2)), int(m.group(3))
    month = _MONTHS.get(month_name)
    if month is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None

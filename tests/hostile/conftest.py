"""Shared pieces of the hostile-content and fault tests (issue 19): the fixtures' folder."""

from __future__ import annotations

from pathlib import Path

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"

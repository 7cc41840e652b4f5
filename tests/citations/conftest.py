"""Fixtures for the citation tests: the sample entries and real engines (built once per run)."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from atlas_desktop.citations import CiteprocEngine, resolve_style, shared_engines
from atlas_desktop.domain.contract import entry_from_contract
from atlas_desktop.domain.csl import entry_to_csl
from atlas_desktop.domain.entry import Entry


def sample_contracts() -> list[dict[str, Any]]:
    text = resources.files("atlas_desktop.data").joinpath("sample_library.json").read_text("utf-8")
    return list(json.loads(text)["entries"])


@pytest.fixture(scope="session")
def sample_entries() -> dict[str, Entry]:
    return {d["id"]: entry_from_contract(d) for d in sample_contracts()}


@pytest.fixture(scope="session")
def engine_for() -> Callable[..., CiteprocEngine]:
    """A real citeproc-js engine for a style spec, from the process-wide cache (each style is
    built once per test run; engines are closed at exit)."""

    def get(spec: str, locale: str | None = None) -> CiteprocEngine:
        return shared_engines().engine(resolve_style(spec), locale)

    return get


def render_one(engine: CiteprocEngine, entry: Entry, fmt: str = "text") -> tuple[str, str]:
    """(bibliography entry, in-text citation) of one entry on its own."""
    result = engine.render([entry_to_csl(entry)], formats=(fmt,), each=True)  # type: ignore[arg-type]
    assert not result.failures, result.failures
    return result.entries[fmt][entry.id], result.each[fmt][entry.id]

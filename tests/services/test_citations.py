"""CitationService on a real library file: preferences, unknown ids, seeds = sample library."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.citations import EngineCache, StyleNotFound
from atlas_desktop.citations.locales import LocaleNotFound
from atlas_desktop.domain.changes import ChangeNotice, Changes
from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.paths import LibraryPaths
from atlas_desktop.services import open_library
from atlas_desktop.services.citations import (
    DEFAULT_STYLE_SETTING,
    CitationService,
    UnknownEntries,
)

HEINS = "heins-2013-role-therapeutic"


def test_default_style_is_apa_and_a_choice_is_stored_in_the_library(library):
    service = library.citations
    assert service.default_style() == "apa"
    changes: list[ChangeNotice] = []
    library.subscribe(changes.append)
    info = service.set_default_style(style="Harvard")
    assert info.spec == "harvard"
    assert library.get_setting(DEFAULT_STYLE_SETTING) == "harvard"
    assert [c.kinds for c in changes] == [Changes.SETTINGS]


def test_an_unknown_default_style_is_refused_and_the_old_one_kept(library):
    with pytest.raises(StyleNotFound):
        library.citations.set_default_style(style="no-such-style")
    assert library.citations.default_style() == "apa"


def test_copy_uses_the_default_style(seeded_library):
    service = seeded_library.citations
    assert service.copy(entry_ids=[HEINS]).content.text.startswith("Heins, M. J., Knoop, H., &")
    service.set_default_style(style="vancouver")
    assert service.copy(entry_ids=[HEINS]).content.text.startswith("1. Heins MJ, Knoop H")


def test_unknown_ids_are_named_and_nothing_is_rendered(seeded_library):
    with pytest.raises(UnknownEntries, match="no-such-entry") as info:
        seeded_library.citations.copy(entry_ids=[HEINS, "no-such-entry"])
    assert info.value.missing == ("no-such-entry",)


def test_the_imported_seed_pages_cite_exactly_like_the_sample_library(seeded_library, tmp_path):
    """The atlas pages and the bundled sample are the same papers: same citations."""
    sample = open_library(LibraryPaths(tmp_path / "sample"))
    try:
        sample.add_sample_library()
        ids = ["heins-2013-role-therapeutic", "daniels-2011-socialization-model",
               "twisk-2009-review-cognitive", "stein-improving-therapeutic",
               "van-der-vaart-2019"]
        for style in ("apa", "vancouver", "ama", "harvard"):
            seeds = seeded_library.citations.copy(entry_ids=ids, style=style).content.text
            bundled = sample.citations.copy(entry_ids=ids, style=style).content.text
            assert seeds == bundled, style
    finally:
        sample.close()


def test_citation_language_is_a_preference(seeded_library):
    service = seeded_library.citations
    assert service.locale() is None
    assert service.set_locale(locale="en_gb") == "en-GB"
    text = service.copy(entry_ids=[HEINS], style="harvard").content.text
    assert "(2013) ‘The role" in text
    with pytest.raises(LocaleNotFound):
        service.set_locale(locale="klingon")
    assert service.locale() == "en-GB"
    service.set_locale(locale=None)
    assert "(2013) “The role" in service.copy(entry_ids=[HEINS], style="harvard").content.text


def import_bundle(library, tmp_path, entries) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"format": "atlas-bundle", "version": 1,
                                "generated_at": "2026-11-21T00:00:00Z", "entries": entries}))
    report = library.importer.import_files(paths=[path])
    assert report.committed and not report.errors


def test_an_entry_with_nothing_to_cite_is_left_out_with_a_reason(library, tmp_path):
    import_bundle(library, tmp_path, [{"id": "bare"}, {"id": "ok", "title": "Only a title"}])
    copy = library.citations.copy(entry_ids=["bare", "ok"], style="apa")
    assert copy.entry_ids == ("ok",)
    assert [f.entry_id for f in copy.failures] == ["bare"]
    assert "nothing to cite" in copy.failures[0].reason
    assert copy.content.text == "Only a title. (n.d.)."


def test_prefetch_builds_in_the_background_and_a_copy_then_finds_it_ready(library):
    engines = EngineCache()
    service = CitationService(library.ctx, engines)
    try:
        assert not service.is_ready(style="chicago")
        service.prefetch(style="chicago")
        # The copy waits for the build already under way instead of starting a second one.
        service.prepare(style="chicago")
        assert service.is_ready(style="chicago")
    finally:
        engines.close()
    assert not service.is_ready(style="chicago")


def test_exports_need_no_style_and_warn_only_about_data_gaps(seeded_library):
    copy = seeded_library.citations.copy(entry_ids=["van-der-vaart-2019"], kind=CopyKind.RIS,
                                         style="no-such-style")  # style ignored for RIS
    assert copy.content.text.startswith("TY  - JOUR")
    assert copy.content.html is None and copy.content.rtf is None
    assert any("first authors" in w for w in copy.warnings)
    assert not any("volume" in w for w in copy.warnings)

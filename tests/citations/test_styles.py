"""The style registry: short names, installed and dependent styles, the user's .csl files."""

from __future__ import annotations

import pytest

from atlas_desktop.citations import (
    StyleInvalid,
    StyleNotFound,
    offered_styles,
    resolve_style,
    search_styles,
)
from atlas_desktop.citations.locales import LocaleNotFound, normalise_locale
from atlas_desktop.citations.styles import installed_style_ids

CSL_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


def test_the_offered_short_names_resolve_to_the_official_styles():
    ids = {s.spec: s.style_id for s in offered_styles()}
    assert ids == {
        "apa": "apa",
        "vancouver": "nlm-citation-sequence",
        "ama": "american-medical-association",
        "harvard": "harvard-cite-them-right",
        "chicago": "chicago-author-date",
    }
    assert resolve_style("apa").info.title == "APA Style 7th edition"
    assert resolve_style("Vancouver").info.style_id == "nlm-citation-sequence"


def test_any_installed_style_resolves_by_id_or_by_its_url():
    assert resolve_style("nature").info.style_id == "nature"
    assert resolve_style("http://www.zotero.org/styles/apa").info.style_id == "apa"
    assert len(installed_style_ids()) > 5000


def test_a_dependent_style_resolves_to_its_independent_parent():
    source = resolve_style("vancouver-nlm")
    assert source.info.parent_id == "nlm-citation-sequence"
    assert source.info.title == "Vancouver - NLM (citation-sequence)"
    assert "<citation" in source.xml  # the parent's XML, which can render
    assert source.cache_key == resolve_style("nlm-citation-sequence").cache_key + ":"


def test_a_dependent_styles_own_language_is_kept():
    source = resolve_style("aktuelle-dermatologie")  # a German journal's dependent style
    assert source.info.parent_id is not None
    assert source.locale == "de-DE"
    assert source.cache_key.endswith(":de-DE")


def test_an_unknown_style_is_refused_with_a_hint():
    with pytest.raises(StyleNotFound, match=r"no citation style called “vancover”.*vancouver"):
        resolve_style("vancover")
    with pytest.raises(StyleNotFound, match=r"no style file at \.\./\.\./etc/passwd-style"):
        resolve_style("../../etc/passwd-style")  # a path, never an id
    with pytest.raises(StyleNotFound):
        resolve_style("  ")


def test_a_users_independent_style_file_is_used(tmp_path):
    source = resolve_style("apa").xml.replace("<title>APA Style 7th edition</title>",
                                              "<title>My clinic's APA</title>")
    path = tmp_path / "clinic.csl"
    path.write_text(source, "utf-8")
    resolved = resolve_style(str(path))
    assert resolved.info.title == "My clinic's APA"
    assert resolved.info.path == str(path.resolve())
    assert resolved.cache_key.startswith("file:")


def test_a_users_dependent_style_file_uses_the_installed_parent(tmp_path):
    path = tmp_path / "journal.csl"
    path.write_text(
        CSL_HEAD + '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" '
        'default-locale="en-GB"><info><title>Journal of Clinic Letters</title>'
        '<id>http://example.org/styles/jcl</id>'
        '<link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>'
        "</info></style>", "utf-8")
    resolved = resolve_style(str(path))
    assert resolved.info.parent_id == "apa"
    assert resolved.locale == "en-GB"


@pytest.mark.parametrize(("content", "message"), [
    ("this is not xml at all", "not well-formed XML"),
    ("<html><body>a web page</body></html>", "not a CSL style.*<html>"),
    (CSL_HEAD + '<!DOCTYPE style [<!ENTITY a "aaaa">]><style/>', "DOCTYPE"),
    (CSL_HEAD + '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info>'
     "<title>Orphan</title></info></style>", "no <citation> element"),
    (CSL_HEAD + '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info>'
     '<title>Lost</title><link href="http://www.zotero.org/styles/no-such-parent" '
     'rel="independent-parent"/></info></style>', "depends on.*no-such-parent"),
])
def test_a_bad_style_file_is_refused_with_the_reason(tmp_path, content, message):
    path = tmp_path / "bad.csl"
    path.write_text(content, "utf-8")
    with pytest.raises(StyleInvalid, match=message):
        resolve_style(str(path))


def test_a_binary_or_missing_style_file_is_refused(tmp_path):
    path = tmp_path / "binary.csl"
    path.write_bytes(b"\xff\xfe\x00\x00garbage\x89PNG")
    with pytest.raises(StyleInvalid, match="not a text file in UTF-8"):
        resolve_style(str(path))
    with pytest.raises(StyleNotFound, match="no style file"):
        resolve_style(str(tmp_path / "missing.csl"))
    with pytest.raises(StyleNotFound, match="folder"):
        resolve_style(str(tmp_path) + "/")


def test_styles_are_found_by_words_of_their_title():
    found = {s.style_id for s in search_styles("cite them right")}
    assert "harvard-cite-them-right" in found
    assert all("cite" in f"{s.style_id} {s.title}".lower() for s in search_styles("cite"))


def test_locale_tags_are_normalised_or_refused():
    assert normalise_locale("en_gb") == "en-GB"
    assert normalise_locale("de") == "de-DE"
    assert normalise_locale("EN-us") == "en-US"
    with pytest.raises(LocaleNotFound, match="no citation language “xx-YY”"):
        normalise_locale("xx-YY")

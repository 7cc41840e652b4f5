"""The citeproc-js engine on V8: real libraries, broken items, hostile text, threads."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from atlas_desktop.citations import (
    CiteprocEngine,
    EngineCache,
    EngineUnavailable,
    RenderFailed,
    StyleInvalid,
    resolve_style,
)
from atlas_desktop.citations.assets import CITEPROC_JS_ENV, citeproc_js_path
from atlas_desktop.citations.engine import engine_reason
from atlas_desktop.domain.csl import entry_to_csl
from tests.citations.conftest import render_one

DATA = Path(__file__).resolve().parents[1] / "data" / "csljson"


def load_items(name: str) -> list[dict]:
    items = json.loads((DATA / name).read_text("utf-8"))
    for i, item in enumerate(items):
        item["id"] = str(item.get("id", i))
    return items


def test_real_zotero_library_renders_completely_in_every_offered_style(engine_for):
    items = load_items("bbt-zotero-library-1179.csl.json")
    assert len(items) == 26
    for style in ("apa", "vancouver", "ama", "harvard", "chicago"):
        result = engine_for(style).render(items, formats=("text", "html", "rtf"))
        assert result.failures == (), style
        assert sorted(result.order) == sorted(i["id"] for i in items), style
        assert all(result.entries["text"][i].strip() for i in result.order), style


def test_same_author_same_year_gets_year_suffixes_and_page_ranges_stay_whole(engine_for):
    """Two 2019 items by TIME USA must read 2019a/2019b; pages 1-17 must not become 1–7."""
    items = load_items("bbt-zotero-library-1179.csl.json")
    result = engine_for("apa").render(items, formats=("text",), each=True)
    texts = result.entries["text"]
    time_items = [texts[i] for i in result.order if texts[i].startswith("TIME USA")]
    assert [t[:17] for t in time_items] == ["TIME USA. (2019a)", "TIME USA. (2019b)"]
    assert sorted(c for c in result.each["text"].values() if "TIME USA" in c) == [
        "(TIME USA, 2019a)", "(TIME USA, 2019b)"]
    assert any("(pp. 1–17)" in t for t in texts.values())
    assert any("429–452" in t for t in texts.values())


def test_an_item_that_breaks_the_engine_leaves_the_others_rendered(engine_for):
    """Two items carry a malformed date range that makes citeproc-js throw for a whole
    batch: they are named with the engine's reason, the other 13 are rendered together."""
    items = load_items("bbt-dates-360-811.csl.json")
    result = engine_for("apa").render(items, formats=("text", "html"))
    failed = {f.entry_id: f.reason for f in result.failures}
    assert set(failed) == {"t1", "t3"}
    assert all("date range" in reason for reason in failed.values())
    assert len(result.order) == len(items) - 2
    assert set(result.order) == {i["id"] for i in items} - {"t1", "t3"}
    assert set(result.entries["html"]) == set(result.order)


def test_the_engine_still_works_after_an_item_failed(engine_for, sample_entries):
    engine = engine_for("apa")
    engine.render(load_items("bbt-dates-360-811.csl.json")[:2], formats=("text",))
    after = engine.render([entry_to_csl(sample_entries["heins-2013-role-therapeutic"])],
                          formats=("text",))
    assert after.failures == ()
    assert after.entries["text"]["heins-2013-role-therapeutic"].startswith("Heins, M. J.")


TITLE_ONLY_STYLE = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
    "<info><title>Titles only</title><id>titles-only</id></info>"
    '<citation><layout><text variable="title"/></layout></citation>'
    '<bibliography><layout><text variable="title"/></layout></bibliography></style>'
)


@pytest.fixture
def title_only_engine(tmp_path):
    path = tmp_path / "titles-only.csl"
    path.write_text(TITLE_ONLY_STYLE, "utf-8")
    engine = CiteprocEngine(resolve_style(str(path)))
    yield engine
    engine.close()


def test_an_item_the_style_prints_as_nothing_is_reported_not_pasted(title_only_engine):
    """citeproc-js would paste "[CSL STYLE ERROR: reference with no printed form.]"."""
    items = [{"id": "untitled", "type": "book"}, {"id": "b", "type": "book", "title": "Bee"},
             {"id": "c", "type": "book", "title": "Sea"}]
    result = title_only_engine.render(items, formats=("text", "html"), cluster=True)
    assert [f.entry_id for f in result.failures] == ["untitled"]
    assert "prints nothing" in result.failures[0].reason
    assert result.order == ("b", "c")
    assert result.entries["text"] == {"b": "Bee", "c": "Sea"}
    assert "ERROR" not in result.cluster["text"]
    assert result.cluster["text"] == "BeeSea"


def test_hostile_markup_in_data_is_escaped_in_html_and_kept_as_text(engine_for):
    item = {
        "id": "h", "type": "article-journal",
        "title": '<script>alert(1)</script> & <img src=x onerror=alert(1)> in <i>Homo sapiens</i>',
        "author": [{"family": "O'Brien <b>", "given": "Zoë"}],
        "container-title": "J <Test> & Co", "issued": {"date-parts": [[2020]]},
        "DOI": '10.1000/x"onmouseover=alert(1)',
    }
    result = engine_for("apa").render([item], formats=("text", "html"))
    html = result.entries["html"]["h"]
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&#60;script&#62;" in html
    assert "<i>Homo sapiens</i>" in html  # CSL's own rich-text markup is honoured
    assert 'href="https://doi.org/10.1000/x&#34;onmouseover=alert(1)"' in html
    assert "<script>alert(1)</script>" in result.entries["text"]["h"]


def test_one_engine_serves_several_threads(engine_for, sample_entries):
    engine = engine_for("apa")
    items = [entry_to_csl(e) for e in sample_entries.values()]
    expected = engine.render(items, formats=("text",)).entries["text"]
    results: list[dict[str, str]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                results.append(engine.render(items, formats=("text",)).entries["text"])
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 20
    assert all(r == expected for r in results)


def test_a_dependent_style_renders_with_its_parent(engine_for, sample_entries):
    twisk = sample_entries["twisk-2009-review-cognitive"]
    dependent = render_one(engine_for("vancouver-nlm"), twisk)
    parent = render_one(engine_for("nlm-citation-sequence"), twisk)
    assert dependent == parent


def test_a_runaway_render_is_stopped_and_the_engine_replaced():
    cache = EngineCache()
    try:
        engine = cache.engine(resolve_style("apa"))
        engine.render_timeout_s = 0.000_001
        items = load_items("bbt-zotero-library-1179.csl.json")
        with pytest.raises(RenderFailed, match="took too long"):
            engine.render(items, formats=("text", "html", "rtf"))
        assert engine.closed
        fresh = cache.engine(resolve_style("apa"))
        assert fresh is not engine
        assert fresh.render(items[:2], formats=("text",)).failures == ()
    finally:
        cache.close()


def test_engine_errors_are_reduced_to_their_reason():
    raw = ("<anonymous>:68: citeproc-js error: CSL data error: element mismatch in date "
           "range input.\n            throw \"citeproc-js error: \" + str;\n")
    assert engine_reason(RuntimeError(raw)) == "element mismatch in date range input."


def test_missing_engine_file_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv(CITEPROC_JS_ENV, str(tmp_path / "nowhere.js"))
    real = citeproc_js_path()  # the env path is missing, so the checkout's copy is used
    assert real.name == "citeproc_commonjs.js"
    monkeypatch.setattr("atlas_desktop.citations.assets._REPO_ROOT", tmp_path)
    with pytest.raises(EngineUnavailable, match="make install"):
        citeproc_js_path()


def test_the_environment_override_is_used_first(monkeypatch, tmp_path):
    copy = tmp_path / "citeproc_commonjs.js"
    copy.write_text(citeproc_js_path().read_text("utf-8"), "utf-8")
    monkeypatch.setenv(CITEPROC_JS_ENV, str(copy))
    assert citeproc_js_path() == copy


def test_a_style_the_engine_rejects_is_reported_with_the_reason(tmp_path):
    path = tmp_path / "broken.csl"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
        "<info><title>Broken</title><id>broken</id></info>"
        '<citation><layout><bogus/></layout></citation></style>',
        "utf-8",
    )
    with pytest.raises(StyleInvalid, match=r"Broken.*could not be loaded.*bogus"):
        CiteprocEngine(resolve_style(str(path)))

"""The HTML and RTF documents of a copy, read back with real readers."""

from __future__ import annotations

import pytest

from atlas_desktop.citations import compose, resolve_style, shared_engines
from atlas_desktop.citations.documents import rtf_escape
from atlas_desktop.domain.citation import CopyKind
from tests.citations.readers import html_tags, read_html, read_rtf

IDS = ["heins-2013-role-therapeutic", "twisk-2009-review-cognitive",
       "daniels-2011-socialization-model"]


def copy_of(sample_entries, style: str, kind: CopyKind = CopyKind.BIBLIOGRAPHY, ids=IDS):
    return compose([sample_entries[i] for i in ids], kind=kind, source=resolve_style(style),
                   engines=shared_engines())


def test_apa_html_keeps_text_italics_and_a_hanging_indent(sample_entries):
    copy = copy_of(sample_entries, "apa")
    paragraphs = read_html(copy.content.html)
    assert [p.text for p in paragraphs] == copy.content.text.split("\n")
    assert [p.italics for p in paragraphs] == [
        ["Behavioural and Cognitive Psychotherapy"], ["Behaviour Research and Therapy"],
        ["Neuro Endocrinology Letters"]]
    for para in paragraphs:
        assert "margin-left:48px" in para.style and "text-indent:-48px" in para.style
        assert "line-height:200%" in para.style  # APA is double-spaced
    assert paragraphs[0].links == ["https://doi.org/10.1017/S1352465810000792"]


def test_html_uses_only_inline_styles_that_word_keeps(sample_entries):
    for style in ("apa", "vancouver", "ama"):
        html = copy_of(sample_entries, style).content.html
        assert "float" not in html and "<style" not in html and "display:" not in html
        assert html.startswith('<meta http-equiv="content-type" content="text/html; '
                               'charset=utf-8">')
        classes = [a.get("class") for _, a in html_tags(html) if a.get("class")]
        assert classes == ["csl-bib-body"]  # a marker only; nothing depends on a stylesheet


def test_numbered_styles_keep_their_numbers_inline_in_html_and_rtf(sample_entries):
    copy = copy_of(sample_entries, "vancouver")
    paragraphs = read_html(copy.content.html)
    assert [p.text[:3] for p in paragraphs] == ["1. ", "2. ", "3. "]
    assert all("text-indent:-28px" in p.style for p in paragraphs)
    rtf_paragraphs = read_rtf(copy.content.rtf)
    assert [p.text for p in rtf_paragraphs] == [p.text for p in paragraphs]
    assert "\\tx420" in copy.content.rtf and "1.\\tab " in copy.content.rtf  # 28 px


def test_rtf_keeps_text_and_italics_when_read_by_a_real_rtf_reader(sample_entries):
    copy = copy_of(sample_entries, "apa")
    assert copy.content.rtf.startswith("{\\rtf1\\ansi")
    paragraphs = read_rtf(copy.content.rtf)
    assert [p.text for p in paragraphs] == copy.content.text.split("\n")
    assert [p.italics for p in paragraphs] == [
        ["Behavioural and Cognitive Psychotherapy"], ["Behaviour Research and Therapy"],
        ["Neuro Endocrinology Letters"]]
    assert "\\li720\\fi-720" in copy.content.rtf  # the hanging indent


def test_chicago_quotes_and_non_ascii_survive_rtf(sample_entries):
    copy = copy_of(sample_entries, "chicago", ids=IDS[:1])
    (paragraph,) = read_rtf(copy.content.rtf)
    assert paragraph.text == copy.content.text
    assert "“The Role of the Therapeutic Relationship" in paragraph.text


@pytest.mark.parametrize("text", ["Åberg & Ødegård {braces} \\back", "tab\there", "𝔘nicode"])
def test_our_own_rtf_escaping_reads_back_as_the_same_text(text):
    (paragraph,) = read_rtf("{\\rtf1\\ansi\\uc0 " + rtf_escape(text) + "\\par}")
    expected = text.replace("\t", " ")
    if text.startswith("𝔘"):
        # pandoc reads the surrogate pair as two characters; Word joins them. Check the
        # escape itself: signed 16-bit units, as the RTF specification asks.
        assert rtf_escape(text).startswith("\\u-10187{}\\u-8936{}")
        return
    assert paragraph.text == expected


def test_in_text_citation_is_a_run_of_text_not_a_paragraph(sample_entries):
    copy = copy_of(sample_entries, "apa", CopyKind.IN_TEXT)
    assert copy.content.text == ("(Daniels & Wearden, 2011; Heins et al., 2013; "
                                 "Twisk & Maes, 2009)")
    assert "<p" not in copy.content.html and "\\par" not in copy.content.rtf
    assert read_html(copy.content.html)[0].text == copy.content.text
    assert read_rtf(copy.content.rtf)[0].text == copy.content.text

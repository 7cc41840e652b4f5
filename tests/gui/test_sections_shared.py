"""The command line's ``show`` and the window's detail pane lay an entry out from one list of
sections (``ENTRY_SECTIONS``): the same sections, in the same order, with the same headings."""

from __future__ import annotations

import re
from types import MappingProxyType

from atlas_desktop.cli.entry_text import entry_text
from atlas_desktop.domain.annotations import UserData
from atlas_desktop.domain.entry import ENTRY_SECTIONS, Entry
from atlas_desktop.formats.atlas_page import parse_atlas_page
from atlas_desktop.gui.panes.detail_html import render_entry
from tests.conftest import seed_files

HEADINGS = {heading for _, heading in ENTRY_SECTIONS}


def html_sections(html: str) -> list[str]:
    found = re.findall(r"<h3>([^<]*)</h3>|<b>([^<]*)</b>", html)
    return [a or b for a, b in found if (a or b) in HEADINGS]


def text_sections(text: str) -> list[str]:
    upper = {heading.upper(): heading for heading in HEADINGS}
    return [upper[line] for line in text.splitlines() if line in upper]


def every_section_entry() -> Entry:
    twisk = parse_atlas_page(seed_files()[2].read_text("utf-8")).entry
    return twisk.with_changes(
        remaining_questions=("Does it hold for the severely ill?",),
        extra=MappingProxyType({"abstract": "First paragraph.\n\nSecond paragraph."}))


def test_both_faces_show_every_section_in_the_one_order():
    entry = every_section_entry()
    expected = [heading for _, heading in ENTRY_SECTIONS]
    assert [heading for _, heading, _ in entry.sections()] == expected
    assert html_sections(render_entry(entry)) == expected
    assert text_sections(entry_text(entry, UserData(entry.id))) == expected


def test_both_faces_leave_out_the_same_empty_sections():
    for page in seed_files():
        entry = parse_atlas_page(page.read_text("utf-8")).entry
        shown = [heading for _, heading, _ in entry.sections()]
        assert html_sections(render_entry(entry)) == shown, page.name
        assert text_sections(entry_text(entry, UserData(entry.id))) == shown, page.name


def test_the_command_line_keeps_paragraphs_and_points_apart():
    text = entry_text(every_section_entry(), UserData("twisk-2009-review-cognitive"))
    assert "ABSTRACT\nFirst paragraph.\n\nSecond paragraph.\n" in text
    assert "REMAINING QUESTIONS\n- Does it hold for the severely ill?" in text

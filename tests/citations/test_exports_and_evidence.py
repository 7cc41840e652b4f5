"""BibTeX, RIS and CSL-JSON of entries (the file export's writers, which the Copy menu uses
too); the snapshot reference; "copy with evidence"."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from types import MappingProxyType

import bibtexparser
from pylatexenc.latex2text import LatexNodes2Text

from atlas_desktop.citations import compose, resolve_style, shared_engines
from atlas_desktop.citations.evidence import snapshot_action_label, snapshot_reference
from atlas_desktop.domain.citation import CopyKind
from atlas_desktop.domain.entry import Author, Entry, Origin, Snapshot
from atlas_desktop.formats.bibtex_writer import write_bibtex
from atlas_desktop.formats.csljson import write_csl_json
from atlas_desktop.formats.latex import decode_latex
from atlas_desktop.formats.ris_writer import write_ris
from tests.citations.readers import read_html, read_rtf

HEINS = "heins-2013-role-therapeutic"


def _written(writer, entries) -> str:
    out = io.StringIO()
    writer(out, entries)
    return out.getvalue()


def bibtex(entries) -> str:
    return _written(write_bibtex, entries)


def ris(entries) -> str:
    return _written(write_ris, entries)


def csl_json(entries) -> str:
    return _written(write_csl_json, entries)

TWISK = "twisk-2009-review-cognitive"


def test_bibtex_parses_with_a_real_bibtex_reader(sample_entries):
    text = bibtex([sample_entries[HEINS], sample_entries["van-der-vaart-2019"]])
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    heins, vaart = library.entries
    assert heins.key == "mecfsatlas-heins-2013-role-therapeutic"
    assert heins.entry_type == "article"
    fields = {k: f.value for k, f in heins.fields_dict.items()}
    assert fields == {
        "author": "Heins, Marianne J and Knoop, Hans and Bleijenberg, Gijs",
        "title": "The role of the therapeutic relationship in cognitive behaviour therapy "
                 "for chronic fatigue syndrome.",
        "journal": "Behaviour research and therapy",
        "year": "2013",
        "doi": "10.1016/j.brat.2013.02.001",
        "note": "PubMed: 23639303",
        # As the atlas's own BibTeX block on its pages (the RIS link is the paper's DOI).
        "url": "https://www.mecfsatlas.com/evidence/heins-2013-role-therapeutic",
    }
    assert vaart.key == "mecfsatlas-van-der-vaart-2019"
    assert vaart.fields_dict["author"].value.startswith("van der Vaart, Rosalie and")


def test_bibtex_escapes_latex_special_characters():
    entry = Entry(id="odd", title="50% of #1 & $2 cases_x {ok}", authors=(
        Author("ME Association"), Author("Ødegård", "Åse")), journal="J", year=2020,
        extra=MappingProxyType({"pages": "10-20", "volume": "3"}))
    library = bibtexparser.parse_string(bibtex([entry]))
    assert library.failed_blocks == []
    fields = {k: f.value for k, f in library.entries[0].fields_dict.items()}
    # Literal braces are written as \textbraceleft{}/\textbraceright{}: BibTeX counts an
    # escaped brace as a brace, so ``\{`` could end the field for it.
    assert decode_latex(fields["title"]) == "50% of #1 & $2 cases_x {ok}"
    assert LatexNodes2Text().latex_to_text(fields["title"]) == "50% of #1 & $2 cases_x ok"
    assert "\\{" not in fields["title"]  # BibTeX counts an escaped brace as a brace
    assert fields["author"] == "{ME Association} and Ødegård, Åse"
    assert fields["pages"] == "10--20"
    assert fields["volume"] == "3"


def test_ris_has_one_tag_per_line_and_ends_each_record(sample_entries):
    entry = sample_entries[HEINS].with_changes(
        extra=MappingProxyType({"volume": "51", "issue": "6", "pages": "289–295"}),
        title="A title\nover two lines.")
    lines = ris([entry]).rstrip("\n").splitlines()
    assert lines[0] == "TY  - JOUR"
    assert lines[-1] == "ER  - "
    assert all(len(line) >= 6 and line[2:6] == "  - " for line in lines)
    tags = [line[:2] for line in lines]
    assert tags.count("AU") == 3
    assert "TI  - A title over two lines." in lines
    assert {"VL  - 51", "IS  - 6", "SP  - 289", "EP  - 295", "DO  - 10.1016/j.brat.2013.02.001",
            "AN  - 23639303", "T2  - Behaviour research and therapy"} <= set(lines)


def test_csl_json_round_trips_through_the_engine(sample_entries, engine_for):
    items = json.loads(csl_json([sample_entries[HEINS], sample_entries[TWISK]]))
    assert [i["id"] for i in items] == [HEINS, TWISK]
    result = engine_for("apa").render(items, formats=("text",))
    assert result.entries["text"][HEINS].startswith("Heins, M. J., Knoop, H., & Bleijenberg")


def test_snapshot_reference_cites_the_atlas_reading_with_its_date(sample_entries):
    entry = sample_entries[HEINS]
    assert snapshot_action_label(entry) == (
        "Cite the atlas's reading of this paper on 2026-05-26")
    ref = snapshot_reference(entry)
    assert ref is not None
    assert ref.text == (
        "ME/CFS Atlas. Atlas reading of “The role of the therapeutic relationship in cognitive "
        "behaviour therapy for chronic fatigue syndrome” (Heins et al., 2013). Generator v1 / "
        "Scanner v1.4 / policy v0.1. Accessed 2026-05-26. "
        "https://www.mecfsatlas.com/evidence/heins-2013-role-therapeutic")
    assert read_html(ref.html)[0].links == [
        "https://www.mecfsatlas.com/evidence/heins-2013-role-therapeutic"]


def test_snapshot_reference_falls_back_to_the_update_date_or_is_absent(sample_entries):
    twisk = sample_entries[TWISK]  # no snapshot, last updated 2026-04-07
    assert snapshot_action_label(twisk).endswith("on 2026-04-07")
    ref = snapshot_reference(twisk)
    assert ref is not None and "Last updated 2026-04-07." in ref.text
    stein = sample_entries["stein-improving-therapeutic"]
    assert snapshot_reference(stein) is None
    assert snapshot_action_label(stein).endswith("(no date recorded)")


def test_a_users_own_reference_never_gets_an_atlas_url():
    mine = Entry(id="mine", title="T", origin=Origin.MINE, url="https://example.org/paper",
                 snapshot=Snapshot(accessed=date(2026, 1, 2)))
    ref = snapshot_reference(mine)
    assert ref is not None and "example.org" not in ref.text


def test_copy_with_evidence_carries_badges_caveat_and_snapshot(sample_entries):
    # As the atlas's own entry (the sample library's text is ours, so it cites no reading).
    twisk_entry = replace(sample_entries[TWISK], extra=MappingProxyType({}))
    copy = compose([twisk_entry, sample_entries[HEINS]],
                   kind=CopyKind.WITH_EVIDENCE, source=resolve_style("apa"),
                   engines=shared_engines())
    blocks = copy.content.text.split("\n\n")
    assert [b.split(",")[0] for b in blocks] == ["Heins", "Twisk"]  # the style's order
    twisk = blocks[1].split("\n")
    assert twisk[0].startswith("Twisk, F. N. M., & Maes, M. (2009).")
    # Each badge with the plain words the window's tooltip gives it (issue 18 item 7).
    assert twisk[1].startswith("Atlas badges: Evidence tier E0 Consensus: where the atlas "
                               "places this type of study on its evidence scale")
    assert "PEM required: post-exertional malaise was a required criterion" in twisk[1]
    assert "Peer-reviewed: published after review by independent experts." in twisk[1]
    assert twisk[2].startswith("What this study does not prove: [Sample text] As a review")
    assert twisk[3].startswith("Atlas reading cited: ME/CFS Atlas. Atlas reading of “A review")
    assert not any(line.startswith("Atlas reading cited") for line in blocks[0].split("\n"))
    for reader in (read_html, read_rtf):
        paragraphs = reader(copy.content.html if reader is read_html else copy.content.rtf)
        texts = [p.text for p in paragraphs]
        assert texts == [line for block in blocks for line in block.split("\n")]
        assert "Neuro Endocrinology Letters" in paragraphs[3].italics
        assert "What this study does not prove:" in paragraphs[5].italics

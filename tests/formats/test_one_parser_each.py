"""One parser of each kind: the BibTeX block of an atlas page is read by the same reader, name
parser and LaTeX decoder as a .bib file, so both give the same people and text."""

from __future__ import annotations

from atlas_desktop.domain.entry import Author
from atlas_desktop.formats.atlas_page import parse_atlas_page
from atlas_desktop.formats.bibtex import parse_bibtex
from atlas_desktop.formats.bibtex_fields import entry_to_reference


def block(authors: str, key: str = "okafor-2020-pacing") -> str:
    opening = f"@article{{{key}," if key else "@article{"  # EndNote writes keyless entries
    return (f"{opening}\n"
            f"  author = {{{authors}}},\n"
            "  title = {Pacing and {ME/CFS}: a caf{\\'e} study},\n"
            "  journal = {Journal of Tests},\n"
            "  year = {2020},\n"
            "  note = {PubMed: 12345678},\n"
            "}")


def page(bibtex: str) -> str:
    """A compact page without a primary citation line: the block is where the full author
    list and the title come from."""
    return ("Okafor, Ada, Nokleby, Orjan et al. · Journal of Tests · 2020 · DOI\n"
            "A summary paragraph in our own words.\n"
            "BibTeX\n" + bibtex + "Atlas snapshot reference\n")


def test_an_author_list_ending_in_others_stays_truncated_on_a_page_and_in_a_bib_file():
    bibtex = block("Okafor, Ada and Nokleby, Orjan and others")
    entry = parse_atlas_page(page(bibtex)).entry
    assert entry.authors == (Author("Okafor", "Ada"), Author("Nokleby", "Orjan"))
    assert entry.authors_truncated
    [bib] = parse_bibtex(bibtex).entries
    reference, _ = entry_to_reference(bib)
    assert reference["authors_truncated"] is True
    assert [a["family"] for a in reference["authors"]] == ["Okafor", "Nokleby"]


def test_a_page_block_is_decoded_like_a_bib_file():
    bibtex = block("Okafor, Ada and N{\\o}kleby, {\\O}rjan and {World Health Organization}")
    parsed = parse_atlas_page(page(bibtex))
    [bib] = parse_bibtex(bibtex).entries
    reference, _ = entry_to_reference(bib)
    assert parsed.entry.authors == (Author("Okafor", "Ada"), Author("Nøkleby", "Ørjan"),
                                    Author("World Health Organization"))
    assert [(a.family, a.given) for a in parsed.entry.authors] == [
        (a["family"], a["given"]) for a in reference["authors"]]
    assert not parsed.entry.authors_truncated
    assert parsed.entry.title == reference["title"] == "Pacing and ME/CFS: a café study"
    assert parsed.entry.bibtex_key == "okafor-2020-pacing"
    assert parsed.entry.pmid == "12345678"


def test_a_page_block_without_a_key_is_still_read():
    entry = parse_atlas_page(page(block("Okafor, Ada and Nokleby, Orjan", key=""))).entry
    assert entry.pmid == "12345678"
    assert entry.bibtex_key is None  # a key made up by the reader is not the page's

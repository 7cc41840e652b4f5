"""The kind of a file comes from its content; the extension only breaks ties."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas_desktop.formats.detect import FileKind, read_head
from atlas_desktop.formats.registry import detect_kind
from atlas_desktop.formats.text import decode_bytes, looks_like_gbk
from tests.conftest import REFS, seed_files

EXPECTED = {"bib": FileKind.BIBTEX, "ris": FileKind.RIS, "csljson": FileKind.CSL_JSON}


def cases() -> list[tuple[Path, FileKind]]:
    out = []
    for path in sorted(REFS.rglob("*")):
        if path.suffix in (".bib", ".ris", ".json"):
            kind = EXPECTED[path.relative_to(REFS).parts[0]]
            out.append((path, FileKind.WOS if path.name == "example_wos.ris" else kind))
    return out


@pytest.mark.parametrize(("path", "kind"), cases(), ids=lambda v: getattr(v, "name", str(v)))
def test_real_files_are_recognised_by_content_even_when_renamed(path, kind):
    head = read_head(path)
    assert detect_kind(head, path.name) is kind
    if path.name != "common_strings.bib":  # only @string blocks: a .bib name is needed
        assert detect_kind(head, "renamed.txt") is kind


def test_atlas_pages_with_a_bibtex_block_stay_atlas_pages():
    for page in seed_files():
        assert detect_kind(read_head(page), page.name) is FileKind.ATLAS_PAGE


def test_reference_kinds_are_reference_files():
    assert {k for k in FileKind if k.is_reference_file} == {
        FileKind.BIBTEX, FileKind.RIS, FileKind.WOS, FileKind.CSL_JSON}


def test_gbk_is_recognised_and_western_8_bit_text_is_not_taken_for_it():
    gbk = (REFS / "bib/bibtexparser/gbk_test.bib").read_bytes()
    assert looks_like_gbk(gbk)
    western = "Müller, Ångström, café société, Gödel, naïve".encode("cp1252")
    assert not looks_like_gbk(western)
    decoded = decode_bytes(western)
    assert decoded.text.startswith("Müller") and decoded.encoding == "cp1252"
    assert "not valid UTF-8" in (decoded.warning or "")


def test_an_encoding_the_file_declares_is_used_and_reported():
    data = "@article{k, author = {Gödel, Kurt}}".encode("latin-1")
    decoded = decode_bytes(data, declared="ISO8859_1")
    assert "Gödel" in decoded.text
    assert "the encoding it declares" in (decoded.warning or "")

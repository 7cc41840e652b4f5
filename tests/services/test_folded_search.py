"""Names are found whichever way they are typed (issue 18.14): letters with accents and the
letters Unicode does not decompose (ø, ı, ł, æ, ß, đ) are folded for the index and the search
box alike."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain.folding import fold_for_search
from atlas_desktop.store import catalogue as cat

BIB = r"""@article{sorland2021,
  author = {Sørland, Kari and Aksın, Mehmet},
  title = {Orthostatic intolerance in young adults},
  journal = {Tidsskrift for Den norske legeforening},
  year = {2021}
}
@article{lukasiewicz2020,
  author = {Łukasiewicz, Anna and Straßer, Jens and Đorđević, Ana and Hünenberger, Pia},
  title = {Sleep diaries and the Ærø cohort},
  journal = {Journal of Sleep Notes},
  year = {2020}
}
@article{aksin-plain,
  author = {Aksin, Deniz},
  title = {Exercise testing written without the dotless i},
  year = {2019}
}
"""


@pytest.fixture
def folded_library(library, tmp_path):
    path = tmp_path / "names.bib"
    path.write_text(BIB, encoding="utf-8")
    assert library.importer.import_files(paths=[path]).committed
    return library


def found(library, text):
    result = library.catalogue.search(text=text)
    return sorted(library.catalogue.ids_for_pks(pks=list(result.pks)))


@pytest.mark.parametrize(("query", "expected"), [
    ("author:sorland", ["my-sorland2021"]),
    ("author:Sørland", ["my-sorland2021"]),
    ("author:aksin", ["my-aksin-plain", "my-sorland2021"]),
    ("author:aksın", ["my-aksin-plain", "my-sorland2021"]),
    ("author:lukasiewicz", ["my-lukasiewicz2020"]),
    ("author:strasser", ["my-lukasiewicz2020"]),
    ("author:dordevic", ["my-lukasiewicz2020"]),
    ("author:hunenberger", ["my-lukasiewicz2020"]),
    ("aero cohort", ["my-lukasiewicz2020"]),
    ('"Ærø cohort"', ["my-lukasiewicz2020"]),
    ("sørl", ["my-sorland2021"]),  # a typed beginning, folded too
])
def test_names_are_found_typed_either_way(folded_library, query, expected):
    assert found(folded_library, query) == expected


def test_the_window_word_list_spells_out_folded_beginnings(folded_library):
    folded_library.catalogue.refresh_terms()
    assert found(folded_library, "author:sorl") == ["my-sorland2021"]
    assert found(folded_library, "author:aksı") == ["my-aksin-plain", "my-sorland2021"]
    assert found(folded_library, "author:łukas") == ["my-lukasiewicz2020"]


def test_a_changed_name_leaves_the_index_in_step(folded_library, tmp_path):
    path = tmp_path / "names.bib"
    path.write_text(BIB.replace("Aksın, Mehmet", "Nordby, Mehmet"), encoding="utf-8")
    assert folded_library.importer.import_files(paths=[path]).committed
    assert found(folded_library, "author:aksin") == ["my-aksin-plain"]
    assert found(folded_library, "author:nordby") == ["my-sorland2021"]
    assert found(folded_library, "author:sorland") == ["my-sorland2021"]
    with folded_library.ctx.db.write() as conn:
        cat.check_indexes(conn)  # FTS5's integrity-check: the index is what the view says


def test_the_entry_keeps_its_own_letters(folded_library):
    entry, _ = folded_library.catalogue.show(entry_id="my-sorland2021")
    assert [a.family for a in entry.authors] == ["Sørland", "Aksın"]


def test_folding_letter_by_letter():
    assert fold_for_search("Sørland Aksın Łukasiewicz Straße Æsir đ") == \
        "Sorland Aksin Lukasiewicz Strasse AEsir d"
    assert fold_for_search("Hünenberger e\u0301") == "Hunenberger e"
    assert fold_for_search("한국어 ½") == "한국어 ½"  # other scripts and symbols stay
    text = "Ørsted–Ærø, “ß”"
    assert fold_for_search(text[:5]) + fold_for_search(text[5:]) == fold_for_search(text)


def test_the_command_line_finds_them(cli, tmp_path):
    path = tmp_path / "names.bib"
    path.write_text(BIB, encoding="utf-8")
    assert cli("import", str(path))[0] == 0
    code, out, _ = cli("search", "author:sorland", "--json")
    assert code == 0 and [h["id"] for h in json.loads(out)] == ["my-sorland2021"]

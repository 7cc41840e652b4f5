"""``atlas-desktop cite`` and ``styles``: what a user types, what comes out, exit codes."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.citations import resolve_style
from tests.citations.readers import read_html, read_rtf
from tests.conftest import run_cli_process, seed_files

HEINS = "heins-2013-role-therapeutic"
DANIELS = "daniels-2011-socialization-model"


@pytest.fixture
def seeded_cli(cli):
    code, _, err = cli("import", *map(str, seed_files()))
    assert code == 0, err
    return cli


def test_cite_prints_the_reference_in_the_chosen_style(seeded_cli):
    code, out, err = seeded_cli("cite", HEINS, "--style", "apa")
    assert code == 0
    assert out == ("Heins, M. J., Knoop, H., & Bleijenberg, G. (2013). The role of the "
                   "therapeutic relationship in cognitive behaviour therapy for chronic fatigue "
                   "syndrome. Behaviour Research and Therapy. "
                   "https://doi.org/10.1016/j.brat.2013.02.001\n")
    assert "no volume or pages" in err  # worth checking, not an error


def test_several_ids_print_one_bibliography_in_the_style_order(seeded_cli):
    code, out, _ = seeded_cli("cite", HEINS, DANIELS, "--style", "vancouver")
    assert code == 0
    assert [line[:11] for line in out.splitlines()] == ["1. Heins MJ", "2. Daniels "]
    code, out, _ = seeded_cli("cite", HEINS, DANIELS, "--style", "apa")
    assert [line[:7] for line in out.splitlines()] == ["Daniels", "Heins, "]


def test_in_text_citation(seeded_cli):
    code, out, _ = seeded_cli("cite", HEINS, DANIELS, "--style", "harvard", "--in-text")
    assert (code, out) == (0, "(Daniels and Wearden, 2011; Heins, Knoop and Bleijenberg, "
                              "2013)\n")


def test_html_and_rtf_formats_read_back_with_italics(seeded_cli):
    code, out, _ = seeded_cli("cite", HEINS, "--style", "ama", "--format", "html")
    assert code == 0
    (paragraph,) = read_html(out)
    assert paragraph.italics == ["Behaviour research and therapy"]
    code, out, _ = seeded_cli("cite", HEINS, "--style", "ama", "--format", "rtf")
    (paragraph,) = read_rtf(out)
    assert paragraph.text.startswith("1. Heins MJ, Knoop H, Bleijenberg G.")
    assert paragraph.italics == ["Behaviour research and therapy"]


def test_exports_snapshot_and_evidence(seeded_cli):
    code, out, _ = seeded_cli("cite", HEINS, "--format", "bibtex")
    assert code == 0 and out.startswith("@article{mecfsatlas-heins-2013-role-therapeutic,")
    code, out, _ = seeded_cli("cite", HEINS, "--format", "csl-json")
    assert json.loads(out)[0]["DOI"] == "10.1016/j.brat.2013.02.001"
    code, out, _ = seeded_cli("cite", HEINS, "--snapshot")
    assert out.startswith("ME/CFS Atlas. Atlas reading of “The role")
    code, out, _ = seeded_cli("cite", "twisk-2009-review-cognitive", "--with-evidence")
    assert "Atlas badges: Evidence tier E0 Consensus:" in out
    assert "What this study does not prove:" in out


def test_unknown_id_or_style_exits_1_with_a_sentence(seeded_cli):
    code, out, err = seeded_cli("cite", "no-such-paper", "--style", "apa")
    assert (code, out) == (1, "")
    assert "No entry with the id no-such-paper" in err
    code, out, err = seeded_cli("cite", HEINS, "--style", "not-a-style")
    assert (code, out) == (1, "")
    assert "no citation style called “not-a-style”" in err


def test_a_users_csl_file_is_accepted_by_path(seeded_cli, tmp_path):
    path = tmp_path / "mine.csl"
    path.write_text(resolve_style("harvard").xml, "utf-8")
    code, out, _ = seeded_cli("cite", HEINS, "--style", str(path))
    assert code == 0 and out.startswith("Heins, M.J., Knoop, H. and Bleijenberg, G. (2013)")
    bad = tmp_path / "bad.csl"
    bad.write_text("<not-csl/>", "utf-8")
    code, _, err = seeded_cli("cite", HEINS, "--style", str(bad))
    assert code == 1 and "is not a CSL style" in err


def test_an_entry_that_cannot_be_cited_is_named_and_the_rest_printed(cli, tmp_path):
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"format": "atlas-bundle", "version": 1,
                                  "generated_at": "2026-11-21T00:00:00Z",
                                  "entries": [{"id": "bare"}, {"id": "ok", "title": "T"}]}))
    assert cli("import", str(bundle))[0] == 0
    code, out, err = cli("cite", "bare", "ok", "--style", "apa")
    assert code == 1
    assert out == "T. (n.d.).\n"
    assert "not formatted: bare: it has no title, no authors or editors and no journal" in err


def test_styles_lists_offers_searches_and_sets_the_default(seeded_cli):
    code, out, _ = seeded_cli("styles")
    assert code == 0
    assert "* apa" in out and "vancouver" in out and "nlm-citation-sequence" in out
    code, out, _ = seeded_cli("styles", "cite", "them", "right")
    assert "harvard-cite-them-right\t" in out
    code, _, err = seeded_cli("styles", "--set-default", "chicago")
    assert code == 0 and "Chicago" in err
    code, out, _ = seeded_cli("cite", HEINS)
    assert out.startswith("Heins, Marianne J., Hans Knoop, and Gijs Bleijenberg. 2013.")
    code, _, err = seeded_cli("styles", "--set-default", "nope-style")
    assert code == 1 and "no citation style" in err


def test_bad_usage_exits_2(seeded_cli):
    code, _, err = seeded_cli("cite", HEINS, "--format", "ris", "--in-text")
    assert code == 2 and "takes no style" in err


def test_the_real_executable_cites_and_exits_promptly(tmp_path):
    """V8 must be shut down at exit; a context left to the garbage collector hangs there."""
    data_dir = tmp_path / "lib"
    assert run_cli_process("import", *map(str, seed_files()), data_dir=data_dir).returncode == 0
    proc = run_cli_process("cite", HEINS, DANIELS, "--style", "vancouver", data_dir=data_dir,
                           timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("1. Heins MJ")

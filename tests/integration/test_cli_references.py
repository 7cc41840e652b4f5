"""The command line for the user's references: import reports, export formats, merging."""

from __future__ import annotations

import json

from tests.conftest import MENDELEY, REFS, run_cli_process

CSL = REFS / "csljson/bbt-zotero-library-1179.csl.json"


def test_import_reports_per_file_in_json(cli):
    code, out, _ = cli("import", "--json", str(MENDELEY), str(CSL))
    assert code == 0
    report = json.loads(out)
    assert report["committed"] is True
    mendeley, csl = report["files"]
    assert {"imported", "updated", "duplicates", "errors"} <= set(mendeley)
    assert (mendeley["kind"], len(mendeley["imported"]), mendeley["errors"]) == ("bibtex", 512,
                                                                                 [])
    assert {"id": "my-milazzo2017-2", "duplicate_of": "my-milazzo2017",
            "reason": "same DOI"} in mendeley["duplicates"]
    assert (csl["kind"], len(csl["imported"])) == ("csl-json", 26)

    code, out, _ = cli("import", "--json", str(MENDELEY))
    again = json.loads(out)["files"][0]
    assert again["imported"] == [] and len(again["updated"]) == 512


def test_a_broken_entry_stops_the_import_unless_keep_going(cli, tmp_path):
    text = (REFS / "bib/pybtex/xampl.bib").read_text()
    broken = tmp_path / "broken.bib"
    broken.write_text(text.replace("   year = 1986,\n}", "   year = 1986\n   x\n}", 1))
    code, out, err = cli("import", str(broken))
    assert code == 1
    assert "line 15: in “article-minimal”" in err and "nothing was imported" in err
    code, out, _ = cli("search", "is:mine", "--json")
    assert json.loads(out) == []
    code, out, err = cli("import", "--keep-going", "--json", str(broken))
    assert code == 1 and json.loads(out)["committed"] is True
    assert len(json.loads(out)["imported"]) == 35


def test_export_formats_and_scopes(cli, tmp_path, seeds):
    cli("import", str(MENDELEY), *map(str, seeds))
    cli("collection", "add", "Reading", "my-milazzo2017", "heins-2013-role-therapeutic")
    out_bib = tmp_path / "reading.bib"
    code, _, err = cli("export", "--format", "bibtex", "--collection", "Reading", "-o",
                       str(out_bib))
    assert code == 0 and "Wrote 2 entries" in err
    text = out_bib.read_text()
    assert "@article{Milazzo2017," in text and "note = {PubMed: 23639303}" in text

    code, out, _ = cli("export", "--format", "csljson", "--query", "pem:required")
    assert [item["id"] for item in json.loads(out)] == ["twisk-2009-review-cognitive"]

    code, out, _ = cli("export", "--format", "ris", "--ids", "my-black2020")
    assert out.startswith("TY  - JOUR\n") and "ER  - " in out

    code, _, err = cli("export", "--format", "bibtex", "--collection", "Nope")
    assert code == 1 and "no collection called “Nope”" in err
    code, _, _ = cli("export", "--format", "bibtex", "--query", "x", "--collection", "y")
    assert code == 2


def test_duplicates_merge_and_keep_apart(cli):
    cli("import", str(MENDELEY))
    code, out, _ = cli("duplicates", "--json")
    pairs = json.loads(out)
    assert {"id": "my-mabbott2017-2", "duplicate_of": "my-mabbott2017",
            "reason": "same DOI"} in pairs
    code, out, _ = cli("merge", "my-mabbott2017", "my-mabbott2017-2", "--json")
    assert code == 0 and json.loads(out)["id"] == "my-mabbott2017"
    code, _, err = cli("show", "my-mabbott2017-2")
    assert code == 1
    code, out, _ = cli("keep-apart", "my-woolf1939", "my-woolf1939-2")
    assert code == 0
    code, out, _ = cli("duplicates", "--json")
    remaining = {(p["id"], p["duplicate_of"]) for p in json.loads(out)}
    assert ("my-woolf1939-2", "my-woolf1939") not in remaining
    assert len(remaining) == len(pairs) - 2
    code, _, err = cli("merge", "my-milazzo2017", "heins-2013-role-therapeutic")
    assert code == 1 and "no reference" in err


def test_real_process_imports_a_utf16_file(tmp_path):
    proc = run_cli_process("import", "--json", str(REFS / "bib/jabref/tiny-BE-noBOM.bib"),
                           data_dir=tmp_path / "lib")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["imported"] == ["my-verwilghen-vangalen-wilke2011"]

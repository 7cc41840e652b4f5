"""Privacy (issue 18.4): correction reports exist only for atlas entries. The services refuse
any other entry, the command line exits 1 with one sentence, the outbox never sends one (also
not one queued before they were refused), and "incomplete" for the user's own references
means no title, no authors or no year."""

from __future__ import annotations

import json

import pytest

from atlas_desktop.domain.reports import (
    CorrectionReport,
    ReportDraft,
    ReportInvalid,
    ReportStatus,
    build_body,
)
from atlas_desktop.store import user as user_store
from tests.sync_support import make_service, queue_reports, refserver  # noqa: F401

OWN = r"""@article{kastenholz2019,
  author = {Kastenholz, Anna and Berg, Tim},
  title = {Pacing diaries in a rehabilitation clinic},
  journal = {Journal of Clinic Notes},
  year = {2019}
}
@article{undated,
  author = {Noyear, Nina},
  title = {A reference without a year}
}
@misc{bare,
  note = {Nothing but a note}
}
"""


@pytest.fixture
def own_bib(tmp_path):
    path = tmp_path / "own.bib"
    path.write_text(OWN, encoding="utf-8")
    return path


@pytest.fixture
def mixed_library(seeded_library, own_bib):
    assert seeded_library.importer.import_files(paths=[own_bib]).committed
    return seeded_library


def ids(library, text):
    return sorted(library.catalogue.ids_for_pks(pks=list(library.catalogue.search(
        text=text).pks)))


def test_the_service_refuses_a_report_on_an_own_reference(mixed_library):
    with pytest.raises(ReportInvalid) as caught:
        mixed_library.reports.create_report(draft=ReportDraft(
            entry_id="my-kastenholz2019", field="title", problem="The title is wrong."))
    assert [p.field for p in caught.value.problems] == ["entry_id"]
    assert "own references" in str(caught.value)
    assert mixed_library.reports.list() == []
    # Atlas entries are reported as before.
    [report_id] = queue_reports(mixed_library, 1)
    assert mixed_library.reports.get(report_id=report_id).entry_id.startswith("heins")


def test_the_command_line_exits_1_with_one_sentence(cli, own_bib):
    assert cli("import", str(own_bib))[0] == 0
    code, out, err = cli("report", "my-kastenholz2019", "--field", "title",
                         "--problem", "The title is wrong.")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "own references" in err and "Traceback" not in err
    code, out, _ = cli("outbox", "--json")
    assert code == 0 and json.loads(out) == []


def _queue_as_an_older_version_did(library, entry_id):
    """A report on one of the user's references, queued by a release that still allowed it."""
    draft = ReportDraft(entry_id=entry_id, field="summary", problem="Incomplete entry.")
    body = build_body(report_id="0b5a4f9e-6a57-4c39-9d0e-8f6a1b2c3d4e", draft=draft,
                      current_value=None, entry_last_updated=None,
                      created_at="2026-11-20T09:00:00Z", client_version="0.1.0")
    report = CorrectionReport(
        report_id="0b5a4f9e-6a57-4c39-9d0e-8f6a1b2c3d4e", entry_id=entry_id, field="summary",
        problem=draft.problem, suggested_correction=None, contact=None, current_value=None,
        entry_last_updated=None, created_at="2026-11-20T09:00:00Z", body=body,
        status=ReportStatus.QUEUED)
    with library.ctx.db.write() as conn:
        user_store.insert_report(conn, report, now="2026-11-20T09:00:00Z")
    return report.report_id


def test_a_queued_report_on_an_own_reference_is_never_sent_and_the_user_is_told(
        mixed_library, refserver, tmp_path):  # noqa: F811
    library = mixed_library
    private = _queue_as_an_older_version_did(library, "my-kastenholz2019")
    [atlas] = queue_reports(library, 1)
    exported = tmp_path / "outbox.json"
    assert library.reports.export_unsent(path=exported) == 1  # the file goes to the atlas team
    assert [r["entry_id"] for r in json.loads(exported.read_text())["reports"]] == \
        ["heins-2013-role-therapeutic"]

    service = make_service(library)
    service.set_server_url(url=refserver.url)
    result = service.run(explicit=True)

    assert [r.report_id for r in refserver.reports()] == [atlas]  # only the atlas entry's
    assert result.ok and result.sent == [atlas] and result.withheld == [private]
    assert "own references" in result.message and "not sent" in result.message
    held = library.reports.get(report_id=private)
    assert held.status is ReportStatus.WITHDRAWN and "own references" in held.last_error
    # Never again: a later run does not look at it.
    assert service.run(explicit=True).withheld == []
    assert [r.report_id for r in refserver.reports()] == [atlas]


def test_the_cli_sync_says_a_report_was_withheld(mixed_library, refserver, capsys):  # noqa: F811
    from atlas_desktop.app import main

    private = _queue_as_an_older_version_did(mixed_library, "my-kastenholz2019")
    folder = mixed_library.paths.data_dir
    mixed_library.close()
    code = main(["--data-dir", str(folder), "sync", "--server", refserver.url, "--once"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"not sent: {private}" in out and "own references" in out
    assert refserver.reports() == []


def test_incomplete_means_what_a_reference_needs_for_own_references(mixed_library):
    library = mixed_library
    # No DOI, PMID or summary is no gap in the user's own reference: no year, title or
    # authors is.
    assert ids(library, "is:mine is:incomplete") == ["my-bare", "my-undated"]
    entry, _ = library.catalogue.show(entry_id="my-undated")
    assert entry.missing_fields() == ["year"]
    entry, _ = library.catalogue.show(entry_id="my-kastenholz2019")
    assert entry.missing_fields() == []
    # Atlas entries keep the atlas's rule.
    assert ids(library, "is:atlas is:incomplete") == ["stein-improving-therapeutic",
                                                      "van-der-vaart-2019"]
    facets = library.catalogue.facets(text="is:mine")
    incomplete = next(v for values in facets.groups.values() for v in values
                      if v.value == "is:incomplete")
    assert incomplete.count == 2

"""Correction reports: written to the outbox offline, sent later by the sync service."""

from __future__ import annotations

from pathlib import Path

from atlas_desktop import __version__
from atlas_desktop.domain.changes import Changes
from atlas_desktop.domain.entry import Origin
from atlas_desktop.domain.reports import (
    UNSENT_STATUSES,
    CorrectionReport,
    ReportDraft,
    ReportInvalid,
    ReportProblem,
    ReportStatus,
    build_body,
    current_value_for,
    new_report_id,
    private_entry_reason,
    validate_draft,
)
from atlas_desktop.formats.bundle import corrections_document
from atlas_desktop.formats.files import atomic_text_writer
from atlas_desktop.store import catalogue as cat
from atlas_desktop.store import user as user_store

from .context import LibraryContext

#: HTTP statuses after which the server stored nothing and the user may edit the report.
EDITABLE_AFTER = frozenset({400, 413, 422})


class ReportError(ValueError):
    """A request about a report that cannot be done; ``str`` explains why."""


class ReportService:
    def __init__(self, ctx: LibraryContext) -> None:
        self._ctx = ctx

    def create_report(
        self, *, draft: ReportDraft, current_value: str | None = None,
        use_entry_value: bool = True,
    ) -> CorrectionReport:
        """Validate and queue a report in one transaction. Raises :class:`ReportInvalid`.

        ``current_value`` is what the user saw; by default it is taken from the stored entry.
        Reports are made about atlas entries only: the user's own references are private
        and refused (the first problem, before anything else is checked).
        """
        cleaned, problems = validate_draft(draft)
        with self._ctx.write(Changes.REPORTS, entry_ids=[cleaned.entry_id]) as conn:
            entry = cat.get_entry(conn, cleaned.entry_id)
            if entry is None:
                problems.insert(0, ReportProblem(
                    "entry_id", f"There is no entry “{cleaned.entry_id}” in this library."))
            elif entry.origin is not Origin.ATLAS:
                raise ReportInvalid([ReportProblem("entry_id",
                                                   private_entry_reason(entry.id))])
            if problems:
                raise ReportInvalid(problems)
            assert entry is not None
            if current_value is None and use_entry_value:
                current_value = current_value_for(entry, cleaned.field)
            report_id = new_report_id()
            created_at = self._ctx.clock()
            body = build_body(
                report_id=report_id,
                draft=cleaned,
                current_value=current_value,
                entry_last_updated=entry.last_updated.isoformat() if entry.last_updated else None,
                created_at=created_at,
                client_version=__version__,
            )
            report = CorrectionReport(
                report_id=report_id,
                entry_id=cleaned.entry_id,
                field=cleaned.field,
                problem=cleaned.problem,
                suggested_correction=cleaned.suggested_correction,
                contact=cleaned.contact,
                current_value=current_value,
                entry_last_updated=entry.last_updated.isoformat() if entry.last_updated else None,
                created_at=created_at,
                body=body,
                status=ReportStatus.QUEUED,
            )
            user_store.insert_report(conn, report, now=created_at)
            stored = user_store.get_report(conn, report_id)
        assert stored is not None
        return stored

    def get(self, *, report_id: str) -> CorrectionReport | None:
        with self._ctx.db.read() as conn:
            return user_store.get_report(conn, report_id)

    def list(self, *, statuses: tuple[ReportStatus, ...] | None = None) -> list[CorrectionReport]:
        with self._ctx.db.read() as conn:
            return user_store.list_reports(conn, statuses)

    def count_unsent(self) -> int:
        with self._ctx.db.read() as conn:
            return user_store.count_reports(conn, UNSENT_STATUSES)

    def withdraw(self, *, report_id: str) -> CorrectionReport:
        """Withdraw a report that has not been sent; it will never be sent."""
        concerned: list[str] = []
        with self._ctx.write(Changes.REPORTS, entry_ids=concerned) as conn:
            report = user_store.get_report(conn, report_id)
            if report is None:
                raise ReportError(f"There is no report {report_id}.")
            concerned.append(report.entry_id)
            if report.status is ReportStatus.SENT:
                raise ReportError("This report has already reached the atlas team.")
            if report.status is ReportStatus.SENDING:
                raise ReportError("This report is being sent right now; try again in a moment.")
            if report.status is ReportStatus.WITHDRAWN:
                return report
            now = self._ctx.clock()
            user_store.update_report(
                conn, report_id, now=now, status=ReportStatus.WITHDRAWN, withdrawn_at=now,
                next_attempt_at=None,
            )
            updated = user_store.get_report(conn, report_id)
        assert updated is not None
        return updated

    def can_edit(self, report: CorrectionReport, last_http_status: int | None) -> bool:
        return report.status is ReportStatus.NEEDS_ATTENTION and (
            last_http_status in EDITABLE_AFTER
        )

    def last_http_status(self, *, report_id: str) -> int | None:
        with self._ctx.db.read() as conn:
            return user_store.report_http_status(conn, report_id)

    def edit_and_requeue(
        self, *, report_id: str, problem: str, field: str | None = None,
        suggested_correction: str | None = None, contact: str | None = None,
    ) -> CorrectionReport:
        """Edit a report the server refused as invalid (400/413/422) and queue it again.

        The ``report_id`` and ``created_at`` stay; the body is rebuilt once, here.
        """
        concerned: list[str] = []
        with self._ctx.write(Changes.REPORTS, entry_ids=concerned) as conn:
            report = user_store.get_report(conn, report_id)
            if report is None:
                raise ReportError(f"There is no report {report_id}.")
            concerned.append(report.entry_id)
            if cat.origin_of(conn, report.entry_id) != Origin.ATLAS.value:
                raise ReportError(private_entry_reason(report.entry_id))
            status = user_store.report_http_status(conn, report_id)
            if not self.can_edit(report, status):
                raise ReportError(
                    "Only a report the server refused as invalid can be edited; this one is "
                    f"{report.status.value.replace('_', ' ')}."
                )
            draft = ReportDraft(
                entry_id=report.entry_id,
                field=field or report.field,
                problem=problem,
                suggested_correction=suggested_correction,
                contact=contact,
            )
            cleaned, problems = validate_draft(draft)
            if problems:
                raise ReportInvalid(problems)
            body = build_body(
                report_id=report.report_id,
                draft=cleaned,
                current_value=report.current_value,
                entry_last_updated=report.entry_last_updated,
                created_at=report.created_at,
                client_version=__version__,
            )
            user_store.update_report(
                conn, report_id, now=self._ctx.clock(), body=body, field=cleaned.field,
                status=ReportStatus.QUEUED, last_error=None, last_http_status=None,
                next_attempt_at=None,
            )
            updated = user_store.get_report(conn, report_id)
        assert updated is not None
        return updated

    def export_unsent(self, *, path: Path) -> int:
        """Write every unsent report's body to an ``atlas-corrections`` file; returns how many.
        Reports about the user's own references (queued before they were refused) are private
        and left out: the file is for the atlas team."""
        with self._ctx.db.read() as conn:
            reports = [r for r in user_store.list_reports(conn, UNSENT_STATUSES)
                       if cat.origin_of(conn, r.entry_id) == Origin.ATLAS.value]
        with atomic_text_writer(path) as handle:
            handle.write(corrections_document(r.body for r in reports))
        return len(reports)

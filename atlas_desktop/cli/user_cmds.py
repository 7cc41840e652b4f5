"""``note``, ``star``, ``collection``, ``report``, ``outbox``: the user's own layer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from atlas_desktop.domain.reports import REPORT_FIELDS, ReportDraft, ReportInvalid
from atlas_desktop.domain.sync import REVIEW_LABELS
from atlas_desktop.domain.wording import counted
from atlas_desktop.services.annotations import AnnotationError
from atlas_desktop.services.reports import ReportError

from .common import EXIT_OK, CliError, open_for, print_json


def register(sub: argparse._SubParsersAction[Any], parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("note", parents=[parent], help="set (or with empty text, clear) a note")
    p.add_argument("id")
    p.add_argument("text", help='the note; "-" reads it from standard input')
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_note)

    p = sub.add_parser("star", parents=[parent], help="star an entry (or unstar with --off)")
    p.add_argument("id")
    p.add_argument("--off", action="store_true")
    p.set_defaults(handler=cmd_star)

    p = sub.add_parser("collection", parents=[parent], help="manage collections")
    csub = p.add_subparsers(dest="collection_command", metavar="ACTION", required=True)
    c = csub.add_parser("add", parents=[parent], help="add entries to a collection")
    c.add_argument("name")
    c.add_argument("ids", nargs="+", metavar="ID")
    c.set_defaults(handler=cmd_collection_add)
    c = csub.add_parser("list", parents=[parent], help="list collections")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=cmd_collection_list)

    p = sub.add_parser(
        "report",
        parents=[parent],
        help="queue a correction report for an entry",
        description="Queue a report of an error in an entry. It is kept in the outbox and "
        "sent at the next sync. Reports are private and read by a person.",
    )
    p.add_argument("id")
    p.add_argument("--field", required=True, choices=REPORT_FIELDS, metavar="FIELD",
                   help="which part is wrong: " + ", ".join(REPORT_FIELDS))
    p.add_argument("--problem", required=True, help="what is wrong")
    p.add_argument("--suggest", default=None, help="the suggested correction")
    p.add_argument("--contact", default=None, metavar="EMAIL", help="optional e-mail address")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("outbox", parents=[parent], help="list queued correction reports")
    p.add_argument("--json", action="store_true")
    p.add_argument("--details", action="store_true",
                   help="with --json: every stored detail of each report (next attempt, the "
                   "reviewer's status and note, the request body's fields)")
    p.set_defaults(handler=cmd_outbox)
    osub = p.add_subparsers(dest="outbox_command", metavar="ACTION")
    o = osub.add_parser("export", parents=[parent],
                        help="save unsent reports to a file to hand over another way")
    o.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    o.set_defaults(handler=cmd_outbox_export)
    o = osub.add_parser("withdraw", parents=[parent], help="withdraw an unsent report")
    o.add_argument("report_id")
    o.set_defaults(handler=cmd_outbox_withdraw)


def cmd_note(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    library = open_for(args, write=True)
    try:
        note = library.annotations.set_note(entry_id=args.id, text=text)
    except AnnotationError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    if args.json:
        print_json({"entry_id": args.id, "note": note.text if note else None,
                    "updated_at": note.updated_at if note else None})
    else:
        print("Note saved." if note else "Note removed.", file=sys.stderr)
    return EXIT_OK


def cmd_star(args: argparse.Namespace) -> int:
    library = open_for(args, write=True)
    try:
        library.annotations.set_starred(entry_id=args.id, starred=not args.off)
    except AnnotationError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    return EXIT_OK


def cmd_collection_add(args: argparse.Namespace) -> int:
    library = open_for(args, write=True)
    try:
        collection, added = library.annotations.add_to_collection(
            name=args.name, entry_ids=args.ids
        )
    except AnnotationError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    print(f"“{collection.name}”: {added} added, {collection.count} in all.", file=sys.stderr)
    return EXIT_OK


def cmd_collection_list(args: argparse.Namespace) -> int:
    library = open_for(args, write=False)
    try:
        collections = library.annotations.collections()
    finally:
        library.close()
    if args.json:
        print_json([{"name": c.name, "count": c.count, "created_at": c.created_at}
                    for c in collections])
    else:
        for c in collections:
            print(f"{c.name}\t{c.count}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    draft = ReportDraft(
        entry_id=args.id,
        field=args.field,
        problem=args.problem,
        suggested_correction=args.suggest,
        contact=args.contact,
    )
    library = open_for(args, write=True)
    try:
        report = library.reports.create_report(draft=draft)
    except ReportInvalid as exc:
        raise CliError("the report was not saved: " + " ".join(
            p.message for p in exc.problems)) from None
    finally:
        library.close()
    if args.json:
        print_json(report.to_dict())
    else:
        print(f"Report {report.report_id} queued; it will be sent at the next sync.",
              file=sys.stderr)
    return EXIT_OK


def cmd_outbox(args: argparse.Namespace) -> int:
    library = open_for(args, write=False)
    try:
        reports = library.reports.list()
        server = library.get_setting("sync.server_url")
    finally:
        library.close()
    if args.json:
        print_json([r.to_dict() if args.details else r.to_summary() for r in reports])
        return EXIT_OK
    if not reports:
        print("The outbox is empty.")
        return EXIT_OK
    for r in reports:
        detail = f" — {r.last_error}" if r.last_error else ""
        if r.server_status:
            # The reviewer's answer, polled by `sync` (GET /v1/corrections/{id}).
            detail += f" — review: {REVIEW_LABELS.get(r.server_status, r.server_status)}"
            if r.reviewer_note:
                detail += f": {r.reviewer_note}"
        print(f"{r.report_id}  {r.status.value:<15} {r.entry_id}  [{r.field}]  "
              f"{r.created_at}  attempts: {r.attempts}{detail}")
    if not server and any(r.status.value == "queued" for r in reports):
        print("No atlas server is set, so queued reports wait. Set one with "
              "`atlas-desktop sync --server URL`, or use `outbox export`.", file=sys.stderr)
    return EXIT_OK


def cmd_outbox_export(args: argparse.Namespace) -> int:
    library = open_for(args, write=False)
    try:
        count = library.reports.export_unsent(path=args.output)
    except OSError as exc:
        raise CliError(f"Cannot write {args.output}: {exc.strerror or exc}") from None
    finally:
        library.close()
    print(f"Saved {counted(count, 'unsent report')} to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_outbox_withdraw(args: argparse.Namespace) -> int:
    library = open_for(args, write=True)
    try:
        library.reports.withdraw(report_id=args.report_id)
    except ReportError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    return EXIT_OK

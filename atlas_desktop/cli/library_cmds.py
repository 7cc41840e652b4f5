"""``import``, ``show``, ``search``, ``export``: the catalogue from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from atlas_desktop.domain.entry import PEM_LABELS
from atlas_desktop.domain.listing import SortKey
from atlas_desktop.domain.wording import counted
from atlas_desktop.services import Library, StoreError
from atlas_desktop.services.exporting import ExportError, ExportFormat, ExportWouldEmpty

from .common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    CliError,
    error,
    open_for,
    print_json,
    warn_retracted,
)
from .entry_text import entry_json, entry_text
from .terminal import raw_stream


def register(sub: argparse._SubParsersAction[Any], parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import",
        parents=[parent],
        help="import atlas pages, bundles, or your own BibTeX, RIS and CSL-JSON files",
        description="Import atlas pages (text), offline bundles (JSON), or your own references "
        "(BibTeX, RIS, CSL-JSON; the kind is read from the content). All files land in one "
        "transaction: if any file or entry is refused, nothing is imported (unless "
        "--keep-going). Possible duplicates are reported, never merged: see `duplicates` "
        "and `merge`.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print a JSON report")
    p.add_argument(
        "--keep-going",
        action="store_true",
        help="import the valid files and entries even if others are refused",
    )
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("show", parents=[parent], help="show one entry")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="print the entry object as JSON")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser(
        "search",
        parents=[parent],
        help="search the library",
        description='Search with the query language: words (prefixes), "phrases", -exclude, '
        "author: title: journal: year:2010-2015 tag:NAME pem:required type:review tier:E0 "
        "is:starred is:noted is:reported collection:NAME.",
    )
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_positive_int, default=None, metavar="N")
    p.add_argument(
        "--sort",
        choices=[s.value for s in SortKey],
        default=SortKey.RELEVANCE.value,
        help="result order (default: relevance)",
    )
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser(
        "export",
        parents=[parent],
        help="export entries to BibTeX, RIS, CSL-JSON or a bundle",
        description="Export entries (everything, a search result, a collection or chosen "
        "entries). A file is written to a temporary name and renamed when complete.",
    )
    p.add_argument("--format", choices=[f.value for f in ExportFormat], default="bundle")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--query", default=None, metavar="Q", help="a search result")
    scope.add_argument("--collection", default=None, metavar="NAME", help="a collection")
    scope.add_argument("--ids", nargs="+", default=None, metavar="ID", help="these entries")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                   help="file to write (default: standard output)")
    p.add_argument("--force", action="store_true",
                   help="replace an existing FILE even when no entries are found")
    p.add_argument("--allow-retracted", action="store_true",
                   help="write retracted papers without the warning (and exit 0); without "
                   "it each is named on stderr and the exit code is 3")
    p.set_defaults(handler=cmd_export)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def cmd_import(args: argparse.Namespace) -> int:
    library = open_for(args, write=True)
    try:
        report = library.importer.import_files(paths=args.files, keep_going=args.keep_going)
        # The report is out as soon as the import is saved; the tidying that follows a large
        # one (as in the window) only keeps the process a few seconds longer.
        if args.json:
            print_json(report.to_dict())
        else:
            _print_import_report(report)
        sys.stdout.flush()
        if report.wants_tidying:
            _tidy_after_import(library, quiet=args.json)
    finally:
        library.close()
    if report.errors:
        if args.json:
            for item in report.errors:
                error(f"{item.file}: {item.message}")
        return EXIT_BAD_INPUT
    return EXIT_OK


def _tidy_after_import(library: Library, *, quiet: bool) -> None:
    """Merge the search index and fold the write-ahead log into the library file. The import
    is saved already, so a failure here is a warning, not an error."""
    if not quiet:
        print("Merging the search index after a large import…", file=sys.stderr, flush=True)
    try:
        library.maintain()
    except StoreError as exc:
        error(f"The import is saved, but merging the search index afterwards failed ({exc}). "
              "Nothing is lost; searches may be slower until a later import merges it.")


def _print_import_report(report: Any) -> None:
    for f in report.files:
        for message in f.errors:
            error(f"{f.file}: {message}")
        if not report.committed:
            if f.ids and not f.errors:
                count = len(dict.fromkeys(f.ids))
                print(f"{f.file}: not imported ({counted(count, 'entry')} could be read)")
        elif f.imported or f.updated or not f.errors:
            ids = f.imported + f.updated
            if len(ids) <= 5:
                what = ", ".join(ids) if ids else "(nothing)"
            else:
                what = f"{len(f.imported)} new, {len(f.updated)} updated"
            print(f"{f.file}: imported {what}")
        for pair in f.duplicates:
            print(f"  possible duplicate: {pair.id} looks like {pair.duplicate_of} "
                  f"({pair.reason}); nothing was merged")
        if f.linked:
            print(f"  {len(f.linked)} linked to atlas entries (same DOI or PMID)")
        for warning in f.warnings:
            print(f"  note: {warning}", file=sys.stderr)
    if report.duplicates:
        print("Review them with `atlas-desktop duplicates`; merge with "
              "`atlas-desktop merge KEEP OTHER`.")
    if report.errors and not report.committed:
        error("nothing was imported because of the errors above "
              "(use --keep-going to import the valid files and entries)")


def cmd_show(args: argparse.Namespace) -> int:
    library = open_for(args, write=False)
    try:
        found = library.catalogue.show(entry_id=args.id)
        # What PubMed, Crossref or doi.org completed, and the notices (issue 15).
        completed = library.completion.record(entry_id=args.id) if found else None
    finally:
        library.close()
    if found is None:
        raise CliError(f"There is no entry “{args.id}” in this library.")
    entry, user = found
    if args.json:
        print_json(entry_json(entry, user, completed))
    else:
        print(entry_text(entry, user, completed))
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    library = open_for(args, write=False)
    try:
        result = library.catalogue.search(
            text=args.query, sort=SortKey(args.sort), limit=args.limit
        )
        entries = library.catalogue.briefs(pks=list(result.pks))
    finally:
        library.close()
    for hint in result.hints:
        print(f"hint: {hint}", file=sys.stderr)
    if args.json:
        print_json(
            [
                {
                    "id": e.id,
                    "title": e.title,
                    "authors": [{"family": a.family, "given": a.given} for a in e.authors],
                    "year": e.year,
                    "badges": e.badges.to_dict(),
                }
                for e in entries
            ]
        )
        return EXIT_OK
    for e in entries:
        pem = PEM_LABELS.get(e.badges.pem or "", "")
        author = e.authors[0].family if e.authors else ""
        print(f"{e.id:<44} {e.year or '    '}  {author[:18]:<18}  {e.display_title[:70]}"
              + (f"  [{pem}]" if pem else ""))
    shown = len(entries)
    print(f"{shown} of {counted(result.total, 'entry')}" if result.total != shown
          else counted(shown, "entry"),
          file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    library = open_for(args, write=False)
    try:
        result = library.exporter.export(
            format=ExportFormat(args.format), path=args.output,
            # The format's own text, exact (as in a file), not cleaned for the terminal.
            out=raw_stream(sys.stdout) if args.output is None else None,
            entry_ids=args.ids, query=args.query, collection=args.collection,
            replace_with_nothing=args.force,
        )
    except ExportWouldEmpty as exc:
        raise CliError(f"{exc} Use --force to replace it with an empty file.") from None
    except ExportError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"Cannot write {args.output}: {exc.strerror or exc}") from None
    finally:
        library.close()
    if args.output is not None:
        print(f"Wrote {counted(result.count, 'entry')} to {args.output}", file=sys.stderr)
    return warn_retracted(result.retracted, allowed=args.allow_retracted)

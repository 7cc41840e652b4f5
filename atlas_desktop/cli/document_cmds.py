"""``document update``: a .docx or .odt with live citations, from the citation fields Zotero
and Mendeley wrote, typed markers and citations copied from Atlas Desktop."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from atlas_desktop.services.citations import CitationError

from .common import EXIT_BAD_INPUT, EXIT_OK, CliError, open_for, print_json


def register(sub: argparse._SubParsersAction[Any], parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "document",
        parents=[parent],
        help="update the citations of a Word or LibreOffice document",
        description="Work on documents that cite the library.",
    )
    doc_sub = p.add_subparsers(dest="document_command", metavar="ACTION", required=True)
    u = doc_sub.add_parser(
        "update",
        parents=[parent],
        help="write a copy of a .docx or .odt with live citations and a bibliography",
        description="Read the citations Zotero and Mendeley wrote (their fields), citations "
        "typed as [@id], [@id, p. 12; @other] or {Author, 2013}, and in-text citations "
        "copied from Atlas Desktop; write OUT with every citation live in Zotero's format "
        "(Word fields in a .docx, reference marks in an .odt), "
        "rendered in the style, and the bibliography where a bibliography field or a "
        "{Bibliography} marker stands, else at the end. IN is never written. Markers that "
        "name no entry are listed and left as they are (exit code 1).",
    )
    u.add_argument("input", metavar="IN",
                   help="a Word (.docx) or OpenDocument (.odt) document")
    u.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the new document (same kind as IN; never IN itself)")
    u.add_argument("--style", default=None, metavar="STYLE",
                   help="apa | vancouver | ama | harvard | chicago | a style id | FILE.csl "
                   "(default: the document's own, else your default)")
    u.add_argument("--locale", default=None, metavar="LANG", help="citation language")
    u.add_argument("--overwrite-edited", action="store_true",
                   help="re-render citations whose text was edited by hand (kept otherwise)")
    u.add_argument("--json", action="store_true")
    u.set_defaults(handler=cmd_update)


def cmd_update(args: argparse.Namespace) -> int:
    library = open_for(args, write=False)
    try:
        report = library.documents.update_file(
            source=Path(args.input), target=Path(args.output), style=args.style,
            locale=args.locale, overwrite_edited=args.overwrite_edited)
    except CitationError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    if args.json:
        print_json({
            "output": str(report.output), "style": report.style_label,
            "citations": report.citations, "from_fields": report.from_fields,
            "from_markers": report.from_markers, "bibliography": report.bibliography,
            "unresolved": [{"marker": u.marker, "where": u.where, "context": u.context,
                            "reason": u.reason} for u in report.unresolved],
            "kept_edited": list(report.kept_edited), "problems": list(report.problems)})
    else:
        print(f"Wrote {report.output}: {report.citations} citations in {report.style_label} "
              f"({report.from_fields} from citation fields, {report.from_markers} from "
              f"markers); bibliography {report.bibliography}.", file=sys.stderr)
        for kept in report.kept_edited:
            print(f"atlas-desktop: kept as edited by hand: {kept}", file=sys.stderr)
        for item in report.unresolved:
            print(f"atlas-desktop: not resolved, left as it was: {item.describe()}",
                  file=sys.stderr)
        for problem in report.problems:
            print(f"atlas-desktop: {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT if report.unresolved else EXIT_OK

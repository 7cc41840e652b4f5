"""``duplicates``, ``merge``, ``keep-apart``: deciding about the user's duplicate references.

An import only reports possible duplicates; these commands are where the user decides.
"""

from __future__ import annotations

import argparse
from typing import Any

from atlas_desktop.domain.wording import counted
from atlas_desktop.services.references import ReferenceError

from .common import EXIT_OK, CliError, open_for, print_json
from .entry_text import entry_json


def register(sub: argparse._SubParsersAction[Any], parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "duplicates",
        parents=[parent],
        help="list your references that look like the same paper",
        description="List pairs of your own references with the same DOI, the same PMID, or "
        "the same title, year and first author. Nothing is changed.",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_duplicates)

    p = sub.add_parser(
        "merge",
        parents=[parent],
        help="merge duplicate references into one",
        description="Merge OTHER references into KEEP: KEEP takes the fields it lacks from "
        "them, their notes, stars, collections and labels move to KEEP, and they are deleted.",
    )
    p.add_argument("keep", metavar="KEEP")
    p.add_argument("others", nargs="+", metavar="OTHER")
    p.add_argument("--json", action="store_true", help="print the merged entry as JSON")
    p.set_defaults(handler=cmd_merge)

    p = sub.add_parser(
        "keep-apart",
        parents=[parent],
        help="say that references are different papers (not duplicates)",
    )
    p.add_argument("ids", nargs="+", metavar="ID")
    p.set_defaults(handler=cmd_keep_apart)


def cmd_duplicates(args: argparse.Namespace) -> int:
    library = open_for(args, write=False)
    try:
        pairs = library.references.find_duplicates()
    finally:
        library.close()
    if args.json:
        print_json([p.to_dict() for p in pairs])
        return EXIT_OK
    for pair in pairs:
        print(f"{pair.id}  looks like  {pair.duplicate_of}  ({pair.reason})")
    print(counted(len(pairs), "possible duplicate"))
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    library = open_for(args, write=True)
    try:
        merged = library.references.merge(keep_id=args.keep, merge_ids=args.others)
        shown = library.catalogue.show(entry_id=merged.id)
    except ReferenceError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    if args.json:
        assert shown is not None  # merged in the transaction that just committed
        print_json(entry_json(*shown))
    else:
        print(f"Merged {', '.join(args.others)} into {merged.id}")
    return EXIT_OK


def cmd_keep_apart(args: argparse.Namespace) -> int:
    library = open_for(args, write=True)
    try:
        library.references.keep_apart(entry_ids=args.ids)
    except ReferenceError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    print(f"{', '.join(args.ids)} will not be offered as duplicates of each other again")
    return EXIT_OK

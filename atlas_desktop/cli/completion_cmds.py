"""``complete``, ``add``, ``completion``: records completed online and adding by identifier.

Only identifiers (DOIs, PMIDs) are sent, to PubMed, Crossref and doi.org; ``completion off``
stops all of it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from atlas_desktop.services.adding import AddError
from atlas_desktop.services.completion import CompletionOff, CompletionSettingsError

from .common import EXIT_BAD_INPUT, EXIT_OK, CliError, open_for, print_json


def register(sub: argparse._SubParsersAction[Any], parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "complete", parents=[parent],
        help="complete records from PubMed, Crossref and doi.org (volume, pages, notices...)",
        description="Look entries up by their PMID and DOI (only the identifiers are sent) "
        "and keep what PubMed, Crossref or doi.org say beside the atlas's values: volume, "
        "issue, pages, journal abbreviation, full date and authors, and retraction, "
        "correction and concern notices. Each entry's result: completed, unchanged, not "
        "found, or failed: <reason>.")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("ids", nargs="*", default=[], metavar="ID")
    scope.add_argument("--all", action="store_true", help="every entry with a DOI or PMID")
    scope.add_argument("--missing", action="store_true",
                       help="the entries with nothing completed yet")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_complete)

    p = sub.add_parser(
        "add", parents=[parent],
        help="add references to my library by DOI, PMID, PMCID or URL",
        description="Add complete references from identifiers: one or more DOIs, PMIDs, "
        "PMCIDs or links, or a pasted block of text (use - to read it from standard input) "
        "from which every DOI and PMID is taken. A DOI or PMID already in your library is "
        "not added twice; atlas entries with the same DOI or PMID are linked.")
    p.add_argument("identifiers", nargs="+", metavar="DOI|PMID|PMCID|URL")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser(
        "completion", parents=[parent],
        help="turn online completion on or off; contact e-mail; NCBI API key",
        description="Settings of online completion. With it off nothing is sent.")
    p.add_argument("action", choices=["status", "on", "off", "email", "api-key"])
    p.add_argument("value", nargs="?", default=None,
                   help="the e-mail address; for api-key: set or clear")
    p.add_argument("--stdin", action="store_true", help="read the API key from standard input")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_completion)


def cmd_complete(args: argparse.Namespace) -> int:
    library = open_for(args, write=True)
    try:
        report = library.completion.complete(
            entry_ids=None if args.all or args.missing else args.ids, missing=args.missing)
    except CompletionOff as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    if args.json:
        print_json(report.to_dict())
    else:
        for result in report.results:
            print(f"{result.entry_id}: {result.text}")
        print(report.summary(), file=sys.stderr)
    failed = [r for r in report.results if r.text.startswith("failed")]
    return EXIT_BAD_INPUT if failed and len(failed) == len(report.results) else EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    texts = [sys.stdin.read(2_000_000) if t == "-" else t for t in args.identifiers]
    library = open_for(args, write=True)
    try:
        results = library.adding.add(texts=texts)
    except (CompletionOff, AddError) as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    if args.json:
        print_json([r.to_dict() for r in results])
    else:
        for r in results:
            line = f"{r.identifier}: {r.result}" + (f" ({r.id})" if r.id else "")
            if r.linked_atlas_id:
                line += f", linked to the atlas entry {r.linked_atlas_id}"
            print(line)
            for d in r.duplicates:
                print(f"  possible duplicate: {d.id} looks like {d.duplicate_of} "
                      f"({d.reason}); nothing was merged")
    added = [r for r in results if r.result in {"added", "exists"}]
    return EXIT_OK if added else EXIT_BAD_INPUT


def cmd_completion(args: argparse.Namespace) -> int:
    library = open_for(args, write=args.action != "status")
    try:
        service = library.completion
        if args.action == "on":
            service.set_enabled(enabled=True)
        elif args.action == "off":
            service.set_enabled(enabled=False)
        elif args.action == "email":
            service.set_email(email=args.value)
        elif args.action == "api-key":
            if args.value == "clear":
                service.set_api_key(key=None)
            elif args.value in (None, "set"):
                key = (sys.stdin.readline() if args.stdin or not sys.stdin.isatty()
                       else getpass.getpass("NCBI API key: "))
                service.set_api_key(key=key.strip())
            else:
                raise CliError("Give the key on standard input, not on the command line "
                               "(it would show in the process list): "
                               "`atlas-desktop completion api-key set --stdin`.")
        config = service.online_config()
        status = {"enabled": service.enabled(), "email": config.email,
                  "api_key": config.api_key is not None, "pending": len(service.pending()),
                  "eutils_url": config.eutils_url, "crossref_url": config.crossref_url,
                  "doi_url": config.doi_url}
    except CompletionSettingsError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    if args.json:
        print_json(status)
    else:
        print(f"Completion is {'on' if status['enabled'] else 'off'}"
              f"{'' if status['enabled'] else ' (nothing is sent)'}.")
        print(f"Contact e-mail: {status['email'] or '(none)'}; NCBI API key: "
              f"{'set' if status['api_key'] else 'not set'}; waiting: {status['pending']}.")
        print(f"PubMed: {status['eutils_url']}\nCrossref: {status['crossref_url']}\n"
              f"doi.org: {status['doi_url']}")
    return EXIT_OK

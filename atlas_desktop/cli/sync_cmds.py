"""``sync`` (send the outbox, pull the catalogue) and ``serve`` (the reference server).

``sync`` exits 0 when everything that could be done was done (reports needing the user's
attention included) and 1 when the server could not be reached or refused, or no server is
set. The token comes from ``ATLAS_DESKTOP_TOKEN`` when set, else from the OS keyring.
"""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from atlas_desktop.domain.sync import CatalogueUpdate, SyncResult
from atlas_desktop.domain.wording import counted
from atlas_desktop.formats.text import FormatError
from atlas_desktop.refserver import FaultPlan, RefServer
from atlas_desktop.services.sync import SyncSettingsError
from atlas_desktop.services.sync_run import SyncOptions

from .common import EXIT_BAD_INPUT, EXIT_OK, CliError, open_for, print_json

TOKEN_ENV = "ATLAS_DESKTOP_TOKEN"
SERVER_TOKEN_ENV = "ATLAS_REFSERVER_TOKEN"
#: Changes listed in the text summary before "and N more".
_LISTED = 20


def _rate(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("a share between 0 and 1, such as 0.2")
    return value


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("a number of seconds above 0")
    return value


def register(sub: argparse._SubParsersAction[Any], parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "sync", parents=[parent], help="send queued reports and pull catalogue updates",
        description="Send the outbox's reports to the atlas server, pull catalogue updates "
        "and refresh the review status of sent reports. Without --once, reports that failed "
        "for a passing reason are retried for up to --wait seconds.")
    p.add_argument("--server", metavar="URL", help="set the server's address (kept for later "
                   "runs); https:// except for a server on this computer")
    p.add_argument("--once", action="store_true",
                   help="one attempt per report, then stop (like “Sync now”)")
    p.add_argument("--wait", type=float, default=60.0, metavar="SECONDS",
                   help="without --once: how long to keep retrying (default 60)")
    p.add_argument("--timeout", type=_positive, default=30.0, metavar="SECONDS",
                   help="how long to wait for the server's answer (default 30)")
    p.add_argument("--page-size", type=int, default=500, metavar="N",
                   help="catalogue entries per request (1-1000, default 500)")
    p.add_argument("--from-start", action="store_true",
                   help="pull the whole catalogue again instead of only what changed")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_sync)
    ssub = p.add_subparsers(dest="sync_command", metavar="ACTION")
    t = ssub.add_parser("token", parents=[parent], help="keep or remove the server's token")
    t.add_argument("action", choices=["set", "clear"])
    t.add_argument("--stdin", action="store_true", help="read the token from standard input")
    t.set_defaults(handler=cmd_token)
    c = ssub.add_parser("changes", parents=[parent],
                        help="what the latest catalogue update changed")
    c.add_argument("--unseen", action="store_true",
                   help="everything since the changes were last marked seen")
    c.add_argument("--mark-seen", action="store_true")
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=cmd_changes)
    r = ssub.add_parser("retry", parents=[parent],
                        help="queue again a report the server refused (not for 400/409/413/422)")
    r.add_argument("report_id")
    r.set_defaults(handler=cmd_retry)
    s = ssub.add_parser("status", parents=[parent], help="the server, the last sync, the outbox")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_status)

    p = sub.add_parser(
        "serve", help="run the reference atlas server (for trying Atlas Desktop out and tests)",
        description="Serve atlas API v1 from a SQLite file, optionally filled from a bundle, "
        "with switches for faults. Runs until Ctrl-C.")
    p.add_argument("--port", type=int, required=True, help="port to listen on (0: any free)")
    p.add_argument("--db", type=Path, required=True, metavar="FILE",
                   help="the server's SQLite file (created if missing)")
    p.add_argument("--bundle", type=Path, metavar="FILE",
                   help="make the catalogue this bundle's entries (others are withdrawn)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                   "127.0.0.1)")
    p.add_argument("--base-path", default="", metavar="PATH", help="serve under a path, "
                   "such as /api")
    p.add_argument("--token-file", type=Path, default=None, metavar="FILE",
                   help="require the bearer token written in FILE (its first line)")
    p.add_argument("--token", default=None,
                   help=f"require this token; prefer --token-file or ${SERVER_TOKEN_ENV}: "
                   "a token on the command line is visible to every user in the process list")
    p.add_argument("--fail-rate", type=_rate, default=0.0, metavar="SHARE",
                   help="answer this share of requests with 500")
    p.add_argument("--busy-rate", type=_rate, default=0.0, metavar="SHARE",
                   help="answer this share with 503 and Retry-After")
    p.add_argument("--retry-after", default="1", metavar="VALUE",
                   help="the Retry-After value sent with 503 (seconds or an HTTP date)")
    p.add_argument("--drop-rate", type=_rate, default=0.0, metavar="SHARE",
                   help="store, then close the connection without answering")
    p.add_argument("--slow-rate", type=_rate, default=0.0, metavar="SHARE",
                   help="answer this share only after --slow-seconds")
    p.add_argument("--slow-seconds", type=float, default=35.0, metavar="SECONDS",
                   help="how late a slow answer comes (default 35: past the client's 30)")
    p.add_argument("--delay", type=float, default=0.0, metavar="SECONDS",
                   help="latency added to every answer (not a fault)")
    p.add_argument("--seed", type=int, default=None, help="seed for the fault dice")
    p.add_argument("--verbose", action="store_true", help="log every request")
    p.set_defaults(handler=cmd_serve)


# --------------------------------------------------------------------------- sync


def cmd_sync(args: argparse.Namespace) -> int:
    if not 1 <= args.page_size <= 1000:
        raise CliError("--page-size must be between 1 and 1000.", 2)
    library = open_for(args, write=True)
    try:
        service = library.sync
        service.options = SyncOptions(read_timeout=args.timeout, page_limit=args.page_size)
        if args.server is not None:
            try:
                url = service.set_server_url(url=args.server)
            except SyncSettingsError as exc:
                raise CliError(str(exc)) from None
            if not args.json:
                print(f"Server set to {url}.", file=sys.stderr)
        if args.from_start:
            service.restart_pull()
        token = os.environ.get(TOKEN_ENV) or None
        if args.once:
            result = service.run(explicit=True, token=token)
        else:
            result = service.run_until_settled(max_wait=max(0.0, args.wait), token=token)
    finally:
        library.close()
    if args.json:
        print_json(result.to_dict())
    else:
        _print_result(result)
    return EXIT_OK if result.ok else EXIT_BAD_INPUT


def _print_result(result: SyncResult) -> None:
    if result.server_url:
        print(f"Server: {result.server_url}")
    print(f"Reports: {len(result.sent)} sent, {len(result.replayed)} replayed, "
          f"{len(result.needs_attention)} need attention, {result.still_queued} still queued.")
    for item in result.needs_attention:
        print(f"  needs attention: {item.report_id} ({item.entry_id}): {item.message}")
    for report_id in result.withheld:
        print(f"  not sent: {report_id} is about one of your own references (withdrawn)")
    entries = result.catalogue
    print(f"Entries: {len(entries.new)} new, {len(entries.changed)} changed, "
          f"{len(entries.withdrawn)} withdrawn.")
    _print_changes(entries, indent="  ")
    for reason in entries.refused:
        print(f"  not applied: {reason[0]}: {reason[1]}")
    if result.statuses_updated:
        print(f"Review status refreshed for {counted(len(result.statuses_updated), 'report')}.")
    stream = sys.stdout if result.ok else sys.stderr
    print(result.message, file=stream)
    for extra in result.errors[1:] if not result.ok else result.errors:
        print(extra, file=sys.stderr)


def _print_changes(update: CatalogueUpdate, indent: str = "") -> None:
    listed = [*update.changed, *update.withdrawn]
    if len(update.new) <= 5:
        listed = [*update.new, *listed]
    for change in listed[:_LISTED]:
        print(indent + change.describe())
    if len(listed) > _LISTED:
        print(f"{indent}… and {len(listed) - _LISTED} more (atlas-desktop sync changes)")


def cmd_token(args: argparse.Namespace) -> int:
    library = open_for(args, write=True)
    try:
        if args.action == "clear":
            library.sync.set_token(token=None)
            print("Token removed.", file=sys.stderr)
            return EXIT_OK
        info = library.sync.keyring_info()
        if not info.available:
            raise CliError(info.description)
        if args.stdin or not sys.stdin.isatty():
            token = sys.stdin.readline().strip()
        else:
            token = getpass.getpass("Token (not shown): ").strip()
        if not token:
            raise CliError("No token was given; nothing was saved.")
        library.sync.set_token(token=token)
        print(f"Token saved in the keyring ({info.description}).", file=sys.stderr)
        return EXIT_OK
    except SyncSettingsError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()


def cmd_retry(args: argparse.Namespace) -> int:
    library = open_for(args, write=True)
    try:
        library.sync.retry_report(report_id=args.report_id)
    except SyncSettingsError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    print("Queued again; it is sent at the next sync.", file=sys.stderr)
    return EXIT_OK


def cmd_changes(args: argparse.Namespace) -> int:
    """What the latest sync changed (or, with --unseen, every sync since last marked seen),
    sync by sync with its date, one line per entry: what the window's list shows."""
    library = open_for(args, write=args.mark_seen)
    try:
        syncs = library.sync.changes_by_sync(unseen=args.unseen)
        if args.mark_seen:
            library.sync.mark_changes_seen()
    finally:
        library.close()
    if args.json:
        every = [s.update for s in syncs]
        print_json({"new": [c.to_dict() for u in every for c in u.new],
                    "changed": [c.to_dict() for u in every for c in u.changed],
                    "withdrawn": [c.to_dict() for u in every for c in u.withdrawn],
                    "syncs": [s.to_dict() for s in syncs]})
        return EXIT_OK
    if not syncs:
        print("No catalogue changes to show.")
        return EXIT_OK
    for sync in syncs:
        print(sync.heading() + ".")
        for change in [*sync.update.new, *sync.update.changed, *sync.update.withdrawn]:
            print("  " + change.describe())
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    library = open_for(args, write=False)
    try:
        overview = library.sync.overview()
        keyring_info = library.sync.keyring_info()
        has_token = library.sync.has_token()
    finally:
        library.close()
    if args.json:
        print_json({
            "state": overview.state.value, "message": overview.message,
            "server_url": overview.server_url, "last_success_at": overview.last_success_at,
            "last_run_at": overview.last_run_at, "queued": overview.queued,
            "needs_attention": overview.needs_attention,
            "unseen_changes": overview.unseen_changes, "wait_until": overview.wait_until,
            "token": has_token, "keyring": keyring_info.available,
        })
        return EXIT_OK
    print(f"Server: {overview.server_url or 'not set'}")
    print(f"Token: {'saved in the keyring' if has_token else 'none'}"
          + ("" if keyring_info.available else " (no keyring on this computer)"))
    print(overview.status_line())
    return EXIT_OK


# --------------------------------------------------------------------------- serve


def _server_token(args: argparse.Namespace) -> str | None:
    """The token from --token-file, else $ATLAS_REFSERVER_TOKEN, else --token (warned)."""
    if args.token_file is not None:
        try:
            with open(args.token_file, encoding="utf-8") as handle:
                token = handle.readline(4096).strip()
        except OSError as exc:
            raise CliError(f"Cannot read the token file {args.token_file}: "
                           f"{exc.strerror or exc}.") from None
        if not token:
            raise CliError(f"The token file {args.token_file} is empty.")
        return token
    if args.token:
        print(f"atlas-desktop: warning: --token puts the token in the process list, where "
              f"every user of this computer can read it; use --token-file FILE or "
              f"${SERVER_TOKEN_ENV} instead.", file=sys.stderr, flush=True)
        return str(args.token)
    return os.environ.get(SERVER_TOKEN_ENV) or None


def cmd_serve(args: argparse.Namespace) -> int:
    token = _server_token(args)
    try:
        faults = FaultPlan(
            fail_rate=args.fail_rate, busy_rate=args.busy_rate,
            retry_after=args.retry_after or None, drop_rate=args.drop_rate,
            slow_rate=args.slow_rate, slow_seconds=args.slow_seconds,
            delay_seconds=max(0.0, args.delay), seed=args.seed)
    except ValueError as exc:
        raise CliError(f"Fault shares: {exc}.", 2) from None
    base_path = args.base_path.rstrip("/")
    if base_path and not base_path.startswith("/"):
        base_path = "/" + base_path
    try:
        server = RefServer(args.db, host=args.host, port=args.port, token=token,
                           faults=faults, base_path=base_path, quiet=not args.verbose)
    except OSError as exc:
        raise CliError(
            f"Cannot listen on {args.host}:{args.port}: {exc.strerror or exc}.") from None
    except Exception as exc:  # sqlite3.DatabaseError for a file that is not a database
        raise CliError(f"Cannot use {args.db} as the server's database: {exc}.") from None
    try:
        if args.bundle is not None:
            try:
                changed, withdrawn = server.load_bundle(args.bundle)
            except FormatError as exc:
                raise CliError(f"{args.bundle}: {exc.message}") from None
            except OSError as exc:
                raise CliError(f"Cannot read {args.bundle}: {exc.strerror or exc}.") from None
            print(f"Catalogue from {args.bundle}: {counted(changed, 'entry')} added or changed, "
                  f"{withdrawn} withdrawn.", flush=True)
        print(f"Atlas reference server listening on {server.url} (data in {args.db}"
              f"{', token required' if token else ''}). Press Ctrl-C to stop.", flush=True)
        # Ctrl-C and a plain `kill` stop it cleanly, however it was started: a shell that
        # runs a command in the background (`serve … &` in a script) hands it SIGINT ignored.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _stop_serving)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("Stopped.", file=sys.stderr)
    finally:
        server.stop()
    return EXIT_OK


def _stop_serving(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt

"""``cite`` and ``styles``: formatted citations on standard output, and the style registry."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from atlas_desktop.domain.citation import CitationCopy, CopyKind
from atlas_desktop.services.citations import CitationError

from .common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    error,
    open_for,
    print_json,
    warn_retracted,
)

_STYLED_FORMATS = ("text", "html", "rtf")
_EXPORT_FORMATS = {"bibtex": CopyKind.BIBTEX, "ris": CopyKind.RIS, "csl-json": CopyKind.CSL_JSON}


def register(sub: argparse._SubParsersAction[Any], parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "cite",
        parents=[parent],
        help="print the citation of entries in a citation style",
        description="Print entries formatted in a CSL citation style (several entries: one "
        "bibliography in the style's order). STYLE is apa, vancouver, ama, harvard, chicago, "
        "the id of any installed CSL style (see `atlas-desktop styles WORD`), or the path of "
        "a .csl file; without --style, your default style. Entries the engine cannot format "
        "are named on stderr and the exit code is 1; the others are still printed. A "
        "retracted paper is named on stderr every time and the exit code is 3, unless "
        "--allow-retracted.",
    )
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--style", default=None, metavar="STYLE",
                   help="apa | vancouver | ama | harvard | chicago | a style id | FILE.csl")
    p.add_argument("--format", default="text", dest="fmt",
                   choices=[*_STYLED_FORMATS, *_EXPORT_FORMATS],
                   help="text (default), html or rtf of the formatted citation; or the "
                   "entries as bibtex, ris or csl-json")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--in-text", action="store_true",
                      help="the in-text citation, e.g. (Heins et al., 2013)")
    what.add_argument("--with-evidence", action="store_true",
                      help="the reference plus the atlas's badges, what the study does not "
                      "prove, and the snapshot reference (for clinic letters)")
    what.add_argument("--snapshot", action="store_true",
                      help="cite the atlas's reading of the paper on its date, not the paper")
    p.add_argument("--locale", default=None, metavar="LANG",
                   help="citation language, e.g. en-GB (default: your preference, else the "
                   "style's own, else en-US)")
    p.add_argument("--json", action="store_true",
                   help="print text, html, rtf, failures, warnings and retracted papers as "
                   "one JSON object")
    p.add_argument("--double-spacing", action=argparse.BooleanOptionalAction, default=None,
                   help="html and rtf double-spaced, as a manuscript is (default: your "
                   "preference, else single-spaced)")
    p.add_argument("--allow-retracted", action="store_true",
                   help="cite retracted papers without the warning (and exit 0); without it "
                   "each is named on stderr and the exit code is 3")
    p.set_defaults(handler=cmd_cite)

    p = sub.add_parser(
        "styles",
        parents=[parent],
        help="list citation styles or set the default one",
        description="Without words: the offered styles and your default. With words: the "
        "installed CSL styles whose id or title contains all of them.",
    )
    p.add_argument("words", nargs="*", metavar="WORD")
    p.add_argument("--set-default", default=None, metavar="STYLE",
                   help="make STYLE the default for `cite` and Ctrl+Shift+C in the window")
    p.add_argument("--set-locale", default=None, metavar="LANG",
                   help="the citation language for every style without one of its own "
                   "(e.g. en-GB); \"\" goes back to each style's own")
    p.add_argument("--set-double-spacing", choices=["on", "off"], default=None,
                   help="copied bibliographies double-spaced, as a manuscript is (off: single, "
                   "whatever the style says)")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_styles)


def _kind(args: argparse.Namespace) -> CopyKind:
    if args.fmt in _EXPORT_FORMATS:
        if args.in_text or args.with_evidence or args.snapshot or args.style:
            raise CliError(f"--format {args.fmt} prints the entries' data; it takes no style "
                           "and cannot be combined with --in-text, --with-evidence or "
                           "--snapshot.", code=EXIT_USAGE)
        return _EXPORT_FORMATS[args.fmt]
    if args.in_text:
        return CopyKind.IN_TEXT
    if args.with_evidence:
        return CopyKind.WITH_EVIDENCE
    if args.snapshot:
        return CopyKind.SNAPSHOT
    return CopyKind.BIBLIOGRAPHY


def cmd_cite(args: argparse.Namespace) -> int:
    kind = _kind(args)
    formats = list(_STYLED_FORMATS) if args.json else [args.fmt if args.fmt in
                                                      _STYLED_FORMATS else "text"]
    library = open_for(args, write=False)
    try:
        copy = library.citations.copy(entry_ids=args.ids, kind=kind, style=args.style,
                                      formats=formats,  # type: ignore[arg-type]
                                      locale=args.locale, double_spacing=args.double_spacing)
    except CitationError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    if args.json:
        print_json(_as_json(copy))
    elif not copy.is_empty:
        content = copy.content
        out = {"html": content.html, "rtf": content.rtf}.get(args.fmt) or content.text
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    for warning in copy.warnings:
        print(f"atlas-desktop: check: {warning}", file=sys.stderr)
    for failure in copy.failures:
        error(f"not formatted: {failure.describe()}")
    if copy.is_empty and not args.json:
        error("nothing could be formatted.")
    retracted = warn_retracted(copy.retracted, allowed=args.allow_retracted)
    return EXIT_BAD_INPUT if copy.failures or copy.is_empty else retracted


def _as_json(copy: CitationCopy) -> dict[str, Any]:
    return {
        "kind": copy.kind.value,
        "description": copy.description,
        "entry_ids": list(copy.entry_ids),
        "text": copy.content.text,
        "html": copy.content.html,
        "rtf": copy.content.rtf,
        "failures": [{"entry_id": f.entry_id, "reason": f.reason} for f in copy.failures],
        "warnings": list(copy.warnings),
        "retracted": [{"entry_id": r.entry_id, "label": r.label, "notice": r.notice}
                      for r in copy.retracted],
    }


def cmd_styles(args: argparse.Namespace) -> int:
    writes = any(x is not None for x in (args.set_default, args.set_locale,
                                          args.set_double_spacing))
    library = open_for(args, write=writes)
    try:
        service = library.citations
        if writes:
            if args.set_default is not None:
                info = service.set_default_style(style=args.set_default)
                print(f"The default citation style is now {info.label} ({info.spec}).",
                      file=sys.stderr)
            if args.set_locale is not None:
                tag = service.set_locale(locale=args.set_locale or None)
                print(f"The citation language is now {tag or 'each style’s own'}.",
                      file=sys.stderr)
            if args.set_double_spacing is not None:
                service.set_double_spacing(enabled=args.set_double_spacing == "on")
                print("Copied bibliographies are now "
                      f"{'double' if args.set_double_spacing == 'on' else 'single'}-spaced.",
                      file=sys.stderr)
            return EXIT_OK
        default = service.default_style()
        locale = service.locale()
        double = service.double_spacing()
        if args.words:
            found = service.find_styles(query=" ".join(args.words), limit=args.limit)
            if args.json:
                print_json([{"id": s.style_id, "title": s.title} for s in found])
            else:
                for style in found:
                    print(f"{style.style_id}\t{style.title}")
                if not found:
                    print("No installed style matches.", file=sys.stderr)
            return EXIT_OK
        offered = service.offered_styles()
        try:
            default_info = service.describe_style(style=default)
        except CitationError as exc:
            default_info = None
            error(f"the default style “{default}” cannot be used: {exc}")
    except CitationError as exc:
        raise CliError(str(exc)) from None
    finally:
        library.close()
    if args.json:
        print_json({"default": default, "locale": locale, "double_spacing": double,
                    "offered": [{"name": s.spec, "id": s.style_id, "title": s.title}
                                for s in offered]})
        return EXIT_OK
    shown = f"{default_info.label} ({default})" if default_info else default
    print(f"Default style: {shown}")
    print(f"Citation language: {locale or 'each style’s own (else en-US)'}")
    print(f"Line spacing of copies: {'double' if double else 'single'}")
    for style in offered:
        mark = "*" if default_info and default_info.style_id == style.style_id else " "
        print(f"{mark} {style.spec:<10} {style.title}  [{style.style_id}]")
    print("Any installed style id or a .csl file path also works; "
          "`atlas-desktop styles WORD` searches them.", file=sys.stderr)
    return EXIT_OK

"""One citeproc-js engine for one style, running in its own V8 context (mini-racer).

Invariants:
- A V8 context is not thread-safe: every call into it holds ``self._lock``; callers on any
  thread may use one engine.
- An engine error on one item never loses the others: the batch is split until the failing
  items are found, the rest are rendered together (so year suffixes such as 2019a/2019b are
  still right), and each failure is reported with the entry id and the engine's reason.
- Every engine is closed at interpreter exit (mini-racer hangs in its finaliser otherwise).
"""

from __future__ import annotations

import atexit
import re
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, Literal

from atlas_desktop.domain.citation import ItemFailure

from .assets import citeproc_js_path
from .errors import EngineClosed, RenderFailed, StyleInvalid
from .locales import all_locales
from .styles import StyleSource

if TYPE_CHECKING:
    from py_mini_racer import MiniRacer

Format = Literal["text", "html", "rtf"]
FORMATS: Final[tuple[Format, ...]] = ("text", "html", "rtf")

#: A render of thousands of items takes seconds; anything far beyond is a runaway style.
RENDER_TIMEOUT_S: Final = 120.0
BUILD_TIMEOUT_S: Final = 60.0


@dataclass(frozen=True, slots=True)
class Layout:
    """How the style lays out its bibliography (what the HTML/RTF documents reproduce)."""

    hanging_indent: bool = False
    line_spacing: float = 1.0
    entry_spacing: float = 0.0
    #: "flush" / "margin" for numbered styles whose label sits in the margin, else None.
    second_field_align: str | None = None
    #: Width of the widest label in characters (numbered styles).
    max_offset: int = 0


@dataclass(frozen=True, slots=True)
class Rendering:
    """The engine's output for a batch of items.

    ``order`` is the bibliography's order (the style's sort, or citation order for numbered
    styles). ``entries[fmt][id]`` is an entry's bibliography text, ``each[fmt][id]`` its
    in-text citation alone, ``cluster[fmt]`` one in-text citation of all rendered items.
    """

    order: tuple[str, ...]
    layout: Layout
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    each: dict[str, dict[str, str]] = field(default_factory=dict)
    cluster: dict[str, str] = field(default_factory=dict)
    failures: tuple[ItemFailure, ...] = ()
    has_bibliography: bool = True


@cache
def _glue_js() -> str:
    return resources.files("atlas_desktop.citations").joinpath("glue.js").read_text("utf-8")


@cache
def _citeproc_js() -> str:
    return citeproc_js_path().read_text("utf-8")


_live_engines: weakref.WeakSet[CiteprocEngine] = weakref.WeakSet()
#: Contexts of engines stopped midway (timeout, out of memory), closed only at exit: V8 still
#: reports the termination to the context's event loop for a moment after the call returns.
_retired: list[MiniRacer] = []


@atexit.register
def _close_live_engines() -> None:
    for engine in list(_live_engines):
        engine.close()
    while _retired:
        _retired.pop().close()


class CiteprocEngine:
    """A built engine for ``source``. Construction takes 0.3-1 s: do it off the UI thread.

    ``locale`` is the user's citation language (a normalised tag); it applies when the style
    names no language of its own, and never overrides a dependent style's language.
    """

    def __init__(self, source: StyleSource, *, locale: str | None = None) -> None:
        self.source = source
        self.locale = locale
        self._lock = threading.Lock()
        self._closed = False
        started = time.perf_counter()
        self.render_timeout_s = RENDER_TIMEOUT_S
        # Imported here: mini-racer brings asyncio (~20 ms), which no other CLI command needs.
        from py_mini_racer import JSEvalException, JSTimeoutException, MiniRacer

        citeproc, locales = _citeproc_js(), all_locales()  # may raise EngineUnavailable
        self._ctx: MiniRacer = MiniRacer()
        _live_engines.add(self)
        try:
            # Held while building, so an exit-time close() waits instead of tearing V8 down
            # under a running build.
            with self._lock:
                self._ctx.eval("var module = {exports: {}};")
                self._ctx.eval(citeproc)
                self._ctx.eval(_glue_js())
                self._ctx.call("ATLAS.setLocales", locales)
                lang, force = (source.locale, True) if source.locale else (locale, False)
                info = self._ctx.call("ATLAS.build", source.xml, lang or "", force,
                                      timeout_sec=BUILD_TIMEOUT_S)
        except (JSEvalException, JSTimeoutException) as exc:
            self.close()
            raise StyleInvalid(f"The style “{source.info.label}” could not be loaded by the "
                               f"citation engine: {engine_reason(exc)}") from None
        except BaseException:
            self.close()
            raise
        self.style_class: str = str(info.get("styleClass") or "in-text")
        self.has_bibliography: bool = bool(info.get("hasBibliography"))
        self.build_seconds = time.perf_counter() - started

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._ctx.close()

    def _discard(self) -> None:
        """Retire this engine from inside a call (lock held). V8 stopped the script midway, so
        citeproc-js's registry may be half updated; the cache builds a fresh engine."""
        self._closed = True
        _retired.append(self._ctx)

    @property
    def closed(self) -> bool:
        return self._closed

    def render(self, items: Sequence[dict[str, Any]], *, formats: Sequence[Format] = FORMATS,
               each: bool = False, cluster: bool = False) -> Rendering:
        """Render CSL-JSON ``items`` (unique ids) in ``formats``. Never raises for bad items:
        they come back in ``failures``. Raises RenderFailed only if the engine itself broke."""
        from py_mini_racer import JSEvalException

        # Per-item citations are how an item that prints nothing in a cluster is spotted.
        request = {"formats": list(formats), "each": each or cluster, "cluster": cluster}
        good = list(items)
        failures: list[ItemFailure] = []
        raw: dict[str, Any] | None
        try:
            raw = self._call_render(good, request)
        except JSEvalException:
            failures = self._find_failures(good, request)
            bad = {f.entry_id for f in failures}
            good = [item for item in good if item["id"] not in bad]
            raw = self._render_rest(good, request)
        empty = _unprintable(raw) if raw is not None else set()
        if empty:
            # Rendered again without them, so numbering and year suffixes ignore them.
            failures.extend(ItemFailure(i, NOTHING_PRINTED) for i in sorted(empty))
            good = [item for item in good if item["id"] not in empty]
            raw = self._render_rest(good, request)
        return self._rendering(raw, good, failures, each=each)

    def _render_rest(self, good: list[dict[str, Any]],
                     request: dict[str, Any]) -> dict[str, Any] | None:
        """The items left after the failing ones were taken out. If they still fail together
        (each rendered alone), no single item is to blame: the whole copy fails."""
        from py_mini_racer import JSEvalException

        if not good:
            return None
        try:
            return self._call_render(good, request)
        except JSEvalException as exc:
            raise RenderFailed("The citation engine could not format these entries "
                               f"together: {engine_reason(exc)}") from None

    def _call_render(self, items: list[dict[str, Any]],
                     request: dict[str, Any]) -> dict[str, Any]:
        return self.call_glue("ATLAS.render", {**request, "items": items})

    def call_glue(self, function: str, request: dict[str, Any]) -> dict[str, Any]:
        """One call into the engine (``ATLAS.render`` or ``ATLAS.renderDocument``). A
        JavaScript exception (a bad item) propagates as JSEvalException; the engine running
        out of time or memory, or anything else going wrong in V8, becomes RenderFailed,
        because no item is to blame."""
        from py_mini_racer import (
            JSEvalException,
            JSOOMException,
            JSTimeoutException,
        )

        with self._lock:
            if self._closed:
                raise EngineClosed("The citation engine was closed.")
            try:
                result = self._ctx.call(function, request, timeout_sec=self.render_timeout_s)
            except JSTimeoutException:
                self._discard()
                raise RenderFailed("The citation engine took too long and was stopped.") from None
            except JSOOMException:
                self._discard()
                raise RenderFailed("The citation engine ran out of memory; copy fewer entries "
                                   "at a time.") from None
            except JSEvalException:
                raise
            except Exception as exc:  # V8 or the bridge failing, not an item
                raise RenderFailed(f"The citation engine failed: {exc}") from None
        if not isinstance(result, dict):
            raise RenderFailed("The citation engine returned something unexpected.")
        return result

    def _find_failures(self, items: list[dict[str, Any]],
                       request: dict[str, Any]) -> list[ItemFailure]:
        """Halve the batch until each failing item is alone: O(k log n) engine calls for k
        bad items, instead of one call per item."""
        from py_mini_racer import JSEvalException

        probe = {**request, "formats": ["text"]}
        if len(items) == 1:
            try:
                self._call_render(items, probe)
            except JSEvalException as exc:
                return [ItemFailure(str(items[0]["id"]),
                                    "the citation engine stopped on it: " + engine_reason(exc))]
            return []
        middle = len(items) // 2
        out: list[ItemFailure] = []
        for half in (items[:middle], items[middle:]):
            try:
                self._call_render(half, probe)
            except JSEvalException:
                out.extend(self._find_failures(half, request))
        return out

    def _rendering(self, raw: dict[str, Any] | None, good: list[dict[str, Any]],
                   failures: list[ItemFailure], *, each: bool) -> Rendering:
        if raw is None:
            return Rendering(order=(), layout=Layout(), failures=tuple(failures),
                             has_bibliography=self.has_bibliography)
        skipped = {str(e["id"]) for e in raw.get("errors", [])}
        order = tuple(str(i) for i in raw.get("order", []) if str(i) not in skipped)
        if not self.has_bibliography:
            order = tuple(str(item["id"]) for item in good)
        # The engine's list of entries leaves out the ones it could not print.
        entries = {fmt: {i: _tidy(fmt, t) for i, t in zip(order, texts, strict=False)}
                   for fmt, texts in raw.get("entries", {}).items()}
        per_item = ({fmt: {str(k): _tidy(fmt, v) for k, v in cites.items()}
                     for fmt, cites in raw.get("each", {}).items()} if each else {})
        cluster = {fmt: _tidy(fmt, v) for fmt, v in raw.get("cluster", {}).items()}
        return Rendering(order=order, layout=_layout(raw.get("layout")), entries=entries,
                         each=per_item, cluster=cluster, failures=tuple(failures),
                         has_bibliography=self.has_bibliography)


NOTHING_PRINTED: Final = ("the style prints nothing for it (it lacks the fields this style "
                          "needs, such as a title or authors)")
#: What citeproc-js prints in place of an item that renders to nothing.
_ERROR_MARKERS: Final = ("[CSL STYLE ERROR", "[NO_PRINTED_FORM]")


def _unprintable(raw: dict[str, Any]) -> set[str]:
    """Ids the engine rendered to nothing (reported by it, or marked in a citation)."""
    out = {str(e["id"]) for e in raw.get("errors", [])}
    for cites in raw.get("each", {}).values():
        out.update(str(k) for k, v in cites.items()
                   if any(m in str(v) for m in _ERROR_MARKERS))
    return out


def _layout(raw: Any) -> Layout:
    if not isinstance(raw, dict):
        return Layout()
    align = raw.get("secondFieldAlign")
    return Layout(
        hanging_indent=bool(raw.get("hangingindent")),
        line_spacing=float(raw.get("linespacing") or 1),
        entry_spacing=float(raw.get("entryspacing") or 0),
        second_field_align=str(align) if align else None,
        max_offset=int(raw.get("maxoffset") or 0),
    )


_RTF_UNICODE_RE: Final = re.compile(r"\\u(\d{5})")


def _tidy(fmt: str, text: Any) -> str:
    out = str(text or "").strip()
    if fmt == "rtf":
        # RTF's \uN takes a signed 16-bit number; citeproc-js writes 32768-65535 unsigned.
        out = _RTF_UNICODE_RE.sub(
            lambda m: f"\\u{int(m.group(1)) - 65536 if int(m.group(1)) > 32767 else m.group(1)}",
            out,
        )
    return out


_JS_NOISE_RE: Final = re.compile(r"^(?:<anonymous>:\d+:\s*)?(?:Uncaught\s+)?"
                                 r"(?:citeproc-js error:\s*)?(?:CSL data error:\s*)?")


def engine_reason(exc: BaseException) -> str:
    """The first line of a JavaScript error, without the engine's own prefixes."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    reason = _JS_NOISE_RE.sub("", first).strip() or first
    return reason[:300]

"""Built engines, one per style, kept for the life of the process.

Building an engine takes 0.3-1 s; rendering with a built one takes a few milliseconds. So the
window asks for the default style's engine at start-up (:meth:`EngineCache.prefetch`, on a
background thread) and every later copy finds it ready.

Invariants: at most one build per style runs at a time (a second caller waits for the first
build instead of starting its own); a failed build is not cached, so a corrected style file
is tried again; at most ``max_engines`` engines stay open, the least recently used is closed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future

from .engine import CiteprocEngine
from .styles import StyleSource


class EngineCache:
    def __init__(self, *, max_engines: int = 6) -> None:
        self._max = max(1, max_engines)
        self._lock = threading.Lock()
        self._engines: OrderedDict[str, Future[CiteprocEngine]] = OrderedDict()

    def engine(self, source: StyleSource, locale: str | None = None) -> CiteprocEngine:
        """The engine for ``source`` in ``locale``, built now on this thread if nobody has
        built it. Blocks while a build runs: call it off the UI thread unless :meth:`ready`."""
        key = _key(source, locale)
        with self._lock:
            future = self._engines.get(key)
            if future is not None and future.done() and future.exception() is None \
                    and future.result().closed:
                future = None
            owner = future is None
            if owner:
                future = Future()
                future.set_running_or_notify_cancel()
                self._engines[key] = future
            else:
                self._engines.move_to_end(key)
        assert future is not None
        if owner:
            try:
                future.set_result(CiteprocEngine(source, locale=locale))
            except BaseException as exc:
                with self._lock:
                    if self._engines.get(key) is future:
                        del self._engines[key]
                future.set_exception(exc)
            self._evict()
        return future.result()

    def prefetch(self, source: StyleSource, locale: str | None = None) -> None:
        """Start building ``source``'s engine on a background thread; return at once."""
        if self.ready(source, locale) or self.building(source, locale):
            return
        thread = threading.Thread(target=self._build_quietly, args=(source, locale),
                                  name=f"citeproc-build-{source.info.style_id}", daemon=True)
        thread.start()

    def _build_quietly(self, source: StyleSource, locale: str | None) -> None:
        try:
            self.engine(source, locale)
        except Exception:  # reported to whoever asks for this engine next
            return

    def ready(self, source: StyleSource, locale: str | None = None) -> bool:
        with self._lock:
            future = self._engines.get(_key(source, locale))
            return bool(future is not None and future.done() and future.exception() is None
                        and not future.result().closed)

    def building(self, source: StyleSource, locale: str | None = None) -> bool:
        with self._lock:
            future = self._engines.get(_key(source, locale))
            return bool(future is not None and not future.done())

    def _evict(self) -> None:
        with self._lock:
            victims = []
            while len(self._engines) > self._max:
                key, future = next(iter(self._engines.items()))
                if not future.done():
                    break
                del self._engines[key]
                victims.append(future)
        for future in victims:
            if future.exception() is None:
                future.result().close()

    def close(self) -> None:
        with self._lock:
            futures = list(self._engines.values())
            self._engines.clear()
        for future in futures:
            if future.done() and future.exception() is None:
                future.result().close()


def _key(source: StyleSource, locale: str | None) -> str:
    # A dependent style's own language wins over the user's, so the user's does not split
    # the cache for it.
    return source.cache_key if source.locale else f"{source.cache_key}|{locale or ''}"


_shared = EngineCache()


def shared_engines() -> EngineCache:
    """The process's engine cache (libraries come and go; built engines stay useful)."""
    return _shared

"""Citation rendering: CSL styles through citeproc-js (on V8) and clipboard documents. Plain
Python apart from the V8 engine; no Qt, no SQL. (Copies as BibTeX, RIS and CSL-JSON are
written by the file export's writers in ``formats``: one writer per format.)

Layout: ``assets`` (where the engine, styles and locales are), ``styles`` (aliases, installed
and dependent styles, user files), ``locales``, ``engine`` (one citeproc-js engine per style),
``cache`` (built engines, background builds), ``documents`` (text/HTML/RTF documents),
``evidence`` (snapshot reference, copy with evidence), ``compose`` (all of it together for
one copy).
"""

from .assets import citeproc_js_path
from .cache import EngineCache, shared_engines
from .compose import compose
from .engine import FORMATS, CiteprocEngine, Format
from .errors import (
    CitationError,
    EngineUnavailable,
    RenderFailed,
    StyleInvalid,
    StyleNotFound,
)
from .evidence import snapshot_action_label
from .styles import (
    ALIASES,
    DEFAULT_STYLE,
    OFFERED,
    StyleSource,
    offered_styles,
    resolve_style,
    search_styles,
)

__all__ = [
    "ALIASES",
    "DEFAULT_STYLE",
    "FORMATS",
    "OFFERED",
    "CitationError",
    "CiteprocEngine",
    "EngineCache",
    "EngineUnavailable",
    "Format",
    "RenderFailed",
    "StyleInvalid",
    "StyleNotFound",
    "StyleSource",
    "citeproc_js_path",
    "compose",
    "offered_styles",
    "resolve_style",
    "search_styles",
    "shared_engines",
    "snapshot_action_label",
]

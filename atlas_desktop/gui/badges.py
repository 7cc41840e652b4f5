"""Badge colours and plain-language explanations, shared by the list and the detail pane.

Every badge carries its text; colour only repeats what the text says, so nothing depends on
telling colours apart. Colours are chosen per badge kind and value and keep at least 4.5:1
contrast between text and fill in both light and dark palettes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from atlas_desktop.domain.badge_meanings import badge_meaning

from .notices import is_notice_kind, notice_meaning


@dataclass(frozen=True)
class PillColours:
    fill: str
    text: str
    border: str


# (light fill, dark text) pairs; dark mode swaps to a deep fill with light text.
_LIGHT: dict[str, PillColours] = {
    "pem_required": PillColours("#d9f2e6", "#0f5132", "#9fd8bd"),
    "pem_not_required": PillColours("#fde7c8", "#7a3e00", "#f2c27d"),
    "pem_unknown": PillColours("#e9ecef", "#343a40", "#c5cbd1"),
    "evidence_tier": PillColours("#e2e3fb", "#2f2a8a", "#b7b9f0"),
    "confidence_high": PillColours("#d9f2e6", "#0f5132", "#9fd8bd"),
    "confidence_moderate": PillColours("#dbeafe", "#1e3a8a", "#a9c7f5"),
    "confidence_low": PillColours("#fde7c8", "#7a3e00", "#f2c27d"),
    "confidence_very_low": PillColours("#fbdada", "#7f1d1d", "#f0a9a9"),
    "study_type": PillColours("#efe3fa", "#4c1d78", "#d2b5ee"),
    "peer_reviewed": PillColours("#e6f4ea", "#1e4620", "#b4dcbc"),
    "not_peer_reviewed": PillColours("#f1f3f5", "#495057", "#ced4da"),
    "review_status": PillColours("#dff3f7", "#0b4f5c", "#a5d9e4"),
    "review_pending": PillColours("#f1f3f5", "#495057", "#ced4da"),
    "extra": PillColours("#f1f3f5", "#343a40", "#ced4da"),
    "withdrawn": PillColours("#fbdada", "#7f1d1d", "#f0a9a9"),
    "mine": PillColours("#f1f3f5", "#343a40", "#ced4da"),
    # Notices found when a record was completed: a retraction solid red, so it is seen first
    # (white on #b42318: 6.5:1); a correction or an expression of concern amber.
    "retraction": PillColours("#b42318", "#ffffff", "#8a1a12"),
    "concern": PillColours("#fde7c8", "#7a3e00", "#d9822b"),
    "correction": PillColours("#fde7c8", "#7a3e00", "#f2c27d"),
}
_DARK: dict[str, PillColours] = {
    key: PillColours(
        QColor(c.text).darker(115).name(), QColor(c.fill).lighter(104).name(),
        QColor(c.text).name(),
    )
    for key, c in _LIGHT.items()
}
# Solid red stays solid red in the dark (white on #c4321f: 5.6:1).
_DARK["retraction"] = PillColours("#c4321f", "#ffffff", "#f08a7e")


def colour_key(kind: str, text: str) -> str:
    lowered = text.lower()
    if kind == "pem":
        if "not required" in lowered:
            return "pem_not_required"
        if "required" in lowered:
            return "pem_required"
        return "pem_unknown"
    if kind == "confidence":
        if lowered.startswith("very low"):
            return "confidence_very_low"
        for level in ("high", "moderate", "low"):
            if lowered.startswith(level):
                return f"confidence_{level}"
        return "extra"
    if kind == "peer_reviewed":
        return "not_peer_reviewed" if lowered.startswith("not") else "peer_reviewed"
    if kind == "review_status":
        return "review_status" if "review" in lowered and "pending" not in lowered and \
            not lowered.startswith(("un", "needs")) else "review_pending"
    if kind in _LIGHT:
        return kind
    return "extra"


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def pill_colours(kind: str, text: str, palette: QPalette | None = None) -> PillColours:
    table = _DARK if palette is not None and is_dark(palette) else _LIGHT
    return table[colour_key(kind, text)]


def badge_tooltip(kind: str, text: str) -> str:
    """What a badge means, in plain words (shared with "copy with evidence")."""
    if is_notice_kind(kind):
        return notice_meaning(kind)
    return badge_meaning(kind, text)

"""Text from outside (entry fields, file names, style names, server sentences) as the window
shows it in markup, tooltips and labels: always as the text it is (issue 19.1). This is the
one place where such text is escaped.

Qt guesses whether a tooltip or a label holds rich text (``Qt::mightBeRichText``), and rich
text names resources: an entry titled ``<img src="/dev/zero">`` made Qt read that path when
its list row was hovered, and the process died. So:

- :func:`escape` is the only escaping of outside text put into our own markup (the detail
  pane, the report dialog's heading);
- :func:`tooltip` makes any text a tooltip: escaped, wrapped at a reading width and marked
  as rich text, so Qt neither misreads it nor shows it as one long line that the screen's
  edge pushes to x = 0;
- :func:`plain_label` makes a label show its text as plain text whatever it holds.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any, Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from atlas_desktop.domain.wording import breakable

#: A tooltip's lines are wrapped at this many characters (a reading width).
TIP_LINE_CHARS: Final = 72
#: Longer tooltips are cut (a tooltip is a glance; the text is in the detail pane).
TIP_MAX_CHARS: Final = 1_200


def escape(text: Any) -> str:
    """``text`` for our own HTML: every ``<``, ``>``, ``&`` and quote as an entity."""
    return html.escape(str(text), quote=True)


def esc(text: Any) -> str:
    """Text to show in our own HTML (the detail pane's): escaped, and breakable wherever it
    runs long without a space."""
    return escape(breakable(str(text)))


def tooltip(text: str | None) -> str:
    """``text`` as a tooltip: escaped, wrapped at :data:`TIP_LINE_CHARS` characters, at most
    :data:`TIP_MAX_CHARS` long. An empty text gives no tooltip."""
    if not text:
        return ""
    if len(text) > TIP_MAX_CHARS:
        text = text[:TIP_MAX_CHARS].rstrip() + "…"
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, TIP_LINE_CHARS, break_long_words=True,
                                   break_on_hyphens=False, replace_whitespace=True) or [""])
    # <qt> marks it as rich text: Qt does not guess, and nothing in it came unescaped.
    return "<qt>" + "<br>".join(escape(line) for line in lines) + "</qt>"


def plain_label(label: QLabel, text: str | None = None) -> QLabel:
    """Make ``label`` show plain text (and set ``text`` if given)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    if text is not None:
        label.setText(text)
    return label

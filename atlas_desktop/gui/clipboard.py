"""Rich text on the system clipboard: text/html, text/rtf and text/plain in one QMimeData.

Word processors pick the richest format they understand: Word and LibreOffice take the HTML
(or the RTF), mail clients the HTML, plain-text fields the text. On Windows the RTF is also
offered under the native "Rich Text Format" name (Qt passes unknown MIME types through under
their own names there, which Word would not look for); on macOS Qt maps text/rtf to public.rtf.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication

from atlas_desktop.domain.citation import RichText

RTF_MIME: Final = "text/rtf"
WINDOWS_RTF_MIME: Final = 'application/x-qt-windows-mime;value="Rich Text Format"'
#: Our own type: the entry ids of a drag or copy, for drops inside Atlas Desktop.
ENTRY_IDS_MIME: Final = "application/x-atlas-desktop-entry-ids"


def mime_data_for(content: RichText, *, entry_ids: Sequence[str] = ()) -> QMimeData:
    """A new QMimeData carrying ``content`` in every format it has."""
    mime = QMimeData()
    mime.setText(content.text)
    if content.html is not None:
        mime.setHtml(content.html)
    if content.rtf is not None:
        # RTF is 7-bit by construction (non-ASCII is written as \uN escapes).
        data = content.rtf.encode("ascii", errors="replace")
        mime.setData(RTF_MIME, data)
        if sys.platform == "win32":
            mime.setData(WINDOWS_RTF_MIME, data)
    if entry_ids:
        mime.setData(ENTRY_IDS_MIME, json.dumps(list(entry_ids)).encode("utf-8"))
    return mime


def put_on_clipboard(content: RichText, *, entry_ids: Sequence[str] = (),
                     clipboard: QClipboard | None = None) -> None:
    """Replace the clipboard's content with ``content`` (the clipboard takes ownership)."""
    board = clipboard or QGuiApplication.clipboard()
    board.setMimeData(mime_data_for(content, entry_ids=entry_ids))

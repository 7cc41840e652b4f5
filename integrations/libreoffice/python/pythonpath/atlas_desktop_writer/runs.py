"""Formatted text in Writer: runs (text with italic, bold, small capitals, super- and
subscript, underline) written over a range, read back from one, and bibliography entries
written as paragraphs with or without a hanging indent."""

import uno

HANGING_INDENT = 1270  # 0.5 inch, in 1/100 mm
PARAGRAPH_BREAK = 0  # com.sun.star.text.ControlCharacter.PARAGRAPH_BREAK
_CHAR_PROPS = ("CharPosture", "CharWeight", "CharEscapement", "CharEscapementHeight",
               "CharCaseMap", "CharUnderline")

def write_runs(text, cursor, runs):
    """Replace the cursor's range with formatted runs; returns a cursor over the new text."""
    cursor.setString("".join(r.get("text", "") for r in runs))  # now selects the new text
    whole = text.createTextCursorByRange(cursor)
    whole.setPropertiesToDefault(_CHAR_PROPS)
    piece = text.createTextCursorByRange(whole.getStart())
    for run in runs:
        piece.collapseToEnd()
        piece.goRight(len(run.get("text", "")), True)
        if run.get("italic"):
            piece.setPropertyValue("CharPosture",
                                   uno.Enum("com.sun.star.awt.FontSlant", "ITALIC"))
        if run.get("bold"):
            piece.setPropertyValue("CharWeight", 150.0)
        if run.get("small_caps"):
            piece.setPropertyValue("CharCaseMap", 4)
        if run.get("underline"):
            piece.setPropertyValue("CharUnderline", 1)
        if run.get("superscript") or run.get("subscript"):
            piece.setPropertyValue("CharEscapement", 33 if run.get("superscript") else -33)
            piece.setPropertyValue("CharEscapementHeight", 58)
    return whole


def capture(cursor):
    """The formatted text of a range: paragraphs of runs (as ``write_runs`` takes them) and
    whether each hangs (a negative first-line indent)."""
    out = []
    paragraphs = cursor.createEnumeration()
    while paragraphs.hasMoreElements():
        para = paragraphs.nextElement()
        if not para.supportsService("com.sun.star.text.Paragraph"):
            continue
        runs = []
        portions = para.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            if portion.TextPortionType != "Text" or not portion.getString():
                continue
            run = {"text": portion.getString()}
            posture = portion.getPropertyValue("CharPosture")
            if getattr(posture, "value", "") in ("ITALIC", "OBLIQUE"):
                run["italic"] = True
            if portion.getPropertyValue("CharWeight") > 100:
                run["bold"] = True
            if portion.getPropertyValue("CharCaseMap") == 4:
                run["small_caps"] = True
            if portion.getPropertyValue("CharUnderline"):
                run["underline"] = True
            escapement = portion.getPropertyValue("CharEscapement")
            if escapement > 0:
                run["superscript"] = True
            elif escapement < 0:
                run["subscript"] = True
            runs.append(run)
        out.append({"runs": runs, "hanging": para.getPropertyValue("ParaFirstLineIndent") < 0})
    return out


def joined(entries):
    return "\n".join("".join(r.get("text", "") for r in runs) for runs in entries)


def write_paragraphs(text, cursor, entries, hanging):
    """Entries (lists of runs) as paragraphs from a collapsed cursor on."""
    at = cursor
    for n, runs in enumerate(entries or [[]]):
        if n:
            text.insertControlCharacter(at, PARAGRAPH_BREAK, False)
        here = text.createTextCursorByRange(at.getEnd())
        text.insertString(here, "\u200b", False)  # a place for the runs, replaced below
        here.goLeft(1, True)
        whole = write_runs(text, here, runs or [{"text": ""}])
        whole.setPropertyValue("ParaLeftMargin", HANGING_INDENT if hanging else 0)
        whole.setPropertyValue("ParaFirstLineIndent", -HANGING_INDENT if hanging else 0)
        at = text.createTextCursorByRange(whole.getEnd())
    return at

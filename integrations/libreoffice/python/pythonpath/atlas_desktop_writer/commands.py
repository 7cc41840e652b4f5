"""The toolbar's commands and the save hook, on one Writer document.

Atlas Desktop renders; the document is only read and written here. Every command first puts
the document's citations in the kind its file format keeps (reference marks in .odt, Word
fields in .docx; see ``places``), and Refresh moves citations into footnotes or out of them
when the style changes between an in-text and a note style.
"""

import re

from . import places
from .app import call
from .places import FIELD, PLACEHOLDER

PREF_NAME = "ZOTERO_PREF"
REMOVABLE = 128  # com.sun.star.beans.PropertyAttribute.REMOVABLE
DEFAULT_BIBLIOGRAPHY = 'BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY'
_FIELD_TYPE_RE = re.compile(r'(<pref name="fieldType" value=")[^"]*(")')


class Properties:
    """The document's user-defined properties, in Zotero's 255-character pieces."""

    def __init__(self, model):
        self.container = model.getDocumentProperties().getUserDefinedProperties()

    def _has(self, name):
        return self.container.getPropertySetInfo().hasPropertyByName(name)

    def joined(self, name):
        out, n = [], 1
        while self._has(f"{name}_{n}"):
            out.append(str(self.container.getPropertyValue(f"{name}_{n}") or ""))
            n += 1
        return "".join(out)

    def set_joined(self, name, value):
        pieces = [value[i:i + 255] for i in range(0, len(value), 255)] or [""]
        for n, piece in enumerate(pieces, start=1):
            key = f"{name}_{n}"
            if self._has(key):
                self.container.setPropertyValue(key, piece)
            else:
                self.container.addProperty(key, REMOVABLE, piece)
        n = len(pieces) + 1
        while self._has(f"{name}_{n}"):
            self.remove(f"{name}_{n}")
            n += 1

    def names_with_prefix(self, prefix):
        return [p.Name for p in self.container.getPropertySetInfo().getProperties()
                if p.Name.startswith(prefix)]

    def remove(self, name):
        """Remove a property; one made without the removable flag (by other programs) is
        emptied instead, which reads the same."""
        if not self._has(name):
            return
        try:
            self.container.removeProperty(name)
        except Exception:
            self.container.setPropertyValue(name, "")


class Document:
    def __init__(self, model):
        self.model = model
        self.properties = Properties(model)

    def prefs(self):
        return self.properties.joined(PREF_NAME)

    def set_prefs(self, xml):
        self.properties.set_joined(PREF_NAME, xml)

    def kind(self, filter_name=None):
        """How this document keeps citations: from the format it is saved in."""
        if filter_name is None:
            args = {a.Name: a.Value for a in self.model.getArgs()}
            filter_name = args.get("FilterName") or ""
            if not filter_name and self.model.getURL().lower().endswith((".docx", ".doc",
                                                                          ".rtf")):
                return FIELD
        return places.kind_for_filter(filter_name)

    def scan(self):
        return places.scan(self.model, self.properties)

    def view_cursor(self):
        return self.model.getCurrentController().getViewCursor()

    def citation_at_cursor(self, citations):
        cursor = self.view_cursor()
        return next((c for c in citations if c.contains(cursor)), None)


# --- keeping the document in its format's kind -----------------------------------------------

def convert(doc, kind, scanned=None):
    """Citations and bibliographies of another kind (or Zotero's bookmark mode) become
    ``kind``, showing the same formatted text. True if anything changed. ``scanned``: the
    document's places, when the caller has just read them."""
    citations, bibliographies = scanned or doc.scan()
    changed = False
    for old in reversed(citations):  # from the end: earlier places stay where they are
        if old.kind == kind:
            continue
        runs = [r for p in places.capture(old.result()) for r in p["runs"]]
        code, text = old.code, old.text
        at = old.remove()
        made = places.new_citation(doc.model, text, at, kind, code)
        made.write(code, runs or [{"text": PLACEHOLDER}])
        changed = True
    for old in bibliographies:
        if old.kind == kind:
            continue
        entries = old.entries()
        hanging = any(e["hanging"] for e in entries)
        # Mendeley's bibliography becomes Zotero's.
        code = old.code if (old.code or "").startswith("BIBL") else DEFAULT_BIBLIOGRAPHY
        at = old.remove()
        made = places.new_bibliography(doc.model, at.getText(), at, kind, code,
                                       new_paragraph=False)
        made.write(code, [e["runs"] for e in entries], hanging)
        changed = True
    if changed:
        prefs = doc.prefs()
        if prefs:
            doc.set_prefs(_FIELD_TYPE_RE.sub(rf"\g<1>{kind}\g<2>", prefs))
    return changed


# --- footnotes when the style changes ---------------------------------------------------------

def move_into_notes(doc, citations):
    """In-text citations (not in a footnote) each go into a new footnote at their place."""
    moved = False
    for old in reversed(citations):
        if old.in_footnote():
            continue
        runs = [r for p in places.capture(old.result()) for r in p["runs"]]
        code, text, kind = old.code, old.text, old.kind
        at = old.remove()
        before = text.createTextCursorByRange(at.getStart())
        before.goLeft(1, True)
        if before.getString() == " ":  # "text (Heins, 2013)." -> "text¹."
            before.setString("")
        note = doc.model.createInstance("com.sun.star.text.Footnote")
        text.insertTextContent(text.createTextCursorByRange(before.getEnd()), note, False)
        made = places.new_citation(doc.model, note, note.createTextCursor(), kind, code)
        made.write(code, runs or [{"text": PLACEHOLDER}])
        moved = True
    return moved


def move_out_of_notes(doc, citations):
    """Footnotes that hold nothing but a citation become that citation, in the text."""
    moved = False
    for old in reversed(citations):
        if not old.in_footnote() or old.text.getString().strip() != old.shown().strip():
            continue
        runs = [r for p in places.capture(old.result()) for r in p["runs"]]
        code, kind, note = old.code, old.kind, old.text
        anchor = note.getAnchor()
        text = anchor.getText()
        at = text.createTextCursorByRange(anchor.getStart())
        note.dispose()
        before = text.createTextCursorByRange(at.getStart())
        before.goLeft(1, True)
        if before.getString() not in ("", " ", "\n", "(", "["):
            text.insertString(at, " ", False)
        made = places.new_citation(doc.model, text, at, kind, code)
        made.write(code, runs or [{"text": PLACEHOLDER}])
        moved = True
    return moved


# --- the commands ----------------------------------------------------------------------------

def refresh(doc, _moved=False):
    kind = doc.kind()
    scanned = doc.scan()
    if convert(doc, kind, scanned):
        scanned = doc.scan()
    citations, bibliographies = scanned
    answer = call("render", {
        "prefs": doc.prefs(), "field_type": kind, "bibliography": bool(bibliographies),
        "citations": [{"code": c.code, "text": c.shown(), "noteIndex": c.note}
                      for c in citations]})
    doc.set_prefs(answer["prefs"])
    if not _moved and answer.get("note_style") != answer.get("was_note_style"):
        move = move_into_notes if answer.get("note_style") else move_out_of_notes
        if move(doc, citations):
            return refresh(doc, _moved=True)  # the footnotes' numbers changed
    for place, done in zip(citations, answer["citations"], strict=False):
        if done.get("keep_text"):  # worded by hand and kept: only the code changes
            if done.get("changed"):
                place.write_code(done["code"])
        elif done.get("changed"):
            place.write(done["code"], done["runs"])
    bibliography = answer.get("bibliography")
    if bibliography is not None:
        for place in bibliographies:
            if not place.shows(bibliography["code"], bibliography["entries"]):
                place.write(bibliography["code"], bibliography["entries"],
                            bibliography["hanging"])
    problems = answer.get("problems") or []
    if not problems:
        return "ok"
    # Shown in a message box: what was done, and what was left out and why.
    return "The citations were refreshed, except: " + " ".join(problems)


def add_edit_citation(doc):
    kind = doc.kind()
    scanned = doc.scan()  # each scan exports the document: read it again only if converted
    if convert(doc, kind, scanned):
        scanned = doc.scan()
    citations, _ = scanned
    place = doc.citation_at_cursor(citations)
    answer = call("pick", {"prefs": doc.prefs(),
                           "citation": place.code if place is not None else None})
    if answer.get("cancelled"):
        return "cancelled"
    if place is not None:
        place.write(answer["citation"], [{"text": PLACEHOLDER}])
    else:
        cursor = doc.view_cursor()
        text = cursor.getText()
        at = text.createTextCursorByRange(cursor.getStart())
        if answer.get("note_style") and not text.supportsService("com.sun.star.text.Footnote"):
            note = doc.model.createInstance("com.sun.star.text.Footnote")
            text.insertTextContent(at, note, False)
            text, at = note, note.createTextCursor()
        places.new_citation(doc.model, text, at, kind, answer["citation"])
    return refresh(doc)


def add_edit_bibliography(doc):
    """A bibliography at the cursor if the document has none; then everything is refreshed.
    (Editing the bibliography's entries by hand is not offered: Refresh rebuilds it.)"""
    kind = doc.kind()
    scanned = doc.scan()
    if convert(doc, kind, scanned):
        scanned = doc.scan()
    _, bibliographies = scanned
    if not bibliographies:
        code = call("hello", {}).get("bibliography_code") or DEFAULT_BIBLIOGRAPHY
        cursor = doc.view_cursor()
        text = cursor.getText()
        line = text.createTextCursorByRange(cursor.getStart())
        line.gotoStartOfParagraph(False)
        line.gotoEndOfParagraph(True)
        # In an empty paragraph (after "References" and Enter) the bibliography takes it;
        # elsewhere it starts a paragraph of its own.
        places.new_bibliography(doc.model, text, cursor, kind, code,
                                new_paragraph=bool(line.getString()))
    return refresh(doc)


def document_preferences(doc):
    answer = call("prefs", {"prefs": doc.prefs()})
    if answer.get("cancelled"):
        return "cancelled"
    doc.set_prefs(answer["prefs"])
    return refresh(doc)


def unlink_citations(doc):
    """Citations and the bibliography become plain text (formatting kept); the document's
    preferences go."""
    citations, bibliographies = doc.scan()
    for place in reversed(citations):
        place.unlink()
    for place in bibliographies:
        place.unlink()
    for name in doc.properties.names_with_prefix(PREF_NAME + "_"):
        doc.properties.remove(name)
    return "ok"


COMMANDS = {"addEditCitation": add_edit_citation, "addEditBibliography": add_edit_bibliography,
            "refresh": refresh, "documentPreferences": document_preferences,
            "unlinkCitations": unlink_citations}

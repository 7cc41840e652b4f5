"""Where citations and the bibliography live in a Writer document.

Zotero's LibreOffice plug-in keeps a citation in a reference mark named
``ZOTERO_ITEM CSL_CITATION {json} RND…`` and the bibliography in a section named
``ZOTERO_BIBL {json} CSL_BIBLIOGRAPHY RND…``; that is what an .odt holds. LibreOffice does
not write reference marks or section names into Word files, so a document kept as .docx
holds Word's fields instead (a *fieldmark* here, with the code ``ADDIN ZOTERO_ITEM
CSL_CITATION {json}``), which Word, Zotero's Word plug-in and LibreOffice all keep. Zotero's
bookmark mode (a bookmark ``ZOTERO_BREF_…`` whose code is in the document's properties) is
read too. Each place can be read, rewritten with formatted runs, and removed, so the commands
can turn one kind into another with the text as it was.
"""

import json

from . import order
from .codes import (  # noqa: F401 (the commands take these from here too)
    BOOKMARK,
    BREF_PREFIX,
    FIELD,
    FIELD_CODE,
    FIELD_TYPE,
    PLACEHOLDER,
    REFERENCE_MARK,
    code_of_name,
    field_code,
    is_bibliography,
    is_citation,
    kind_for_filter,
    mark_name,
    normal_code,
)
from .runs import PARAGRAPH_BREAK, capture, joined, write_paragraphs, write_runs

# --- citations ------------------------------------------------------------------------------

class Citation:
    """One citation's place: ``kind``, ``code`` (normal form), the footnote it is in."""

    kind = ""

    def __init__(self, model, text, code, note):
        self.model, self.text, self.code, self.note = model, text, code, note

    def shown(self):
        return self.result().getString()

    def contains(self, cursor):
        """Whether the (view) cursor is inside this citation."""
        anchor = self.anchor()
        try:
            return (self.text.compareRegionStarts(anchor, cursor) >= 0 and
                    self.text.compareRegionEnds(anchor, cursor) <= 0)
        except Exception:  # not in the same text
            return False

    def in_footnote(self):
        return self.text.supportsService("com.sun.star.text.Footnote")


class MarkCitation(Citation):
    kind = REFERENCE_MARK

    def __init__(self, model, text, mark, note):
        super().__init__(model, text, code_of_name(mark.getName()), note)
        self.mark = mark

    def anchor(self):
        return self.mark.getAnchor()

    def result(self):
        return self.text.createTextCursorByRange(self.mark.getAnchor())

    def shown(self):
        return self.mark.getAnchor().getString()  # no cursor needed: a tenth of the time

    def write(self, code, runs):
        name = self.mark.getName()
        whole = write_runs(self.text, self.result(), runs)
        marks = self.model.getReferenceMarks()
        if marks.hasByName(name):  # replacing all its text usually ends it already
            self.text.removeTextContent(marks.getByName(name))
        fresh = self.model.createInstance("com.sun.star.text.ReferenceMark")
        fresh.setName(mark_name(code))
        self.text.insertTextContent(whole, fresh, True)
        self.mark, self.code = fresh, code

    def write_code(self, code):
        # A reference mark cannot be renamed, and taking one away takes its text with it:
        # the text is written again, with its formatting, under a mark of the new name.
        self.write(code, [r for p in capture(self.result()) for r in p["runs"]])

    def remove(self):
        cursor = self.result()
        name = self.mark.getName()
        cursor.setString("")
        marks = self.model.getReferenceMarks()
        if marks.hasByName(name):
            self.text.removeTextContent(marks.getByName(name))
        return cursor

    def unlink(self):
        runs = [r for p in capture(self.result()) for r in p["runs"]]
        write_runs(self.text, self.remove(), runs)


class FieldCitation(Citation):
    kind = FIELD

    def __init__(self, model, text, fieldmark, code, note):
        super().__init__(model, text, code, note)
        self.field = fieldmark

    def anchor(self):
        return self.field.getAnchor()

    def result(self):
        """The field's shown text: after its start and separator, before its end."""
        anchor = self.field.getAnchor()
        cursor = self.text.createTextCursorByRange(anchor.getStart())
        cursor.goRight(2, False)
        end = self.text.createTextCursorByRange(anchor.getEnd())
        end.goLeft(1, False)
        cursor.gotoRange(end.getStart(), True)
        return cursor

    def write(self, code, runs):
        self.field.getParameters().replaceByName(FIELD_CODE, field_code(code))
        write_runs(self.text, self.result(), runs)
        self.code = code

    def write_code(self, code):
        self.field.getParameters().replaceByName(FIELD_CODE, field_code(code))
        self.code = code

    def remove(self):
        self.result().setString("")
        at = self.text.createTextCursorByRange(self.field.getAnchor().getStart())
        self.text.removeTextContent(self.field)  # the field's characters go with it
        return at

    def unlink(self):
        self.text.removeTextContent(self.field)  # the shown text stays, as it was


class BookmarkCitation(Citation):
    """Zotero's bookmark mode: read, and turned into the document's own kind on refresh."""

    kind = BOOKMARK

    def __init__(self, model, text, bookmark, code, note, properties):
        super().__init__(model, text, code, note)
        self.bookmark, self.properties = bookmark, properties

    def anchor(self):
        return self.bookmark.getAnchor()

    def result(self):
        """The citation's own text: Zotero's bookmark may hold more of the line, so the
        plain text the code records is looked for inside it."""
        anchor = self.bookmark.getAnchor()
        cursor = self.text.createTextCursorByRange(anchor)
        plain = _plain_citation(self.code)
        shown = anchor.getString()
        if plain and plain in shown and plain != shown:
            cursor.collapseToStart()
            cursor.goRight(shown.rindex(plain), False)
            cursor.goRight(len(plain), True)
        return cursor

    def remove(self):
        cursor = self.result()
        cursor.setString("")
        self._forget()
        return cursor

    def unlink(self):
        self._forget()

    def _forget(self):
        name = self.bookmark.getName()
        if self.model.getBookmarks().hasByName(name):
            self.text.removeTextContent(self.bookmark)
        for prop in self.properties.names_with_prefix(name + "_"):
            self.properties.remove(prop)


def _plain_citation(code):
    try:
        data = json.loads(code[code.index("{"):])
        return str((data.get("properties") or {}).get("plainCitation") or "")
    except (ValueError, AttributeError):
        return ""


def new_citation(model, text, cursor, kind, code):
    """A citation showing the placeholder at a collapsed ``cursor`` of ``text``."""
    if kind == FIELD:
        field = model.createInstance("com.sun.star.text.Fieldmark")
        text.insertTextContent(cursor, field, False)
        field.setFieldType(FIELD_TYPE)
        field.getParameters().insertByName(FIELD_CODE, field_code(code))
        made = FieldCitation(model, text, field, code, 0)
        at = made.result()
        text.insertString(at, PLACEHOLDER, False)
        return made
    at = text.createTextCursorByRange(cursor.getStart())
    text.insertString(at, PLACEHOLDER, False)
    at.goLeft(len(PLACEHOLDER), True)
    mark = model.createInstance("com.sun.star.text.ReferenceMark")
    mark.setName(mark_name(code))
    text.insertTextContent(at, mark, True)
    return MarkCitation(model, text, mark, 0)


# --- the bibliography -----------------------------------------------------------------------

class SectionBibliography:
    kind = REFERENCE_MARK

    def __init__(self, model, section):
        self.model, self.section = model, section
        self.code = code_of_name(section.getName())

    def _range(self):
        anchor = self.section.getAnchor()
        return anchor.getText().createTextCursorByRange(anchor)

    def entries(self):
        return capture(self._range())

    def shows(self, code, entries):
        """Whether the bibliography already reads ``entries`` under ``code``."""
        return self.code == code and joined(entries) == self._range().getString().rstrip("\n")

    def write(self, code, entries, hanging):
        cursor = self._range()
        text = cursor.getText()
        cursor.setString("")
        write_paragraphs(text, cursor, entries, hanging)
        self.section.setName(mark_name(code))
        self.code = code

    def remove(self):
        cursor = self._range()
        cursor.setString("")
        self.section.dispose()  # its (now empty) paragraph stays, for what replaces it
        return cursor

    def unlink(self):
        self.section.dispose()  # the section goes; its paragraphs stay


class FieldBibliography:
    kind = FIELD

    def __init__(self, model, text, fieldmark, code):
        self.model, self.text, self.field, self.code = model, text, fieldmark, code

    def _result(self):
        return FieldCitation(self.model, self.text, self.field, self.code, 0).result()

    def entries(self):
        return capture(self._result())

    def shows(self, code, entries):
        return self.code == code and joined(entries) == self._result().getString().rstrip("\n")

    def write(self, code, entries, hanging):
        self.field.getParameters().replaceByName(FIELD_CODE, field_code(code))
        cursor = self._result()
        cursor.setString("")
        write_paragraphs(self.text, cursor, entries, hanging)
        self.code = code

    def remove(self):
        return FieldCitation(self.model, self.text, self.field, self.code, 0).remove()

    def unlink(self):
        self.text.removeTextContent(self.field)


def new_bibliography(model, text, cursor, kind, code, *, new_paragraph=True):
    """An empty bibliography at ``cursor`` (in a paragraph of its own)."""
    at = text.createTextCursorByRange(cursor.getStart())
    if new_paragraph:
        text.insertControlCharacter(at, PARAGRAPH_BREAK, False)
    if kind == FIELD:
        field = model.createInstance("com.sun.star.text.Fieldmark")
        text.insertTextContent(at, field, False)
        field.setFieldType(FIELD_TYPE)
        field.getParameters().insertByName(FIELD_CODE, field_code(code))
        return FieldBibliography(model, text, field, code)
    section = model.createInstance("com.sun.star.text.TextSection")
    section.setName(mark_name(code))
    text.insertTextContent(at, section, False)
    return SectionBibliography(model, section)


# --- reading a document in order ------------------------------------------------------------

def scan(model, properties):
    """(citations in document order, bibliographies). Footnotes are read at their anchor;
    tables cell by cell. Reference marks and sections are found by name in the order the
    document's own ODF lists them (``order``); a document with Word fields or Zotero
    bookmarks is walked portion by portion."""
    listed = order.marks_in_order(model, lambda name: code_of_name(name) is not None)
    if listed is not None:
        return _by_name(model, listed)
    citations, bibliographies = [], []
    _walk(model, properties, model.getText(), 0, citations, bibliographies, [0])
    sections = model.getTextSections()
    for name in sections.getElementNames():
        code = code_of_name(name)
        if code is not None and is_bibliography(code):
            bibliographies.append(SectionBibliography(model, sections.getByName(name)))
    return citations, bibliographies


def _by_name(model, listed):
    marks, sections = model.getReferenceMarks(), model.getTextSections()
    citations, bibliographies = [], []
    for kind, name, note in listed:
        code = code_of_name(name)
        if kind == "mark" and is_citation(code) and marks.hasByName(name):
            mark = marks.getByName(name)
            citations.append(MarkCitation(model, mark.getAnchor().getText(), mark, note))
        elif kind == "section" and is_bibliography(code) and sections.hasByName(name):
            bibliographies.append(SectionBibliography(model, sections.getByName(name)))
    return citations, bibliographies


def _walk(model, properties, text, note, citations, bibliographies, notes):
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        para = paragraphs.nextElement()
        if para.supportsService("com.sun.star.text.TextTable"):
            for name in para.getCellNames():
                _walk(model, properties, para.getCellByName(name), note, citations,
                      bibliographies, notes)
            continue
        portions = para.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            kind = portion.TextPortionType
            if kind == "ReferenceMark" and portion.IsStart:
                mark = portion.ReferenceMark
                code = code_of_name(mark.getName())
                if code is not None and is_citation(code):
                    citations.append(MarkCitation(model, text, mark, note))
            elif kind == "TextFieldStart" and portion.Bookmark is not None:
                field = portion.Bookmark
                params = field.getParameters()
                if not params.hasByName(FIELD_CODE):
                    continue
                code = normal_code(str(params.getByName(FIELD_CODE)))
                if is_citation(code):
                    citations.append(FieldCitation(model, text, field, code, note))
                elif is_bibliography(code):
                    bibliographies.append(FieldBibliography(model, text, field, code))
            elif kind == "Bookmark" and portion.IsStart and portion.Bookmark is not None:
                name = portion.Bookmark.getName()
                if name.startswith(BREF_PREFIX):
                    code = normal_code(properties.joined(name))
                    if is_citation(code):
                        citations.append(BookmarkCitation(model, text, portion.Bookmark, code,
                                                          note, properties))
            elif kind == "Footnote":
                notes[0] += 1
                _walk(model, properties, portion.Footnote, notes[0], citations,
                      bibliographies, notes)

"""Document order of the citations, read from the document's own OpenDocument text.

Walking Writer's text portions costs about 1.5 ms a paragraph once a document holds a few
hundred reference marks (Writer looks through every mark for each paragraph), so finding
200 citations that way took two seconds. Writer writes the same document as ODF into memory
in a tenth of that, and the XML lists every reference mark, section, fieldmark and bookmark
in document order, footnotes where they are anchored. Reference marks and sections are then
taken from Writer by name. Word fields (fieldmarks) and Zotero's bookmark mode cannot be
looked up by name, so a document holding those is walked the slow way (``places.scan``).
Nothing is written to disk: the copy lives in memory only.
"""

import io
import zipfile
from xml.etree import ElementTree

import uno
from com.sun.star.beans import PropertyValue

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
FIELD = "urn:openoffice:names:experimental:ooo-ms-interop:xmlns:field:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_REF_START = f"{{{TEXT}}}reference-mark-start"
_SECTION = f"{{{TEXT}}}section"
_NOTE = f"{{{TEXT}}}note"
_BOOKMARK = f"{{{TEXT}}}bookmark-start"
_FIELD_START = f"{{{FIELD}}}fieldmark-start"
_TRACKED = f"{{{TEXT}}}tracked-changes"
_BODY_TEXT = f"{{{OFFICE}}}body/{{{OFFICE}}}text"
_NAME = f"{{{TEXT}}}name"
_PARAM_VALUE = f"{{{FIELD}}}value"


def _citation_field(start):
    """A fieldmark holding a citation or a bibliography (other Word fields do not count)."""
    return any(("CSL_CITATION" in code or "BIBL" in code or "Mendeley Bibliography" in code)
               for code in (p.get(_PARAM_VALUE, "")[:80] for p in start))


def _property(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def content_xml(model):
    """The document's content.xml as Writer would save it, made in memory."""
    ctx = uno.getComponentContext()
    stream = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.io.SequenceOutputStream", ctx)
    model.storeToURL("private:stream", (_property("FilterName", "writer8"),
                                        _property("OutputStream", stream)))
    with zipfile.ZipFile(io.BytesIO(stream.getWrittenBytes().value)) as package:
        return package.read("content.xml")


def marks_in_order(model, is_zotero_name):
    """[(kind, name, footnote)] in document order, kind "mark" or "section"; None when the
    document also holds Word fields or Zotero bookmarks (then only a walk finds them), or
    when Writer could not write the copy."""
    try:
        root = ElementTree.fromstring(content_xml(model))
    except Exception:  # a document Writer cannot write as ODF: walk it instead
        return None
    body = root.find(_BODY_TEXT)
    if body is None:
        return None
    found = []
    notes = [0]
    if not _visit(body, 0, notes, found, is_zotero_name):
        return None
    return found


def _visit(element, note, notes, found, is_zotero_name):
    for child in element:
        tag = child.tag
        if tag == _TRACKED:
            continue  # deleted text lives here; it is not in the document
        if tag == _REF_START:
            name = child.get(_NAME, "")
            if is_zotero_name(name):
                found.append(("mark", name, note))
            continue
        if tag == _FIELD_START and _citation_field(child):
            return False
        if tag == _BOOKMARK and child.get(_NAME, "").startswith("ZOTERO_BREF_"):
            return False
        if tag == _SECTION and is_zotero_name(child.get(_NAME, "")):
            found.append(("section", child.get(_NAME, ""), note))
        inner = note
        if tag == _NOTE:
            notes[0] += 1
            inner = notes[0]
        if not _visit(child, inner, notes, found, is_zotero_name):
            return False
    return True

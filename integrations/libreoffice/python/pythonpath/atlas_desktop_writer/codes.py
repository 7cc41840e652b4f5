"""Zotero's codes and names, as a Writer document stores them: a reference mark's or
section's name (``ZOTERO_ITEM CSL_CITATION {…} RND…``), a Word field's code
(`` ADDIN ZOTERO_ITEM …``), Zotero's bookmark names, and which kind a file format keeps."""

import random
import string

PLACEHOLDER = "{Citation}"
FIELD_TYPE = "vnd.oasis.opendocument.field.UNHANDLED"
FIELD_CODE = "vnd.oasis.opendocument.field.code"
REFERENCE_MARK, FIELD, BOOKMARK = "ReferenceMark", "Field", "Bookmark"
BREF_PREFIX = "ZOTERO_BREF_"


# --- codes ----------------------------------------------------------------------------------

def normal_code(raw):
    """Any stored form -> ``ITEM CSL_CITATION {…}`` / ``BIBL {…} CSL_BIBLIOGRAPHY`` (Mendeley's
    ``CSL_CITATION {…}`` is passed on as it is; Atlas Desktop reads it)."""
    code = raw.strip()
    if code.startswith("ADDIN "):
        code = code[len("ADDIN "):].lstrip()
    if code.startswith("ZOTERO_"):
        code = code[len("ZOTERO_"):]
    cut = code.rfind(" RND")
    if cut != -1 and " " not in code[cut + 1:]:
        code = code[:cut]
    return code


def is_citation(code):
    return "CSL_CITATION" in code[:60] and "{" in code


def is_bibliography(code):
    return code.startswith("BIBL") or code.startswith("Mendeley Bibliography")


def code_of_name(name):
    """A reference mark's or section's name -> its code, None if it is not Zotero's."""
    if not name.strip().startswith("ZOTERO_") or name.startswith(BREF_PREFIX):
        return None
    return normal_code(name)


def _random(n=10):
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(n))


def mark_name(code):
    return f"ZOTERO_{code} RND{_random()}"


def field_code(code):
    return f" ADDIN ZOTERO_{code} "


def kind_for_filter(filter_name):
    """The way a file of this format keeps citations: Word fields for Word and RTF files,
    reference marks (Zotero's LibreOffice format) otherwise."""
    name = filter_name or ""
    if name.startswith(("MS Word", "Office Open XML Text", "Rich Text", "Word ")):
        return FIELD
    return REFERENCE_MARK

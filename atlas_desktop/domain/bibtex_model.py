"""Where each BibTeX field of a user's reference is kept: the CSL variable it feeds, or the
entry's own journal (:mod:`atlas_desktop.formats.bibtex_fields` reads by it, our BibTeX
writer writes by it, and :mod:`.biblatex_csl` reads a reference's fields back by it)."""

from __future__ import annotations

from typing import Final

BIB_TO_CSL_TYPE: Final = {
    "article": "article-journal", "suppperiodical": "article-journal",
    "periodical": "periodical", "book": "book", "mvbook": "book", "collection": "book",
    "mvcollection": "book", "proceedings": "book", "mvproceedings": "book",
    "reference": "book", "mvreference": "book", "booklet": "pamphlet", "inbook": "chapter",
    "bookinbook": "chapter", "suppbook": "chapter", "incollection": "chapter",
    "suppcollection": "chapter", "book_section": "chapter", "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference", "conference": "paper-conference", "manual": "report",
    "techreport": "report", "report": "report", "mastersthesis": "thesis",
    "phdthesis": "thesis", "thesis": "thesis", "misc": "document", "generic": "document",
    "set": "document", "xdata": "document", "commentary": "document",
    "unpublished": "manuscript", "online": "webpage", "www": "webpage",
    "electronic": "webpage", "webpage": "webpage", "web_page": "webpage", "patent": "patent",
    "software": "software", "softwareversion": "software", "softwaremodule": "software",
    "codefragment": "software", "dataset": "dataset", "data": "dataset", "standard": "standard",
    "artwork": "graphic", "image": "graphic", "audio": "song", "music": "song",
    "movie": "motion_picture", "video": "motion_picture", "performance": "performance",
    "letter": "personal_communication", "review": "review", "jurisdiction": "legal_case",
    "legislation": "legislation", "legal": "legislation",
}
ARTICLE_TYPES: Final = frozenset({"article", "periodical", "suppperiodical"})
PART_TYPES: Final = frozenset(
    "inbook bookinbook suppbook incollection suppcollection inproceedings conference "
    "inreference book_section".split()
)
REPORT_TYPES: Final = frozenset({"techreport", "report", "manual"})
THESIS_TYPES: Final = frozenset({"phdthesis", "mastersthesis", "thesis"})

#: Contract or extra key -> BibTeX fields that feed it, most preferred first, per type.
def candidates(bib_type: str) -> dict[str, tuple[str, ...]]:
    if bib_type in PART_TYPES:
        container: tuple[str, ...] = ("booktitle", "journal", "journaltitle")
    else:
        container = ("journal", "journaltitle", "booktitle")
    if bib_type in REPORT_TYPES:
        publisher: tuple[str, ...] = ("institution", "publisher", "school")
    elif bib_type in THESIS_TYPES:
        publisher = ("school", "institution", "publisher")
    else:
        publisher = ("publisher", "institution", "school")
    article = bib_type in ARTICLE_TYPES
    return {
        "journal": container,
        "publisher": publisher,
        "issue": ("number", "issue") if article else ("issue",),
        "number": () if article else ("number",),
        "publisher-place": ("address", "location"),
        "page": ("pages", "page"),
    }


#: BibTeX field -> extra key, for fields with exactly one source.
SIMPLE_FIELDS: Final = {
    "volume": "volume", "edition": "edition", "series": "collection-title", "isbn": "ISBN",
    "issn": "ISSN", "abstract": "abstract", "note": "note", "language": "language",
    "type": "genre", "shorttitle": "title-short", "pmcid": "PMCID",
}
NAME_EXTRAS: Final = {"editor": "editor", "translator": "translator",
                      "bookauthor": "container-author"}

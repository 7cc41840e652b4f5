"""How long each field of an entry may be (issue 19.2). Catalogue text comes from someone else
(a server, a bundle, a file), so every entry is bounded where it comes in: the one validator,
``domain/contract.canonical_entry_dict``, refuses an entry with a longer field and names the
field and the limit. A bundle or a catalogue page with such an entry is refused whole (as
with any invalid entry); a reference file's entry is one of the problems listed, which
"import the valid entries" leaves out.

The limits are far above real data and far below what hurts. The largest values met in the
seeds, the real BibTeX/RIS/CSL-JSON files in ``tests/data`` and ``../shared/realdata`` (143
files, some 9,000 entries) are given beside each: a 1 MB word in a title froze the window for
a minute, and text this long costs the detail pane more than a frame to lay out. See the
contract notes in ``docs/architecture.md``.
"""

from __future__ import annotations

from typing import Final

#: title (largest seen: 332 characters)
TITLE_MAX: Final = 2_000
#: journal (220)
JOURNAL_MAX: Final = 1_000
#: one author's family or given name (62; corporate authors are longer than people)
NAME_MAX: Final = 500
#: authors of one entry (130; physics papers reach a few thousand)
AUTHORS_MAX: Final = 5_000
#: doi (67)
DOI_MAX: Final = 300
#: url (617)
URL_MAX: Final = 2_048
#: bibtex_key, and the entry's id is at most 200 by the contract (165)
KEY_MAX: Final = 1_000
#: summary, why it matters, what it does not prove, evidence level (580, a seed's summary)
PROSE_MAX: Final = 10_000
#: findings, conclusions and questions: items per list, and each item (176)
ITEMS_MAX: Final = 200
ITEM_MAX: Final = 2_000
#: tag labels of one entry, and a tag's category or label
TAGS_MAX: Final = 500
TAG_MAX: Final = 200
#: a badge's or a snapshot's value ("E0 Consensus", "v1.4")
SHORT_MAX: Final = 200
#: any other text: an abstract, a note, a field the contract does not name (4,207: a note)
OTHER_TEXT_MAX: Final = 10_000
#: values in the fields the contract does not name, counted through lists and objects
OTHER_VALUES_MAX: Final = 10_000
#: all the text of one entry together (7,715 characters as JSON, the largest entry seen)
ENTRY_TEXT_MAX: Final = 50_000

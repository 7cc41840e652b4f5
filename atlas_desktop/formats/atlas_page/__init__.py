"""Atlas pages saved as text, in the three layouts the atlas has used.

* compact (:mod:`.compact`): ``authors · journal · year · DOI`` line, three prose paragraphs
  (summary, why it matters, what it does not prove), then "Primary citation", a BibTeX block
  and the atlas snapshot reference;
* full (:mod:`.full`): a line of glued badge chips, the title, the author line, headed
  sections (Quick Summary … What This Study Does Not Prove), "Tags" by category and a
  "Metadata" list;
* blog (:mod:`.blog`): the paper's abstract, then one line with the title and the authors
  with degrees.

Any of the parts may be missing. The citation parts (BibTeX block, primary citation,
snapshot line) are read by :mod:`.citation`, dates by :mod:`.dates`, and :mod:`.page` puts
a page together. A page that yields no way to identify a paper (no title, no authors and
year, no atlas link) is refused with :class:`NotAnAtlasPage`.
"""

from .dates import parse_human_date
from .page import MAX_PAGE_BYTES, NotAnAtlasPage, ParsedPage, parse_atlas_page

__all__ = ["MAX_PAGE_BYTES", "NotAnAtlasPage", "ParsedPage", "parse_atlas_page",
           "parse_human_date"]

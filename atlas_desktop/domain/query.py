"""The search box's small query language, parsed into plain clauses.

Grammar (whitespace separates clauses; every clause may be negated with a leading ``-``)::

    word            prefix match anywhere ("fatig" finds "fatigue"), from three letters;
                    shorter words ("ME", "vitamin D") match whole words
    "two words"     exact phrase
    author:smith    title:x  journal:y            text limited to one field
    year:2013       year:2010-2015  year:>2015  year:<2000  year:2010-
    tag:"Post-Exertional Malaise"                 a tag in any category
    pem:required    pem:not_required  pem:unknown
    type:review     tier:E0  confidence:moderate  status:reviewed
                    (a quoted value matches exactly: status:"Reviewed")
    is:starred      is:noted  is:reported  is:read  is:unread  is:incomplete
    is:withdrawn    is:mine  is:atlas
    is:retracted    is:corrected  is:concern   (notices found when records were completed)
    collection:"Clinic talk"   label:urgent   doi:10.1/x   pmid:123

Parsing never raises: broken syntax becomes :attr:`Query.hints` (gentle sentences for the
user) and the parser keeps whatever it can use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Final


class TextField(StrEnum):
    ANY = "any"
    TITLE = "title"
    AUTHOR = "author"
    JOURNAL = "journal"


class FilterKind(StrEnum):
    YEAR = "year"
    TAG = "tag"
    PEM = "pem"
    STUDY_TYPE = "type"
    TIER = "tier"
    CONFIDENCE = "confidence"
    REVIEW_STATUS = "status"
    IS = "is"
    COLLECTION = "collection"
    LABEL = "label"
    DOI = "doi"
    PMID = "pmid"


IS_VALUES: Final = (
    "starred",
    "noted",
    "reported",
    "read",
    "unread",
    "incomplete",
    "withdrawn",
    "mine",
    "atlas",
    # Notices PubMed or Crossref gave when the record was completed (issue 15).
    "retracted",
    "corrected",
    "concern",
)
PEM_VALUES: Final = {
    "required": "required",
    "yes": "required",
    "not_required": "not_required",
    "not-required": "not_required",
    "notrequired": "not_required",
    "no": "not_required",
    "unknown": "unknown",
}
_FIELD_ALIASES: Final = {
    "author": TextField.AUTHOR,
    "authors": TextField.AUTHOR,
    "au": TextField.AUTHOR,
    "title": TextField.TITLE,
    "ti": TextField.TITLE,
    "journal": TextField.JOURNAL,
    "jo": TextField.JOURNAL,
}
_FILTER_ALIASES: Final = {
    "year": FilterKind.YEAR,
    "tag": FilterKind.TAG,
    "tags": FilterKind.TAG,
    "pem": FilterKind.PEM,
    "type": FilterKind.STUDY_TYPE,
    "tier": FilterKind.TIER,
    "confidence": FilterKind.CONFIDENCE,
    "status": FilterKind.REVIEW_STATUS,
    "is": FilterKind.IS,
    "collection": FilterKind.COLLECTION,
    "label": FilterKind.LABEL,
    "doi": FilterKind.DOI,
    "pmid": FilterKind.PMID,
}

QUERY_HELP: Final = (
    'Words match as prefixes (from three letters); "quoted phrases"; -word excludes; '
    "author: title: journal: year:2010-2015 tag:\"Post-Exertional Malaise\" "
    "pem:required type:review tier:E0 is:starred is:noted is:reported collection:\"Name\""
)
MAX_QUERY_LENGTH: Final = 1000
MAX_CLAUSES: Final = 32


@dataclass(frozen=True, slots=True)
class TextClause:
    """Words (``phrase`` False: each a prefix) or an exact phrase, in one field or any."""

    text: str
    field: TextField = TextField.ANY
    phrase: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True)
class FilterClause:
    kind: FilterKind
    value: str
    negated: bool = False
    #: For year filters: inclusive bounds, either may be None.
    low: int | None = None
    high: int | None = None
    #: A quoted value matches exactly (``status:"Reviewed"``); a bare one as a prefix or
    #: part (``type:review`` finds Review-Narrative).
    exact: bool = False


Clause = TextClause | FilterClause


@dataclass(frozen=True, slots=True)
class Query:
    raw: str
    clauses: tuple[Clause, ...] = ()
    hints: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def text_clauses(self) -> tuple[TextClause, ...]:
        return tuple(c for c in self.clauses if isinstance(c, TextClause))

    @property
    def filters(self) -> tuple[FilterClause, ...]:
        return tuple(c for c in self.clauses if isinstance(c, FilterClause))


# One token: optional "-", optional "name:", then a quoted string or a bare run.
_TOKEN_RE: Final = re.compile(
    r"""
    (?P<neg>-)?
    (?:(?P<name>[A-Za-z_]+):)?
    (?:
        "(?P<quoted>[^"]*)(?P<closed>"?)
      | (?P<bare>[^\s"]*)
    )
    """,
    re.VERBOSE,
)
_YEAR_RANGE_RE: Final = re.compile(r"^(\d{1,4})?\s*(?:-|–|\.\.)\s*(\d{1,4})?$")
_YEAR_CMP_RE: Final = re.compile(r"^(<=|>=|<|>)\s*(\d{1,4})$")


def parse_query(raw: str) -> Query:
    """Parse the search box's text. Never raises; problems become ``hints``."""
    hints: list[str] = []
    text = raw.replace("\x00", " ")
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        hints.append(f"The search was cut to its first {MAX_QUERY_LENGTH} characters.")
    # Typographic quotes typed or pasted from a word processor count as straight quotes.
    text = re.sub(r"[\u201c\u201d\u201e\u00ab\u00bb]", '"', text)

    clauses: list[Clause] = []
    for match in _scan(text):
        clause = _clause_from_token(match, hints)
        if clause is not None:
            clauses.append(clause)

    if len(clauses) > MAX_CLAUSES:
        clauses = clauses[:MAX_CLAUSES]
        hints.append(f"Only the first {MAX_CLAUSES} search terms are used.")
    return Query(raw=raw, clauses=tuple(clauses), hints=tuple(dict.fromkeys(hints)))


def _scan(text: str) -> Iterator[re.Match[str]]:
    """The one tokenizer: each clause of ``text`` as typed, in order."""
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        match = _TOKEN_RE.match(text, pos)
        if match is None or match.end() == pos:  # pragma: no cover - the regex always advances
            pos += 1
            continue
        pos = match.end()
        yield match


# --------------------------------------------------------------------------- editing

def query_tokens(text: str) -> list[str]:
    """The clauses of ``text`` as typed (``tag:"Symptom: Fatigue"`` is one), for editing the
    search box's text; the same cuts :func:`parse_query` makes."""
    return [m.group(0) for m in _scan(text)]


def is_filter_token(token: str) -> bool:
    """``name:value`` (negated or not), as opposed to words and phrases."""
    match = _TOKEN_RE.fullmatch(token)
    return match is not None and match.group("name") is not None


def filter_tokens(text: str) -> set[str]:
    """The filters in ``text`` as typed (the sidebar shows them as chosen)."""
    return {t for t in query_tokens(text) if is_filter_token(t)}


def toggle_filter(text: str, token: str, *, exclusive: bool = False) -> str:
    """``text`` with the filter ``token`` added, or taken out if it is there. ``exclusive``:
    the filter's values exclude each other (an entry has one PEM criterion), so adding one
    replaces the others of its name. An empty ``token`` takes every filter out (words stay).
    """
    tokens = query_tokens(text)
    if not token:
        return " ".join(t for t in tokens if not is_filter_token(t))
    if token in tokens:
        return " ".join(t for t in tokens if t != token)
    if exclusive:
        prefix = token.split(":", 1)[0] + ":"
        tokens = [t for t in tokens if not t.startswith(prefix)]
    return " ".join([*tokens, token])


def _clause_from_token(match: re.Match[str], hints: list[str]) -> Clause | None:
    negated = bool(match.group("neg"))
    name = match.group("name")
    quoted = match.group("quoted")
    is_phrase = quoted is not None
    value = (quoted if is_phrase else match.group("bare") or "").strip()
    if is_phrase and not match.group("closed"):
        hints.append("A closing quote is missing; the rest of the search is read as one phrase.")

    if name is not None:
        key = name.lower()
        if key in _FIELD_ALIASES:
            if not value:
                hints.append(f"“{name}:” needs something after it, e.g. {name}:fatigue.")
                return None
            return _text_clause(value, _FIELD_ALIASES[key], is_phrase, negated)
        if key in _FILTER_ALIASES:
            clause = _filter_clause(_FILTER_ALIASES[key], name, value, negated, hints)
            if clause is not None and is_phrase:
                clause = replace(clause, exact=True)
            return clause
        # Not a filter we know: "ME/CFS:" or "note:xyz" is searched as plain words.
        hints.append(f"“{name}:” is not a known filter; it is searched as words.")
        value = f"{name} {value}".strip()

    if not value:
        if negated:
            hints.append("A lone “-” excludes nothing; put a word right after it, e.g. -exercise.")
        return None
    return _text_clause(value, TextField.ANY, is_phrase, negated)


def _text_clause(value: str, where: TextField, phrase: bool, negated: bool) -> TextClause | None:
    if not re.search(r"\w", value):
        return None
    return TextClause(text=value, field=where, phrase=phrase, negated=negated)


def _filter_clause(
    kind: FilterKind, name: str, value: str, negated: bool, hints: list[str]
) -> FilterClause | None:
    if not value:
        hints.append(f"“{name}:” needs a value, e.g. {_EXAMPLES[kind]}.")
        return None
    if kind is FilterKind.YEAR:
        return _year_clause(value, negated, hints)
    if kind is FilterKind.PEM:
        canonical = PEM_VALUES.get(value.lower().replace(" ", "_"))
        if canonical is None:
            hints.append("pem: takes required, not_required or unknown.")
            return None
        return FilterClause(kind, canonical, negated)
    if kind is FilterKind.IS:
        lowered = value.lower()
        if lowered not in IS_VALUES:
            hints.append("is: takes " + ", ".join(IS_VALUES) + ".")
            return None
        return FilterClause(kind, lowered, negated)
    if kind is FilterKind.PMID and not value.isdigit():
        hints.append("pmid: takes digits only, e.g. pmid:23639303.")
        return None
    return FilterClause(kind, value, negated)


_EXAMPLES: Final = {
    FilterKind.YEAR: "year:2013 or year:2010-2015",
    FilterKind.TAG: 'tag:"Post-Exertional Malaise"',
    FilterKind.PEM: "pem:required",
    FilterKind.STUDY_TYPE: "type:review",
    FilterKind.TIER: "tier:E0",
    FilterKind.CONFIDENCE: "confidence:moderate",
    FilterKind.REVIEW_STATUS: "status:reviewed",
    FilterKind.IS: "is:starred",
    FilterKind.COLLECTION: 'collection:"Clinic talk"',
    FilterKind.LABEL: "label:urgent",
    FilterKind.DOI: "doi:10.1016/j.brat.2013.02.001",
    FilterKind.PMID: "pmid:23639303",
}


def _year_clause(value: str, negated: bool, hints: list[str]) -> FilterClause | None:
    value = value.strip()
    low: int | None
    high: int | None
    if value.isdigit() and len(value) <= 4:
        low = high = int(value)
    elif m := _YEAR_RANGE_RE.match(value):
        low = int(m.group(1)) if m.group(1) else None
        high = int(m.group(2)) if m.group(2) else None
        if low is None and high is None:
            hints.append("year: expects a year or a range, e.g. year:2010-2015.")
            return None
        if low is not None and high is not None and low > high:
            low, high = high, low
    elif m := _YEAR_CMP_RE.match(value):
        op, number = m.group(1), int(m.group(2))
        low, high = {
            ">": (number + 1, None),
            ">=": (number, None),
            "<": (None, number - 1),
            "<=": (None, number),
        }[op]
    else:
        hints.append("year: expects a year or a range, e.g. year:2010-2015.")
        return None
    return FilterClause(FilterKind.YEAR, value, negated, low=low, high=high)


#: Words shorter than this are matched whole, never as the beginning of a longer word.
PREFIX_MIN_LETTERS: Final = 3


def without_unfinished_word(text: str) -> tuple[str, str] | None:
    """For search as you type: when ``text`` ends in a word still being typed that is too
    short to match as a prefix ("post e", "f"), the text without it and that word.

    None when the text ends in whitespace, a quote or a filter, or its last word is long
    enough. Matched whole, such a word ("post e") usually finds nothing and the list would
    blank out between keystrokes; the window then searches without it until it is longer.
    """
    if not text or text[-1].isspace() or text.rstrip().endswith('"'):
        return None
    head, _, word = text.rpartition(" ")
    if not word or word.startswith("-") or ":" in word or '"' in word:
        return None
    letters = re.findall(r"\w", word)
    if not letters or len(letters) >= PREFIX_MIN_LETTERS:
        return None
    if head.count('"') % 2:  # inside an open phrase
        return None
    return head.rstrip(), word

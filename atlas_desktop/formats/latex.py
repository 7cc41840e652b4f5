"""LaTeX in BibTeX field values, to Unicode text and back.

Decoding is the costly part of reading a large ``.bib`` file: pylatexenc's parser takes about
half a millisecond per field, and decoding every field of a 10,000-entry file that way took
49 s. So values are triaged (:func:`decode_latex`):

* no backslash, brace, ``$``, ``~`` or TeX ligature: returned as they are (most fields);
* braces only (``{{ZnO}} films``, Zotero's case protection): braces dropped, ligatures mapped;
* anything else goes through the small decoder below, which knows the accents, letters and
  text commands bibliographies use. pylatexenc is consulted only as a symbol table for a
  command the decoder does not know (``\\rightarrow``), once per command name.

:func:`decode_latex_rich` reads titles for citations: the same text, with CSL's rich-text
markup for what a style must keep (``\\emph`` -> ``<i>``, ``\\textbf`` -> ``<b>``, ``\\textsc``
-> small caps, ``\\textsuperscript`` -> ``<sup>``) and every brace group that does not start
with a command as ``<span class="nocase">`` (BibTeX's case protection, which a title's
sentence case then leaves alone: :mod:`atlas_desktop.domain.biblatex_csl`).

An unknown command that takes a braced argument keeps the argument (``\\foo{bar}`` -> ``bar``);
one that does not is kept by name (``\\TUB`` -> ``TUB``): dropping it would drop words from
titles. ``~`` becomes an ordinary space.

:func:`encode_latex` is the inverse used by the BibTeX writer: for every string ``s`` the
decoder gives back ``decode_latex(encode_latex(s)) == s`` (whitespace runs collapsed), which
is what makes our own exports round-trip losslessly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

_NEEDS_DECODER: Final = re.compile(r"[\\$]")
_LIGATURE_RE: Final = re.compile(r"---|--|``|''")
_LIGATURES: Final = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d"}
_WS_RE: Final = re.compile(r"\s+")
_ASCII_WS_RE: Final = re.compile(r"[ \t\r\n\f\v]+")
_COMMAND_RE: Final = re.compile(r"\\(?:[A-Za-z]+|.)")

# Accent commands and the combining character each puts on its argument.
_ACCENTS: Final = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331", "t": "\u0361",
}
# What an accent with an empty argument (``\^{}``) prints.
_BARE_ACCENTS: Final = {"^": "^", "~": "~", "'": "\u00b4", "`": "`", '"': "\u00a8", "=": "\u00af"}
_LETTERS: Final = {
    "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
    "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
    "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ",
}
_SYMBOL_WORDS: Final = {
    "textendash": "\u2013", "textemdash": "\u2014", "textquoteright": "\u2019",
    "textquoteleft": "\u2018", "textquotedblleft": "\u201c", "textquotedblright": "\u201d",
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_",
    "textbar": "|", "textless": "<", "textgreater": ">", "textregistered": "®",
    "texttrademark": "™", "textcopyright": "©", "copyright": "©", "textdegree": "°",
    "textbullet": "•", "ldots": "…", "dots": "…", "textellipsis": "…", "textperiodcentered": "·",
    "textsection": "§", "S": "§", "P": "¶", "pounds": "£", "textsterling": "£", "euro": "€",
    "texteuro": "€", "guillemotleft": "«", "guillemotright": "»", "quad": " ", "qquad": " ",
    "slash": "/", "textmu": "µ", "textpm": "±", "texttimes": "×", "textdollar": "$",
    "textpercent": "%", "textampersand": "&", "textbraceleft": "{", "textbraceright": "}",
    "textquotesingle": "'", "textquotedbl": '"', "textexclamdown": "¡", "textquestiondown": "¿",
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "XeTeX": "XeTeX",
    "LuaTeX": "LuaTeX", "ConTeXt": "ConTeXt", "AmS": "AMS", "MF": "Metafont", "MP": "MetaPost",
    "METAFONT": "METAFONT", "relax": "", "break": "", "newline": " ", "par": " ",
    "nobreak": "", "hfill": " ", "linebreak": " ", "allowbreak": "",
    # biblatex's breakable hyphen (issue 18 item 21: "methodology\\hyphen independent").
    "hyphen": "-", "texthyphen": "-", "nbhyphen": "-",
}
_HIDDEN_ARGUMENT_WORDS: Final = frozenset({"noopsort", "SortNoop", "sortnoop", "nocite"})
# Commands whose braced argument is the text (formatting only).
_STYLE_WORDS: Final = frozenset(
    "textit emph textbf textsc textrm textsf texttt textup textsl textmd textnormal mbox hbox "
    "text textsuperscript textsubscript mkbibemph mkbibitalic mkbibbold url nolinkurl "
    "NoCaseChange nocase ensuremath mathrm mathit mathbf mathsf mathtt mathcal operatorname "
    "textln textenglish foreignlanguage hyphenation protect uline underline".split()
)
_QUOTE_WORDS: Final = frozenset({"mkbibquote", "enquote", "textquote"})
#: Rich text for citations: the markup of a style command's argument.
_RICH_STYLES: Final = {
    "textit": ("<i>", "</i>"), "emph": ("<i>", "</i>"), "mkbibemph": ("<i>", "</i>"),
    "mkbibitalic": ("<i>", "</i>"), "textsl": ("<i>", "</i>"), "textbf": ("<b>", "</b>"),
    "mkbibbold": ("<b>", "</b>"), "textsc": ('<span style="font-variant:small-caps;">', "</span>"),
    "textsuperscript": ("<sup>", "</sup>"), "textsubscript": ("<sub>", "</sub>"),
    "NoCaseChange": ('<span class="nocase">', "</span>"), "nocase": ('<span class="nocase">',
                                                                    "</span>"),
}
#: ... and of a switch (``{\\em …}``), for the rest of its group.
_RICH_SWITCHES: Final = {
    "em": _RICH_STYLES["emph"], "it": _RICH_STYLES["emph"], "itshape": _RICH_STYLES["emph"],
    "sl": _RICH_STYLES["emph"], "slshape": _RICH_STYLES["emph"], "bf": _RICH_STYLES["textbf"],
    "bfseries": _RICH_STYLES["textbf"], "sc": _RICH_STYLES["textsc"],
    "scshape": _RICH_STYLES["textsc"],
}
_NOCASE: Final = ('<span class="nocase">', "</span>")
# Declarations that change the font of what follows (``{\sc Conniver}``): no text.
_SWITCH_WORDS: Final = frozenset(
    "it em bf sc rm sf tt sl up md itshape bfseries scshape upshape slshape mdseries rmfamily "
    "sffamily ttfamily normalfont tiny scriptsize footnotesize small normalsize large Large "
    "LARGE huge Huge displaystyle textstyle selectfont".split()
)
_SYMBOL_CHARS: Final = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": " ",
    ";": " ", ":": " ", "!": "", "-": "", "/": "", "@": "", "\\": " ", "\n": " ", "\t": " ",
    "|": "‖",
}
_SUPERSCRIPTS: Final = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPTS: Final = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")

_TOKEN_RE: Final = re.compile(
    r"\\([A-Za-z]+)([ \t\r\n]*)"  # 1, 2: control word and the spaces TeX eats after it
    r"|\\(.)"  # 3: control symbol
    r"|([{}$^_])"  # 4: grouping, math, scripts
    r"|(---|--|``|''|~)"  # 5: ligatures and the tie
    r"|([^\\{}$^_~`'\-]+|[`'\-])",  # 6: plain text
    re.DOTALL,
)
_WORD, _SYMBOL, _SPECIAL, _LIGATURE, _TEXT = 1, 3, 4, 5, 6


def decode_latex(value: str) -> str:
    """The Unicode text of a BibTeX field value (already free of its outer delimiters).

    Whitespace runs (line breaks included) become single spaces.
    """
    if not _NEEDS_DECODER.search(value):
        if "{" in value or "}" in value or "~" in value or "-" in value or "`" in value \
                or "''" in value:
            # Ligatures before braces: ``-{}-`` is how a writer keeps two plain hyphens.
            value = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group(0)], value)
            value = value.replace("{", "").replace("}", "").replace("~", " ")
        return _WS_RE.sub(" ", value).strip()
    try:
        text = _Decoder(value).run()
    except RecursionError:
        # Thousands of nested groups: no bibliography does that; keep the words, drop markup.
        text = _COMMAND_RE.sub("", value).replace("{", "").replace("}", "").replace("$", "")
    return _WS_RE.sub(" ", text).strip()


def decode_latex_rich(value: str) -> str:
    """:func:`decode_latex` with CSL rich-text markup (see the module's text): tags removed,
    the same text."""
    try:
        text = _Decoder(value, rich=True).run()
    except RecursionError:
        return decode_latex(value)
    return _ASCII_WS_RE.sub(" ", text).strip(" ")  # a tie's no-break space stays


class _Decoder:
    """A recursive reader over the tokens of one value (groups nest; ``$`` toggles math)."""

    def __init__(self, value: str, *, rich: bool = False) -> None:
        self.rich = rich
        self.tokens: list[tuple[int, str]] = []
        #: Indexes of control words that were followed by spaces.
        self.spaced: set[int] = set()
        for m in _TOKEN_RE.finditer(value):
            kind = m.lastindex or _TEXT
            if kind == 2:  # the spaces group closes a control word
                kind = _WORD
                self.spaced.add(len(self.tokens))
            self.tokens.append((kind, m.group(kind)))
        self.pos = 0
        self.math = False

    def run(self) -> str:
        return self.group(top=True)

    def group(self, *, top: bool = False) -> str:
        out: list[str] = []
        while self.pos < len(self.tokens):
            kind, text = self.tokens[self.pos]
            self.pos += 1
            if kind == _TEXT:
                out.append(text)
            elif kind == _SPECIAL:
                if text == "{":
                    out.append(self.protected_group() if self.rich else self.group())
                elif text == "}":
                    if not top:
                        return "".join(out)
                elif text == "$":
                    self.math = not self.math
                else:  # ^ or _
                    out.append(self.script(text) if self.math else text)
            elif kind == _LIGATURE:
                # The tie is a space that does not break (kept as one in rich text).
                out.append(("\u00a0" if self.rich else " ") if text == "~" else _LIGATURES[text])
            elif kind == _WORD and self.rich and text in _RICH_SWITCHES:
                # ``{\em words}``: the switch styles the rest of its group.
                opening, closing = _RICH_SWITCHES[text]
                rest = self.group(top=top)
                if rest.strip():
                    out.append(f"{opening}{rest}{closing}")
                return "".join(out)
            elif kind == _WORD:
                index = self.pos - 1
                word = self.word(text)
                # TeX eats the spaces after a control word (``\TeX book`` is "TeXbook"); a
                # command we do not know is kept by name, and then the space is kept too:
                # we cannot tell whether its definition would have restored it.
                if (index in self.spaced and self.pos == index + 1 and word == text
                        and text not in _SYMBOL_WORDS and self._next_is_text()):
                    word += " "
                out.append(word)
            else:
                out.append(self.symbol(text))
        return "".join(out)

    def protected_group(self) -> str:
        """A brace group in running text: case-protected, unless it starts with a command
        (``{\\em …}``, ``{\\"U}ber``), which BibTeX does not protect."""
        command = self.pos < len(self.tokens) and self.tokens[self.pos][0] in (_WORD, _SYMBOL)
        inner = self.group()
        if command or not inner.strip() or (
                inner.startswith(_NOCASE[0]) and inner.endswith(_NOCASE[1])
                and inner.count(_NOCASE[0]) == 1):
            return inner  # ``{{Name}}`` is protected once
        return f"{_NOCASE[0]}{inner}{_NOCASE[1]}"

    def _next_is_text(self) -> bool:
        return self.pos < len(self.tokens) and self.tokens[self.pos][0] in (_TEXT, _WORD)

    def argument(self) -> str | None:
        """The next braced group, a single character, or a letter command (``\\i``)."""
        if self.pos >= len(self.tokens):
            return None
        kind, text = self.tokens[self.pos]
        if kind == _SPECIAL and text == "{":
            self.pos += 1
            return self.group()
        if kind == _TEXT:
            stripped = text.lstrip()
            if not stripped:  # ``\v R``: the argument follows a space
                self.pos += 1
                return self.argument()
            # Take one character; leave the rest of the text for the caller.
            self.tokens[self.pos] = (_TEXT, stripped[1:])
            if not stripped[1:]:
                self.pos += 1
            return stripped[0]
        if kind == _WORD and text in _LETTERS:
            self.pos += 1
            return _LETTERS[text]
        return None

    def braced_argument(self) -> str | None:
        if self.pos < len(self.tokens) and self.tokens[self.pos] == (_SPECIAL, "{"):
            self.pos += 1
            return self.group()
        return None

    def accent(self, name: str) -> str:
        arg = self.argument()
        if not arg:
            return _BARE_ACCENTS.get(name, "")
        base = {"ı": "i", "ȷ": "j"}.get(arg[0], arg[0])
        return unicodedata.normalize("NFC", base + _ACCENTS[name]) + arg[1:]

    def script(self, which: str) -> str:
        arg = self.argument() or ""
        table = _SUPERSCRIPTS if which == "^" else _SUBSCRIPTS
        mapped = arg.translate(table)
        if arg and all(ch != src for ch, src in zip(mapped, arg, strict=True)):
            return mapped
        return which + (arg if len(arg) == 1 else "{" + arg + "}")

    def symbol(self, char: str) -> str:
        if char in _ACCENTS:
            return self.accent(char)
        if char in "()":  # ``\\(…\\)`` is math, as ``$…$`` is
            self.math = char == "("
            return ""
        if char in _SYMBOL_CHARS:
            return _SYMBOL_CHARS[char]
        return char

    def word(self, name: str) -> str:
        if name in _ACCENTS:
            return self.accent(name)
        if name in _LETTERS:
            return _LETTERS[name]
        if name in _SYMBOL_WORDS:
            if self.tokens[self.pos : self.pos + 2] == [(_SPECIAL, "{"), (_SPECIAL, "}")]:
                self.pos += 2  # ``\textendash{}``: the empty group only ends the name
            return _SYMBOL_WORDS[name]
        if name in _STYLE_WORDS:
            arg = self.braced_argument()
            if self.rich and arg and name in _RICH_STYLES:
                opening, closing = _RICH_STYLES[name]
                return f"{opening}{arg}{closing}"
            return arg if arg is not None else ""
        if name in _QUOTE_WORDS:
            arg = self.braced_argument()
            if arg and self.rich:  # a quotation keeps its words' case in a sentence-case title
                return f"\u201c{_NOCASE[0]}{arg}{_NOCASE[1]}\u201d"
            return f"\u201c{arg}\u201d" if arg is not None else ""
        if name in _SWITCH_WORDS:
            return ""
        if name in _HIDDEN_ARGUMENT_WORDS:
            self.braced_argument()  # for sorting only: ``{\noopsort{1973c}}1981`` is 1981
            return ""
        known = _known_symbol(name)
        if known:
            return known
        arg = self.braced_argument()
        return arg if arg is not None else name


@lru_cache(maxsize=2048)
def _known_symbol(name: str) -> str:
    """What pylatexenc prints for ``\\name`` alone (Greek letters, arrows…), or ''."""
    # Loaded on first use only: most files never need it, and the CLI starts faster.
    from pylatexenc.latex2text import LatexNodes2Text

    try:
        text = LatexNodes2Text(math_mode="text").latex_to_text("\\" + name)
    except Exception:  # pylatexenc raises various errors on odd input; treat as unknown
        return ""
    text = text.strip()
    return text if text and "\\" not in text else ""


# --------------------------------------------------------------------------- writing

_ESCAPES: Final = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_ESCAPE_RE: Final = re.compile(r"[\\{}%&$#_~^]|--|``|''")


def encode_latex(text: str) -> str:
    """Text as a BibTeX value body: specials escaped, Unicode kept (files are UTF-8)."""
    if not _ESCAPE_RE.search(text):
        return text
    return _ESCAPE_RE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    token = match.group(0)
    if len(token) == 2:  # a ligature that must stay two characters
        return token[0] + "{}" + token[1]
    return _ESCAPES[token]


_PROTECT_RE: Final = re.compile(r"(?<![\w{])(\S*[A-Z]\S*)")


def protect_case(encoded_title: str) -> str:
    """Brace words with capitals after their first letter (``{ME/CFS}``, ``{mRNA}``) so that
    styles which lower-case titles leave them alone. Decoding drops the braces again."""

    def wrap(match: re.Match[str]) -> str:
        word = match.group(1)
        if "\\" in word or "{" in word or "}" in word:
            return word
        letters = [ch for ch in word if ch.isalpha()]
        if len(letters) > 1 and any(ch.isupper() for ch in letters[1:]):
            return "{" + word + "}"
        return word

    return _PROTECT_RE.sub(wrap, encoded_title)

"""LaTeX in field values: decoded to Unicode, and written so that it decodes back."""

from __future__ import annotations

import pytest

from atlas_desktop.formats.latex import decode_latex, encode_latex, protect_case


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"Radim {\v R}eh{\r u}{\v r}ek", "Radim Řehůřek"),
        (r"M\"uller {\"O}zt{\"u}rk", "Müller Öztürk"),
        (r"J. Gonz{\'{a}}lez and \'\i", "J. González and í"),
        (r"Stra\ss e, {\o}rsted, \aa{}ngstr\"om", "Straße, ørsted, ångström"),
        (r"The {\sc CONNIVER} Reference", "The CONNIVER Reference"),
        (r"\emph{in vivo} and \textit{in vitro}", "in vivo and in vitro"),
        (r"\mkbibquote{Quoted} words", "“Quoted” words"),
        (r"Ga\textendash{{Al}} flux", "Ga–Al flux"),
        (r"pages 12--23 --- or not", "pages 12–23 — or not"),
        (r"100~$\mu$J, $\pm$0.1\% and 0.2\,mm$^2$", "100 μJ, ±0.1% and 0.2 mm²"),
        (r"Cu$_2$O crystal", "Cu₂O crystal"),
        (r"\TeX\ and \LaTeX{} and The {\TeX book}", "TeX and LaTeX and The TeXbook"),
        (r"Editorial on \TUB\ news", "Editorial on TUB news"),
        (r"$\rightarrow$ arrows", "→ arrows"),
        (r"\$5, \& and \#1 \_x", "$5, & and #1 _x"),
        ("{{ZnO}} Nanowires", "ZnO Nanowires"),
        ("a  b\n\t c", "a b c"),
    ],
)
def test_decoding(latex, text):
    assert decode_latex(latex) == text


@pytest.mark.parametrize(
    "text",
    [
        "a--b and ``quoted''",
        "50% & $5 #1 a_b ~x^2 {y} \\z",
        "ME/CFS in mRNA: The Lancet",
        "Ünïcödé — stays – as “is”",
        "braces { unbalanced",
        "trailing backslash \\",
    ],
)
def test_what_we_write_decodes_to_what_we_had(text):
    assert decode_latex(protect_case(encode_latex(text))) == text


def test_case_protection_braces_only_words_with_inner_capitals():
    assert protect_case("Blood flow in ME/CFS and mRNA of Patients") == (
        "Blood flow in {ME/CFS} and {mRNA} of Patients")

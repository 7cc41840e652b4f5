"""Synthetic atlas catalogues with realistic field sizes, deterministic for a given seed.

Sizes follow the atlas pages: titles of 8-22 words, 1-12 authors, a summary of ~90 words,
"why it matters" ~55 words, "does not prove" ~65 words, 0-6 findings and 0-4 conclusions of
~20 words each, 2-9 tags over four categories, and the badge vocabulary of the seeds.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

WORDS = (
    "fatigue exertion malaise post exertional cognitive dysfunction orthostatic intolerance "
    "sleep pain immune mitochondrial metabolism cytokine biomarker cohort trial patients "
    "controls symptoms severity recovery activity energy heart rate autonomic cerebral blood "
    "flow inflammation antibodies microbiome gut muscle lactate oxygen exercise testing "
    "diagnosis criteria questionnaire outcome measures clinical practice treatment therapy "
    "pacing rehabilitation quality life disability functioning employment adolescents adults "
    "women men population prevalence incidence longitudinal cross sectional analysis data "
    "findings significant associated increased reduced compared healthy group participants "
    "study results evidence review systematic meta narrative qualitative interviews survey "
    "infection viral onset long covid neurological endocrine cortisol hypothalamic pituitary "
    "adrenal axis gene expression proteomics metabolomics imaging brain white matter signal"
).split()
FAMILIES = (
    "Smith Jones Nguyen García Müller Rossi Kowalski Andersen Okafor Tanaka Silva Cohen Brown "
    "Dubois Novak Larsen Ivanova Haddad Kim Fischer Moreau Ricci Bianchi Nakamura Schmidt "
    "Johansson Petrov O'Brien Singh Patel Chen Wang Li Zhang Lopez Martin Wilson Taylor Evans "
    "Thomas Roberts Walker White Hall Young Allen Wright King Scott Green Baker Adams Nelson "
    "Hill Campbell Mitchell Carter Phillips Parker Turner Collins Edwards Stewart Morris Murphy "
    "Cook Rogers Morgan Peterson Cooper Reed Bailey Bell Gómez Kelly Howard Ward Cox Díaz "
    "Richardson Wood Watson Brooks Bennett Gray James Reyes Cruz Hughes Price Myers Long Foster "
    "Sanders Ross Morales Powell Sullivan Russell Ortiz Jenkins Gutiérrez Perry Butler Barnes "
    "Fisher Henderson Coleman Simmons Patterson Jordan Reynolds Hamilton Graham Kim Wallace "
    "Bos Vaart Heins Knoop Twisk Maes Stein Karlsson Daniels Wearden Nøkleby Åberg Łukasiewicz"
).split()
GIVEN = ("Anna Ben Carla David Eva Frank Greta Hans Ines Jo Karl Lena Marta Nils Olga Per "
         "Rosa").split()
JOURNALS = (
    "Journal of Translational Medicine|Fatigue: Biomedicine, Health & Behavior|BMC Neurology|"
    "Frontiers in Neurology|PLoS One|Brain, Behavior, and Immunity|Journal of Internal "
    "Medicine|Behaviour research and therapy|Neuro endocrinology letters|Internet "
    "interventions|Clinical Medicine|Medicina|Healthcare|Work|Journal of Health Psychology"
).split("|")
TIERS = ["E0 Consensus", "E1 Systematic review", "E2 Trial", "E3 Cohort", "E4 Case series",
         "E5 Mechanistic"]
CONFIDENCE = ["High", "Moderate", "Low", "Very low"]
STUDY_TYPES = ["Review-Narrative", "Review-Systematic", "RCT", "Cohort", "Case-control",
               "Cross-sectional", "Qualitative", "Mechanistic", "Case report"]
REVIEW = ["Reviewed", "Editor reviewed", "Pending review"]
TAGS = {
    "Symptom": ["Post-Exertional Malaise", "Cognitive Dysfunction", "Pain", "Fatigue",
                "Orthostatic Intolerance", "Sleep Dysfunction", "Headache"],
    "Biomarker": ["Cytokines", "Metabolomics", "Blood Biomarker", "NK Cell Function",
                  "Autoantibodies", "Gut Microbiome", "Lactate"],
    "Method Flag": ["PEM_DEFINED", "PEM Not Defined", "Weak Case Definition", "Small Sample",
                    "No Control Group", "Self-Report Only"],
    "Intervention": ["CBT", "GET", "Pacing", "Pharmacological", "Rehabilitation"],
}


# Made-up words are built from ~400 consonant-vowel(-consonant) syllables, which gives a
# three-letter prefix a few dozen words, as in English ("mit": mitral, mitosis, mitigate…).
_ONSETS = "b c d f g h k l m n p r s t v w z br cr dr fl gr pl pr st tr ch sh th".split()
_VOWELS = "a e i o u ai ea io ou".split()
_CODAS = ["", "", "", "n", "r", "s", "l", "t", "m", "x"]
_SYLLABLES = sorted({o + v + c for o in _ONSETS for v in _VOWELS for c in _CODAS})
_FUNCTION_WORDS = "the of and in to a with for was were that on by as from this is at".split()


def _build_vocabulary(size: int = 40_000) -> tuple[list[str], list[float]]:
    """Domain words first (most frequent), then made-up terms, with Zipf weights."""
    rng = random.Random(7)
    words: list[str] = []
    seen: set[str] = set()
    for w in [*_FUNCTION_WORDS, *WORDS]:
        if w not in seen:
            seen.add(w)
            words.append(w)
    while len(words) < size:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]
    return words, weights


_VOCAB, _WEIGHTS = _build_vocabulary()
_CUM: list[float] = []
_total = 0.0
for _w in _WEIGHTS:
    _total += _w
    _CUM.append(_total)


def _sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(_VOCAB, cum_weights=_CUM, k=n)
    return " ".join(words).capitalize() + "."


def _prose(rng: random.Random, words: int) -> str:
    out, left = [], words
    while left > 0:
        n = min(left, rng.randint(10, 22))
        out.append(_sentence(rng, n))
        left -= n
    return " ".join(out)


def make_entry(rng: random.Random, index: int) -> dict[str, Any]:
    family = rng.choice(FAMILIES)
    year = rng.randint(1988, 2026)
    title = _sentence(rng, rng.randint(8, 22)).rstrip(".")
    authors = [{"family": family, "given": rng.choice(GIVEN)}] + [
        {"family": rng.choice(FAMILIES), "given": rng.choice(GIVEN)}
        for _ in range(rng.randint(0, 11))
    ]
    tags: dict[str, list[str]] = {}
    for _ in range(rng.randint(2, 9)):
        category = rng.choice(list(TAGS))
        label = rng.choice(TAGS[category])
        if label not in tags.setdefault(category, []):
            tags[category].append(label)
    entry_id = f"{family.lower().replace(chr(39), '')}-{year}-syn-{index}"
    entry_id = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "x"
                       for c in entry_id).lower()
    return {
        "id": entry_id,
        "title": title if rng.random() > 0.01 else None,
        "authors": authors,
        "journal": rng.choice(JOURNALS),
        "year": year,
        "doi": f"10.{rng.randint(1000, 9999)}/syn.{index}" if rng.random() > 0.1 else None,
        "pmid": str(10_000_000 + index) if rng.random() > 0.2 else None,
        "url": f"https://www.mecfsatlas.com/evidence/{entry_id}",
        "summary": _prose(rng, rng.randint(60, 120)),
        "why_it_matters": _prose(rng, rng.randint(35, 75)),
        "does_not_prove": _prose(rng, rng.randint(40, 90)),
        "observed_findings": [_sentence(rng, rng.randint(12, 28))
                              for _ in range(rng.randint(0, 6))],
        "inferred_conclusions": [_sentence(rng, rng.randint(12, 28))
                                 for _ in range(rng.randint(0, 4))],
        "remaining_questions": [_sentence(rng, rng.randint(8, 16))
                                for _ in range(rng.randint(0, 2))],
        "badges": {
            "pem": rng.choice(["required", "not_required", "unknown"]),
            "evidence_tier": rng.choice(TIERS),
            "confidence": rng.choice(CONFIDENCE),
            "study_type": rng.choice(STUDY_TYPES),
            "peer_reviewed": rng.random() > 0.1,
            "review_status": rng.choice(REVIEW),
        },
        "evidence_level": _sentence(rng, rng.randint(8, 16)),
        "tags": tags,
        "last_updated": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "snapshot": {"generator": "v1", "scanner": "v1.4", "policy": "v0.1",
                     "accessed": "2026-05-26"},
        "bibtex_key": f"mecfsatlas-{entry_id}",
    }


def write_bundle(path: Path, count: int, seed: int = 20261121) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format": "atlas-bundle", "version": 1, '
                  '"generated_at": "2026-11-21T00:00:00Z", "entries": [\n')
        for i in range(count):
            if i:
                out.write(",\n")
            out.write(json.dumps(make_entry(rng, i), ensure_ascii=False))
        out.write("\n]}\n")
    return path

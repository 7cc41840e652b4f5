"""The exact output of the five offered styles for the sample entries, from the real engine.

These strings are what citeproc-js (the engine Zotero uses) prints for the entries' data, so
a pasted citation matches Zotero's. Each was read by a person: one period after a PubMed title,
"van der Vaart" with its particle where each style puts it, "n.d." for the undated entry.
Some styles mark articles with no volume or pages as preprints or "published online"; that is
the styles' rule for the data the atlas has, and the copy carries a warning about it.
"""

from __future__ import annotations

import pytest

from atlas_desktop.domain.csl import entry_to_csl
from tests.citations.conftest import render_one

HEINS = "heins-2013-role-therapeutic"
DANIELS = "daniels-2011-socialization-model"
TWISK = "twisk-2009-review-cognitive"
STEIN = "stein-improving-therapeutic"
VAART = "van-der-vaart-2019"

TWISK_TITLE = (
    "A review on cognitive behavorial therapy (CBT) and graded exercise therapy (GET) in "
    "myalgic encephalomyelitis (ME) / chronic fatigue syndrome (CFS): CBT/GET is not only "
    "ineffective and not evidence-based, but also potentially harmful for many patients with "
    "ME/CFS"
)
HEINS_TITLE = ("The role of the therapeutic relationship in cognitive behaviour therapy for "
               "chronic fatigue syndrome")
DANIELS_TITLE = ("Socialization to the model: the active component in the therapeutic "
                 "alliance? A preliminary study")
STEIN_TITLE = ("Improving the therapeutic relationships between patients with ME/CFS and "
               "health care practitioners")

EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "apa": {
        HEINS: (
            f"Heins, M. J., Knoop, H., & Bleijenberg, G. (2013). {HEINS_TITLE}. Behaviour "
            "Research and Therapy. https://doi.org/10.1016/j.brat.2013.02.001",
            "(Heins et al., 2013)",
        ),
        DANIELS: (
            f"Daniels, J., & Wearden, A. J. (2011). {DANIELS_TITLE}. Behavioural and Cognitive "
            "Psychotherapy. https://doi.org/10.1017/S1352465810000792",
            "(Daniels & Wearden, 2011)",
        ),
        TWISK: (
            f"Twisk, F. N. M., & Maes, M. (2009). {TWISK_TITLE}. Neuro Endocrinology Letters.",
            "(Twisk & Maes, 2009)",
        ),
        STEIN: (
            f"Stein, E., Stormorken, E., & Karlsson, B. (n.d.). {STEIN_TITLE}.",
            "(Stein et al., n.d.)",
        ),
        # The atlas lists three authors and "et al." and no title (issue 18 item 5): the
        # citation says both, and never puts the journal in the work's place.
        VAART: (
            "van der Vaart, R., Worm-Smeitink, M., Bos, Y., et al. (2019). [title not "
            "recorded]. Internet Interventions.",
            "(van der Vaart et al., 2019)",
        ),
    },
    "vancouver": {
        HEINS: (
            f"1. Heins MJ, Knoop H, Bleijenberg G. {HEINS_TITLE}. Behaviour research and "
            "therapy. 2013. doi:10.1016/j.brat.2013.02.001 PubMed PMID: 23639303.",
            "(1)",
        ),
        DANIELS: (
            f"1. Daniels J, Wearden AJ. {DANIELS_TITLE}. Behavioural and cognitive "
            "psychotherapy. 2011. doi:10.1017/S1352465810000792 PubMed PMID: 21092360.",
            "(1)",
        ),
        TWISK: (
            f"1. Twisk FNM, Maes M. {TWISK_TITLE}. Neuro endocrinology letters. 2009. PubMed "
            "PMID: 19855350.",
            "(1)",
        ),
        STEIN: (f"1. Stein E, Stormorken E, Karlsson B. {STEIN_TITLE}.", "(1)"),
        VAART: ("1. van der Vaart R, Worm-Smeitink M, Bos Y, et al. [title not recorded]. "
                "Internet interventions. 2019.", "(1)"),
    },
    "ama": {
        HEINS: (
            f"1. Heins MJ, Knoop H, Bleijenberg G. {HEINS_TITLE}. Behaviour research and "
            "therapy. Published online 2013. doi:10.1016/j.brat.2013.02.001",
            "1",
        ),
        DANIELS: (
            f"1. Daniels J, Wearden AJ. {DANIELS_TITLE}. Behavioural and cognitive "
            "psychotherapy. Published online 2011. doi:10.1017/S1352465810000792",
            "1",
        ),
        TWISK: (
            f"1. Twisk FNM, Maes M. {TWISK_TITLE}. Neuro endocrinology letters. Published "
            "online 2009.",
            "1",
        ),
        STEIN: (f"1. Stein E, Stormorken E, Karlsson B. {STEIN_TITLE}.", "1"),
        VAART: ("1. van der Vaart R, Worm-Smeitink M, Bos Y, et al. [title not recorded]. "
                "Internet interventions. Published online 2019.", "1"),
    },
    "harvard": {
        HEINS: (
            f"Heins, M.J., Knoop, H. and Bleijenberg, G. (2013) “{HEINS_TITLE},” Behaviour "
            "research and therapy [Preprint]. Available at: "
            "https://doi.org/10.1016/j.brat.2013.02.001.",
            "(Heins, Knoop and Bleijenberg, 2013)",
        ),
        DANIELS: (
            f"Daniels, J. and Wearden, A.J. (2011) “{DANIELS_TITLE},” Behavioural and "
            "cognitive psychotherapy [Preprint]. Available at: "
            "https://doi.org/10.1017/S1352465810000792.",
            "(Daniels and Wearden, 2011)",
        ),
        TWISK: (
            f"Twisk, F.N.M. and Maes, M. (2009) “{TWISK_TITLE},” Neuro endocrinology letters "
            "[Preprint].",
            "(Twisk and Maes, 2009)",
        ),
        STEIN: (
            f"Stein, E., Stormorken, E. and Karlsson, B. (no date) “{STEIN_TITLE}.”",
            "(Stein, Stormorken and Karlsson, no date)",
        ),
        VAART: (
            "van der Vaart, R. et al. (2019) “[title not recorded],” Internet interventions "
            "[Preprint].",
            "(van der Vaart et al., 2019)",
        ),
    },
    "chicago": {
        HEINS: (
            "Heins, Marianne J., Hans Knoop, and Gijs Bleijenberg. 2013. “The Role of the "
            "Therapeutic Relationship in Cognitive Behaviour Therapy for Chronic Fatigue "
            "Syndrome.” Behaviour Research and Therapy, ahead of print. "
            "https://doi.org/10.1016/j.brat.2013.02.001.",
            "(Heins et al. 2013)",
        ),
        VAART: (
            "Vaart, Rosalie van der, Margreet Worm-Smeitink, Yvonne Bos, et al. 2019. “[title "
            "not recorded].” Internet Interventions.",
            "(van der Vaart et al. 2019)",
        ),
    },
}

CASES = [(style, entry_id) for style, by_id in EXPECTED.items() for entry_id in by_id]


@pytest.mark.parametrize(("style", "entry_id"), CASES)
def test_offered_style_output_is_pinned(engine_for, sample_entries, style, entry_id):
    reference, in_text = render_one(engine_for(style), sample_entries[entry_id])
    assert (reference, in_text) == EXPECTED[style][entry_id]


@pytest.mark.parametrize("style", ["apa", "vancouver", "ama", "harvard", "chicago"])
def test_a_pubmed_title_keeps_exactly_one_period(engine_for, sample_entries, style):
    """The stored title ends with "syndrome." and the style adds its own punctuation."""
    assert sample_entries[HEINS].title.endswith("syndrome.")
    reference, _ = render_one(engine_for(style), sample_entries[HEINS])
    assert "yndrome.." not in reference
    assert "yndrome.”." not in reference


def test_harvard_in_british_english_uses_single_quotes_outside_punctuation(
        engine_for, sample_entries):
    reference, _ = render_one(engine_for("harvard", "en-GB"), sample_entries[HEINS])
    assert reference.startswith(
        f"Heins, M.J., Knoop, H. and Bleijenberg, G. (2013) ‘{HEINS_TITLE}’, Behaviour")


def test_several_entries_form_one_bibliography_in_the_style_order(engine_for, sample_entries):
    items = [entry_to_csl(sample_entries[i]) for i in (VAART, HEINS, DANIELS)]
    apa = engine_for("apa").render(items, formats=("text",))
    assert apa.order == (DANIELS, HEINS, VAART)  # alphabetical by first author
    vancouver = engine_for("vancouver").render(items, formats=("text",))
    assert vancouver.order == (VAART, HEINS, DANIELS)  # numbered in the order cited
    assert [vancouver.entries["text"][i][:3] for i in vancouver.order] == ["1. ", "2. ", "3. "]

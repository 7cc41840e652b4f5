"""Splitting glued chips into labels: the vocabulary first, a case rule for unseen labels."""

from __future__ import annotations

import pytest

from atlas_desktop.formats.vocabulary import classify_badges, split_chips, vocabulary


def test_seed_badge_line_splits_and_classifies():
    chips = split_chips(
        "E0 ConsensusModerate confidencePEM requiredReview-NarrativePeer-reviewedReviewed",
        vocabulary().badge_labels,
    )
    assert chips == [
        "E0 Consensus", "Moderate confidence", "PEM required", "Review-Narrative",
        "Peer-reviewed", "Reviewed",
    ]
    badges, unplaced = classify_badges(chips)
    assert unplaced == []
    assert badges.to_dict() == {
        "pem": "required", "evidence_tier": "E0 Consensus", "confidence": "Moderate",
        "study_type": "Review-Narrative", "peer_reviewed": True, "review_status": "Reviewed",
    }


@pytest.mark.parametrize(
    ("text", "category", "expected"),
    [
        ("PEM_DEFINEDPEM Not DefinedWeak Case Definition", "Method Flag",
         ["PEM_DEFINED", "PEM Not Defined", "Weak Case Definition"]),
        ("Post-Exertional MalaiseCognitive DysfunctionPainFatigue", "Symptom",
         ["Post-Exertional Malaise", "Cognitive Dysfunction", "Pain", "Fatigue"]),
        ("CytokinesMetabolomicsBlood Biomarker", "Biomarker",
         ["Cytokines", "Metabolomics", "Blood Biomarker"]),
    ],
)
def test_seed_tag_lines(text, category, expected):
    assert split_chips(text, vocabulary().tag_labels(category)) == expected


def test_unseen_labels_fall_back_to_case_boundaries():
    assert split_chips("Air HungerBrain FogNoise Sensitivity", ()) == [
        "Air Hunger", "Brain Fog", "Noise Sensitivity",
    ]


def test_case_rule_does_not_cut_acronyms_ending_a_word():
    assert split_chips("IgG AntibodiesFatigue", ()) == ["IgG Antibodies", "Fatigue"]
    assert split_chips("Serum IgG", ()) == ["Serum IgG"]


def test_known_label_only_matches_at_a_chip_boundary():
    # "Pain" is known, but "Painful Joints" is one unseen label.
    assert split_chips("Painful JointsFatigue", vocabulary().tag_labels("Symptom")) == [
        "Painful Joints", "Fatigue",
    ]


def test_unknown_badge_chips_are_kept_not_dropped():
    badges, unplaced = classify_badges(["E2 Trial", "High confidence", "PEM not required",
                                        "RCT", "Peer-reviewed", "Reviewed", "Sponsored"])
    assert badges.pem == "not_required"
    assert badges.study_type == "RCT"
    assert unplaced == ["Sponsored"]
    assert dict(badges.extra) == {"labels": ["Sponsored"]}

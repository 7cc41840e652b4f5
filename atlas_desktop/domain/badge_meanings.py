"""What each atlas badge means, in plain words: the window's tooltips and "copy with
evidence" say the same (issue 18 item 7)."""

from __future__ import annotations


def badge_meaning(kind: str, text: str) -> str:
    """What a badge means, in plain words."""
    lowered = text.lower()
    if kind == "pem":
        if "not required" in lowered:
            return (
                "PEM not required: people were included under diagnostic criteria that do not "
                "require post-exertional malaise (for example Fukuda or Oxford), so the group "
                "may include people who do not have it. This is about who was included, not "
                "about what was measured."
            )
        if "required" in lowered:
            return (
                "PEM required: post-exertional malaise was a required criterion for including "
                "participants. It does not mean the study measured or discussed PEM."
            )
        return "PEM unknown: the atlas could not tell whether the inclusion criteria required "\
            "post-exertional malaise."
    if kind == "evidence_tier":
        return (
            f"Evidence tier {text}: where the atlas places this type of study on its evidence "
            "scale (E0 is the highest). It describes the kind of evidence, not the quality of "
            "this paper."
        )
    if kind == "confidence":
        level = text.removesuffix(" confidence")
        return (
            f"{level} confidence: how sure the atlas is of its own reading of this paper, not "
            "how strong the paper's findings are."
        )
    if kind == "study_type":
        return f"Study type: {text}, the design of the study."
    if kind == "peer_reviewed":
        if lowered.startswith("not"):
            return "Not peer-reviewed: for example a preprint or a report."
        return "Peer-reviewed: published after review by independent experts."
    if kind == "review_status":
        return (
            f"Review status: {text}. Whether a person at the atlas has checked this entry "
            "(an editor, a reviewer) or it is still waiting for a check."
        )
    if kind == "withdrawn":
        return "The atlas has withdrawn this entry. Your notes, stars and reports are kept."
    if kind == "mine":
        return "From your own library (you imported it); the atlas has not graded it."
    return f"Atlas label: {text}"

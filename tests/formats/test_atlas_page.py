"""Atlas pages in their three layouts, incomplete pages, and text that is not a page.

The five pages are tests/data/atlas-pages (the seeds' facts and structure, our own prose)."""

from __future__ import annotations

from datetime import date

import pytest

from atlas_desktop.domain.entry import Author
from atlas_desktop.formats.atlas_page import NotAnAtlasPage, parse_atlas_page, parse_human_date
from tests.conftest import seed_files


def parse_seed(index: int):
    return parse_atlas_page(seed_files()[index].read_text("utf-8"))


def test_compact_page_000_all_fields():
    page = parse_seed(0)
    e = page.entry
    assert page.layout == "compact"
    assert e.id == "heins-2013-role-therapeutic"
    assert e.title.startswith("The role of the therapeutic relationship in cognitive behaviour")
    assert e.authors == (Author("Heins", "Marianne J"), Author("Knoop", "Hans"),
                         Author("Bleijenberg", "Gijs"))
    assert (e.journal, e.year) == ("Behaviour research and therapy", 2013)
    assert (e.doi, e.pmid) == ("10.1016/j.brat.2013.02.001", "23639303")
    assert e.url == "https://www.mecfsatlas.com/evidence/heins-2013-role-therapeutic"
    assert e.bibtex_key == "mecfsatlas-heins-2013-role-therapeutic"
    assert e.snapshot.describe() == "Generator v1 / Scanner v1.4 / policy v0.1"
    assert e.snapshot.accessed == date(2026, 5, 26)
    assert e.summary.startswith("Researchers followed 217 people")
    assert e.why_it_matters.startswith("Knowing why a behavioural treatment")
    assert e.does_not_prove.startswith("This study does not prove")
    assert not e.missing_fields()


def test_compact_page_001_two_authors_and_caveat_detection():
    e = parse_seed(1).entry
    assert e.id == "daniels-2011-socialization-model"
    assert e.authors == (Author("Daniels", "Jo"), Author("Wearden", "Alison J"))
    assert e.doi == "10.1017/S1352465810000792" and e.pmid == "21092360"
    assert e.snapshot.accessed == date(2026, 5, 30)
    assert e.does_not_prove.startswith("This preliminary analysis does not establish")
    assert e.summary.startswith("A look at what goes with")
    assert "About the PEM badge" not in (e.why_it_matters or "")


def test_full_page_002_badges_tags_metadata():
    page = parse_seed(2)
    e = page.entry
    assert page.layout == "full"
    assert e.id == "twisk-2009-review-cognitive"
    assert e.title.startswith("A review on cognitive behavorial therapy (CBT)")
    assert e.authors == (Author("Twisk", "Frank N M"), Author("Maes", "Michael"))
    assert (e.journal, e.year, e.pmid, e.doi) == ("Neuro endocrinology letters", 2009,
                                                  "19855350", None)
    b = e.badges
    assert (b.pem, b.evidence_tier, b.confidence, b.study_type, b.peer_reviewed) == (
        "required", "E0 Consensus", "Moderate", "Review-Narrative", True)
    assert b.review_status == "Editor reviewed"
    assert dict(e.tags) == {
        "Method Flag": ("PEM_DEFINED", "PEM Not Defined", "Weak Case Definition"),
        "Symptom": ("Post-Exertional Malaise", "Cognitive Dysfunction", "Pain", "Fatigue"),
        "Biomarker": ("Cytokines", "Metabolomics", "Blood Biomarker"),
    }
    assert len(e.observed_findings) == 5 and len(e.inferred_conclusions) == 4
    assert e.remaining_questions == ()
    assert e.does_not_prove.startswith("This review does not prove")
    assert e.evidence_level.startswith("Higher-level evidence type")
    assert e.last_updated == date(2026, 4, 7)
    assert e.summary.startswith("The authors of this review dispute")
    assert not e.missing_fields()


def test_blog_page_003_title_and_authors_with_degrees():
    page = parse_seed(3)
    e = page.entry
    assert page.layout == "blog"
    assert e.title == ("Improving the therapeutic relationships between patients with ME/CFS "
                       "and health care practitioners")
    assert e.authors == (Author("Stein", "Eleanor"), Author("Stormorken", "Eva"),
                         Author("Karlsson", "Bengt"))
    assert e.id == "stein-improving-therapeutic"
    assert e.extra["abstract"].startswith("Background:")
    assert "Comments are closed" not in e.extra["abstract"]
    assert set(e.missing_fields()) == {"journal", "year", "summary", "doi", "pmid"}


def test_page_004_without_title_or_citation_is_incomplete_not_an_error():
    page = parse_seed(4)
    e = page.entry
    assert e.title is None
    assert e.id == "van-der-vaart-2019"
    assert e.authors[0] == Author("van der Vaart", "Rosalie")
    assert e.authors_truncated
    assert e.display_title() == "Untitled — van der Vaart et al., 2019"
    assert e.missing_fields() == ["title", "authors", "doi", "pmid"]
    assert e.does_not_prove.startswith("This study does not demonstrate")


FULL_PAGE = """E2 TrialLow confidencePEM not requiredRCTNot peer-reviewedPending reviewSponsored
A made-up trial of pacing
Nøkleby, Ørjan, Łukasiewicz, Zoë · Journal of Tests · 2021
Quick Summary
First paragraph of our summary.
Second paragraph of our summary.
Why It Matters
Because tests matter.
Observed Findings
- One finding
Inferred Conclusions
- One conclusion
Remaining Questions
- Does it replicate?
What This Study Does Not Prove
It proves nothing at all.
Tags
Symptom:Post-Exertional MalaiseAir Hunger
Intervention Class:PacingHeart Rate Monitoring
Metadata
- DOI
- https://doi.org/10.1234/ABC.5
- Last updated
- March 3, 2025
- Funding
- None declared
Contribute
"""


def test_full_layout_variant_with_unknown_labels_and_categories():
    page = parse_atlas_page(FULL_PAGE)
    e = page.entry
    assert e.authors == (Author("Nøkleby", "Ørjan"), Author("Łukasiewicz", "Zoë"))
    assert e.summary == "First paragraph of our summary.\n\nSecond paragraph of our summary."
    assert e.remaining_questions == ("Does it replicate?",)
    assert e.tags["Intervention Class"] == ("Pacing", "Heart Rate Monitoring")
    assert e.tags["Symptom"] == ("Post-Exertional Malaise", "Air Hunger")
    assert e.doi == "10.1234/ABC.5"
    assert e.last_updated == date(2025, 3, 3)
    assert e.badges.pem == "not_required" and e.badges.peer_reviewed is False
    assert e.badges.review_status == "Pending review"
    assert dict(e.badges.extra) == {"labels": ["Sponsored"]}
    assert e.extra["metadata"] == {"Funding": "None declared"}
    assert e.id == "nokleby-2021-made-up"


def test_header_only_page_is_an_incomplete_entry():
    page = parse_atlas_page("Smith, Jane · Some Journal · 2020 · DOI\n")
    assert page.entry.id == "smith-2020"
    assert "summary" in page.entry.missing_fields()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   \n\n  ", "empty"),
        ("Dear diary, today I went for a walk.\nIt was nice.", "does not look like"),
        ("Quick Summary\nWhy It Matters\nTags\nMetadata\nContribute\n", "no way to tell"),
        ("About the PEM badge: something\nContribute\nPrivate, reviewed by a human.",
         "does not look like"),
        ("<html><script>alert(1)</script></html>", "does not look like"),
    ],
)
def test_text_that_is_not_an_atlas_page_is_refused(text, fragment):
    with pytest.raises(NotAnAtlasPage) as info:
        parse_atlas_page(text)
    assert fragment in str(info.value)


def test_hostile_markup_is_kept_as_text_not_interpreted():
    page = parse_atlas_page(
        "<img src=http://evil.example/x.png>, Bob · </table><script>x()</script> · 2020\n"
        "A summary with <b>tags</b>.\n"
    )
    assert page.entry.authors[0].family == "<img src=http://evil.example/x.png>"
    assert page.entry.journal == "</table><script>x()</script>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7 April 2026", date(2026, 4, 7)), ("April 7, 2026", date(2026, 4, 7)),
     ("2026-04-07", date(2026, 4, 7)), ("31 February 2026", None), ("someday", None)],
)
def test_human_dates(text, expected):
    assert parse_human_date(text) == expected

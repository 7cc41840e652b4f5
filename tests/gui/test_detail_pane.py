"""The detail pane: all entry text is escaped; nothing loads from outside; incomplete entries
say what is missing; tags filter."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from atlas_desktop.domain.entry import Author, Badges, Entry
from atlas_desktop.gui.panes.detail_pane import DetailPane
from tests.gui.conftest import ops

HOSTILE = Entry(
    id="hostile-1",
    title='<img src=http://evil.example/track.png onerror="alert(1)">',
    authors=(Author("</table><script>alert('x')</script>", "<b>Bold</b>"),),
    journal="<style>body{display:none}</style>",
    year=2020,
    summary='<a href="javascript:alert(1)">click</a>\n\n<iframe src="http://x">',
    does_not_prove="</td></tr></table><h1>BIG</h1>",
    badges=Badges(pem="required", study_type="<i>RCT</i>"),
    tags={"Sym<ptom>": ("<u>Fatigue</u>",)},
    doi="10.1000/\"><script>x</script>",
)


def pane(qtbot, library):
    widget = DetailPane(library, ops(library))
    qtbot.addWidget(widget)
    return widget


def test_hostile_entry_text_is_shown_as_text(qtbot, seeded_library):
    detail = pane(qtbot, seeded_library)
    detail.show_entry(HOSTILE)
    text = detail.document().toPlainText()
    for raw in ('<img src=http://evil.example/track.png onerror="alert(1)">',
                "</table><script>alert('x')</script>", "<style>body{display:none}</style>",
                '<a href="javascript:alert(1)">click</a>', "</td></tr></table><h1>BIG</h1>"):
        assert raw in text
    rendered = detail.document().toHtml()
    assert "<script" not in rendered and "<iframe" not in rendered
    assert "javascript:" not in rendered.replace("&quot;javascript:alert(1)&quot;", "")
    # The only images are the pills the pane drew itself.
    images = [frag for frag in rendered.split("<img")[1:]]
    assert images and all('src="atlas-pill:' in frag for frag in images)


def test_nothing_is_fetched_from_outside(qtbot, seeded_library):
    detail = pane(qtbot, seeded_library)
    detail.show_entry(HOSTILE)
    image = QTextDocument.ResourceType.ImageResource.value
    assert detail.browser.loadResource(image, QUrl("http://evil.example/track.png")) is None
    assert detail.browser.loadResource(image, QUrl("file:///etc/passwd")) is None
    assert detail.browser.loadResource(image, QUrl("atlas-pill:0")) is not None


def test_incomplete_entry_says_what_is_missing_and_offers_a_report(qtbot, seeded_library):
    detail = pane(qtbot, seeded_library)
    entry = seeded_library.catalogue.get_entry(entry_id="van-der-vaart-2019")
    detail.show_entry(entry)
    text = detail.document().toPlainText()
    assert "Incomplete entry" in text
    assert "title, complete author list or DOI or PubMed ID" in text
    with qtbot.waitSignal(detail.report_requested):
        detail.browser.anchorClicked.emit(QUrl("atlas-action:report-missing"))


def test_full_entry_shows_every_section(qtbot, seeded_library):
    detail = pane(qtbot, seeded_library)
    detail.show_entry(seeded_library.catalogue.get_entry(entry_id="twisk-2009-review-cognitive"))
    text = detail.document().toPlainText()
    for heading in ("Summary", "Why it matters", "What this study does not prove",
                    "Observed findings", "Inferred conclusions", "Tags", "Evidence level",
                    "Last updated", "7 April 2026", "PMID 19855350"):
        assert heading in text


def test_tag_chip_click_emits_decoded_category_and_label(qtbot, seeded_library):
    detail = pane(qtbot, seeded_library)
    detail.show_entry(Entry(id="t-1", title="T", tags={"Method/Flag": ("PEM Not Defined",),
                                                        "Symptôme": ("Fatigue/Pain",)}))
    html = detail.document().toHtml()
    hrefs = [part.split('"', 1)[0] for part in html.split('href="')[1:]
             if part.startswith("atlas-tag:")]
    assert len(hrefs) == 2
    received = []
    detail.tag_clicked.connect(lambda c, lab: received.append((c, lab)))
    for href in hrefs:
        detail.browser.anchorClicked.emit(QUrl(href))
    assert received == [("Method/Flag", "PEM Not Defined"), ("Symptôme", "Fatigue/Pain")]


def test_the_scroll_bar_follows_the_entry_shown(qtbot, seeded_library):
    """show_entry holds the scroll bar while it swaps the text (one layout, not two); after
    it, the bar is there exactly when the entry is longer than the pane."""
    from PySide6.QtCore import Qt

    detail = pane(qtbot, seeded_library)
    detail.resize(460, 420)
    detail.show()
    qtbot.waitExposed(detail)
    long_entry = seeded_library.catalogue.get_entry(entry_id="twisk-2009-review-cognitive")
    short_entry = Entry(id="short-1", title="A short one", year=2001)
    bar = detail.browser.verticalScrollBar()
    for entry, needs_bar in ((long_entry, True), (short_entry, False), (long_entry, True),
                             (long_entry, True), (short_entry, False)):
        detail.show_entry(entry)
        assert detail.browser.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded
        qtbot.waitUntil(lambda: bar.isVisible() == needs_bar)  # noqa: B023
        laid_out = detail.document().size().height()
        assert (laid_out > detail.browser.viewport().height()) == needs_bar
        # Laid out at the width actually shown: no line runs under the bar.
        assert detail.document().textWidth() == detail.browser.viewport().width()

"""Badge pills: text on every pill, "+N" when they do not fit, plain-language tooltips."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont

from atlas_desktop.gui.badges import badge_tooltip, colour_key, pill_colours
from atlas_desktop.gui.delegates.badge_delegate import layout_pills

BADGES = (("pem", "PEM required"), ("evidence_tier", "E0"), ("confidence", "Moderate"),
          ("study_type", "Review-Narrative"), ("review_status", "Editor reviewed"))


def test_pills_fit_and_overflow_becomes_plus_n(qapp):
    font = QFont()
    wide = layout_pills(BADGES, QRect(0, 0, 2000, 28), font)
    assert [p.text for p in wide] == [t for _, t in BADGES]
    narrow = layout_pills(BADGES, QRect(0, 0, 190, 28), font)
    assert narrow[-1].kind == "more" and narrow[-1].text.startswith("+")
    shown = len(narrow) - 1
    assert narrow[-1].text == f"+{len(BADGES) - shown}"
    assert all(p.rect.right() <= 190 for p in narrow)


def test_pem_tooltip_is_about_inclusion_not_study_focus():
    tip = badge_tooltip("pem", "PEM required")
    assert "criterion for including participants" in tip
    assert "does not mean the study measured" in tip
    assert "not about what was measured" in badge_tooltip("pem", "PEM not required")


def test_colours_are_consistent_per_kind_and_distinguish_pem_values():
    assert colour_key("pem", "PEM required") != colour_key("pem", "PEM not required")
    assert pill_colours("evidence_tier", "E0") == pill_colours("evidence_tier", "E3")
    assert colour_key("confidence", "Very low") == "confidence_very_low"


def test_delegate_paints_pills_with_their_text(qtbot, seeded_library):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

    from atlas_desktop.gui.delegates.badge_delegate import BadgeDelegate
    from atlas_desktop.gui.models.entry_table import Column, EntryTableModel

    model = EntryTableModel(lambda pks: seeded_library.catalogue.list_rows(pks=pks))
    model.set_result(seeded_library.catalogue.search(text="pem:required"))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = BadgeDelegate(view)
    image = QImage(QSize(500, 30), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 500, 30)
    option.font = view.font()
    option.palette = view.palette()
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, Column.BADGES))
    painter.end()
    colours = {image.pixel(x, 15) for x in range(0, 500, 3)}
    assert len(colours) > 4  # fills, borders and text were drawn

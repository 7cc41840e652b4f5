"""The Copy menu, the style picker and dragging entries out of the list."""

from __future__ import annotations

import pytest

from atlas_desktop.citations import EngineCache
from atlas_desktop.domain.listing import SortKey
from atlas_desktop.gui.citation_controller import CitationController, EntrySelection
from atlas_desktop.gui.clipboard import ENTRY_IDS_MIME, RTF_MIME
from atlas_desktop.gui.copy_menu import CopyMenu
from atlas_desktop.gui.dialogs.style_picker import StylePickerDialog
from atlas_desktop.gui.drag import DRAG_RENDER_LIMIT, CitationDragSource
from atlas_desktop.gui.models.entry_table import EntryTableModel
from atlas_desktop.gui.runner import ImmediateRunner
from atlas_desktop.services.citations import CitationService
from tests.citations.readers import read_html, read_rtf
from tests.gui.conftest import ops

HEINS = "heins-2013-role-therapeutic"
TWISK = "twisk-2009-review-cognitive"


@pytest.fixture
def controller(qtbot, seeded_library):
    return CitationController(seeded_library, ImmediateRunner(), ops=ops(seeded_library))


def make_menu(qtbot, controller, ids):
    selection = EntrySelection(entry_ids=tuple(ids))
    menu = CopyMenu(controller, lambda: selection)
    qtbot.addWidget(menu)
    return menu


def action(menu, name):
    found = [a for a in _all_actions(menu) if a.objectName() == name]
    assert found, f"no action {name}"
    return found[0]


def _all_actions(menu):
    for a in menu.actions():
        yield a
        if a.menu() is not None:
            yield from _all_actions(a.menu())


def test_menu_names_the_default_style_and_the_snapshot_date(qtbot, controller,
                                                           seeded_library):
    seeded_library.citations.set_default_style(style="harvard")
    menu = make_menu(qtbot, controller, [HEINS])
    assert action(menu, "CopyReference").text() == (
        "Copy reference (Harvard (Cite Them Right))\tCtrl+Shift+C")
    assert action(menu, "CopySnapshot").text() == (
        "Cite the atlas's reading of this paper on 2026-05-26")
    checked = [a.objectName() for a in action(menu, "DefaultStyle-apa").actionGroup().actions()
               if a.isChecked()]
    assert checked == ["DefaultStyle-harvard"]


def test_every_format_in_the_menu_reaches_the_clipboard(qtbot, controller, clipboard):
    menu = make_menu(qtbot, controller, [TWISK, HEINS])
    expected_start = {
        "CopyReference": "Heins, M. J., Knoop, H., & Bleijenberg",
        "CopyInText": "(Heins et al., 2013; Twisk & Maes, 2009)",
        "CopyWithEvidence": "Heins, M. J.",
        "CopySnapshot": "ME/CFS Atlas. Atlas reading of “A review",
        "Copy-bibtex": "@article{mecfsatlas-twisk-2009-review-cognitive,",
        "Copy-ris": "TY  - JOUR",
        "Copy-csl-json": "[\n{\n  \"id\": \"twisk-2009-review-cognitive\"",
        "Copy-vancouver-bibliography": "1. Twisk FNM, Maes M.",
        "Copy-ama-in-text": "1,2",
        "Copy-chicago-bibliography": "Heins, Marianne J., Hans Knoop",
    }
    for name, start in expected_start.items():
        clipboard.clear()
        with qtbot.waitSignal(controller.copied):
            action(menu, name).trigger()
        assert clipboard.text().startswith(start), name


def test_choosing_a_default_style_in_the_menu_stores_it(qtbot, controller, seeded_library):
    menu = make_menu(qtbot, controller, [HEINS])
    with qtbot.waitSignal(controller.default_style_changed) as signal:
        action(menu, "DefaultStyle-vancouver").trigger()
    assert signal.args == ["vancouver"]
    assert seeded_library.citations.default_style() == "vancouver"
    menu.rebuild()
    assert action(menu, "CopyReference").text().startswith("Copy reference (Vancouver)")


def test_choosing_a_citation_language_changes_the_quotes(qtbot, controller, clipboard,
                                                        seeded_library):
    menu = make_menu(qtbot, controller, [HEINS])
    assert action(menu, "Locale-style").isChecked()
    with qtbot.waitSignal(controller.locale_changed) as signal:
        action(menu, "Locale-en-GB").trigger()
    assert signal.args == ["en-GB"]
    with qtbot.waitSignal(controller.copied):
        action(menu, "Copy-harvard-bibliography").trigger()
    assert "(2013) ‘The role of" in clipboard.text()
    menu.rebuild()
    assert action(menu, "Locale-en-GB").isChecked()
    assert action(menu, "Locale-en-GB").text() == "English (UK) (en-GB)"


def test_copy_actions_are_disabled_without_a_selection(qtbot, controller):
    menu = make_menu(qtbot, controller, [])
    assert not action(menu, "CopyReference").isEnabled()
    assert not action(menu, "Copy-bibtex").isEnabled()
    assert action(menu, "DefaultStyleChoose").isEnabled()


def test_style_picker_filters_the_installed_styles_and_returns_the_choice(qtbot,
                                                                         seeded_library):
    dialog = StylePickerDialog(seeded_library, ImmediateRunner())
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 500  # the first 500 of ~10,800 until the user types
    qtbot.keyClicks(dialog.filter_box, "cite them right 12th")
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert any(label.endswith("—  harvard-cite-them-right") for label in labels)
    for row, label in enumerate(labels):
        if label.endswith("—  harvard-cite-them-right"):
            dialog.list.setCurrentRow(row)
    with qtbot.waitSignal(dialog.accepted):
        dialog.choose(str(dialog.list.currentItem().data(0x0100)))
    assert dialog.chosen().style_id == "harvard-cite-them-right"


def test_style_picker_refuses_a_broken_style_file_with_the_reason(qtbot, seeded_library,
                                                                 tmp_path):
    dialog = StylePickerDialog(seeded_library, ImmediateRunner())
    qtbot.addWidget(dialog)
    broken = tmp_path / "broken.csl"
    broken.write_text("<style>not csl</style>", "utf-8")
    dialog.choose(str(broken))
    assert "is not a CSL style" in dialog.status.text()
    assert dialog.chosen() is None and dialog.result() == 0


def table_model(qtbot, library):
    model = EntryTableModel(lambda pks: library.catalogue.list_rows(pks=pks))
    model.set_result(library.catalogue.search(text="", sort=SortKey.TITLE))
    return model


def test_dragging_rows_carries_their_citation(qtbot, controller, seeded_library):
    seeded_library.citations.prepare()  # the window warms the default style at start
    model = table_model(qtbot, seeded_library)
    rows = {model.data(model.index(r, 0), 0x0100 + 2): r for r in range(model.rowCount())}
    indexes = [model.index(rows[TWISK], c) for c in range(3)] + [model.index(rows[HEINS], 0)]
    mime = CitationDragSource(controller).mime_data(indexes)
    lines = mime.text().split("\n")
    assert [line[:6] for line in lines] == ["Heins,", "Twisk,"]  # APA order
    assert [p.italics for p in read_html(mime.html())][1] == ["Neuro Endocrinology Letters"]
    assert read_rtf(bytes(mime.data(RTF_MIME).data()).decode("ascii"))[0].text == lines[0]
    assert bytes(mime.data(ENTRY_IDS_MIME).data()).decode() == f'["{HEINS}", "{TWISK}"]'


def test_a_drag_before_the_engine_is_built_carries_plain_references(qtbot, seeded_library):
    cold = EngineCache()
    seeded_library.citations = CitationService(seeded_library.ctx, cold)
    controller = CitationController(seeded_library, ImmediateRunner(), ops=ops(seeded_library))
    try:
        mime = CitationDragSource(controller).mime_data_for(EntrySelection(entry_ids=(HEINS,)))
        assert mime.text() == (
            "Heins et al. (2013). The role of the therapeutic relationship in cognitive "
            "behaviour therapy for chronic fatigue syndrome. Behaviour research and therapy. "
            "https://doi.org/10.1016/j.brat.2013.02.001")
        assert not mime.hasHtml()
        # ... and the build has started, so the next drag is formatted.
        qtbot.waitUntil(seeded_library.citations.is_ready, timeout=30_000)
    finally:
        cold.close()


def test_a_very_large_drag_does_not_render_on_the_ui_thread(qtbot, controller, seeded_library):
    seeded_library.citations.prepare()
    ids = tuple([HEINS] * (DRAG_RENDER_LIMIT + 1))
    mime = CitationDragSource(controller).mime_data_for(EntrySelection(entry_ids=ids))
    assert mime.text().startswith("Heins et al. (2013).")
    assert not mime.hasHtml()

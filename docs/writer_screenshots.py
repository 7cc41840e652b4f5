"""The user guide's screenshots of LibreOffice Writer with Atlas Desktop (docs/images/).

Run on an X server, e.g. ``xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python
docs/writer_screenshots.py``. It opens the sample library in the real window, a letter in a
real Writer with the extension installed, and takes: Writer with the Atlas Desktop toolbar
and a bibliography (guide-writer.png), the quick-cite picker that Add/Edit Citation brings
above Writer (guide-picker.png), Document Preferences (guide-doc-prefs.png) and File →
Update a document… after an update (guide-update.png). Needs LibreOffice Writer and
python3-uno; writes nothing but the four images.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from odf import opendocument  # noqa: E402
from odf import text as odf_text  # noqa: E402
from PySide6.QtCore import QRect, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit  # noqa: E402

from atlas_desktop.gui.main_window import MainWindow  # noqa: E402
from atlas_desktop.gui.runner import ThreadPoolRunner  # noqa: E402
from atlas_desktop.gui.wordproc.document_prefs import DocumentPreferencesDialog  # noqa: E402
from atlas_desktop.gui.wordproc.integration import WriterIntegration  # noqa: E402
from atlas_desktop.gui.wordproc.picker import QuickCitePicker  # noqa: E402
from atlas_desktop.gui.wordproc.update_dialog import UpdateDocumentDialog  # noqa: E402
from atlas_desktop.paths import LibraryPaths  # noqa: E402
from atlas_desktop.services import open_library  # noqa: E402

IMAGES = ROOT / "docs" / "images"
DRIVER = ROOT / "tests" / "libreoffice" / "lo_driver.py"
WRITER = QRect(0, 0, 1240, 640)  # the toolbars, the letter and its bibliography


def letter(path: Path) -> None:
    """A short clinic letter citing the sample papers as typed markers."""
    document = opendocument.OpenDocumentText()
    for line in (
            "Dear Dr Okafor,",
            "Thank you for referring Ms A., who has had ME/CFS for six years. Trials of graded "
            "exercise and cognitive behaviour therapy were reviewed critically "
            "[@twisk-2009-review-cognitive], and the therapeutic relationship was studied "
            "[@heins-2013-role-therapeutic; @daniels-2011-socialization-model].",
            "Internet-delivered support has been described since [@van-der-vaart-2019, p. 4].",
            "References",
            "{Bibliography}"):
        document.text.addElement(odf_text.P(text=line))
    document.save(str(path))


def word_letter(path: Path) -> None:
    """The same kind of letter as a Word document, with one marker no entry answers."""
    import docx

    document = docx.Document()
    document.add_paragraph("Dear Dr Okafor,")
    document.add_paragraph("Graded exercise was reviewed critically "
                           "[@twisk-2009-review-cognitive], and the therapeutic relationship "
                           "studied {Heins, 2013}. Our own audit [@clinic-audit-2024] follows.")
    document.add_paragraph("References")
    document.add_paragraph("{Bibliography}")
    document.save(str(path))


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="atlas-guide-")) / "Letters"
    work.mkdir()
    data_dir = work / "library"
    library = open_library(LibraryPaths(data_dir))
    library.add_sample_library()
    markers, updated = work / "markers.odt", work / "Letter to Dr Okafor.odt"
    letter(markers)
    library.documents.update_file(source=markers, target=updated, style="apa")
    app = QApplication.instance() or QApplication(sys.argv)
    runner = ThreadPoolRunner()
    window = MainWindow(library, runner, settings=QSettings(str(work / "ui.ini"),
                                                            QSettings.Format.IniFormat))
    window.setGeometry(1240, 60, 1280, 860)  # beside Writer, as on a wide screen
    window.show()
    integration = WriterIntegration(library, runner, window)
    assert integration.start() is None
    office = _start_office(work, data_dir)
    try:
        ready, shot_done = work / "ready", work / "shot-done"
        steps = [{"no_spelling": True}, {"open": str(updated), "visible": True},
                 {"window": [0, 0, 1240, 900]},
                 {"cursor": [2, "end"]}, {"touch": str(ready)}, {"wait_for": str(shot_done)},
                 {"run": "addEditCitation"}, {"run": "documentPreferences"}]
        driver = threading.Thread(target=_drive, args=(work, office[1], steps), daemon=True)
        driver.start()
        _wait(app, ready.exists, 120)
        QTest.qWait(4000)  # Writer paints its window and toolbars
        window.lower()
        _grab(app, WRITER).save(str(IMAGES / "guide-writer.png"))
        shot_done.touch()
        picker = _wait_for_dialog(app, QuickCitePicker)
        picker.move(190, 160)  # over Writer's page, where a user would look for it
        _fill_picker(app, picker)
        _grab(app, _around(picker, margin=40)).save(str(IMAGES / "guide-picker.png"))
        picker.buttons.accepted.emit()
        prefs = _wait_for_dialog(app, DocumentPreferencesDialog)
        QTest.qWait(1000)
        prefs.grab().save(str(IMAGES / "guide-doc-prefs.png"))
        prefs.reject()
        driver.join(timeout=120)
        referral = work / "Referral letter.docx"
        word_letter(referral)
        dialog = UpdateDocumentDialog(library, runner, window)
        dialog.set_source(referral)
        dialog.style_box.setCurrentIndex(dialog.style_box.findData("vancouver"))
        dialog.show()
        with_result = []
        dialog.finished_update.connect(with_result.append)
        dialog.start()
        _wait(app, lambda: bool(with_result), 60)
        QTest.qWait(500)
        dialog.grab().save(str(IMAGES / "guide-update.png"))
    finally:
        integration.stop()
        office[0].terminate()
        office[0].wait(timeout=30)
        library.close()
    return 0


def _start_office(work: Path, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    oxt = work / "atlas-desktop-writer.oxt"
    subprocess.run([sys.executable, str(ROOT / "integrations/libreoffice/build.py"), str(oxt)],
                   check=True, capture_output=True)
    env = {**os.environ, "ATLAS_DESKTOP_DATA_DIR": str(data_dir)}
    profile = (work / "profile").as_uri()

    def start(headless: bool) -> tuple[subprocess.Popen[bytes], str]:
        pipe = f"atlas-shots-{uuid.uuid4().hex[:8]}"
        flags = ["--headless", "--invisible"] if headless else []
        proc = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={profile}", *flags, "--nologo",
             "--norestore", "--nodefault", "--nolockcheck",
             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return proc, pipe

    # Installed once, then Writer starts again so that its menus and toolbars include it.
    first = start(headless=True)
    _drive(work, first[1], [{"install": str(oxt)}])
    first[0].terminate()
    first[0].wait(timeout=30)
    return start(headless=False)


def _drive(work: Path, pipe: str, steps: list[dict[str, object]]) -> None:
    import json

    path = work / f"steps-{uuid.uuid4().hex[:6]}.json"
    path.write_text(json.dumps(steps), "utf-8")
    subprocess.run(["/usr/bin/python3", str(DRIVER), pipe, str(path)], check=True,
                   capture_output=True, timeout=900)


def _wait(app: QApplication, done, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("waited too long")
        app.processEvents()
        time.sleep(0.05)


def _wait_for_dialog(app: QApplication, kind: type) -> object:
    found: list[object] = []

    def look() -> bool:
        found[:] = [w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        return bool(found)

    _wait(app, look, 120)
    QTest.qWait(800)
    return found[0]


def _fill_picker(app: QApplication, picker: QuickCitePicker) -> None:
    for words in ("heins therapeutic", "twisk"):
        picker.search_box.setFocus()
        QTest.keyClicks(picker.search_box, words)
        _wait(app, lambda: picker.results.count() > 0, 30)
        QTest.qWait(400)
        if words == "twisk":
            break  # the second work is still being looked for, as the user sees it
        QTest.keyClick(picker.search_box, Qt.Key.Key_Return)
    edit = picker.table.cellWidget(0, 2)
    assert isinstance(edit, QLineEdit)
    edit.setText("12-14")
    _wait(app, lambda: "12" in picker.preview.text(), 30)
    QTest.qWait(600)


def _around(widget: object, margin: int) -> QRect:
    frame = widget.frameGeometry()  # type: ignore[attr-defined]
    return frame.adjusted(-margin, -margin, margin, margin)


def _grab(app: QApplication, area: QRect):  # type: ignore[no-untyped-def]
    screen = app.primaryScreen()
    return screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())


if __name__ == "__main__":
    sys.exit(main())

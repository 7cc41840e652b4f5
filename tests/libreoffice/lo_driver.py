"""Drives a running LibreOffice through UNO for the tests; run with the system's Python
(python3-uno): ``python3 lo_driver.py PIPE STEPS.json`` prints one JSON result per step.

Steps: {"new": [paragraph texts]}, {"open": path, "visible": bool?},
{"window": [x, y, width, height]}, {"touch": path}, {"wait_for": path} (for the user guide's
screenshots, docs/writer_screenshots.py), {"cursor": [paragraph, "end"|"start"]},
{"into_citation": n} (the view cursor inside the n-th citation, as a click there),
{"delete_citation": n} (its text selected and deleted, as a user removes a citation),
{"type_into_citation": [n, text]} (typed inside the n-th citation, near its end),
{"run": command, "start": bool?, "timed": bool?} (the extension's own command, as the
toolbar runs it; "start" answers "Start Atlas Desktop now?"; "timed" gives its seconds), {"save": path} (File → Save As, in the format
of the extension), {"save_copy": path} (File → Save a Copy), {"insert_file": path} (an RTF
file inserted at the cursor, as Writer pastes RTF), {"store": true} (File → Save),
{"close": true}, {"dump": true}: what the
document holds, read here without the extension's code: citations in document order
(reference marks, Word fields and Zotero bookmarks with their text and footnote), the
bibliography (sections and fields), the text, the preferences.
"""

import json
import os
import sys
import time

import uno
import unohelper
from com.sun.star.beans import NamedValue, PropertyValue
from com.sun.star.task import XInteractionHandler
from com.sun.star.ucb import XCommandEnvironment

FIELD_CODE = "vnd.oasis.opendocument.field.code"


class Approve(unohelper.Base, XInteractionHandler):
    """Answers LibreOffice's questions while adding the extension as unopkg would with
    --suppress-license: approve."""

    def handle(self, request):
        for continuation in request.getContinuations():
            if continuation.queryInterface(uno.getTypeByName(
                    "com.sun.star.task.XInteractionApprove")):
                continuation.select()
                return


class CommandEnv(unohelper.Base, XCommandEnvironment):
    def getInteractionHandler(self):
        return Approve()

    def getProgressHandler(self):
        return None


def pv(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def dump(doc):
    out = {"citations": [], "bibliography": [], "text": doc.getText().getString()}
    found = []
    walk(doc, doc.getText(), found, [0], 0)
    for entry in found:
        if entry.get("bibliography"):
            out["bibliography"].append(entry)
        else:
            out["citations"].append(entry)
    for name in doc.getTextSections().getElementNames():
        out["bibliography"].append({"kind": "section", "name": name, "text": doc.getTextSections(
            ).getByName(name).getAnchor().getString()})
    out["prefs"] = properties(doc, "ZOTERO_PREF")
    out["marks"] = len(doc.getReferenceMarks().getElementNames())
    notes = doc.getFootnotes()
    out["footnotes"] = [notes.getByIndex(i).getString() for i in range(notes.getCount())]
    out["italic"] = italic_runs(doc.getText())
    return out


def italic_runs(text):
    """The body's italic text, run by run (formatting kept through conversions)."""
    out = []
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        para = paragraphs.nextElement()
        if not para.supportsService("com.sun.star.text.Paragraph"):
            continue
        portions = para.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            if (portion.TextPortionType == "Text" and portion.getString().strip() and
                    portion.getPropertyValue("CharPosture").value == "ITALIC"):
                out.append(portion.getString())
    return out


def properties(doc, name):
    udp = doc.getDocumentProperties().getUserDefinedProperties()
    info = udp.getPropertySetInfo()
    return "".join(str(udp.getPropertyValue("%s_%d" % (name, n)))
                   for n in range(1, 2000) if info.hasPropertyByName("%s_%d" % (name, n)))


def walk(doc, text, found, notes, note):
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        para = paragraphs.nextElement()
        if para.supportsService("com.sun.star.text.TextTable"):
            for cell in para.getCellNames():
                walk(doc, para.getCellByName(cell), found, notes, note)
            continue
        portions = para.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            kind = portion.TextPortionType
            if kind == "ReferenceMark" and portion.IsStart:
                mark = portion.ReferenceMark
                found.append({"kind": "mark", "name": mark.getName(),
                              "text": mark.getAnchor().getString(), "note": note})
            elif kind == "TextFieldStart" and portion.Bookmark is not None:
                params = portion.Bookmark.getParameters()
                code = str(params.getByName(FIELD_CODE)) if params.hasByName(FIELD_CODE) else ""
                found.append({"kind": "field", "name": code.strip(), "note": note,
                              "text": portion.Bookmark.getAnchor().getString(),
                              "bibliography": "BIBL" in code[:30]})
            elif kind == "Bookmark" and portion.IsStart and portion.Bookmark is not None:
                name = portion.Bookmark.getName()
                if name.startswith("ZOTERO_BREF_"):
                    found.append({"kind": "bookmark", "name": properties(doc, name),
                                  "text": portion.Bookmark.getAnchor().getString(),
                                  "note": note})
            elif kind == "Footnote":
                notes[0] += 1
                walk(doc, portion.Footnote, found, notes, notes[0])


def citation_ranges(doc):
    """(text, range) of each citation in document order, as ``walk`` finds them."""
    out = []

    def visit(text):
        paragraphs = text.createEnumeration()
        while paragraphs.hasMoreElements():
            para = paragraphs.nextElement()
            if para.supportsService("com.sun.star.text.TextTable"):
                continue
            portions = para.createEnumeration()
            while portions.hasMoreElements():
                portion = portions.nextElement()
                kind = portion.TextPortionType
                if kind == "ReferenceMark" and portion.IsStart:
                    out.append((text, portion.ReferenceMark.getAnchor()))
                elif kind == "TextFieldStart" and portion.Bookmark is not None:
                    params = portion.Bookmark.getParameters()
                    if params.hasByName(FIELD_CODE) and "CSL_CITATION" in str(
                            params.getByName(FIELD_CODE))[:60]:
                        out.append((text, portion.Bookmark.getAnchor()))
                elif kind == "Footnote":
                    visit(portion.Footnote)

    visit(doc.getText())
    return out


def main():
    ctx = connect(sys.argv[1])
    steps = json.load(open(sys.argv[2], encoding="utf-8"))
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = None

    def commands():
        return ctx.ServiceManager.createInstanceWithContext(
            "io.github.atlasdesktop.writer.Commands", ctx)

    results = []
    for step in steps:
        if "install" in step:
            # What `unopkg add` does, through the running LibreOffice (unopkg refuses to run
            # as root for a user profile, and CI runs as root).
            manager = ctx.getValueByName(
                "/singletons/com.sun.star.deployment.ExtensionManager")
            manager.addExtension(uno.systemPathToFileUrl(step["install"]), (), "user", None,
                                 CommandEnv())
            names = [e.getIdentifier().Value for e in
                     manager.getDeployedExtensions("user", None, CommandEnv())]
            results.append(names)
        elif "new" in step:
            doc = desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0,
                                               (pv("Hidden", True),))
            text = doc.getText()
            cursor = text.createTextCursor()
            for n, para in enumerate(step["new"]):
                if n:
                    text.insertControlCharacter(cursor, 0, False)
                text.insertString(cursor, para, False)
            results.append("ok")
        elif "open" in step:
            shown = step.get("visible", False)  # the screenshots' Writer is on the screen
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(step["open"]), "_blank",
                                               0, (pv("Hidden", not shown),))
            results.append("ok")
        elif "window" in step:
            x, y, width, height = step["window"]
            frame = doc.getCurrentController().getFrame()
            frame.getContainerWindow().setPosSize(x, y, width, height, 15)
            results.append("ok")
        elif "no_spelling" in step:
            # No red spelling underlines in the user guide's pictures (this profile only).
            lingu = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.linguistic2.LinguProperties", ctx)
            lingu.setPropertyValue("IsSpellAuto", False)
            results.append("ok")
        elif "touch" in step:  # tells a waiting script a step is done
            open(step["touch"], "w").close()
            results.append("ok")
        elif "wait_for" in step:  # until a waiting script says so (a file appears)
            deadline = time.monotonic() + 300
            while not os.path.exists(step["wait_for"]) and time.monotonic() < deadline:
                time.sleep(0.2)
            results.append("ok")
        elif "cursor" in step:
            number, where = step["cursor"]
            view = doc.getCurrentController().getViewCursor()
            cursor = doc.getText().createTextCursor()
            cursor.gotoStart(False)
            for _ in range(number):
                cursor.gotoNextParagraph(False)
            if where == "end":
                cursor.gotoEndOfParagraph(False)
            view.gotoRange(cursor, False)
            results.append("ok")
        elif "into_citation" in step:
            text, anchor = citation_ranges(doc)[step["into_citation"]]
            inside = text.createTextCursorByRange(anchor.getStart())
            inside.goRight(3, False)
            doc.getCurrentController().getViewCursor().gotoRange(inside, False)
            results.append("ok")
        elif "type_into_citation" in step:
            number, typed = step["type_into_citation"]
            text, anchor = citation_ranges(doc)[number]
            inside = text.createTextCursorByRange(anchor.getEnd())
            inside.goLeft(2, False)  # before ")" or the field's end: inside the citation
            text.insertString(inside, typed, False)
            results.append("ok")
        elif "delete_citation" in step:
            text, anchor = citation_ranges(doc)[step["delete_citation"]]
            text.createTextCursorByRange(anchor).setString("")
            results.append("ok")
        elif "run" in step:
            args = [NamedValue("Command", step["run"]), NamedValue("Document", doc)]
            if "start" in step:
                args.append(NamedValue("StartIfNotRunning", step["start"]))
            started = time.perf_counter()
            try:
                outcome = commands().execute(tuple(args))
            except Exception as exc:  # reported as the step's result, for the test to show
                outcome = "error: %s" % exc
            if step.get("timed"):  # the benchmark's measure: the command as the user waits
                outcome = {"outcome": outcome, "seconds": time.perf_counter() - started}
            results.append(outcome)
        elif "save" in step:
            path = step["save"]
            kind = "MS Word 2007 XML" if path.endswith(".docx") else "writer8"
            doc.storeAsURL(uno.systemPathToFileUrl(path), (pv("FilterName", kind),))
            results.append("ok")
        elif "save_copy" in step:  # File → Save a Copy: the document stays as it is
            path = step["save_copy"]
            kind = "MS Word 2007 XML" if path.endswith(".docx") else "writer8"
            doc.storeToURL(uno.systemPathToFileUrl(path), (pv("FilterName", kind),))
            results.append("ok")
        elif "insert_file" in step:  # what a paste of that RTF does, at the view cursor
            view = doc.getCurrentController().getViewCursor()
            cursor = view.getText().createTextCursorByRange(view.getStart())
            cursor.insertDocumentFromURL(uno.systemPathToFileUrl(step["insert_file"]), ())
            results.append("ok")
        elif "store" in step:
            doc.store()
            results.append("ok")
        elif "close" in step:
            doc.close(True)
            doc = None
            results.append("ok")
        elif "dump" in step:
            results.append(dump(doc))
    if doc is not None:
        doc.close(True)
    print(json.dumps(results), flush=True)


main()
# The UNO bridge sometimes crashes while the interpreter tears it down (SIGSEGV after all
# the work is done and printed); leave without that teardown.
os._exit(0)

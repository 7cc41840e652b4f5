"""Drives a running LibreOffice through UNO for the tests; run with the system's Python
(python3-uno): ``python3 lo_driver.py PIPE STEPS.json`` prints one JSON result per step.

Steps: {"new": [paragraph texts]}, {"open": path}, {"cursor": [paragraph, "end"|"start"]},
{"run": command} (the extension's own command, as the toolbar runs it), {"save": path},
{"dump": true} (citations in document order with their text, and the bibliography).
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
    sys.path.insert(0, sys.argv[3]) if len(sys.argv) > 3 else None
    out = {"citations": [], "bibliography": [], "text": doc.getText().getString()}
    marks = doc.getReferenceMarks()
    found = []
    walk(doc.getText(), found, [0], 0)
    for name, text, note in found:
        out["citations"].append({"name": name, "text": text, "note": note})
    for name in doc.getTextSections().getElementNames():
        out["bibliography"].append({"name": name, "text": doc.getTextSections().getByName(
            name).getAnchor().getString()})
    udp = doc.getDocumentProperties().getUserDefinedProperties()
    info = udp.getPropertySetInfo()
    out["prefs"] = "".join(str(udp.getPropertyValue("ZOTERO_PREF_%d" % n))
                           for n in range(1, 20) if info.hasPropertyByName("ZOTERO_PREF_%d" % n))
    out["marks"] = len(marks.getElementNames())
    return out


def walk(text, found, notes, note):
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        para = paragraphs.nextElement()
        if para.supportsService("com.sun.star.text.TextTable"):
            continue
        portions = para.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            if portion.TextPortionType == "ReferenceMark" and portion.IsStart:
                mark = portion.ReferenceMark
                found.append((mark.getName(), mark.getAnchor().getString(), note))
            elif portion.TextPortionType == "Footnote":
                notes[0] += 1
                walk(portion.Footnote, found, notes, notes[0])


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
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(step["open"]), "_blank",
                                               0, (pv("Hidden", True),))
            results.append("ok")
        elif "cursor" in step:
            number, where = step["cursor"]
            view = doc.getCurrentController().getViewCursor()
            view.gotoStart(False)
            for _ in range(number):
                view.gotoNextParagraph(False) if hasattr(view, "gotoNextParagraph") else None
            cursor = doc.getText().createTextCursor()
            cursor.gotoStart(False)
            for _ in range(number):
                cursor.gotoNextParagraph(False)
            if where == "end":
                cursor.gotoEndOfParagraph(False)
            view.gotoRange(cursor, False)
            results.append("ok")
        elif "run" in step:
            try:
                results.append(commands().execute((NamedValue("Command", step["run"]),
                                                   NamedValue("Document", doc))))
            except Exception as exc:  # reported as the step's result, for the test to show
                results.append("error: %s" % exc)
        elif "save" in step:
            path = step["save"]
            kind = "MS Word 2007 XML" if path.endswith(".docx") else "writer8"
            doc.storeAsURL(uno.systemPathToFileUrl(path), (pv("FilterName", kind),))
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

"""Atlas Desktop for LibreOffice Writer: the toolbar's and menu's commands, run inside
LibreOffice (Python-UNO, standard library only).

The extension is a thin driver of the document, as Zotero's plug-ins are: it finds the
citations (reference marks named ``ZOTERO_ITEM CSL_CITATION {json} RND…``), the bibliography
(a section named ``ZOTERO_BIBL {json} CSL_BIBLIOGRAPHY RND…``) and the document preferences
(user-defined properties ``ZOTERO_PREF_n``), sends them in document order to the running
Atlas Desktop, and writes back what it renders. Atlas Desktop listens on 127.0.0.1 only and
refuses requests without the per-user secret it keeps in its data folder
(``integration.json``, readable by the user alone).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import uno
import unohelper
from com.sun.star.task import XJob, XJobExecutor

IMPLEMENTATION = "io.github.atlasdesktop.writer.Commands"
ENDPOINT_FILE = "integration.json"
PLACEHOLDER = "{Citation}"
HANGING_INDENT = 1270  # 0.5 inch in 1/100 mm
NOT_RUNNING = ("Atlas Desktop is not running; start it (it opens your library) and try "
               "again.")
PARAGRAPH_BREAK = 0  # com.sun.star.text.ControlCharacter.PARAGRAPH_BREAK


# --- finding Atlas Desktop ------------------------------------------------------------------

def data_dirs():
    """Where the running app's endpoint file may be: the library folder the environment
    names, the one chosen in the app's preferences, then the platform's default."""
    out = []
    if os.environ.get("ATLAS_DESKTOP_DATA_DIR"):
        out.append(os.environ["ATLAS_DESKTOP_DATA_DIR"])
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        config, data = os.path.join(base, "AtlasDesktop", "atlas-desktop"), \
            os.path.join(base, "AtlasDesktop", "atlas-desktop")
    elif sys.platform == "darwin":
        config = data = os.path.join(home, "Library", "Application Support", "atlas-desktop")
    else:
        config = os.path.join(os.environ.get("XDG_CONFIG_HOME") or
                              os.path.join(home, ".config"), "atlas-desktop")
        data = os.path.join(os.environ.get("XDG_DATA_HOME") or
                            os.path.join(home, ".local", "share"), "atlas-desktop")
    try:
        with open(os.path.join(config, "config.json"), encoding="utf-8") as handle:
            chosen = json.load(handle).get("data_dir")
        if isinstance(chosen, str) and chosen:
            out.append(chosen)
    except (OSError, ValueError, AttributeError):
        pass
    out.append(data)
    return out


def endpoint():
    for folder in data_dirs():
        try:
            with open(os.path.join(folder, ENDPOINT_FILE), encoding="utf-8") as handle:
                info = json.load(handle)
            if isinstance(info, dict) and info.get("port") and info.get("secret"):
                return info
        except (OSError, ValueError):
            continue
    return None


class NotRunning(Exception):
    pass


def call(action, payload, timeout=900):
    """One request to the app. The picker and dialogs wait for the user: a long timeout."""
    info = endpoint()
    if info is None:
        raise NotRunning(NOT_RUNNING)
    request = urllib.request.Request(
        "http://127.0.0.1:%d/v1/%s" % (int(info["port"]), action),
        data=json.dumps(payload).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "X-Atlas-Secret": info["secret"]})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read().decode("utf-8")).get("error")
        except ValueError:
            message = None
        raise RuntimeError(message or "Atlas Desktop refused the request.") from None
    except (urllib.error.URLError, OSError):
        raise NotRunning(NOT_RUNNING) from None


def launch_command():
    info = endpoint() or {}
    command = info.get("launch")
    return command if isinstance(command, list) and command else ["atlas-desktop"]


# --- the document ---------------------------------------------------------------------------

class Document:
    def __init__(self, model):
        self.model = model

    # preferences: ZOTERO_PREF_1, _2... (255 characters each, as Zotero writes them)
    def _user_props(self):
        return self.model.getDocumentProperties().getUserDefinedProperties()

    def prefs(self):
        props = self._user_props()
        info = props.getPropertySetInfo()
        out, n = [], 1
        while info.hasPropertyByName("ZOTERO_PREF_%d" % n):
            out.append(str(props.getPropertyValue("ZOTERO_PREF_%d" % n) or ""))
            n += 1
        return "".join(out)

    def set_prefs(self, xml):
        props = self._user_props()
        info = props.getPropertySetInfo()
        pieces = [xml[i:i + 255] for i in range(0, len(xml), 255)] or [""]
        for n, piece in enumerate(pieces, start=1):
            name = "ZOTERO_PREF_%d" % n
            if info.hasPropertyByName(name):
                props.setPropertyValue(name, piece)
            else:
                props.addProperty(name, 0, piece)
        n = len(pieces) + 1
        while props.getPropertySetInfo().hasPropertyByName("ZOTERO_PREF_%d" % n):
            props.removeProperty("ZOTERO_PREF_%d" % n)
            n += 1

    # citations, in document order (footnotes at their anchor, tables cell by cell)
    def citations(self):
        out = []
        self._walk(self.model.getText(), 0, out, [0])
        return out

    def _walk(self, text, note, out, notes):
        paragraphs = text.createEnumeration()
        while paragraphs.hasMoreElements():
            para = paragraphs.nextElement()
            if para.supportsService("com.sun.star.text.TextTable"):
                for name in para.getCellNames():
                    self._walk(para.getCellByName(name), note, out, notes)
                continue
            portions = para.createEnumeration()
            while portions.hasMoreElements():
                portion = portions.nextElement()
                kind = portion.TextPortionType
                if kind == "ReferenceMark" and portion.IsStart:
                    mark = portion.ReferenceMark
                    code = code_of(mark.getName())
                    if code is not None and "CSL_CITATION" in code[:40]:
                        out.append((mark, code, note))
                elif kind == "Footnote":
                    notes[0] += 1
                    self._walk(portion.Footnote, notes[0], out, notes)

    def bibliographies(self):
        sections = self.model.getTextSections()
        return [sections.getByName(n) for n in sections.getElementNames()
                if (code_of(n) or "").startswith("BIBL")]

    def mark_at_cursor(self):
        cursor = self.model.getCurrentController().getViewCursor()
        try:
            mark = cursor.getPropertyValue("ReferenceMark")
        except Exception:
            return None
        if mark is not None and (code_of(mark.getName()) or "").startswith("ITEM"):
            return mark
        return None

    def insert_citation(self, code, note_style):
        """A new citation at the view cursor (in a new footnote for a note style)."""
        cursor = self.model.getCurrentController().getViewCursor()
        text = cursor.getText()
        at = text.createTextCursorByRange(cursor.getStart())
        if note_style and not text.supportsService("com.sun.star.text.Footnote"):
            note = self.model.createInstance("com.sun.star.text.Footnote")
            text.insertTextContent(at, note, False)
            text = note
            at = note.createTextCursor()
        text.insertString(at, PLACEHOLDER, False)
        at.goLeft(len(PLACEHOLDER), True)
        mark = self.model.createInstance("com.sun.star.text.ReferenceMark")
        mark.setName(mark_name(code))
        text.insertTextContent(at, mark, True)

    def insert_bibliography(self, code):
        cursor = self.model.getCurrentController().getViewCursor()
        text = cursor.getText()
        at = text.createTextCursorByRange(cursor.getStart())
        text.insertControlCharacter(at, PARAGRAPH_BREAK, False)
        section = self.model.createInstance("com.sun.star.text.TextSection")
        section.setName(mark_name(code))
        text.insertTextContent(at, section, False)


def code_of(name):
    """``ZOTERO_ITEM CSL_CITATION {…} RNDxxxxxxxxxx`` -> ``ITEM CSL_CITATION {…}``."""
    stripped = name.strip()
    if not stripped.startswith("ZOTERO_"):
        return None
    body = stripped[len("ZOTERO_"):]
    cut = body.rfind(" RND")
    return body[:cut] if cut != -1 else body


def mark_name(code):
    import random
    import string

    alphabet = string.ascii_letters + string.digits
    return "ZOTERO_%s RND%s" % (code, "".join(random.choice(alphabet) for _ in range(10)))


def write_runs(model, text, cursor, runs):
    """Replace the cursor's range with formatted runs; returns a cursor over the new text."""
    cursor.setString("".join(r.get("text", "") for r in runs))  # now selects the new text
    whole = text.createTextCursorByRange(cursor)
    start = whole.getStart()
    whole.setPropertiesToDefault(("CharPosture", "CharWeight", "CharEscapement",
                                  "CharEscapementHeight", "CharCaseMap", "CharUnderline"))
    piece = text.createTextCursorByRange(start)
    for run in runs:
        length = len(run.get("text", ""))
        piece.collapseToEnd()
        piece.goRight(length, True)
        if run.get("italic"):
            piece.setPropertyValue("CharPosture", uno.Enum("com.sun.star.awt.FontSlant",
                                                           "ITALIC"))
        if run.get("bold"):
            piece.setPropertyValue("CharWeight", 150.0)
        if run.get("small_caps"):
            piece.setPropertyValue("CharCaseMap", 4)
        if run.get("underline"):
            piece.setPropertyValue("CharUnderline", 1)
        if run.get("superscript") or run.get("subscript"):
            piece.setPropertyValue("CharEscapement", 33 if run.get("superscript") else -33)
            piece.setPropertyValue("CharEscapementHeight", 58)
    return whole


def write_citation(model, mark, code, runs):
    anchor = mark.getAnchor()
    text = anchor.getText()
    cursor = text.createTextCursorByRange(anchor)
    name = mark.getName()
    whole = write_runs(model, text, cursor, runs)
    if model.getReferenceMarks().hasByName(name):  # replacing all its text usually ends it
        text.removeTextContent(model.getReferenceMarks().getByName(name))
    fresh = model.createInstance("com.sun.star.text.ReferenceMark")
    fresh.setName(mark_name(code))
    text.insertTextContent(whole, fresh, True)


def write_bibliography(model, section, code, entries, hanging):
    anchor = section.getAnchor()
    text = anchor.getText()
    cursor = text.createTextCursorByRange(anchor)
    cursor.setString("")
    first = True
    for runs in entries or [[]]:
        if not first:
            text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
        first = False
        here = text.createTextCursorByRange(cursor.getEnd())
        text.insertString(here, "\u200b", False)  # a place for the runs, removed below
        here.goLeft(1, True)
        whole = write_runs(model, text, here, runs or [{"text": ""}])
        whole.setPropertyValue("ParaLeftMargin", HANGING_INDENT if hanging else 0)
        whole.setPropertyValue("ParaFirstLineIndent", -HANGING_INDENT if hanging else 0)
        cursor = text.createTextCursorByRange(whole.getEnd())
    section.setName(mark_name(code))


# --- the commands ----------------------------------------------------------------------------

def refresh(doc, *, quiet=False):
    found = doc.citations()
    bibs = doc.bibliographies()
    answer = call("render", {
        "prefs": doc.prefs(),
        "citations": [{"code": code, "text": mark.getAnchor().getString(), "noteIndex": note}
                      for mark, code, note in found],
        "bibliography": bool(bibs)})
    if answer.get("cancelled"):
        return "cancelled"
    doc.set_prefs(answer["prefs"])
    for (mark, _code, _note), done in zip(found, answer["citations"]):
        if done.get("changed"):
            write_citation(doc.model, mark, done["code"], done["runs"])
    bib = answer.get("bibliography")
    if bib is not None:
        for section in bibs:
            write_bibliography(doc.model, section, bib["code"], bib["entries"], bib["hanging"])
    problems = answer.get("problems") or []
    return "ok" if not problems else "ok: " + " ".join(problems)


def add_edit_citation(doc):
    mark = doc.mark_at_cursor()
    answer = call("pick", {"prefs": doc.prefs(),
                           "citation": code_of(mark.getName()) if mark is not None else None})
    if answer.get("cancelled"):
        return "cancelled"
    if mark is not None:
        write_citation(doc.model, mark, answer["citation"], [{"text": PLACEHOLDER}])
    else:
        doc.insert_citation(answer["citation"], bool(answer.get("note_style")))
    return refresh(doc)


def add_edit_bibliography(doc):
    if not doc.bibliographies():
        doc.insert_bibliography(call("hello", {}).get("bibliography_code") or
                                'BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY')
    return refresh(doc)


def document_preferences(doc):
    answer = call("prefs", {"prefs": doc.prefs()})
    if answer.get("cancelled"):
        return "cancelled"
    doc.set_prefs(answer["prefs"])
    return refresh(doc)


def unlink_citations(doc):
    """Citations and the bibliography become plain text; the preferences go."""
    for mark, _code, _note in doc.citations():
        anchor = mark.getAnchor()
        text = anchor.getText()
        kept = anchor.getString()
        cursor = text.createTextCursorByRange(anchor)
        cursor.setString(kept)  # replacing the whole text removes the mark, keeps the words
    for section in doc.bibliographies():
        section.dispose()  # the section goes; its paragraphs stay
    doc.set_prefs("")
    props = doc._user_props()
    if props.getPropertySetInfo().hasPropertyByName("ZOTERO_PREF_1"):
        props.removeProperty("ZOTERO_PREF_1")
    return "ok"


COMMANDS = {"addEditCitation": add_edit_citation, "addEditBibliography": add_edit_bibliography,
            "refresh": refresh, "documentPreferences": document_preferences,
            "unlinkCitations": unlink_citations}


class Commands(unohelper.Base, XJobExecutor, XJob):
    """``trigger`` is the toolbar's and menu's entry; ``execute`` is the same for scripts
    and tests, and returns the outcome ("ok", "cancelled" or the sentence shown)."""

    def __init__(self, ctx):
        self.ctx = ctx

    def trigger(self, command):
        outcome = self.run(command, None)
        if outcome not in ("ok", "cancelled"):
            self._tell(outcome)

    def execute(self, arguments):
        named = {a.Name: a.Value for a in arguments}
        return self.run(str(named.get("Command", "")), named.get("Document"))

    def run(self, command, model):
        desktop = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.ctx)
        model = model or desktop.getCurrentComponent()
        if model is None or not model.supportsService("com.sun.star.text.TextDocument"):
            return "Atlas Desktop works in Writer documents."
        action = COMMANDS.get(command)
        if action is None:
            return "Unknown command %s." % command
        undo = model.getUndoManager()
        undo.enterUndoContext("Atlas Desktop")
        try:
            return action(Document(model))
        except NotRunning as exc:
            return str(exc)
        except RuntimeError as exc:
            return str(exc)
        finally:
            undo.leaveUndoContext()

    def _tell(self, message):
        desktop = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.ctx)
        frame = desktop.getCurrentFrame()
        if frame is None:
            return
        window = frame.getContainerWindow()
        toolkit = window.getToolkit()
        buttons = 3 if message == NOT_RUNNING else 1  # OK/Cancel: OK starts the app
        box = toolkit.createMessageBox(window, uno.Enum("com.sun.star.awt.MessageBoxType",
                                                        "INFOBOX"), buttons,
                                       "Atlas Desktop", message)
        if box.execute() == 1 and message == NOT_RUNNING:
            try:
                subprocess.Popen(launch_command(), start_new_session=True)  # noqa: S603
            except OSError:
                pass


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(Commands, IMPLEMENTATION, (IMPLEMENTATION,))

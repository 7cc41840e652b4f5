"""Atlas Desktop for LibreOffice Writer: the UNO component behind the toolbar, the menu and
the save hook (Python-UNO, standard library only; the work is in ``pythonpath/``).

The extension is a thin driver of the document, as Zotero's plug-ins are: it finds the
citations, the bibliography and the document preferences (see
``atlas_desktop_writer.places``), sends them in document order to the running Atlas Desktop
over 127.0.0.1 with the per-user secret, and writes back what it renders. Before a document
is saved, its citations are put in the kind its format keeps (Word fields in .docx,
reference marks in .odt), so they survive a Save As in either direction.
"""

import traceback

import uno
import unohelper
from atlas_desktop_writer import commands
from atlas_desktop_writer.app import (
    NOT_RUNNING,
    START_FAILED,
    START_QUESTION,
    NotRunning,
    Refused,
    start_and_wait,
)
from com.sun.star.task import XJob, XJobExecutor

IMPLEMENTATION = "io.github.atlasdesktop.writer.Commands"
QUERYBOX, INFOBOX = "QUERYBOX", "INFOBOX"
BUTTONS_OK, BUTTONS_YES_NO, RESULT_YES = 1, 3, 2


class Commands(unohelper.Base, XJobExecutor, XJob):
    """``trigger`` is the toolbar's and menu's entry. ``execute`` is the save hook's (a job
    on OnSave and OnSaveAsDone) and, with a ``Command`` argument, the same commands for
    scripts and tests: it returns the outcome ("ok", "cancelled" or the sentence shown)."""

    def __init__(self, ctx):
        self.ctx = ctx

    def trigger(self, command):
        outcome = self.run(command, None, start=self._ask_to_start)
        if outcome not in ("ok", "cancelled"):
            self._tell(outcome)

    def execute(self, arguments):
        named = {a.Name: a.Value for a in arguments}
        environment = named.get("Environment")
        if environment is not None and "Command" not in named:
            return self._document_event({e.Name: e.Value for e in environment})
        answer = named.get("StartIfNotRunning")  # a script's answer to "Start it now?"
        return self.run(str(named.get("Command", "")), named.get("Document"),
                        start=None if answer is None else (lambda: bool(answer)))

    def run(self, command, model, *, start=None):
        """Run a command; when Atlas Desktop is not running, ``start()`` says whether to
        start it (then the command runs again once it answers)."""
        model = model or self._desktop().getCurrentComponent()
        if model is None or not model.supportsService("com.sun.star.text.TextDocument"):
            return "Atlas Desktop works in Writer documents."
        action = commands.COMMANDS.get(command)
        if action is None:
            return f"Unknown command {command}."
        try:
            return self._in_undo(model, action)
        except NotRunning:
            if start is None or not start():
                return NOT_RUNNING
            if not start_and_wait():
                return START_FAILED
            try:
                return self._in_undo(model, action)
            except (NotRunning, Refused) as exc:
                return str(exc)
        except Refused as exc:
            return str(exc)

    def _in_undo(self, model, action):
        """One undo step, with the views and layout held until the command is done (a
        refresh that rewrites 200 citations took seconds longer while Writer redrew)."""
        undo = model.getUndoManager()
        undo.enterUndoContext("Atlas Desktop")
        try:
            model.lockControllers()
            try:
                return action(commands.Document(model))
            finally:
                model.unlockControllers()
        finally:
            undo.leaveUndoContext()

    def _document_event(self, env):
        """Before a save, the citations take the kind the format keeps; after a Save As
        into the other kind of format, they are converted and the file is written again."""
        model = env.get("Model")
        event = env.get("EventName")
        try:
            if model is None or not model.supportsService("com.sun.star.text.TextDocument"):
                return None
            if event == "OnSave":
                self._in_undo(model, lambda d: commands.convert(d, d.kind()))
            elif event == "OnSaveAsDone" and self._in_undo(
                    model, lambda d: commands.convert(d, d.kind())):
                model.store()
        except Exception:  # never in the way of the user's save
            traceback.print_exc()
        return None

    # --- talking to the user ----------------------------------------------------------------

    def _desktop(self):
        return self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.ctx)

    def _box(self, kind, buttons, message):
        frame = self._desktop().getCurrentFrame()
        if frame is None:
            return None
        window = frame.getContainerWindow()
        box = window.getToolkit().createMessageBox(
            window, uno.Enum("com.sun.star.awt.MessageBoxType", kind), buttons,
            "Atlas Desktop", message)
        return box.execute()

    def _ask_to_start(self):
        return self._box(QUERYBOX, BUTTONS_YES_NO, START_QUESTION) == RESULT_YES

    def _tell(self, message):
        self._box(INFOBOX, BUTTONS_OK, message)


# The name Python-UNO's loader looks for.
g_ImplementationHelper = unohelper.ImplementationHelper()  # noqa: N816
g_ImplementationHelper.addImplementation(Commands, IMPLEMENTATION, (IMPLEMENTATION,))

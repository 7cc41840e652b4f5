"""The window's actions (with shortcuts, icons and accessible names) and its menus."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from .icons import icon


@dataclass
class WindowActions:
    find: QAction
    clear_search: QAction
    import_files: QAction
    add_by_identifier: QAction
    export: QAction
    export_selection: QAction
    update_document: QAction
    open_folder: QAction
    quit: QAction
    star: QAction
    mark_read: QAction
    report: QAction
    complete_record: QAction
    complete_all: QAction
    outbox: QAction
    new_collection: QAction
    undo_delete: QAction
    new_label: QAction
    sync_now: QAction
    sync_settings: QAction
    catalogue_changes: QAction
    duplicates: QAction
    show_facets: QAction
    show_chart: QAction
    focus_list: QAction
    shortcuts: QAction
    user_guide: QAction
    preferences: QAction
    about: QAction


def _action(window: QMainWindow, text: str, *, icon_name: str | None = None,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            tip: str | None = None, checkable: bool = False) -> QAction:
    action = QAction(text, window)
    if icon_name:
        action.setIcon(icon(icon_name))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.setCheckable(checkable)
    window.addAction(action)
    return action


def create_actions(window: QMainWindow) -> WindowActions:
    return WindowActions(
        find=_action(window, "&Find", icon_name="search", shortcut=QKeySequence.StandardKey.Find,
                     tip="Search the library (Ctrl+F)"),
        clear_search=_action(window, "Clear search", icon_name="clear",
                             tip="Show the whole library again"),
        import_files=_action(window, "&Import…", icon_name="import", shortcut="Ctrl+I",
                             tip="Import atlas pages or bundles"),
        add_by_identifier=_action(
            window, "Add by i&dentifier…", shortcut="Ctrl+Shift+N",
            tip="Add papers to your library from a DOI, PMID, PMCID or link, or a pasted "
                "reference list (Ctrl+Shift+N)"),
        export=_action(window, "&Export…", icon_name="export", shortcut="Ctrl+Shift+E",
                       tip="Export what the list shows (or the selected entries) to BibTeX, "
                           "RIS, CSL-JSON or a bundle (Ctrl+Shift+E)"),
        export_selection=_action(window, "E&xport the selection…", icon_name="export",
                                 tip="Export the selected entries to a file"),
        update_document=_action(window, "&Update a document…",
                                tip="Write a copy of a Word or LibreOffice document with live "
                                    "citations and a bibliography"),
        open_folder=_action(window, "Open library folder", icon_name="folder"),
        quit=_action(window, "&Quit", shortcut=QKeySequence.StandardKey.Quit),
        star=_action(window, "&Star", icon_name="star", shortcut="Ctrl+D",
                     tip="Star the selected entries (Ctrl+D)", checkable=True),
        mark_read=_action(window, "Mark as &read", icon_name="read", shortcut="Ctrl+R",
                          tip="Mark the selected entries as read or unread (Ctrl+R)",
                          checkable=True),
        report=_action(window, "&Report an error…", icon_name="flag", shortcut="Ctrl+E",
                       tip="Report a mistake in this entry to the atlas team (Ctrl+E)"),
        complete_record=_action(
            window, "&Complete record",
            tip="Complete the selected entries from PubMed and Crossref and check them for "
                "retractions (only identifiers are sent)"),
        complete_all=_action(
            window, "Complete &all records…",
            tip="Complete every entry that has a DOI or PMID, and check for retractions"),
        outbox=_action(window, "&Outbox", icon_name="outbox", shortcut="Ctrl+Shift+O",
                       tip="Your correction reports and their status"),
        # Ctrl+Shift+N adds by identifier (issue 15, as in reference managers' "new item").
        new_collection=_action(window, "&New collection…", icon_name="folder-plus",
                               shortcut="Ctrl+Alt+N"),
        undo_delete=_action(window, "&Undo delete collection",
                            shortcut=QKeySequence.StandardKey.Undo),
        new_label=_action(window, "New &label…", icon_name="tag"),
        sync_now=_action(window, "&Sync now", icon_name="sync", shortcut="F5",
                         tip="Send queued reports and fetch catalogue updates now (F5)"),
        sync_settings=_action(window, "Sync &settings…", icon_name="settings",
                              tip="The atlas server and your access token"),
        catalogue_changes=_action(window, "What the last &updates changed…",
                                  tip="New, changed and withdrawn entries from catalogue "
                                      "updates"),
        duplicates=_action(window, "Find &duplicates in my library…",
                           tip="References in your library that look like the same paper"),
        show_facets=_action(window, "&Filters sidebar", shortcut="Ctrl+Shift+F",
                            checkable=True),
        show_chart=_action(window, "Evidence &chart", icon_name="chart", shortcut="Ctrl+Shift+G",
                           checkable=True),
        focus_list=_action(window, "Go to the list", shortcut="Ctrl+L"),
        shortcuts=_action(window, "&Keyboard shortcuts", icon_name="help", shortcut="F1"),
        user_guide=_action(window, "&User guide", icon_name="book"),
        # Not StandardKey.Preferences: it has no key on Linux or Windows. Ctrl+, is Cmd+, on
        # macOS, where it is the standard.
        preferences=_action(window, "&Preferences…", icon_name="settings", shortcut="Ctrl+,"),
        about=_action(window, "&About Atlas Desktop"),
    )


def refresh_icons(a: WindowActions) -> None:
    """Our icons are drawn in the palette's text colour: draw them again after it changed."""
    for action, name in ((a.find, "search"), (a.clear_search, "clear"),
                         (a.import_files, "import"), (a.export, "export"),
                         (a.export_selection, "export"),
                         (a.open_folder, "folder"), (a.star, "star"), (a.mark_read, "read"),
                         (a.report, "flag"), (a.outbox, "outbox"),
                         (a.new_collection, "folder-plus"), (a.new_label, "tag"),
                         (a.show_chart, "chart"), (a.shortcuts, "help")):
        action.setIcon(icon(name))


def entry_context_menu(parent: QMainWindow, a: WindowActions, copy_default: QAction,
                       copy_menu: QMenu, collections_menu: QMenu, labels_menu: QMenu, *,
                       reportable: bool = True) -> QMenu:
    """The list's right-click menu for the selected entries; "Report an error…" only when the
    entry shown is one that can be reported (an atlas entry: issue 18.4)."""
    menu = QMenu(parent)
    menu.addAction(copy_default)
    menu.addMenu(copy_menu).setText("Copy as…")
    menu.addSeparator()
    menu.addActions([a.star, a.mark_read])
    menu.addMenu(collections_menu)
    menu.addMenu(labels_menu)
    menu.addSeparator()
    menu.addAction(a.export_selection)
    if reportable:
        menu.addAction(a.report)
    return menu


def build_menus(window: QMainWindow, a: WindowActions, *, labels_menu: QMenu,
                collections_menu: QMenu) -> dict[str, QMenu]:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([a.import_files, a.add_by_identifier, a.export])
    file_menu.addSeparator()
    file_menu.addAction(a.update_document)
    file_menu.addSeparator()
    file_menu.addAction(a.duplicates)
    file_menu.addSeparator()
    file_menu.addAction(a.open_folder)
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(a.undo_delete)
    edit_menu.addSeparator()
    edit_menu.addActions([a.find, a.clear_search])
    edit_menu.addSeparator()
    edit_menu.addAction(a.preferences)
    view_menu = bar.addMenu("&View")
    view_menu.addActions([a.show_facets, a.show_chart, a.focus_list])
    columns_menu = view_menu.addMenu("&Columns")
    entry_menu = bar.addMenu("E&ntry")
    entry_menu.addActions([a.star, a.mark_read])
    entry_menu.addMenu(collections_menu)
    entry_menu.addMenu(labels_menu)
    entry_menu.addSeparator()
    entry_menu.addAction(a.report)
    entry_menu.addSeparator()
    entry_menu.addActions([a.complete_record, a.complete_all])
    reports_menu = bar.addMenu("&Sync")
    reports_menu.addActions([a.sync_now, a.outbox, a.catalogue_changes])
    reports_menu.addSeparator()
    reports_menu.addAction(a.sync_settings)
    help_menu = bar.addMenu("&Help")
    help_menu.addActions([a.user_guide, a.shortcuts, a.about])
    return {"file": file_menu, "edit": edit_menu, "view": view_menu, "columns": columns_menu,
            "entry": entry_menu, "reports": reports_menu, "help": help_menu}


SHORTCUTS_HELP = [
    ("Ctrl+F", "Search (Esc clears the search)"),
    ("Ctrl+Shift+C", "Copy the selected entries' citation in your default style"),
    ("Down / Up", "Move through the list; the detail follows"),
    ("Enter", "Read the selected entry (moves to the detail pane)"),
    ("Space", "Scroll the detail pane while the list keeps the focus"),
    ("Ctrl+L", "Back to the list"),
    ("Ctrl+D", "Star or unstar"),
    ("Ctrl+R", "Mark as read or unread"),
    ("Ctrl+E", "Report an error in the entry"),
    ("Ctrl+Shift+O", "Outbox of correction reports"),
    ("F5", "Sync now: send reports, fetch catalogue updates"),
    ("Ctrl+Alt+N", "New collection"),
    ("Ctrl+I", "Import atlas pages, bundles, BibTeX, RIS or CSL-JSON (or drop files)"),
    ("Ctrl+Shift+N", "Add papers by DOI, PMID, PMCID or a pasted reference list"),
    ("Ctrl+Shift+E", "Export"),
    ("Ctrl+Shift+F", "Show or hide the filters"),
    ("Ctrl+Shift+G", "Show or hide the evidence chart"),
    ("Ctrl+Z", "Undo deleting a collection"),
    ("Ctrl+,", "Preferences"),
    ("F1", "This list"),
]

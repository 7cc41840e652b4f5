"""The Copy menu (menu bar and the entry list's context menu) and the Ctrl+Shift+C action.

The menu is rebuilt each time it opens, so its labels name the current default style and,
for one selected entry, the date of the atlas's reading. Every action hands the current
selection to the :class:`CitationController`, which renders in the background.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from atlas_desktop.domain.citation import CopyKind

from .citation_controller import CitationController, EntrySelection
from .dialogs.style_picker import StylePickerDialog
from .plain_text import tooltip

SelectionProvider = Callable[[], EntrySelection]
COPY_DEFAULT_SHORTCUT = QKeySequence("Ctrl+Shift+C")
#: Citation languages offered in the menu (all installed ones work from the command line).
MENU_LOCALES = ("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "nb-NO",
                "sv-SE", "da-DK", "pt-BR")


def make_copy_default_action(parent: QWidget, controller: CitationController,
                             selection: SelectionProvider) -> QAction:
    """The "Copy citation" action with Ctrl+Shift+C, active anywhere in ``parent``'s window.
    Add it to the window (``window.addAction``) so the shortcut works without the menu."""
    action = QAction("Copy citation", parent)
    action.setObjectName("CopyCitationDefault")
    action.setShortcut(COPY_DEFAULT_SHORTCUT)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setStatusTip("Copy the selected entries' references in your default citation style")
    action.triggered.connect(lambda: controller.copy_default(selection()))
    return action


class CopyMenu(QMenu):
    """Every copy format for the current selection."""

    def __init__(self, controller: CitationController, selection: SelectionProvider,
                 parent: QWidget | None = None, *, title: str = "&Copy",
                 build_now: bool = True) -> None:
        """``build_now=False``: filled only when it opens (it is rebuilt then anyway), so a
        window does not read the style files on the UI thread while it starts."""
        super().__init__(title, parent)
        self.setObjectName("CopyMenu")
        self._controller = controller
        self._selection = selection
        self.aboutToShow.connect(self.rebuild)
        if build_now:
            self.rebuild()

    def rebuild(self) -> None:
        self.clear()
        selection = self._selection()
        count = len(selection)
        self._controller.offered_styles()
        if self._controller.unavailable is not None:
            # A broken installation (no styles, no engine): say so, keep the plain exports.
            notice = self.addAction("Citations are unavailable on this installation")
            notice.setObjectName("CitationsUnavailable")
            notice.setToolTip(tooltip(self._controller.unavailable))
            notice.setEnabled(False)
            self.addSeparator()
            for label, kind in (("Copy as BibTeX", CopyKind.BIBTEX),
                                ("Copy as RIS", CopyKind.RIS),
                                ("Copy as CSL-JSON", CopyKind.CSL_JSON)):
                self._add(label, kind, name=f"Copy-{kind.value}").setEnabled(count > 0)
            return
        info = self._controller.default_style_info()
        style_name = self._short_name(info.spec if info else None)
        plural = count > 1

        self._add(f"Copy {'bibliography' if plural else 'reference'} ({style_name})",
                  CopyKind.BIBLIOGRAPHY, shortcut=COPY_DEFAULT_SHORTCUT, name="CopyReference")
        self._add(f"Copy in-text citation ({style_name})", CopyKind.IN_TEXT, name="CopyInText")
        self._add("Copy with evidence (for letters)", CopyKind.WITH_EVIDENCE,
                  name="CopyWithEvidence",
                  tip="The reference, the atlas's badges, what the study does not prove, and "
                      "the atlas snapshot reference")

        styles_menu = self.addMenu("Copy in another style")
        styles_menu.setObjectName("CopyInStyleMenu")
        for style in self._controller.offered_styles():
            sub = styles_menu.addMenu(style.title)
            for label, kind in (("Reference", CopyKind.BIBLIOGRAPHY),
                                ("In-text citation", CopyKind.IN_TEXT)):
                action = sub.addAction(label)
                action.setObjectName(f"Copy-{style.spec}-{kind.value}")
                action.triggered.connect(
                    lambda _=False, k=kind, s=style.spec: self._copy(k, s))
        styles_menu.addSeparator()
        other = styles_menu.addAction("Other style or .csl file…")
        other.setObjectName("CopyInOtherStyle")
        other.triggered.connect(self._copy_in_chosen_style)

        self.addSeparator()
        snapshot = self.addAction(self._snapshot_label(selection))
        snapshot.setObjectName("CopySnapshot")
        snapshot.setToolTip("Cites the atlas's reading of the paper, not the paper itself")
        snapshot.triggered.connect(lambda: self._copy(CopyKind.SNAPSHOT))

        self.addSeparator()
        for label, kind in (("Copy as BibTeX", CopyKind.BIBTEX), ("Copy as RIS", CopyKind.RIS),
                            ("Copy as CSL-JSON", CopyKind.CSL_JSON)):
            self._add(label, kind, name=f"Copy-{kind.value}")

        self.addSeparator()
        self._add_default_style_menu(info.spec if info else None)
        self._add_locale_menu()
        for action in self.actions():
            if action.menu() is None and not action.isSeparator():
                action.setEnabled(count > 0)

    def _add(self, label: str, kind: CopyKind, *, name: str, tip: str = "",
             shortcut: QKeySequence | None = None) -> QAction:
        action = self.addAction(label)
        action.setObjectName(name)
        if tip:
            action.setToolTip(tooltip(tip))
        if shortcut is not None:
            # Shown as a hint; the window-wide action made by make_copy_default_action
            # is what owns the key, so it is not registered twice.
            action.setText(f"{label}\t{shortcut.toString(QKeySequence.SequenceFormat.NativeText)}")
        action.triggered.connect(lambda: self._copy(kind))
        return action

    def _copy(self, kind: CopyKind, style: str | None = None) -> None:
        self._controller.copy(self._selection(), kind, style)

    def _snapshot_label(self, selection: EntrySelection) -> str:
        if len(selection) == 1:
            ids = self._controller.entry_ids_now(selection)
            if ids:
                label = self._controller.library.citations.snapshot_label(entry_id=ids[0])
                if label:
                    return label
        return "Cite the atlas's reading of these papers (snapshot references)"

    def _copy_in_chosen_style(self) -> None:
        dialog = StylePickerDialog(self._controller.library, self._controller.runner,
                                   self.parentWidget())
        if dialog.exec() and dialog.chosen() is not None:
            chosen = dialog.chosen()
            assert chosen is not None
            self._copy(CopyKind.BIBLIOGRAPHY, chosen.spec)

    def _add_default_style_menu(self, current: str | None) -> None:
        menu = self.addMenu("Default citation style")
        menu.setObjectName("DefaultStyleMenu")
        group = QActionGroup(menu)
        group.setExclusive(True)
        offered = self._controller.offered_styles()
        specs = [s.spec for s in offered]
        for style in offered:
            action = menu.addAction(style.title)
            action.setObjectName(f"DefaultStyle-{style.spec}")
            action.setCheckable(True)
            action.setChecked(style.spec == current)
            group.addAction(action)
            action.triggered.connect(
                lambda _=False, s=style.spec: self._controller.set_default_style(s))
        if current and current not in specs:
            info = self._controller.default_style_info()
            action = menu.addAction(info.label if info else current)
            action.setCheckable(True)
            action.setChecked(True)
            group.addAction(action)
        menu.addSeparator()
        choose = menu.addAction("Choose another style…")
        choose.setObjectName("DefaultStyleChoose")
        choose.triggered.connect(self._choose_default_style)

    def _add_locale_menu(self) -> None:
        menu = self.addMenu("Citation language")
        menu.setObjectName("LocaleMenu")
        group = QActionGroup(menu)
        group.setExclusive(True)
        current = self._controller.locale()
        names = self._controller.library.citations.locales()
        tags: list[str | None] = [None, *[t for t in MENU_LOCALES if t in names]]
        if current and current not in tags:
            tags.append(current)
        for tag in tags:
            label = "Each style's own (else English, US)" if tag is None else \
                f"{names.get(tag, tag)} ({tag})"
            action = menu.addAction(label)
            action.setObjectName(f"Locale-{tag or 'style'}")
            action.setCheckable(True)
            action.setChecked(tag == current)
            group.addAction(action)
            action.triggered.connect(lambda _=False, t=tag: self._controller.set_locale(t))

    def _choose_default_style(self) -> None:
        dialog = StylePickerDialog(self._controller.library, self._controller.runner,
                                   self.parentWidget())
        if dialog.exec() and dialog.chosen() is not None:
            chosen = dialog.chosen()
            assert chosen is not None
            self._controller.set_default_style(chosen.spec)

    def _short_name(self, spec: str | None) -> str:
        for style in self._controller.offered_styles():
            if style.spec == spec:
                return style.title
        info = self._controller.default_style_info()
        return info.label if info else "default style"

"""Driving context menus as a user does: a right-click opens the menu (its ``exec`` runs an
event loop of its own), and the item is chosen from the open menu by its text."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget


def choose_from_context_menu(widget: QWidget, pos: QPoint, text: str) -> list[str]:
    """Right-click ``widget`` at ``pos`` and choose the item whose text (without its ``&``)
    is ``text``. Returns the texts the menu offered (empty when no menu opened)."""
    offered: list[str] = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            return
        actions = {a.text().replace("&", ""): a for a in menu.actions() if a.text()}
        offered.extend(actions)
        menu.close()
        if text in actions:
            actions[text].trigger()

    QTimer.singleShot(0, choose)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)
    return offered

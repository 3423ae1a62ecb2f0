"""Every panel within one keystroke: View › Go to panel gives each dock a shortcut (Alt+1 …
Alt+9, then Alt+0) that shows it, brings it to the front and puts the keyboard focus in it.
The keyboard-shortcuts help lists them with the other menu shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

if TYPE_CHECKING:
    from qualcode.gui.window_api import WindowApi
    from qualcode.gui.workbench.window_actions import WindowActions

KEYS = [f"Alt+{digit}" for digit in "1234567890"]


class PanelKeys(QObject):
    def __init__(self, window: WindowApi, actions: WindowActions) -> None:
        super().__init__(window.main_window())
        view = window.menu("&View")
        self.menu = QMenu("&Go to panel", view)
        view.insertMenu(actions.panels_menu.menuAction(), self.menu)
        self.actions: dict[QDockWidget, QAction] = {}
        for dock, keys in zip(window.dock_list, KEYS, strict=False):
            action = QAction(dock.windowTitle(), window.main_window())
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _=False, d=dock: self.go_to(d))
            self.menu.addAction(action)
            actions.project_actions.append(action)
            self.actions[dock] = action
        actions.project_actions.append(self.menu.menuAction())  # no panels on the start page

    def go_to(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()
        if dock.isFloating():  # a panel in a window of its own: that window takes the keys
            dock.activateWindow()
        target = first_control(dock.widget())
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)


def first_control(panel: QWidget) -> QWidget | None:
    """Where the focus goes in a panel: the control last used there, else the first one Tab reaches."""
    last = panel.focusWidget()
    if last is not None and last.isVisible() and last.isEnabled():
        return last
    widget = panel.nextInFocusChain()
    while widget is not None and widget is not panel:
        if panel.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled() \
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
            return widget
        widget = widget.nextInFocusChain()
    return None

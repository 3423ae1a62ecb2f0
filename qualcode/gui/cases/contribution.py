"""The case sheet in the workbench: a "Case sheet" dock (closed until asked for) opened by
View › Case sheet (Ctrl+Shift+A), where cases and their attributes are edited in place."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from qualcode.gui.cases.panel import CaseSheetPanel

SHORTCUT = "Ctrl+Shift+A"


def contribute(workbench: Any) -> CaseSheetPanel:
    panel = CaseSheetPanel(workbench)
    dock = workbench.add_dock(panel, "Case sheet", Qt.DockWidgetArea.BottomDockWidgetArea)
    dock.hide()
    window = workbench.main_window()

    def open_sheet() -> None:
        if workbench.project is None:
            if hasattr(window, "status_message"):
                window.status_message("Open a project first.")
            return
        dock.show()
        dock.raise_()
        # A sheet needs rows: the bottom area takes about half the window while it is in front.
        if not dock.isFloating() and hasattr(window, "resizeDocks"):
            grow = lambda: window.resizeDocks([dock], [max(int(window.height() * 0.55), 320)],
                                              Qt.Orientation.Vertical)
            grow()
            QTimer.singleShot(0, grow)  # again once the shown dock has been laid out
        panel.reload()
        panel.table.setFocus()
        if not panel.table.currentIndex().isValid():
            panel.go_to(None, 0)

    menu = workbench.menu("&View")
    action = QAction("Case &sheet", menu)
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setToolTip("Cases with their kind, documents and attributes, edited like a spreadsheet")
    action.triggered.connect(lambda _checked=False: open_sheet())
    first = menu.actions()[0] if menu.actions() else None
    menu.insertAction(first, action)
    window.case_sheet = panel  # reachable for tests and other panels
    window.case_sheet_action = action
    return panel

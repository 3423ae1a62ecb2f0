"""Search and analysis in the workbench: one "Search & queries" dock with a tab each for
text search, coding queries, matrix coding and co-occurrence, and a Query menu."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTabWidget, QWidget

from qualcode.gui.analysis.coding_query_panel import CodingQueryPanel
from qualcode.gui.analysis.cooccurrence_panel import CooccurrencePanel
from qualcode.gui.analysis.frequency_panel import FrequencyPanel
from qualcode.gui.analysis.matrix_panel import MatrixPanel
from qualcode.gui.analysis.search_panel import SearchPanel
from qualcode.services.commands import Change


class AnalysisPanels(QTabWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analysisPanels")
        self.setDocumentMode(True)
        self.workbench = workbench
        self.search = SearchPanel(workbench)
        self.query = CodingQueryPanel(workbench)
        self.matrix = MatrixPanel(workbench)
        self.cooccurrence = CooccurrencePanel(workbench)
        self.frequencies = FrequencyPanel(workbench)
        self.addTab(self.search, "Text search")
        self.addTab(self.query, "Coding query")
        self.addTab(self.matrix, "Matrix coding")
        self.addTab(self.cooccurrence, "Co-occurrence")
        self.addTab(self.frequencies, "Frequencies")
        workbench.changed.connect(self.on_change)

    def on_change(self, change: Change | None) -> None:
        for index in range(self.count()):
            panel = self.widget(index)
            if panel is not None and hasattr(panel, "on_change"):
                panel.on_change(change)

    def show_tab(self, panel: QWidget) -> None:
        self.setCurrentWidget(panel)
        dock = self.parentWidget()
        while dock is not None and not hasattr(dock, "toggleViewAction"):
            dock = dock.parentWidget()
        if dock is not None:
            dock.show()
            dock.raise_()


def contribute(workbench: Any) -> AnalysisPanels:
    panels = AnalysisPanels(workbench)
    dock = workbench.add_dock(panels, "Search & queries", Qt.DockWidgetArea.BottomDockWidgetArea)
    window = workbench.main_window()
    if hasattr(window, "tabifyDockWidget") and getattr(window, "panels", None) is not None:
        retrieval = getattr(window.panels, "retrieval_dock", None)
        if retrieval is not None:
            window.tabifyDockWidget(retrieval, dock)
    menu = workbench.menu("&Query")
    search = QAction("&Text search…", menu)
    search.setShortcut(QKeySequence("Ctrl+Shift+F"))

    def open_search() -> None:
        panels.show_tab(panels.search)
        panels.search.query.setFocus()
        panels.search.query.selectAll()

    search.triggered.connect(open_search)
    menu.addAction(search)
    for title, panel in (("&Coding query…", panels.query), ("&Matrix coding…", panels.matrix),
                         ("C&o-occurrence…", panels.cooccurrence),
                         ("&Frequencies and participants…", panels.frequencies)):
        action = QAction(title, menu)
        action.triggered.connect(lambda _checked=False, p=panel: panels.show_tab(p))
        menu.addAction(action)
    window.analysis_panels = panels  # reachable for tests and other panels
    return panels

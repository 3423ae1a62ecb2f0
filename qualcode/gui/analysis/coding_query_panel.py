"""Coding query: where node A AND / OR / NOT node B are coded (overlapping, or within the same
turn or sentence), restricted by kind, coder and attributes; double-click opens a passage."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from qualcode.domain.errors import QualCodeError
from qualcode.domain.text import plural
from qualcode.gui.analysis.passage_model import PassageTableModel
from qualcode.gui.analysis.scope_bar import ScopeBar
from qualcode.gui.nodes.node_combo import NodeComboBox
from qualcode.gui.style import ERROR, tone_name
from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.stale_note import mark_stale
from qualcode.gui.widgets.table_setup import result_table
from qualcode.services import coders as coder_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.commands import Change
from qualcode.services.queries import queries as query_service
from qualcode.services.queries.queries import CodingQueryResult

_PROXIMITY = (("overlapping", "overlap"), ("in the same turn", "turn"), ("in the same sentence", "sentence"))


class CodingQueryPanel(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codingQueryPanel")
        self.workbench = workbench
        self.result: CodingQueryResult | None = None
        self.first = named(NodeComboBox(), "First node")
        self.operator = named(QComboBox(), "Operator", "AND: coded to both, OR: to either, NOT: to the first "
                              "but not the second")
        self.operator.addItems(["AND", "OR", "NOT"])
        self.operator.setToolTip("AND: coded to both · OR: to either · NOT: to the first but not the second")
        self.second = named(NodeComboBox(none_label="(no second node)"), "Second node")
        self.proximity = named(QComboBox(), "How the codings meet")
        for label, value in _PROXIMITY:
            self.proximity.addItem(label, value)
        self.run_button = QPushButton("Run query")
        self.run_button.clicked.connect(self.run)
        row = QHBoxLayout()
        row.addWidget(self.first, 1)
        row.addWidget(self.operator)
        row.addWidget(self.second, 1)
        row.addWidget(self.proximity)
        row.addWidget(self.run_button)
        self.scope_bar = ScopeBar()
        self.status = QLabel("Choose nodes and run the query.", objectName="queryStatus")
        self.status.setWordWrap(True)
        self.model = PassageTableModel()
        self.table = named(result_table(self.model, "queryPassages"), "Passages found",
                           "Enter or double-click reads a passage in the transcript")
        header = self.table.horizontalHeader()
        for column, width in enumerate((130, 60, 150, 90)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.jump)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(row)
        layout.addWidget(self.scope_bar)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    def run(self) -> None:
        first, second = self.first.node_id(), self.second.node_id()
        if first is None or self.workbench.project is None:
            return
        steps = [(self.operator.currentText(), second)] if second is not None else []
        proximity, scope = self.proximity.currentData(), self.scope_bar.scope()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.workbench.read(lambda s: query_service.coding_query(
                s, node_id=first, steps=steps, proximity=proximity, scope=scope))
        except QualCodeError as exc:
            self.result = None
            self.model.set_passages([])
            self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>{exc}</span>")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.result = result
        self.model.set_passages(result.passages)
        n = len(result.passages)
        docs, cases = result.document_count, result.case_count
        self.status.setText(f"<b>{result.heading}</b>: {plural(n, 'passage')} in "
                            f"{plural(docs, 'document')} ({plural(cases, 'case')}); "
                            f"{result.scope}")

    def jump(self, index: QModelIndex) -> None:
        if index.isValid():
            passage = self.model.passages[index.row()]
            self.workbench.show_span(passage.document_id, passage.start, passage.end)

    def refresh_choices(self) -> None:
        if self.workbench.project is None:
            nodes, coders = [], []
        else:
            nodes, coders = self.workbench.read(lambda s: (node_service.list_nodes(s), coder_service.list_coders(s)))
        self.first.set_nodes(nodes)
        self.second.set_nodes(nodes)
        self.scope_bar.set_coders(coders)

    def on_change(self, change: Change | None) -> None:
        if change is None:
            self.result = None
            self.model.set_passages([])
            self.refresh_choices()
        elif change.affects("node", "coder"):
            self.refresh_choices()
        if change is not None and self.result is not None:
            mark_stale(self.status, change)

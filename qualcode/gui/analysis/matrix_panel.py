"""Matrix coding: nodes by attribute values, cases or documents; a cell counts codings,
documents or cases and, clicked, lists its codings. Exports to CSV, XLSX and more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qualcode.domain.errors import QualCodeError
from qualcode.gui.analysis.cell_codings import CellCodings
from qualcode.gui.analysis.scope_bar import ScopeBar
from qualcode.gui.style import ERROR, NOTE, tone_name
from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.count_table_model import CountTableModel
from qualcode.gui.widgets.export_files import TABLE_FILTER, save_and_report
from qualcode.gui.widgets.stale_note import mark_stale
from qualcode.gui.widgets.table_setup import beside, fit_columns, result_table
from qualcode.io.table_export import write_table
from qualcode.services import coders as coder_service
from qualcode.services.cases import cases as case_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.commands import Change
from qualcode.services.queries import matrices as matrix_service
from qualcode.services.queries import queries as query_service
from qualcode.services.queries.matrices import MatrixResult


class MatrixPanel(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matrixPanel")
        self.workbench = workbench
        self.result: MatrixResult | None = None
        self.columns = named(QComboBox(), "Nodes by", "What the matrix's columns are: cases, attribute values "
                             "or documents")
        self.measure = named(QComboBox(), "Counting")
        for label, value in (("codings", "codings"), ("documents", "documents"), ("cases", "cases")):
            self.measure.addItem(label, value)
        self.run_button = QPushButton("Run matrix")
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton("Export…")
        self.export_button.clicked.connect(self.export_dialog)
        self.export_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(QLabel("Nodes by"))
        row.addWidget(self.columns, 1)
        row.addWidget(QLabel("counting"))
        row.addWidget(self.measure)
        row.addWidget(self.run_button)
        row.addWidget(self.export_button)
        self.scope_bar = ScopeBar()
        self.status = QLabel("", objectName="matrixStatus")
        self.status.setWordWrap(True)
        self.model = CountTableModel()
        self.table = named(result_table(self.model, "matrixTable", rows=False), "Matrix",
                           "Nodes by columns; choosing a cell lists its codings beside the matrix")
        self.table.clicked.connect(self.open_cell)
        self.cell = CellCodings(workbench)
        split = beside(self.table, self.cell)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(row)
        layout.addWidget(self.scope_bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    def run(self) -> None:
        choice = self.columns.currentData()
        if choice is None or self.workbench.project is None:
            return
        kind, attribute = choice
        measure, scope = self.measure.currentData(), self.scope_bar.scope()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result, depth = self.workbench.read(lambda s: (
                matrix_service.matrix_coding(s, columns=kind, attribute=attribute, measure=measure, scope=scope),
                _depths(node_service.list_nodes(s))))
        except QualCodeError as exc:
            self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>{exc}</span>")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.result = result
        m = result.matrix
        self.model.set_counts([r.label for r in m.rows], [c.label for c in m.columns], m.counts,
                              indents=[depth.get(i, 0) for i in result.row_node_ids], row_totals=m.row_totals,
                              column_totals=m.column_totals, total=m.total)
        fit_columns(self.table)
        self.status.setText(f"<b>{result.title}</b>; {result.description}"
                            + (f"<br><span style='color:{tone_name(*NOTE)}'>{result.note}</span>" if result.note else ""))
        self.export_button.setEnabled(True)
        self.cell.clear()

    def open_cell(self, index: QModelIndex) -> None:
        where = self.model.cell_at(index)
        if where is None or self.result is None:
            return
        row, column = where
        ids = self.result.matrix.codings_at(row, column)
        segments = self.workbench.read(lambda s: query_service.segments_by_id(s, ids))
        m = self.result.matrix
        self.cell.show_segments(f"{m.rows[row].label} × {m.columns[column].label}: {len(segments)} "
                                f"coding{'s' if len(segments) != 1 else ''}", segments)

    def export_to(self, path: str | Path) -> Path:
        assert self.result is not None
        header, rows = self.result.table()
        notes = [self.result.description] + ([self.result.note] if self.result.note else [])
        return write_table(path, title=self.result.title, header=header, rows=rows, notes=notes)

    def export_dialog(self) -> None:
        if self.result is None:
            return
        save_and_report(self.workbench, self, "Export matrix", "matrix.xlsx", TABLE_FILTER, self.export_to)

    def refresh_choices(self) -> None:
        current = self.columns.currentData()
        self.columns.clear()
        if self.workbench.project is None:
            return
        attributes, coders = self.workbench.read(lambda s: (case_service.list_attributes(s),
                                                            coder_service.list_coders(s)))
        for attribute in attributes:
            self.columns.addItem(f"{attribute.name} (values)", ("attribute", attribute.name))
        self.columns.addItem("cases", ("cases", None))
        self.columns.addItem("documents", ("documents", None))
        index = self.columns.findData(current) if current is not None else 0
        self.columns.setCurrentIndex(max(0, index))
        self.scope_bar.set_coders(coders)

    def on_change(self, change: Change | None) -> None:
        if change is None:
            self.result = None
            self.model.clear()
            self.cell.clear()
            self.export_button.setEnabled(False)
            self.refresh_choices()
        elif change.affects("attribute", "coder"):
            self.refresh_choices()
        if change is not None and self.result is not None:
            mark_stale(self.status, change)


def _depths(nodes: list[Any]) -> dict[int, int]:
    depth: dict[int, int] = {}
    for node in nodes:
        depth[node.id] = depth[node.parent_id] + 1 if node.parent_id in depth else 0
    return depth

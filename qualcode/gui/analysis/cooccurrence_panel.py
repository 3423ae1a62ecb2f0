"""Co-occurrence: node by node, how often two nodes are coded together (overlapping, same
turn or sentence, same document). A cell lists its codings; the table exports, and the
heatmap saves as PNG, SVG or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qualcode.domain.errors import QualCodeError
from qualcode.gui.analysis.cell_codings import CellCodings
from qualcode.gui.analysis.matrix_panel import _depths
from qualcode.gui.analysis.scope_bar import ScopeBar
from qualcode.gui.style import ERROR, tone_name
from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.count_table_model import CountTableModel
from qualcode.gui.widgets.export_files import FIGURE_FILTER, TABLE_FILTER, save_and_report
from qualcode.gui.widgets.stale_note import mark_stale
from qualcode.gui.widgets.table_setup import beside, fit_columns, result_table
from qualcode.io.table_export import write_table
from qualcode.services import coders as coder_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.commands import Change
from qualcode.services.queries import cooccurrence as cooccurrence_service
from qualcode.services.queries.cooccurrence import CooccurrenceResult
from qualcode.services.queries.query_scope import QueryScope

_MODES = (("overlapping codings", "overlap"), ("the same turn", "turn"), ("the same sentence", "sentence"),
          ("the same document", "document"))


class CooccurrencePanel(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cooccurrencePanel")
        self.workbench = workbench
        self.result: CooccurrenceResult | None = None
        self.scope = QueryScope()
        self.levels: dict[int, int] = {}
        self.mode = named(QComboBox(), "Nodes coded together in")
        for label, value in _MODES:
            self.mode.addItem(label, value)
        self.run_button = QPushButton("Count")
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton("Export table…")
        self.export_button.clicked.connect(self.export_dialog)
        self.heatmap_button = QPushButton("Save heatmap…")
        self.heatmap_button.clicked.connect(self.heatmap_dialog)
        row = QHBoxLayout()
        row.addWidget(QLabel("Nodes coded together in"))
        row.addWidget(self.mode, 1)
        row.addWidget(self.run_button)
        row.addWidget(self.export_button)
        row.addWidget(self.heatmap_button)
        self.scope_bar = ScopeBar()
        self.status = QLabel("", objectName="cooccurrenceStatus")
        self.status.setWordWrap(True)
        self.model = CountTableModel()
        self.table = named(result_table(self.model, "cooccurrenceTable", rows=False), "Co-occurrence table",
                           "How often each pair of nodes is coded together; choosing a cell lists the codings")
        self.table.clicked.connect(self.open_cell)
        self.cell = CellCodings(workbench)
        split = beside(self.table, self.cell)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(row)
        layout.addWidget(self.scope_bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        self.export_button.setEnabled(on)
        self.heatmap_button.setEnabled(on)

    def run(self) -> None:
        if self.workbench.project is None:
            return
        mode, scope = self.mode.currentData(), self.scope_bar.scope()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result, nodes = self.workbench.read(lambda s: (
                cooccurrence_service.cooccurrence(s, mode=mode, scope=scope), node_service.list_nodes(s)))
        except QualCodeError as exc:
            self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>{exc}</span>")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.result, self.scope = result, scope
        self.levels = {n.id: int(n.level) for n in nodes}
        depth = _depths(nodes)
        self.model.set_counts(result.labels, result.labels, result.counts,
                              indents=[depth.get(i, 0) for i in result.node_ids], grey_diagonal=True)
        fit_columns(self.table)
        self.status.setText(f"<b>{result.title}</b>: cells count {result.unit} (grey: each node's own total); "
                            f"{result.description}")
        self.cell.clear()
        self._enable(True)

    def open_cell(self, index: QModelIndex) -> None:
        where = self.model.cell_at(index)
        if where is None or self.result is None:
            return
        row, column = where
        first, second = self.result.node_ids[row], self.result.node_ids[column]
        mode, scope = self.result.mode, self.scope
        segments = self.workbench.read(lambda s: cooccurrence_service.cooccurrence_segments(
            s, first_node_id=first, second_node_id=second, mode=mode, scope=scope))
        self.cell.show_segments(f"{self.result.labels[row]} × {self.result.labels[column]}: {len(segments)} "
                                f"coding{'s' if len(segments) != 1 else ''}", segments)

    def export_to(self, path: str | Path) -> Path:
        assert self.result is not None
        header, rows = self.result.table()
        return write_table(path, title=self.result.title, header=header, rows=rows,
                           notes=[f"Cells count {self.result.unit}; {self.result.description}."])

    def save_heatmap(self, path: str | Path, *, dpi: int = 200) -> Path:
        from qualcode.viz.figure_files import save_figure
        from qualcode.viz.heatmap import cooccurrence_heatmap

        assert self.result is not None
        result = self.result
        figure = cooccurrence_heatmap(result.labels, result.counts, title=result.title,
                                      value_label=f"Co-occurring {result.unit}", subtitle=result.description,
                                      emphasise=[self.levels.get(n, 1) > 1 for n in result.node_ids])
        return save_figure(figure, path, dpi=dpi)

    def export_dialog(self) -> None:
        if self.result is not None:
            save_and_report(self.workbench, self, "Export co-occurrence table", "cooccurrence.xlsx", TABLE_FILTER,
                            self.export_to)

    def heatmap_dialog(self) -> None:
        if self.result is not None:
            save_and_report(self.workbench, self, "Save heatmap", "cooccurrence.png", FIGURE_FILTER,
                            self.save_heatmap)


    def on_change(self, change: Change | None) -> None:
        if change is not None and self.model.rowCount():
            mark_stale(self.status, change)
        if change is None:
            self.result = None
            self.model.clear()
            self.cell.clear()
            self._enable(False)
        if change is None or change.affects("coder"):
            coders = self.workbench.read(coder_service.list_coders) if self.workbench.project else []
            self.scope_bar.set_coders(coders)

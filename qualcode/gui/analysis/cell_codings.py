"""The codings behind a clicked cell (matrix or co-occurrence), listed like retrieved
passages; double-click opens one in the transcript."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.table_setup import result_table
from qualcode.gui.workbench.retrieval_model import SegmentTableModel
from qualcode.services.coding.retrieval import Segment


class CellCodings(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.title = QLabel("Click a cell to see its codings.", objectName="sectionLabel")
        self.model = SegmentTableModel()
        self.table = named(result_table(self.model, "cellCodings"), "Codings in the chosen cell",
                           "Enter or double-click reads a coding in the transcript")
        header = self.table.horizontalHeader()
        for column, width in enumerate((22, 130, 70, 90, 120)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.jump)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)

    def show_segments(self, title: str, segments: Sequence[Segment]) -> None:
        self.title.setText(title)
        self.model.set_segments(segments)

    def clear(self) -> None:
        self.show_segments("Click a cell to see its codings.", [])

    def jump(self, index: QModelIndex) -> None:
        if index.isValid():
            segment = self.model.segments[index.row()]
            self.workbench.show_span(segment.document_id, segment.start, segment.end)

"""Table model of search hits as keyword-in-context lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from qualcode.gui.style import tone
from qualcode.gui.widgets.record_table_model import RecordTableModel
from qualcode.services.queries.search import SearchHit

COLUMNS = ("Document", "Case", "Speaker", "Before", "Match", "After")
_ROOT = QModelIndex()


class KwicTableModel(RecordTableModel[SearchHit]):
    columns = COLUMNS

    def __init__(self) -> None:
        super().__init__()
        self._bold = QFont()
        self._bold.setBold(True)

    @property
    def hits(self) -> list[SearchHit]:
        return self.records

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.set_records(hits)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self.records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (hit.document_name, ", ".join(hit.cases), hit.speaker, hit.left, hit.matched, hit.right)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.left}[{hit.matched}]{hit.right}\n{hit.document_name}, characters {hit.start}–{hit.end}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == 3:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == 4:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == 4:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and column == 4:
            return QColor("#fdf0c2")
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            return QColor("#1b2530")  # dark on the yellow, on either look
        if role == Qt.ItemDataRole.ForegroundRole and column in (3, 5):
            return tone("#4a5561", "#a9b3be")
        return None

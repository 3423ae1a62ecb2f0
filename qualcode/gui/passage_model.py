"""Table model of the passages a coding query found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from qualcode.services.queries import QueryPassage

COLUMNS = ("Document", "Case", "Nodes", "Coders", "Passage")
_ROOT = QModelIndex()


class PassageTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.passages: list[QueryPassage] = []

    def set_passages(self, passages: Sequence[QueryPassage]) -> None:
        self.beginResetModel()
        self.passages = list(passages)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.passages)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.passages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (p.document_name, ", ".join(p.cases), ", ".join(p.nodes), ", ".join(p.coders),
                    " ".join(p.text.split()))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{p.text}\n\n{p.document_name}, characters {p.start}–{p.end}"
        return None

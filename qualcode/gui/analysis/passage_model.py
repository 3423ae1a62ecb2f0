"""Table model of the passages a coding query found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from qualcode.gui.widgets.record_table_model import RecordTableModel
from qualcode.services.queries.queries import QueryPassage

COLUMNS = ("Document", "Case", "Nodes", "Coders", "Passage")
_ROOT = QModelIndex()


class PassageTableModel(RecordTableModel[QueryPassage]):
    columns = COLUMNS

    @property
    def passages(self) -> list[QueryPassage]:
        return self.records

    def set_passages(self, passages: Sequence[QueryPassage]) -> None:
        self.set_records(passages)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (p.document_name, ", ".join(p.cases), ", ".join(p.nodes), ", ".join(p.coders),
                    " ".join(p.text.split()))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{p.text}\n\n{p.document_name}, characters {p.start}–{p.end}"
        return None

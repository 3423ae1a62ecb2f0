"""Table model of a plain result table: a header and rows of text and numbers. A first-column
cell with leading spaces is a sub-row (e.g. a category under its characteristic)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_ROOT = QModelIndex()


class RowsTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[object]] = []

    def set_rows(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        self.beginResetModel()
        self.header = list(header)
        self.rows = [list(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.header)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.header[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, bool):
                return str(value)
            if isinstance(value, int):
                return f"{value:,}"
            if isinstance(value, float):
                return f"{value:,.1f}"
            text = "" if value is None else str(value)
            return "    " * ((len(text) - len(text.lstrip(" "))) // 2) + text.lstrip(" ")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0 and _numeric(value):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return None if value is None else str(value).strip()
        return None


def _numeric(value: object) -> bool:
    """Numbers, and figures written as text ("34.0 (9.1)", "2 (66.7%)", "–"), align right."""
    if isinstance(value, int | float):
        return True
    text = str(value or "").strip()
    return bool(text) and (text[0].isdigit() or text[0] in "–-")

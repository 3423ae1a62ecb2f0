"""Table model of a grid of counts (matrix coding, co-occurrence): row and column labels,
optional totals, cells shaded by their value so patterns show at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from qualcode.gui.style import tone

_ROOT = QModelIndex()
_SHADE = (47, 111, 179)  # the accent blue


class CountTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.columns: list[str] = []
        self.counts: list[list[int]] = []
        self.indents: list[int] = []
        self.row_totals: list[int] | None = None
        self.column_totals: list[int] | None = None
        self.total: int | None = None
        self.grey_diagonal = False
        self._top = 1
        self._bold = QFont()
        self._bold.setBold(True)

    def set_counts(self, rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]], *,
                   indents: Sequence[int] = (), row_totals: Sequence[int] | None = None,
                   column_totals: Sequence[int] | None = None, total: int | None = None,
                   grey_diagonal: bool = False) -> None:
        self.beginResetModel()
        self.rows, self.columns = list(rows), list(columns)
        self.counts = [list(r) for r in counts]
        self.indents = list(indents) or [0] * len(self.rows)
        self.row_totals = list(row_totals) if row_totals is not None else None
        self.column_totals = list(column_totals) if column_totals is not None else None
        self.total = total
        self.grey_diagonal = grey_diagonal
        values = [v for i, r in enumerate(self.counts) for j, v in enumerate(r) if not (grey_diagonal and i == j)]
        self._top = max(values, default=0) or 1
        self.endResetModel()

    def clear(self) -> None:
        self.set_counts([], [], [])

    def cell_at(self, index: QModelIndex | QPersistentModelIndex) -> tuple[int, int] | None:
        """(row, column) of a counted cell; None for totals."""
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(self.columns):
            return None
        return index.row(), index.column()

    def _has_totals(self) -> bool:
        return self.row_totals is not None and self.column_totals is not None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows) + (1 if self._has_totals() and self.rows else 0)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns) + (1 if self._has_totals() and self.columns else 0)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        labels = self.columns if orientation == Qt.Orientation.Horizontal else self.rows
        if role == Qt.ItemDataRole.DisplayRole:
            if section >= len(labels):
                return "Total"
            indent = "   " * self.indents[section] if orientation == Qt.Orientation.Vertical else ""
            return indent + labels[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(labels):
            return labels[section]
        if role == Qt.ItemDataRole.FontRole and section >= len(labels):
            return self._bold
        return None

    def value(self, row: int, column: int) -> int | None:
        inside_rows, inside_columns = row < len(self.rows), column < len(self.columns)
        if inside_rows and inside_columns:
            return self.counts[row][column]
        if inside_rows and self.row_totals is not None:
            return self.row_totals[row]
        if inside_columns and self.column_totals is not None:
            return self.column_totals[column]
        return self.total

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        value = self.value(row, column)
        cell = self.cell_at(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else f"{value:,}"
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and cell is None:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and cell is not None:
            if self.grey_diagonal and row == column:
                return tone("#e3e6ea", "#353b43")
            if value:
                strength = 0.08 + 0.62 * (value / self._top) ** 0.5
                return QColor(*_SHADE, int(255 * strength))
        if role == Qt.ItemDataRole.ForegroundRole and cell is not None and value and not (
                self.grey_diagonal and row == column) and (value / self._top) ** 0.5 > 0.6:
            return QColor("white")
        if role == Qt.ItemDataRole.ToolTipRole and cell is not None:
            return f"{self.rows[row]} × {self.columns[column]}: {value:,}. Click to see the codings."
        return None

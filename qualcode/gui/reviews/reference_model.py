"""The References panel's table: one row per study record."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from qualcode.gui.style import for_text
from qualcode.gui.widgets.record_table_model import RecordTableModel
from qualcode.services.reviews.overview import ReferenceRow

COLUMNS = ("Study", "Year", "Title", "Source", "Database", "Status", "PDF")
_STATUS_COLOURS = {"included": "#1b7f3b", "excluded": "#9e2a2b", "conflict": "#b26a00"}


class ReferenceTableModel(RecordTableModel[ReferenceRow]):
    columns = COLUMNS

    def row_at(self, row: int) -> ReferenceRow:
        return self.records[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (record.study, record.year if record.year is not None else "", record.title, record.source,
                    record.database, record.status, "PDF" if record.document_id else "")[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{record.authors} ({record.year or 'n.d.'}). {record.title}. {record.source}"
        if role == Qt.ItemDataRole.ForegroundRole and column == 5:
            colour = next((c for word, c in _STATUS_COLOURS.items() if record.status.endswith(word)), None)
            return for_text(colour) if colour else None
        if role == Qt.ItemDataRole.UserRole:
            return record.reference_id
        return None

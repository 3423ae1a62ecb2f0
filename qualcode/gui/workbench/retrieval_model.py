"""Table model of retrieved coded segments."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from qualcode.services.coding.retrieval import Segment, listing_order

COLUMNS = ("", "Document", "Case", "Coder", "Node", "Passage")
EXEMPLAR_MARK = "★"


_ROOT = QModelIndex()

class SegmentTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.segments: list[Segment] = []
        self.columns = COLUMNS

    def set_segments(self, segments: Sequence[Segment], *, label: str = "Node") -> None:
        """Show these passages; `label` heads the column of what each is coded or tagged as."""
        self.beginResetModel()
        self.segments = list(segments)
        self.columns = (*COLUMNS[:4], label, COLUMNS[5])
        self.endResetModel()

    def update_codings(self, coding_ids: Collection[int], segments: Sequence[Segment]) -> None:
        """Bring the listing up to date after a change to these codings: their rows go, and
        `segments` (what they are now, those still listed) take their places in listing order.
        Other rows, and the selection on them, stay as they are."""
        for row in range(len(self.segments) - 1, -1, -1):
            if self.segments[row].coding_id in coding_ids:
                self.beginRemoveRows(_ROOT, row, row)
                del self.segments[row]
                self.endRemoveRows()
        for segment in sorted(segments, key=listing_order):
            row = bisect_left(self.segments, listing_order(segment), key=listing_order)
            self.beginInsertRows(_ROOT, row, row)
            self.segments.insert(row, segment)
            self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.segments)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole and section == 0:
            return "Exemplar quote"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        segment = self.segments[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return EXEMPLAR_MARK if segment.exemplar else ""
            if column == 5:
                return " ".join(segment.text.split())
            return (None, segment.document_name, segment.participants, segment.coder_name, segment.node_name)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return (segment.text + (f"\n\n{segment.detail}" if segment.detail else "")
                    + (f"\n\nMemo: {segment.memo}" if segment.memo else ""))
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor("#c98a00")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

"""The agreement table as a Qt item model: numbers right-aligned, undefined shown as n/a."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from qualcode.services.teamwork.agreement import HEADER, AgreementReport, AgreementRow

_Index = QModelIndex | QPersistentModelIndex
_DIGITS = {3: 1, 5: 1}  # percentages; every other measure has three decimals
_TIPS = {
    3: "Share of all characters of the documents on which the two coders agree (coded or not coded).",
    4: "Cohen's kappa over all characters: text nobody coded counts as agreement.",
    5: "Share of agreement over the characters either coder coded with any chosen code.",
    6: "Cohen's kappa over the characters either coder coded with any chosen code.",
    7: "Krippendorff's alpha (nominal) over every character, for all chosen coders.",
    8: "Krippendorff's alpha (nominal) over sentences: a sentence counts as coded when any of it is.",
    9: "Codings (segments) by coder A.",
    10: "Codings (segments) by coder B.",
    11: "Segments of A and B matched one to one by overlap.",
    12: "Matched segments / B's segments.",
    13: "Matched segments / A's segments.",
    14: "Harmonic mean of precision and recall.",
}


class AgreementTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: tuple[AgreementRow, ...] = ()

    def set_report(self, report: AgreementReport | None) -> None:
        self.beginResetModel()
        self._rows = report.rows if report is not None else ()
        self.endResetModel()

    def row_at(self, row: int) -> AgreementRow:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADER)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            label = HEADER[section]
            return label.replace(" (", "\n(") if "(" in label else label.replace(" ", "\n", 1)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _TIPS.get(section)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        value = row.values()[index.column()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return "    " * row.depth + row.node
            if value is None:
                return "n/a"
            if isinstance(value, float):
                return f"{value:.{_DIGITS.get(column, 3)}f}"
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.node_id is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and value is None and column >= 3:
            return "Undefined here (for example, neither coder used this code)."
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

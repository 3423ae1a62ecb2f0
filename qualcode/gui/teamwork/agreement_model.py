"""The agreement table as a Qt item model: numbers right-aligned, undefined shown as n/a."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from qualcode.services.teamwork.agreement import HEADER, PERCENT_COLUMNS, AgreementReport, AgreementRow

_Index = QModelIndex | QPersistentModelIndex
_TIPS = {
    3: "Characters compared for this pair (documents both coders were assigned).",
    4: "Share of the characters coded with this code, averaged over the two coders.",
    5: "Share of all characters of the documents on which the two coders agree (coded or not coded).",
    6: "Cohen's kappa over all characters: text nobody coded counts as agreement.",
    7: "Lower end of the 95% bootstrap confidence interval of κ (documents resampled).",
    8: "Upper end of the 95% bootstrap confidence interval of κ (documents resampled).",
    9: "Gwet's AC1 over all characters: chance agreement from the mean prevalence, robust for rare codes.",
    10: "Brennan and Prediger's kappa over all characters: chance agreement 1/2.",
    11: "Characters either coder of the pair coded with any code of the project.",
    12: "Share of agreement over the characters either coder coded with any code of the project.",
    13: "Cohen's kappa over the characters either coder coded with any code; n/a when the code covers all of them.",
    14: "Krippendorff's alpha (nominal) over every character, for all chosen coders.",
    15: "Lower end of the 95% bootstrap confidence interval of α characters.",
    16: "Upper end of the 95% bootstrap confidence interval of α characters.",
    17: "Krippendorff's alpha (nominal) over sentences: a sentence counts as coded when any of it is.",
    18: "Fleiss' kappa over every character, for all chosen coders.",
    19: "Krippendorff's unitizing alpha: do the coders cut the same segments (starts, ends, gaps)?",
    20: "Codings (segments) by coder A.",
    21: "Codings (segments) by coder B.",
    22: "Segments of A and B matched one to one by overlap (the most pairs possible).",
    23: "Matched segments / B's segments.",
    24: "Matched segments / A's segments.",
    25: "Harmonic mean of precision and recall.",
}
_UNDEFINED = {
    7: "No interval: it needs five or more documents (the units resampled) and resamples.",
    8: "No interval: it needs five or more documents (the units resampled) and resamples.",
    13: "Undefined: the code covers all of the coded text (no character outside it), or nothing is coded.",
    15: "No interval: it needs five or more documents (the units resampled) and resamples.",
    16: "No interval: it needs five or more documents (the units resampled) and resamples.",
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
                digits = 1 if column in PERCENT_COLUMNS else 3
                return f"{round(value, digits) + 0.0:.{digits}f}"  # + 0.0: no "-0.000"
            if isinstance(value, int):
                return f"{value:,}"
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.node_id is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and value is None and column >= 3:
            return _UNDEFINED.get(column, "Undefined here (for example, neither coder used this code).")
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

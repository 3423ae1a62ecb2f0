"""Table model of the case sheet: one row per case, the columns Case, Kind, Documents, then one
per case attribute. Typing a value runs one undoable service call through the workbench; a
value that does not fit its column is refused with `refused` (one line) and nothing changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from qualcode.domain.enums import AttributeType
from qualcode.domain.errors import QualCodeError
from qualcode.services.cases import cases as case_service
from qualcode.services.cases.case_grid import CaseGrid, GridColumn, GridRow

_ROOT = QModelIndex()
CASE, KIND, DOCUMENTS = 0, 1, 2
FIXED = 3  # attribute columns start here

TYPE_HINTS = {
    AttributeType.TEXT: "any text",
    AttributeType.NUMBER: "a number, e.g. 42 or 3.5",
    AttributeType.DATE: "a date as YYYY-MM-DD",
    AttributeType.CATEGORY: "one of its values, or a new one",
}


class CaseSheetModel(QAbstractTableModel):
    refused = Signal(str)  # a one-line reason an edit was not made

    def __init__(self, workbench: Any) -> None:
        super().__init__()
        self.workbench = workbench
        self.grid = CaseGrid((), (), {})
        self.read_only = False
        self._opened: dict[tuple[int, int], str] = {}  # (case, column) -> version when its editor opened

    # -- content -----------------------------------------------------------------------------
    def set_grid(self, grid: CaseGrid) -> None:
        """Show a newly read sheet; the same cases and columns are updated in place, so the
        current cell and an open editor elsewhere stay where they are."""
        same_shape = ([r.case_id for r in grid.rows] == [r.case_id for r in self.grid.rows]
                      and [c.id for c in grid.columns] == [c.id for c in self.grid.columns])
        if same_shape and grid.rows:
            self.grid = grid
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
            return
        self.beginResetModel()
        self.grid = grid
        self.endResetModel()

    def opened(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """A cell's editor opened: its save will be checked against the version read now, so a
        change someone makes meanwhile on a team project is refused, not overwritten."""
        row = self.grid.rows[index.row()]
        attribute = self.column_at(index.column())
        self._opened[(row.case_id, index.column())] = (
            row.version if attribute is None else row.value_version(attribute.id))

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def row_at(self, row: int) -> GridRow:
        return self.grid.rows[row]

    def column_at(self, column: int) -> GridColumn | None:
        """The attribute shown in this column (None for Case, Kind and Documents)."""
        return self.grid.columns[column - FIXED] if column >= FIXED else None

    def row_of_case(self, case_id: int) -> int | None:
        return next((i for i, r in enumerate(self.grid.rows) if r.case_id == case_id), None)

    def column_of_attribute(self, attribute_id: int) -> int | None:
        return next((FIXED + i for i, c in enumerate(self.grid.columns) if c.id == attribute_id), None)

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.grid.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else FIXED + len(self.grid.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or section >= self.columnCount():
            return None
        attribute = self.column_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return ("Case", "Kind", "Documents")[section] if attribute is None else attribute.name
        if role == Qt.ItemDataRole.ToolTipRole:
            if attribute is None:
                return ("The case's name (F2 renames it)", "Participant, site (groups other cases' documents) or "
                        "study (an included study of a review)", "The documents linked to the case "
                        "(Enter or F2 chooses them)")[section]
            return f"{attribute.name}: {attribute.type.value} attribute; takes {TYPE_HINTS[attribute.type]}"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.grid.rows[index.row()]
        column = index.column()
        attribute = self.column_at(column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == CASE:
                return row.name
            if column == KIND:
                return row.kind.value
            if column == DOCUMENTS:
                return self.grid.document_names(row)
            assert attribute is not None
            return row.values.get(attribute.id, "")
        if role == Qt.ItemDataRole.ToolTipRole and column == DOCUMENTS:
            return "\n".join(self.grid.documents[d] for d in row.document_ids) or "No documents linked"
        if role == Qt.ItemDataRole.TextAlignmentRole and attribute is not None \
                and attribute.type is AttributeType.NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if not self.read_only and index.column() not in (KIND, DOCUMENTS):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        row = self.grid.rows[index.row()]
        opened = self._opened.pop((row.case_id, index.column()), None)  # the version its editor saw
        text = "" if value is None else str(value)
        coder = self.workbench.coder_id
        if index.column() == CASE:
            if " ".join(text.split()) == row.name:
                return True
            if not " ".join(text.split()):
                self.refused.emit(f"A case needs a name: '{row.name}' was kept.")
                return False
            version = opened or row.version
            return self.workbench.execute(lambda s: case_service.update_case(
                s, case_id=row.case_id, name=text, coder_id=coder, expected_version=version)) is not None
        attribute = self.column_at(index.column())
        if attribute is None:
            return False
        stored = None
        if text.strip():
            try:
                stored = case_service.canonical_value(attribute.type, text.strip(), attribute.name)
            except QualCodeError as exc:
                self.refused.emit(f"{row.name}: {exc} Nothing was changed.")
                return False
        version = opened or row.value_version(attribute.id)
        if stored == row.values.get(attribute.id):
            return True
        return self.workbench.execute(lambda s: case_service.set_attribute_value(
            s, attribute_id=attribute.id, case_id=row.case_id, value=stored, coder_id=coder,
            expected_version=version)) is not None

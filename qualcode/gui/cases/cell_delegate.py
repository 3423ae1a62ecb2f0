"""Editors of the case sheet's cells, by the column's type: a line for text, numbers and dates
(dates as YYYY-MM-DD), an editable list of the values in use for a category. Enter commits,
Esc cancels, Tab commits and moves on; an empty cell means no value."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from qualcode.domain.enums import AttributeType
from qualcode.gui.cases.sheet_model import CASE, CaseSheetModel

PLACEHOLDERS = {AttributeType.NUMBER: "a number", AttributeType.DATE: "YYYY-MM-DD", AttributeType.TEXT: ""}


class CaseCellDelegate(QStyledItemDelegate):
    def __init__(self, model: CaseSheetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sheet = model

    def _source(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex | QPersistentModelIndex:
        proxy = index.model()
        return proxy.mapToSource(index) if hasattr(proxy, "mapToSource") else index

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        source = self._source(index)
        self.sheet.opened(source)  # a save is checked against the value as it is now
        attribute = self.sheet.column_at(source.column())
        header = "Case name" if source.column() == CASE else attribute.name if attribute else ""
        row = self.sheet.row_at(source.row()).name
        if attribute is not None and attribute.type is AttributeType.CATEGORY:
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems(["", *attribute.choices])
            combo.setAccessibleName(f"{header} of {row}")
            combo.setAccessibleDescription("Choose a value, type a new one, or leave it empty for no value")
            line = combo.lineEdit()
            if line is not None:
                line.setPlaceholderText("no value")
            return combo
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setAccessibleName(f"{header} of {row}")
        if attribute is not None:
            editor.setPlaceholderText(PLACEHOLDERS.get(attribute.type, ""))
            editor.setAccessibleDescription(f"{attribute.type.value}; leave it empty for no value")
        return editor

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: QModelIndex | QPersistentModelIndex) -> None:
        """A list of values opens at least as wide as its longest value, inside the sheet."""
        super().updateEditorGeometry(editor, option, index)
        if isinstance(editor, QComboBox):
            rect = editor.geometry()
            width = max(rect.width(), editor.sizeHint().width())
            viewport = editor.parentWidget()
            room = viewport.width() if viewport is not None else width
            rect.setWidth(min(width, room))
            rect.moveLeft(max(0, min(rect.left(), room - rect.width())))
            editor.setGeometry(rect)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        """The cell's value into a new editor; an editor already typed in keeps what was typed
        (the sheet is read again when anyone changes a case, also while a cell is open)."""
        line_of = editor.lineEdit() if isinstance(editor, QComboBox) else editor
        if isinstance(line_of, QLineEdit) and line_of.isModified():
            return
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            editor.setEditText(text)
            line = editor.lineEdit()
            if line is not None:
                line.selectAll()
        elif isinstance(editor, QLineEdit):
            editor.setText(text)
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

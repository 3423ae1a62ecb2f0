"""A new case attribute: its name and its type (text, number, date or category)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from qualcode.domain.enums import AttributeType

TYPE_LABELS = {
    AttributeType.TEXT: "Text",
    AttributeType.NUMBER: "Number",
    AttributeType.DATE: "Date (YYYY-MM-DD)",
    AttributeType.CATEGORY: "Category (a choice of values)",
}


class NewAttributeDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("newAttributeDialog")
        self.setWindowTitle("New case attribute")
        form = QFormLayout(self)
        self.name = QLineEdit(placeholderText="e.g. age, site, role")
        self.name.setAccessibleName("Attribute name")
        self.type = QComboBox()
        self.type.setAccessibleName("Attribute type")
        for kind, label in TYPE_LABELS.items():
            self.type.addItem(label, kind.value)
        form.addRow("&Name:", self.name)
        form.addRow("&Type:", self.type)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(360)

    def attribute_type(self) -> str:
        return str(self.type.currentData())

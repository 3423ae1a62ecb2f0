"""Choosing the documents of one case: every document of the project with a check box."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)


class CaseDocumentsDialog(QDialog):
    def __init__(self, parent: QWidget, case_name: str, documents: Mapping[int, str],
                 linked: Sequence[int]) -> None:
        super().__init__(parent)
        self.setObjectName("caseDocumentsDialog")
        self.setWindowTitle(f"Documents of {case_name}")
        layout = QVBoxLayout(self)
        label = QLabel(f"Tick the documents that belong to <b>{case_name}</b>:")
        layout.addWidget(label)
        self.filter = QLineEdit(placeholderText="Filter documents…")
        self.filter.setAccessibleName("Filter documents")
        self.filter.textChanged.connect(self._filter)
        layout.addWidget(self.filter)
        self.list = QListWidget(objectName="caseDocumentsList")
        self.list.setAccessibleName(f"Documents of {case_name}")
        self.list.setAccessibleDescription("Space ticks or unticks the current document")
        for document_id, name in documents.items():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, document_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if document_id in linked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(420, 420)

    def item_named(self, name: str) -> QListWidgetItem:
        return next(self.list.item(i) for i in range(self.list.count()) if self.list.item(i).text() == name)

    def document_ids(self) -> list[int]:
        """The ticked documents, in the list's order."""
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in
                (self.list.item(i) for i in range(self.list.count()))
                if item.checkState() == Qt.CheckState.Checked]

    def _filter(self, text: str) -> None:
        wanted = text.strip().lower()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(wanted) and wanted not in item.text().lower())

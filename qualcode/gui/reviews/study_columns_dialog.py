"""Choosing the columns of the characteristics-of-included-studies table: the case attributes,
ticked and in the order they will appear (drag to reorder)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from qualcode.gui.widgets.accessible import named


class StudyColumnsDialog(QDialog):
    def __init__(self, attributes: Sequence[str], chosen: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Columns of the study table")
        self.list = named(QListWidget(objectName="studyColumns"), "Attributes to show",
                          "Tick an attribute to show it as a column; drag to change the order")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        ordered = [*chosen, *(a for a in attributes if a not in chosen)]
        for name in ordered:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("One row per included study (author–year order); tick the attributes to show."))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def columns(self) -> list[str]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

"""Choose which codings of a theme move to a new sibling theme, and name it."""

from __future__ import annotations

from collections.abc import Sequence

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

from qualcode.gui.widgets.accessible import named
from qualcode.services.coding.codings import CodingInfo
from qualcode.services.themes.quotes import shorten_quote


class SplitThemeDialog(QDialog):
    def __init__(self, parent: QWidget, theme: str, codings: Sequence[CodingInfo]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Split '{theme}'")
        self.name = named(QLineEdit(), "Name of the new theme")
        self.name.setPlaceholderText("Name of the new theme beside it")
        self.list = named(QListWidget(), "Codings to move", "Tick the codings that go to the new theme")
        for coding in codings:
            item = QListWidgetItem(f"{coding.document_name}: {shorten_quote(coding.text, 140)}")
            item.setToolTip(coding.text)
            item.setData(Qt.ItemDataRole.UserRole, coding.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Split")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._update)
        self.list.itemChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Tick the codings of '{theme}' that belong to the new theme:", wordWrap=True))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.name)
        layout.addWidget(buttons)
        self.resize(620, 460)
        self._update()

    def chosen(self) -> list[int]:
        return [int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.name.text().strip()) and bool(self.chosen()))

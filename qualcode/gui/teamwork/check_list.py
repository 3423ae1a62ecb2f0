"""A list of checkable items (coders, codes, documents) that hands back the checked ids."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from qualcode.gui.style import for_text

_ID = Qt.ItemDataRole.UserRole


class CheckList(QListWidget):
    """Items carry an id; `checked_ids()` lists the checked ones in display order."""

    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUniformItemSizes(True)
        self.itemChanged.connect(lambda _item: self.selection_changed.emit())

    def fill(self, items: Iterable[tuple[int, str]], *, checked: Iterable[int] = (),
             indents: dict[int, int] | None = None, colors: dict[int, str] | None = None) -> None:
        wanted = set(checked)
        self.blockSignals(True)
        self.clear()
        for item_id, label in items:
            item = QListWidgetItem(("    " * (indents or {}).get(item_id, 0)) + label)
            item.setData(_ID, item_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if item_id in wanted else Qt.CheckState.Unchecked)
            if colors and item_id in colors:
                item.setForeground(for_text(colors[item_id]))
            self.addItem(item)
        self.blockSignals(False)
        self.selection_changed.emit()

    def checked_ids(self) -> list[int]:
        return [int(self.item(i).data(_ID)) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def label(self, item_id: int) -> str:
        """The item's text without its indent ('' when there is no such item)."""
        for i in range(self.count()):
            if int(self.item(i).data(_ID)) == item_id:
                return self.item(i).text().strip()
        return ""

    def set_all(self, checked: bool) -> None:
        self.blockSignals(True)
        for i in range(self.count()):
            self.item(i).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.selection_changed.emit()

    def set_checked(self, ids: Iterable[int]) -> None:
        wanted = set(ids)
        self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if int(item.data(_ID)) in wanted else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.selection_changed.emit()

"""Choose the node another node is merged into."""

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

from qualcode.gui.icons import level_icon
from qualcode.gui.widgets.accessible import named
from qualcode.services.codebook.nodes import NodeInfo


class MergeNodeDialog(QDialog):
    def __init__(self, parent: QWidget, source: NodeInfo, candidates: Sequence[NodeInfo],
                 paths: dict[int, str]) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(f"Merge '{source.name}'")
        self.setMinimumSize(460, 420)
        intro = QLabel(f"Merge <b>{source.name}</b> into the node chosen below. Its codings move there "
                       "(duplicates are dropped), its sub-themes follow, and its definition is appended "
                       "for you to review. You can undo this.")
        intro.setWordWrap(True)
        self.search = named(QLineEdit(objectName="searchField"), "Find a node")
        self.search.setPlaceholderText("Find a node…")
        self.list = named(QListWidget(), "Node to merge into")
        for node in candidates:
            item = QListWidgetItem(level_icon(node.level, node.color), paths.get(node.id, node.name))
            item.setData(Qt.ItemDataRole.UserRole, node.id)
            self.list.addItem(item)
        self.search.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def choose(self, node_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == node_id:
                self.list.setCurrentRow(row)

    def target_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

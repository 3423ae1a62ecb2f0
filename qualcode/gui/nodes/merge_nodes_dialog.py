"""Choose the node one or several nodes are merged into: one of them, or any other node."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

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
    def __init__(self, parent: QWidget, sources: NodeInfo | Sequence[NodeInfo], candidates: Sequence[NodeInfo],
                 paths: dict[int, str]) -> None:
        super().__init__(parent)
        chosen = [sources] if isinstance(sources, NodeInfo) else list(sources)
        self.setObjectName("mergeDialog")
        self.setMinimumSize(540, 420)
        if len(chosen) == 1:
            self.setWindowTitle(f"Merge '{chosen[0].name}'")
            text = (f"Merge <b>{escape(chosen[0].name)}</b> into the node chosen below. Its codings move there "
                    "(duplicates are dropped), its sub-themes follow, and its definition is appended "
                    "for you to review. You can undo this.")
        else:
            self.setWindowTitle(f"Merge {len(chosen)} nodes")
            names = ", ".join(f"<b>{escape(n.name)}</b>" for n in chosen[:-1]) + f" and <b>{escape(chosen[-1].name)}</b>"
            text = (f"Merge {names} into one node: keep one of them (listed first) or choose any other node. "
                    "The codings of the others move there (duplicates are dropped), their sub-themes follow, "
                    "and their definitions and memos are appended for you to review. One step: you can undo it.")
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.search = named(QLineEdit(objectName="searchField"), "Find a node")
        self.search.setPlaceholderText("Find a node…")
        self.list = named(QListWidget(), "Node to merge into")
        # Long paths lose their middle, never the node's own name at the end.
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        own = {n.id for n in chosen} if len(chosen) > 1 else set()
        for node in sorted(candidates, key=lambda n: n.id not in own):  # the chosen nodes first
            item = QListWidgetItem(level_icon(node.level, node.color), paths.get(node.id, node.name))
            item.setData(Qt.ItemDataRole.UserRole, node.id)
            item.setToolTip(paths.get(node.id, node.name))
            if node.id in own:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        if own:
            self.list.setCurrentRow(0)
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

"""A drop-down of the project's nodes in tree order, indented by depth."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QWidget

from qualcode.services.codebook.nodes import NodeInfo


class NodeComboBox(QComboBox):
    def __init__(self, *, none_label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.none_label = none_label
        self.setMinimumContentsLength(18)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def set_nodes(self, nodes: Sequence[NodeInfo]) -> None:
        """Fill with `nodes` (parents before children), keeping the current choice if it still exists."""
        current = self.node_id()
        depth: dict[int, int] = {}
        self.blockSignals(True)
        self.clear()
        if self.none_label is not None:
            self.addItem(self.none_label, None)
        for node in nodes:
            depth[node.id] = depth[node.parent_id] + 1 if node.parent_id in depth else 0
            self.addItem("    " * depth[node.id] + node.name, node.id)
            self.setItemData(self.count() - 1, f"{node.name} ({node.level.label.lower()})", 3)  # tooltip
        self.blockSignals(False)
        self.select_node(current)

    def node_id(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def select_node(self, node_id: int | None) -> None:
        index = self.findData(node_id) if node_id is not None else -1
        self.setCurrentIndex(index if index >= 0 else 0 if self.count() else -1)

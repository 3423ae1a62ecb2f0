"""Choose the theme nodes a CMO configuration draws on: the node tree with a tick box per
node and a filter by name."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from qualcode.gui.icons import level_icon
from qualcode.gui.widgets.accessible import named
from qualcode.services.codebook.nodes import NodeInfo

ID_ROLE = Qt.ItemDataRole.UserRole


class ThemesDialog(QDialog):
    def __init__(self, label: str, nodes: Sequence[NodeInfo], linked: Iterable[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cmoThemesDialog")
        self.setWindowTitle(f"Themes {label} draws on")
        self.resize(440, 520)
        hint = QLabel("Tick the codes and themes this configuration draws on.", objectName="hintLabel")
        self.filter = named(QLineEdit(placeholderText="Find a code or theme…"), "Find a code or theme")
        self.filter.textChanged.connect(self._filter)
        self.tree = named(QTreeWidget(objectName="cmoThemesTree"), "Codes and themes",
                          "Tick the ones this configuration draws on")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        chosen = set(linked)
        ordered = sorted(nodes, key=lambda n: (n.position, n.id))
        items: dict[int, QTreeWidgetItem] = {}
        for node in ordered:
            item = items[node.id] = QTreeWidgetItem([node.name])
            item.setData(0, ID_ROLE, node.id)
            item.setIcon(0, level_icon(node.level, node.color))
            level = node.level.label
            item.setToolTip(0, f"{level} · {node.definition}" if node.definition else level)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if node.id in chosen else Qt.CheckState.Unchecked)
        for node in ordered:
            parent_item = items.get(node.parent_id) if node.parent_id is not None else None
            if parent_item is not None:
                parent_item.addChild(items[node.id])
            else:
                self.tree.addTopLevelItem(items[node.id])
        self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def _items(self) -> list[QTreeWidgetItem]:
        found = []
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            found.append(iterator.value())
            iterator += 1
        return found

    def _filter(self, text: str) -> None:
        """Show nodes whose name holds the text, with the themes above them."""
        wanted = text.strip().lower()
        for item in self._items():
            item.setHidden(bool(wanted))
        for item in self._items():
            if not wanted or wanted in item.text(0).lower():
                while item is not None:
                    item.setHidden(False)
                    item = item.parent()

    def set_checked(self, node_id: int, checked: bool) -> None:
        for item in self._items():
            if item.data(0, ID_ROLE) == node_id:
                item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen(self) -> list[int]:
        """The ticked nodes, in tree order."""
        return [int(item.data(0, ID_ROLE)) for item in self._items()
                if item.checkState(0) == Qt.CheckState.Checked]

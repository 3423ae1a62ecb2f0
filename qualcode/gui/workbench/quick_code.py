"""The quick-code box: type to find a node, Enter codes the selection to it; when nothing
matches, Enter creates a code with the typed name and applies it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from qualcode.gui.icons import level_icon
from qualcode.gui.widgets.accessible import named
from qualcode.services.codebook.nodes import NodeInfo

CREATE = -1


class QuickCodeDialog(QDialog):
    """After `accepted`: `chosen_node()` is a node id, or None with `new_name()` to create."""

    def __init__(self, parent: QWidget, nodes: Sequence[NodeInfo], paths: dict[int, str], recent: Sequence[int],
                 passage: str) -> None:
        super().__init__(parent)
        self.setObjectName("quickCode")
        self.setWindowTitle("Quick code")
        self.setMinimumSize(480, 380)
        self._nodes = list(nodes)
        self._paths = paths
        self._recent = [r for r in recent if any(n.id == r for n in nodes)]
        preview = " ".join(passage.split())
        label = QLabel(f"Code “{preview[:90]}{'…' if len(preview) > 90 else ''}” to:")
        label.setWordWrap(True)
        label.setObjectName("panelHint")
        self.search = named(QLineEdit(objectName="searchField"), "Find a node or name a new code")
        self.search.setPlaceholderText("Type to find a node, or a new code name…")
        self.search.textChanged.connect(self._refresh)
        self.search.installEventFilter(self)
        self.list = named(QListWidget(), "Nodes", "Enter codes the passage to the chosen node")
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        hint = QLabel("Enter applies · ↑↓ choose · Esc cancels", objectName="panelHint")
        layout.addWidget(hint)
        self._refresh("")

    def _matches(self, text: str) -> list[NodeInfo]:
        needle = text.strip().lower()
        if not needle:
            ordered = [n for r in self._recent for n in self._nodes if n.id == r]
            return ordered + [n for n in self._nodes if n.id not in self._recent]

        def rank(node: NodeInfo) -> tuple[int, int, str]:
            name = node.name.lower()
            return (0 if name == needle else 1 if name.startswith(needle) else 2,
                    0 if node.id in self._recent else 1, name)

        found = [n for n in self._nodes if needle in self._paths.get(n.id, n.name).lower()]
        return sorted(found, key=rank)

    def label(self, node: NodeInfo) -> str:
        """The code's own name first, then where it sits, nearest theme first (a long path
        loses its far end, never the name)."""
        path = self._paths.get(node.id, node.name).split(" › ")
        where = " ‹ ".join(reversed(path[:-1]))
        return f"{node.name}    {where}" if where else node.name

    def _refresh(self, text: str) -> None:
        self.list.clear()
        matches = self._matches(text)
        for node in matches:
            item = QListWidgetItem(level_icon(node.level, node.color), self.label(node))
            item.setToolTip(self._paths.get(node.id, node.name))
            item.setData(Qt.ItemDataRole.UserRole, node.id)
            self.list.addItem(item)
        name = " ".join(text.split())
        if name and not any(n.name.lower() == name.lower() for n in matches):
            item = QListWidgetItem(f"＋ Create code “{name}”")
            item.setData(Qt.ItemDataRole.UserRole, CREATE)
            self.list.insertItem(0 if not matches else self.list.count(), item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def eventFilter(self, watched: object, event: object) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.list.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
                self.list.setCurrentRow(max(0, min(row, self.list.count() - 1)))
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.list.currentItem() is not None:
                    self.accept()
                return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def chosen_node(self) -> int | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item else None
        return None if value in (None, CREATE) else int(value)

    def new_name(self) -> str:
        return " ".join(self.search.text().split())

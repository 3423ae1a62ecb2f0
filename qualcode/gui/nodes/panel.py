"""The Nodes panel: find box, new code/theme buttons and the thematic-network tree with its
context menu (rename, edit definition, colour, level, merge, delete; on several chosen nodes:
group, move, colour, merge, delete)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMenu, QToolButton, QVBoxLayout, QWidget

from qualcode.domain.levels import Level
from qualcode.gui.icons import level_icon
from qualcode.gui.nodes.actions import NodeActions
from qualcode.gui.nodes.tree_model import NodeTreeModel
from qualcode.gui.nodes.tree_view import NodeTreeView
from qualcode.services.codebook.nodes import LEVEL_COLORS


class NodePanel(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nodePanel")
        self.workbench = workbench
        self.model = NodeTreeModel(workbench)
        self.view = NodeTreeView(self.model)
        self.node_actions = NodeActions(workbench, self.model)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.model.node_dropped.connect(self.node_actions.move)
        self.model.nodes_dropped.connect(self.node_actions.move_many)

        self.search = QLineEdit(objectName="searchField")
        self.search.setPlaceholderText("Find a code or theme…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.view.set_filter)

        self.new_code = QToolButton(objectName="panelButton")
        self.new_code.setText("New code")
        self.new_code.setIcon(level_icon(Level.CODE, LEVEL_COLORS[Level.CODE]))
        self.new_code.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_code.setToolTip("Create a code (under the selected theme, if any)")
        self.new_code.clicked.connect(lambda: self.node_actions.new_node(Level.CODE, self.view.current_node()))
        self.new_theme = QToolButton(objectName="panelButton")
        self.new_theme.setText("New theme")
        self.new_theme.setIcon(level_icon(Level.BASIC, LEVEL_COLORS[Level.BASIC]))
        self.new_theme.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_theme.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        theme_menu = QMenu(self.new_theme)
        for level in (Level.BASIC, Level.ORGANISING, Level.GLOBAL):
            action = theme_menu.addAction(level_icon(level, LEVEL_COLORS[level]), f"{level.label}…")
            action.triggered.connect(
                lambda _=False, lvl=level: self.node_actions.new_node(lvl, self.view.current_node()))
        self.new_theme.setMenu(theme_menu)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 4)
        bar.setSpacing(4)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.new_code)
        bar.addWidget(self.new_theme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def current_node(self) -> int | None:
        return self.view.current_node()

    def merge_chosen(self) -> object:
        """Merge the chosen nodes (several: into one of them or another node; one: into another)."""
        chosen = self.view.selected_nodes()
        current = self.current_node()
        if len(chosen) > 1:
            return self.node_actions.merge_many(chosen)
        if current is None:
            self.workbench.status_message("Choose a node in the Nodes panel first.")
            return None
        return self.node_actions.merge(current)

    def build_menu(self, node_id: int | None) -> QMenu:
        menu = QMenu(self)
        if node_id is None:
            for level in Level:
                menu.addAction(level_icon(level, LEVEL_COLORS[level]), f"New {level.label.lower()}…",
                               lambda lvl=level: self.node_actions.new_node(lvl))
            return menu
        chosen = self.view.selected_nodes()
        if len(chosen) > 1 and node_id in chosen:
            return self._selection_menu(menu, chosen)
        node = self.model.nodes[node_id]
        code_here = menu.addAction("Code selection here", lambda: self.view.node_activated.emit(node_id))
        code_here.setEnabled(self.workbench.selection() is not None)
        menu.addSeparator()
        for level in Level:
            if level < node.level:
                menu.addAction(level_icon(level, LEVEL_COLORS[level]), f"New {level.label.lower()} here…",
                               lambda lvl=level: self.node_actions.new_node(lvl, node_id))
        menu.addSeparator()
        menu.addAction("Rename", lambda: self.view.edit(self.view.proxy_index(node_id)))
        menu.addAction("Edit definition and criteria…", lambda: self.node_actions.edit_node(node_id))
        menu.addAction("Colour…", lambda: self.node_actions.choose_colour(node_id))
        level_menu = menu.addMenu("Change level")
        for level in sorted(Level, reverse=True):
            action = QAction(level_icon(level, node.color), level.label, level_menu)
            action.setCheckable(True)
            action.setChecked(level == node.level)
            action.triggered.connect(lambda _=False, lvl=level: self.node_actions.set_level(node_id, lvl))
            level_menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Merge into…", lambda: self.node_actions.merge(node_id))
        menu.addAction("Delete…", lambda: self.node_actions.delete(node_id))
        return menu

    def _selection_menu(self, menu: QMenu, chosen: list[int]) -> QMenu:
        """What can be done to several nodes at once."""
        count = len(chosen)
        writable = not self.workbench.read_only if hasattr(self.workbench, "read_only") else True
        menu.addAction(f"Group {count} nodes into a new theme…", lambda: self.node_actions.group(chosen))
        move = menu.addMenu(f"Move {count} nodes under")
        for target in sorted(self.model.nodes.values(), key=lambda n: (-int(n.level), n.name.lower())):
            if target.id not in chosen and all(target.level > self.model.nodes[n].level for n in chosen):
                move.addAction(level_icon(target.level, target.color), target.name,
                               lambda t=target.id: self.node_actions.move_many(chosen, t))
        move.addSeparator()
        move.addAction("The top level", lambda: self.node_actions.move_many(chosen, None))
        menu.addAction(f"Colour {count} nodes…", lambda: self.node_actions.choose_colour_of(chosen))
        menu.addAction(f"Merge {count} nodes…", lambda: self.node_actions.merge_many(chosen))
        menu.addSeparator()
        menu.addAction(f"Delete {count} nodes…", lambda: self.node_actions.delete_many(chosen))
        for action in menu.actions():
            action.setEnabled(writable)
        return menu

    def _context_menu(self, point: QPoint) -> None:
        node_id = self.view.node_at(self.view.indexAt(point))
        self.build_menu(node_id).popup(self.view.viewport().mapToGlobal(point))

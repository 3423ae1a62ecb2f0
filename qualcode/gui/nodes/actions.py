"""What can be done to nodes from the node tree: create, edit the codebook entry, colour,
change level, move, merge, delete. Each ends in one undoable service call; dialogs open
non-blocking and the last one is kept in `dialog` (tests drive it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QDialog, QInputDialog, QMessageBox

from qualcode.domain.levels import Level
from qualcode.gui.dialogs import open_dialog
from qualcode.gui.nodes.delete_node_dialog import DeleteNodeDialog
from qualcode.gui.nodes.merge_nodes_dialog import MergeNodeDialog
from qualcode.gui.nodes.node_dialog import NodeEditorDialog
from qualcode.gui.nodes.tree_model import NodeTreeModel
from qualcode.gui.transcript.view import node_paths
from qualcode.services.codebook import nodes as node_service
from qualcode.services.codebook.node_colors import suggest_code_color
from qualcode.services.commands import Change
from qualcode.services.themes import themes as theme_service


class NodeActions(QObject):
    def __init__(self, workbench: Any, model: NodeTreeModel) -> None:
        super().__init__(workbench.main_window())
        self.workbench = workbench
        self.model = model
        self.dialog: QDialog | None = None


    def _coder(self) -> int | None:
        return self.workbench.coder_id

    # -- create and edit ---------------------------------------------------------------------
    def new_node(self, level: Level, under: int | None = None) -> QDialog:
        """Ask for a new node; it goes under `under` when that node is a higher level."""
        parent_id = under if under is not None and self.model.nodes[under].level > level else None
        parent_name = self.model.nodes[parent_id].name if parent_id is not None else None
        allowed = [lvl for lvl in Level if parent_id is None or lvl < self.model.nodes[parent_id].level]
        dialog = NodeEditorDialog(self.workbench.main_window(), level=level, parent_name=parent_name,
                                  allowed_levels=allowed)
        dialog.set_code_color(self.workbench.read(suggest_code_color))

        def create() -> None:
            values = dialog.values()
            self.create(parent_id=parent_id, **values)

        return open_dialog(self, dialog, create)

    def create(self, *, name: str, level: Level, parent_id: int | None = None, **values: Any) -> Change | None:
        return self.workbench.execute(lambda s: node_service.create_node(
            s, name=name, level=level, parent_id=parent_id, coder_id=self._coder(), **values))

    def edit_node(self, node_id: int) -> QDialog:
        node = self.model.nodes[node_id]
        parent = self.model.nodes.get(node.parent_id) if node.parent_id is not None else None
        dialog = NodeEditorDialog(self.workbench.main_window(), node=node,
                                  parent_name=parent.name if parent else None)

        def save() -> None:
            values = dialog.values()
            values.pop("level")
            # On a team project: refused if someone changed the node since the dialog opened.
            self.workbench.execute(lambda s: node_service.update_node(
                s, node_id=node_id, coder_id=self._coder(), expected_version=node.version, **values))

        return open_dialog(self, dialog, save)

    def choose_colour(self, node_id: int) -> QDialog:
        node = self.model.nodes[node_id]
        dialog = QColorDialog(QColor(node.color), self.workbench.main_window())
        dialog.setWindowTitle(f"Colour of '{node.name}'")
        return open_dialog(self, dialog, lambda: self.set_colour(node_id, dialog.currentColor().name(),
                                                                 expected_version=node.version))

    def set_colour(self, node_id: int, color: str, *, expected_version: str | None = None) -> Change | None:
        return self.workbench.execute(lambda s: node_service.update_node(
            s, node_id=node_id, color=color, coder_id=self._coder(), expected_version=expected_version))

    def choose_colour_of(self, node_ids: list[int]) -> QDialog:
        """One colour for several nodes, in one undoable step."""
        first = self.model.nodes[node_ids[0]]
        dialog = QColorDialog(QColor(first.color), self.workbench.main_window())
        dialog.setWindowTitle(f"Colour of {len(node_ids)} nodes")
        seen = {node_id: self.model.nodes[node_id].version for node_id in node_ids}
        return open_dialog(self, dialog, lambda: self.set_colours(node_ids, dialog.currentColor().name(), seen))

    def set_colours(self, node_ids: list[int], color: str, seen: dict[int, str] | None = None) -> None:
        with self.workbench.macro(f"Colour {len(node_ids)} nodes"):
            for node_id in node_ids:
                self.set_colour(node_id, color, expected_version=(seen or {}).get(node_id))

    def group(self, node_ids: list[int]) -> QDialog:
        """Ask for the name of a new theme one level above the chosen nodes and put them under it."""
        highest = max(self.model.nodes[n].level for n in node_ids)
        level = Level(min(int(highest) + 1, int(Level.GLOBAL)))
        dialog = QInputDialog(self.workbench.main_window())
        dialog.setObjectName("groupDialog")
        dialog.setWindowTitle("Group into a new theme")
        names = ", ".join(f"'{self.model.nodes[n].name}'" for n in node_ids[:3])
        more = f" and {len(node_ids) - 3} more" if len(node_ids) > 3 else ""
        dialog.setLabelText(f"Put {names}{more} under a new {level.label.lower()}:")
        dialog.setOkButtonText("Group")
        return open_dialog(self, dialog, lambda: self.workbench.execute(lambda s: theme_service.group_into_theme(
            s, node_ids=node_ids, name=dialog.textValue(), coder_id=self._coder())))

    def delete_many(self, node_ids: list[int]) -> QMessageBox:
        """Ask how to delete several nodes (their codings deleted, or kept on each parent),
        then delete them in one undoable step."""
        box = QMessageBox(QMessageBox.Icon.Warning, f"Delete {len(node_ids)} nodes",
                          f"Delete {len(node_ids)} nodes? Their sub-themes and codes move up a level.",
                          parent=self.workbench.main_window())
        delete = box.addButton("Delete with their codings", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep codings on the parents", QMessageBox.ButtonRole.AcceptRole)
        keep.setEnabled(all(self.model.nodes[n].parent_id is not None for n in node_ids))
        box.addButton(QMessageBox.StandardButton.Cancel)

        def chosen(button: object) -> None:
            if button in (delete, keep):
                choice = "delete" if button is delete else "move_to_parent"
                with self.workbench.macro(f"Delete {len(node_ids)} nodes"):
                    for node_id in node_ids:
                        self.workbench.execute(lambda s, n=node_id: node_service.delete_node(
                            s, node_id=n, codings=choice, coder_id=self._coder()))

        box.buttonClicked.connect(chosen)
        self.dialog = box
        box.finished.connect(box.deleteLater)
        box.open()
        return box

    def move_many(self, node_ids: list[int], parent_id: int | None) -> Change | None:
        return self.workbench.execute(lambda s: theme_service.move_nodes(
            s, node_ids=node_ids, parent_id=parent_id, coder_id=self._coder()))

    def set_level(self, node_id: int, level: Level) -> Change | None:
        return self.workbench.execute(lambda s: node_service.set_node_level(
            s, node_id=node_id, level=level, coder_id=self._coder()))

    # -- structure ---------------------------------------------------------------------------
    def move(self, node_id: int, parent_id: int | None, row: int = -1) -> Change | None:
        """Move by drag and drop; `row` is the drop row among the new parent's children."""
        node = self.model.nodes[node_id]
        position: int | None = None if row < 0 else row
        if position is not None and parent_id == node.parent_id:
            siblings = [n for n in self.model.nodes.values() if n.parent_id == parent_id]
            old_row = sorted(siblings, key=lambda n: n.position).index(node)
            if old_row < position:
                position -= 1
        return self.workbench.execute(lambda s: node_service.move_node(
            s, node_id=node_id, parent_id=parent_id, position=position, coder_id=self._coder(),
            expected_version=node.version))

    def merge(self, node_id: int) -> QDialog:
        return self.merge_many([node_id])

    def merge_many(self, node_ids: list[int]) -> QDialog:
        """Ask which node the chosen ones are merged into (one of them or any other), then merge
        them in one undoable step: codings combined without duplicates, definitions and memos
        appended, sub-themes moved."""
        chosen = [self.model.nodes[n] for n in node_ids]
        nodes = self.workbench.read(node_service.list_nodes)
        parents = {n.id: n.parent_id for n in nodes}

        def can_receive(target: int) -> bool:  # never into a merged node's own sub-theme
            current = parents.get(target)
            while current is not None:
                if current in node_ids:
                    return False
                current = parents.get(current)
            return len(node_ids) > 1 or target not in node_ids

        candidates = [n for n in nodes if can_receive(n.id)]
        dialog = MergeNodeDialog(self.workbench.main_window(), chosen if len(chosen) > 1 else chosen[0],
                                 candidates, node_paths(list(self.model.nodes.values())))

        def merge() -> None:
            target = dialog.target_id()
            if target is None:
                return
            sources = [n for n in node_ids if n != target]
            if len(sources) == 1:
                self.workbench.execute(lambda s: node_service.merge_nodes(
                    s, source_id=sources[0], target_id=target, coder_id=self._coder()))
            elif sources:
                self.workbench.execute(lambda s: theme_service.merge_themes(
                    s, source_ids=sources, target_id=target, coder_id=self._coder()))

        return open_dialog(self, dialog, merge)

    def delete(self, node_id: int) -> QDialog:
        node = self.model.nodes[node_id]
        own = self.model._direct.get(node_id)
        parent = self.model.nodes.get(node.parent_id) if node.parent_id is not None else None
        children = sum(1 for n in self.model.nodes.values() if n.parent_id == node_id)
        dialog = DeleteNodeDialog(self.workbench.main_window(), node, own.codings if own else 0,
                                  parent.name if parent else None, children)
        return open_dialog(self, dialog, lambda: self.workbench.execute(lambda s: node_service.delete_node(
            s, node_id=node_id, codings=dialog.codings_choice(), coder_id=self._coder())))

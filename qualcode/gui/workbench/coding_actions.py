"""Coding from the keyboard and the mouse: apply a node to the selection (drop, double-click,
recent-node shortcuts, quick-code box), in-vivo codes, code this sentence/turn, uncode,
adjust boundaries, coding memos, exemplar quotes. Every action is one undo step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QDialog, QMenu

from qualcode.domain.levels import Level
from qualcode.gui.contributions import TextSelection
from qualcode.gui.dialogs import open_dialog
from qualcode.gui.transcript.coding_marks import CodingMark
from qualcode.gui.transcript.view import TranscriptView, node_paths
from qualcode.gui.workbench.boundary_dialog import BoundaryDialog
from qualcode.gui.workbench.memo_dialog import CodingMemoDialog
from qualcode.gui.workbench.quick_code import QuickCodeDialog
from qualcode.services import documents as document_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.codebook.node_colors import suggest_code_color
from qualcode.services.coding import coding_units
from qualcode.services.coding import codings as coding_service
from qualcode.services.commands import Change

MAX_RECENT = 9


class CodingActions(QObject):
    recent_changed = Signal(list)  # node ids, most recent first

    def __init__(self, workbench: Any, viewer: TranscriptView, current_node: Any) -> None:
        super().__init__(workbench.main_window())
        self.workbench = workbench
        self.viewer = viewer
        self._current_node = current_node  # () -> node id selected in the node tree, or None
        self.recent: list[int] = []
        self.dialog: QDialog | None = None

    # -- helpers -----------------------------------------------------------------------------
    def _need_selection(self) -> TextSelection | None:
        selection = self.workbench.selection()
        if selection is None:
            self.workbench.status_message("Select a passage in the transcript first.")
        return selection

    def _remember(self, node_id: int) -> None:
        self.recent = [node_id, *[n for n in self.recent if n != node_id]][:MAX_RECENT]
        self.recent_changed.emit(list(self.recent))

    def forget_missing(self, existing: set[int]) -> None:
        kept = [n for n in self.recent if n in existing]
        if kept != self.recent:
            self.recent = kept
            self.recent_changed.emit(list(self.recent))


    def _code(self, node_id: int, document_id: int, start: int, end: int) -> Change | None:
        coder = self.workbench.coder_id
        change = self.workbench.execute(lambda s: coding_service.apply_code(
            s, document_id=document_id, start=start, end=end, node_id=node_id, coder_id=coder))
        if change is not None:
            self._remember(node_id)
        return change

    # -- applying a node ---------------------------------------------------------------------
    def apply(self, node_id: int) -> Change | None:
        """Code the viewer's selection to a node (double-click, drop, Enter, menus)."""
        selection = self._need_selection()
        if selection is None:
            return None
        return self._code(node_id, selection.document_id, selection.start, selection.end)

    def apply_passage(self, node_id: int, document_id: int, start: int, end: int) -> Change | None:
        """Code a passage dropped on a node (the drag's hint in the status bar gives way to
        what was done)."""
        change = self._code(node_id, document_id, start, end)
        if change is not None:
            name = self.workbench.read(lambda s: node_service.get_node(s, node_id)).name
            self.workbench.status_message(f"Coded the dropped passage to '{name}'. Ctrl+Z undoes it.")
        return change

    def apply_recent(self, index: int = 0) -> Change | None:
        if index >= len(self.recent):
            self.workbench.status_message("No recent node yet: code a passage once, then repeat with Ctrl+R.")
            return None
        return self.apply(self.recent[index])

    def quick_code(self) -> QDialog | None:
        selection = self._need_selection()
        if selection is None:
            return None
        nodes = self.workbench.read(node_service.list_nodes)
        passage = self.workbench.read(lambda s: document_service.document_text(s, selection.document_id)
                                      [selection.start:selection.end])
        dialog = QuickCodeDialog(self.workbench.main_window(), nodes, node_paths(nodes), self.recent, passage)

        def chosen() -> None:
            node_id = dialog.chosen_node()
            if node_id is not None:
                self._code(node_id, selection.document_id, selection.start, selection.end)
            elif dialog.new_name():
                self._create_and_code(dialog.new_name(), selection, f"Code to new code '{dialog.new_name()}'")

        return open_dialog(self, dialog, chosen)

    def in_vivo(self) -> Change | None:
        """A new code named from the selected words, applied to them (one undo step)."""
        selection = self._need_selection()
        if selection is None:
            return None
        passage = self.workbench.read(lambda s: document_service.document_text(s, selection.document_id)
                                      [selection.start:selection.end])
        try:
            name = coding_units.in_vivo_name(passage)
        except Exception as exc:
            self.workbench.show_error(str(exc))
            return None
        return self._create_and_code(name, selection, f"In-vivo code '{name}'")

    def _create_and_code(self, name: str, selection: TextSelection, title: str) -> Change | None:
        current = self._current_node()
        nodes = {n.id: n for n in self.workbench.read(node_service.list_nodes)}
        parent_id = current if current in nodes and nodes[current].level > Level.CODE else None
        existing = next((n.id for n in nodes.values() if n.parent_id == parent_id
                         and n.name.lower() == " ".join(name.split()).lower()), None)
        if existing is not None:
            return self._code(existing, selection.document_id, selection.start, selection.end)
        coder = self.workbench.coder_id
        with self.workbench.macro(title):
            created = self.workbench.execute(lambda s: node_service.create_node(
                s, name=name, level=Level.CODE, parent_id=parent_id, color=suggest_code_color(s), coder_id=coder))
            if created is None:
                return None
            return self._code(int(created.result), selection.document_id, selection.start, selection.end)

    def _target_node(self, node_id: int | None) -> int | None:
        target = node_id or self._current_node() or (self.recent[0] if self.recent else None)
        if target is None:
            self.workbench.status_message("Choose a node in the node tree first.")
        return target

    def code_sentence(self, node_id: int | None = None) -> Change | None:
        """Code the sentence at the cursor to `node_id` (default: the node selected in the tree)."""
        return self._code_unit(coding_units.sentence_at, node_id)

    def code_turn(self, node_id: int | None = None) -> Change | None:
        """Code the speaker turn at the cursor to `node_id` (default: the node selected in the tree)."""
        return self._code_unit(coding_units.turn_at, node_id)

    def _code_unit(self, unit: Any, node_id: int | None) -> Change | None:
        offset = self.viewer.cursor_offset()
        document_id = self.viewer.document_id
        if offset is None or document_id is None:
            self.workbench.status_message("Open a document and click in the text first.")
            return None
        target = self._target_node(node_id)
        if target is None:
            return None
        try:
            span = self.workbench.read(lambda s: unit(s, document_id=document_id, offset=offset))
        except Exception as exc:
            self.workbench.show_error(str(exc))
            return None
        change = self._code(target, document_id, span.start, span.end)
        if change is not None:
            self.viewer.select(span.start, span.end)
        return change

    # -- working on existing codings ---------------------------------------------------------
    def coding_under_cursor(self) -> CodingMark | None:
        """The coding the next action applies to: the only one at the cursor, or the one of the
        node selected in the tree, or the innermost."""
        marks = self.viewer.codings_at_cursor()
        if not marks:
            self.workbench.status_message("Click inside a coded passage first.")
            return None
        current = self._current_node()
        for mark in marks:
            if mark.node_id == current:
                return mark
        return min(marks, key=lambda m: m.end - m.start)

    def uncode(self, coding_id: int | None = None) -> Change | None:
        if coding_id is None:
            mark = self.coding_under_cursor()
            if mark is None:
                return None
            coding_id = mark.coding_id
        coder = self.workbench.coder_id
        return self.workbench.execute(lambda s: coding_service.uncode(s, coding_id=coding_id, coder_id=coder))

    def adjust_boundaries(self, coding_id: int) -> QDialog:
        info = self.workbench.read(lambda s: coding_service.get_coding(s, coding_id))
        text = self.workbench.read(lambda s: document_service.document_text(s, info.document_id))
        dialog = BoundaryDialog(self.workbench.main_window(), text, info.start, info.end, info.node_name)
        return open_dialog(self, dialog, lambda: self.set_boundaries(coding_id, *dialog.span()))

    def set_boundaries(self, coding_id: int, start: int, end: int) -> Change | None:
        coder = self.workbench.coder_id
        return self.workbench.execute(lambda s: coding_service.update_coding(
            s, coding_id=coding_id, start=start, end=end, coder_id=coder))

    def edit_memo(self, coding_id: int) -> QDialog:
        info = self.workbench.read(lambda s: coding_service.get_coding(s, coding_id))
        dialog = CodingMemoDialog(self.workbench.main_window(), info.text, info.node_name, info.memo)
        return open_dialog(self, dialog, lambda: self.set_memo(coding_id, dialog.memo()))

    def set_memo(self, coding_id: int, memo: str) -> Change | None:
        coder = self.workbench.coder_id
        return self.workbench.execute(lambda s: coding_service.update_coding(
            s, coding_id=coding_id, memo=memo, coder_id=coder))

    def toggle_exemplar(self, coding_id: int) -> Change | None:
        info = self.workbench.read(lambda s: coding_service.get_coding(s, coding_id))
        coder = self.workbench.coder_id
        return self.workbench.execute(lambda s: coding_service.update_coding(
            s, coding_id=coding_id, exemplar=not info.exemplar, coder_id=coder))

    # -- the viewer's context menu -----------------------------------------------------------
    def context_menu(self, qt_position: int) -> QMenu:
        menu = QMenu(self.viewer)
        has_selection = self.workbench.selection() is not None
        names = {n.id: n.name for n in self.workbench.read(node_service.list_nodes)}
        self.forget_missing(set(names))
        if self.recent:
            first = menu.addAction(f"Code to '{names[self.recent[0]]}'", lambda: self.apply_recent(0))
            first.setShortcut("Ctrl+R")
            first.setEnabled(has_selection)
            if len(self.recent) > 1:
                more = menu.addMenu("Code to recent node")
                more.setEnabled(has_selection)
                for i, node_id in enumerate(self.recent):
                    action = more.addAction(names[node_id], lambda i=i: self.apply_recent(i))
                    action.setShortcut(f"Ctrl+{i + 1}")
        menu.addAction("Quick code…", self.quick_code).setEnabled(has_selection)
        menu.addAction("In-vivo code", self.in_vivo).setEnabled(has_selection)
        menu.addAction("Code this sentence", self.code_sentence)
        menu.addAction("Code this turn", self.code_turn)
        marks = self.viewer.editor.coding_marks_at(qt_position)
        if marks:
            menu.addSeparator()
            for mark in marks:
                sub = menu.addMenu(f"{mark.node_name} ({mark.coder_name})")
                sub.addAction("Select passage", lambda m=mark: self.viewer.pick_coding(m.coding_id))
                sub.addAction("Adjust boundaries…", lambda m=mark: self.adjust_boundaries(m.coding_id))
                sub.addAction("Memo…", lambda m=mark: self.edit_memo(m.coding_id))
                exemplar = sub.addAction("Exemplar quote", lambda m=mark: self.toggle_exemplar(m.coding_id))
                exemplar.setCheckable(True)
                exemplar.setChecked(mark.exemplar)
                for text, handler in self.workbench.coding_actions:
                    sub.addAction(text, lambda m=mark, handler=handler: handler(m.coding_id))
                sub.addSeparator()
                sub.addAction("Uncode", lambda m=mark: self.uncode(m.coding_id))
        menu.addSeparator()
        menu.addAction("Copy", self.viewer.editor.copy).setEnabled(has_selection)
        return menu

    def show_context_menu(self, global_position: QPoint, qt_position: int) -> None:
        self.context_menu(qt_position).popup(global_position)

"""The workbench's own panels, their docks and how they talk to each other: documents (left),
transcript (centre), nodes and memos (right), retrieval (bottom)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QTabWidget

from qualcode.gui.nodes.panel import NodePanel
from qualcode.gui.transcript.view import TranscriptView
from qualcode.gui.widgets.accessible import named
from qualcode.gui.workbench.coding_actions import CodingActions
from qualcode.gui.workbench.documents_panel import DocumentsPanel
from qualcode.gui.workbench.journal_panel import JournalPanel
from qualcode.gui.workbench.memo_panel import MemoPanel
from qualcode.gui.workbench.retrieval_panel import RetrievalPanel
from qualcode.services.commands import Change

if TYPE_CHECKING:
    from qualcode.gui.window_api import WindowApi


class WorkbenchPanels(QObject):
    def __init__(self, window: WindowApi) -> None:
        super().__init__(window.main_window())
        self.window = window
        self.viewer = TranscriptView(window)
        self.documents = DocumentsPanel(window)
        self.nodes = NodePanel(window)
        self.retrieval = RetrievalPanel(window)
        self.memo = MemoPanel(window)
        self.journal = JournalPanel(window)
        self.coding = CodingActions(window, self.viewer, self.nodes.current_node)
        self.notes = QTabWidget()
        self.notes.setDocumentMode(True)
        self.notes.addTab(self.memo, "Memo")
        self.notes.addTab(self.journal, "Journal")

        window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        left, right, bottom = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                               Qt.DockWidgetArea.BottomDockWidgetArea)
        self.documents_dock = window.add_dock(self.documents, "Documents & cases", left)
        self.nodes_dock = window.add_dock(self.nodes, "Nodes", right)
        self.notes_dock = window.add_dock(self.notes, "Memos & journal", right)
        self.retrieval_dock = window.add_dock(self.retrieval, "Coded passages", bottom)
        self.default_layout()
        self._name_for_assistive_technology()

        window.changed.connect(self.on_change)
        window.coder_changed.connect(self.on_coder_changed)
        self.documents.document_chosen.connect(window.open_document)
        self.nodes.view.node_selected.connect(self.node_selected)
        self.nodes.view.node_activated.connect(self.coding.apply)
        self.nodes.view.codes_on_double_click = lambda: window.selection() is not None
        self.nodes.view.hint.connect(lambda text: window.status_message(text, 4000))
        self.nodes.model.passage_dropped.connect(self.coding.apply_passage)
        self.viewer.coding_picked.connect(lambda coding_id: self.memo.set_target("coding", coding_id))
        self.viewer.editor.context_menu_requested.connect(self.coding.show_context_menu)

    def default_layout(self) -> None:
        window = self.window
        docks = [self.documents_dock, self.nodes_dock, self.notes_dock, self.retrieval_dock]
        for dock in docks:
            dock.setFloating(False)
            dock.show()
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.documents_dock)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.nodes_dock)
        window.splitDockWidget(self.nodes_dock, self.notes_dock, Qt.Orientation.Vertical)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.retrieval_dock)
        for dock in window.dock_list:
            if dock not in docks:
                self.place_feature_dock(dock, window.dock_areas.get(dock, Qt.DockWidgetArea.RightDockWidgetArea),
                                        show=dock not in window.hidden_by_default)
        self._size_docks()
        QTimer.singleShot(0, self._size_docks)  # again once the shown docks have been laid out

    def place_feature_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea, *, show: bool = True) -> None:
        """A feature's dock joins the workbench dock in its area as a tab (the workbench's stays in front)."""
        anchors = {Qt.DockWidgetArea.LeftDockWidgetArea: self.documents_dock,
                   Qt.DockWidgetArea.BottomDockWidgetArea: self.retrieval_dock}
        anchor = anchors.get(area, self.nodes_dock)  # the right's taller half: workspaces need the height
        dock.setFloating(False)
        self.window.tabifyDockWidget(anchor, dock)
        dock.setVisible(show)
        anchor.raise_()

    def _size_docks(self) -> None:
        """Share the window between the panels; on a narrow screen (1280 or 1366 wide) the node
        tree gets a larger share so its names and counts stay readable."""
        window = self.window
        width, height = max(window.width(), 1000), max(window.height(), 640)
        documents, nodes = (0.2, 0.25) if width >= 1600 else (0.19, 0.27)
        window.resizeDocks([self.documents_dock, self.nodes_dock], [int(width * documents), int(width * nodes)],
                           Qt.Orientation.Horizontal)
        nodes_share = 0.6 if height >= 900 else 0.56  # the memo keeps room for a few lines
        window.resizeDocks([self.nodes_dock, self.notes_dock], [int(height * nodes_share), int(height * 0.3)],
                           Qt.Orientation.Vertical)
        window.resizeDocks([self.retrieval_dock], [int(height * 0.28)], Qt.Orientation.Vertical)

    def _name_for_assistive_technology(self) -> None:
        """Accessible names (what a screen reader announces) and descriptions of the widgets
        that have no visible label of their own."""
        for widget, name, description in (
            (self.documents.attribute, "Filter documents by attribute", "Choose a case attribute to filter by"),
            (self.documents.value, "Attribute value", "Show only documents whose cases have this value"),
            (self.documents.tabs, "Documents and cases", ""),
            (self.documents.documents, "Documents", "Enter opens the document; columns: case, codings, coded share"),
            (self.documents.case_tree, "Cases", "Cases with their documents"),
            (self.notes, "Memos and journal", ""),
            (self.memo.editor, "Memo", "The memo on the open document, chosen node or coding; saved as you type"),
            (self.journal.text, "Journal entry", "Reflexive journal text; saved as you type"),
            (self.journal.title, "Journal entry title", ""),
            (self.journal.list, "Journal entries", ""),
            (self.viewer.editor, "Transcript", "Select text to code it: Ctrl+K quick code, Ctrl+F find"),
            (self.nodes.search, "Find a code or theme", "Filters the node tree"),
            (self.nodes.view, "Node tree", "Codes and themes with counts; Enter codes the selection to the node"),
            (self.retrieval.table, "Coded passages", "The passages coded to the chosen node"),
            (self.retrieval.preview, "Passage in context", ""),
        ):
            named(widget, name, description)

    def set_read_only(self, read_only: bool) -> None:
        """No typing into memos, no dragging or renaming nodes while the project is read-only."""
        self.memo.editor.setReadOnly(read_only)
        self.memo.set_target(*(self.memo.target or (None, None)))  # its status line says so
        for widget in (self.journal.text, self.journal.title):
            widget.setReadOnly(read_only)
        for button in (self.journal.new_button, self.journal.delete_button, self.nodes.new_code,
                       self.nodes.new_theme):
            button.setEnabled(not read_only)
        self.nodes.view.set_read_only(read_only)

    def dock_widgets(self) -> list[QDockWidget]:
        return [self.documents_dock, self.nodes_dock, self.notes_dock, self.retrieval_dock]

    def open_document(self, document_id: int) -> None:
        self.memo.save()
        self.viewer.open_document(document_id)
        self.documents.select_document(document_id)
        self.memo.set_target("document", document_id)

    def node_selected(self, node_id: int | None) -> None:
        self.retrieval.show_node(node_id)
        if node_id is not None and self.memo.target != ("node", node_id):  # else shown and kept up to date
            self.memo.set_target("node", node_id)

    def on_change(self, change: Change | None) -> None:
        if change is None:
            self.viewer.clear()
        else:
            self.viewer.on_change(change)
        self.nodes.model.on_change(change)
        self.documents.on_change(change)
        self.retrieval.on_change(change)
        self.memo.on_change(change)
        self.journal.on_change(change)
        if change is not None and change.affects("node"):
            self.coding.forget_missing(set(self.nodes.model.nodes))

    def on_coder_changed(self, _coder_id: object) -> None:
        if self.window.project is None:
            return
        self.viewer.refresh_vocabulary()
        self.viewer._show_codings()
        self.journal.reload()

    def flush(self) -> None:
        """Save memos and journal text still waiting for their typing pause."""
        self.memo.save()
        self.journal.save()

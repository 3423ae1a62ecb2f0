"""The node tree's view: drag nodes to move them, drop passages on a node to code them,
double-click a node to code the selected text; expansion survives every refresh."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QDragMoveEvent, QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from qualcode.gui.nodes.tree_model import NODE_ID_ROLE, NODE_MIME, NodeTreeModel, dragged_nodes
from qualcode.gui.transcript.editor import PASSAGE_MIME


class NodeTreeView(QTreeView):
    node_selected = Signal(object)  # node id or None
    node_activated = Signal(int)  # double-click / Enter
    hint = Signal(str)  # a status-bar hint while dragging

    def __init__(self, model: NodeTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nodeTree")
        self.node_model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setDynamicSortFilter(False)  # counts change often; the filter only follows the find box
        self.setModel(self.proxy)
        self.setUniformRowHeights(True)
        self.setAnimated(False)
        self.setAlternatingRowColors(False)
        self.setIndentation(16)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # Shift/Ctrl-click
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setAcceptDrops(True)
        self.setDragEnabled(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = header.fontMetrics()
        for column, sample in ((1, "Codings"), (2, "Docs"), (3, "Cases")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance("0,000"))
                                 + 14)
        self._expanded: set[int] = set()
        self._current: int | None = None
        self._announced: int | None = None  # the node last reported through node_selected
        self._first_load = True
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.clicked.connect(self._clicked)
        self.doubleClicked.connect(self._activated)
        # Whether a double-click now codes a passage (text is selected in the transcript): then
        # it does not also open or close the theme clicked, which coding to it again would undo.
        self.codes_on_double_click: Callable[[], bool] = lambda: False

    def set_read_only(self, read_only: bool) -> None:
        self.setDragEnabled(not read_only)
        self.setAcceptDrops(not read_only)
        self.viewport().setAcceptDrops(not read_only)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only
                             else QAbstractItemView.EditTrigger.EditKeyPressed)

    # -- ids <-> indexes ---------------------------------------------------------------------
    def node_at(self, index: QModelIndex) -> int | None:
        value = index.data(NODE_ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def proxy_index(self, node_id: int) -> QModelIndex:
        return self.proxy.mapFromSource(self.node_model.index_of(node_id))

    def current_node(self) -> int | None:
        return self.node_at(self.currentIndex())

    def selected_nodes(self) -> list[int]:
        """The chosen nodes in tree order (Shift/Ctrl-click chooses several)."""
        rows = [i for i in self.selectionModel().selectedRows(0)]
        ids = [self.node_at(i) for i in sorted(rows, key=lambda i: self.visualRect(i).top())]
        return [i for i in ids if i is not None]

    def select_node(self, node_id: int) -> None:
        index = self.proxy_index(node_id)
        if index.isValid():
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def set_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.expandAll()

    # -- state across resets -----------------------------------------------------------------
    def _remember(self) -> None:
        self._current = self.current_node()
        self._expanded = {nid for nid in self.node_model.nodes if self.isExpanded(self.proxy_index(nid))}

    def _restore(self) -> None:
        if self._first_load and self.node_model.nodes:
            self._first_load = False
            self.expandToDepth(1)
            return
        for node_id in self._expanded:
            index = self.proxy_index(node_id)
            if index.isValid():
                self.setExpanded(index, True)
        if self._current is not None and self._current in self.node_model.nodes:
            self.setCurrentIndex(self.proxy_index(self._current))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.setExpandsOnDoubleClick(not self.codes_on_double_click())
        super().mouseDoubleClickEvent(event)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Report a new current node; a refresh putting back the same node is not a choice
        (the memo panel, for one, must keep the object the user is writing about)."""
        node_id = self.node_at(current)
        if node_id != self._announced:
            self._announced = node_id
            self.node_selected.emit(node_id)

    def _clicked(self, index: QModelIndex) -> None:
        """A click on the node that is already current chooses it again."""
        node_id = self.node_at(index)
        if node_id is not None and node_id == self._announced:
            self.node_selected.emit(node_id)

    def _activated(self, index: QModelIndex) -> None:
        node_id = self.node_at(index)
        if node_id is not None:
            self.node_activated.emit(node_id)

    # -- focus -------------------------------------------------------------------------------
    # Qt draws the whole tree again when it gains or loses the keyboard focus, every time a
    # coder clicks it after selecting text. Rows look the same either way (the style sheet
    # colours a selection alike with or without focus); only the current row's focus frame
    # differs, so only the current and selected rows are drawn again.
    def focusInEvent(self, event: QFocusEvent) -> None:
        current = self.currentIndex()
        if not current.isValid():  # Qt may choose a current row: let it, and draw everything
            super().focusInEvent(event)
            return
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled,
                          bool(current.flags() & Qt.ItemFlag.ItemIsEditable))
        self._update_focus_rows()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if not self.currentIndex().isValid():
            super().focusOutEvent(event)
            return
        self._update_focus_rows()

    def _update_focus_rows(self) -> None:
        width = self.viewport().width()
        rows = [self.currentIndex(), *self.selectionModel().selectedRows(0)]
        for index in rows:
            rect = self.visualRect(index)
            if rect.isValid():
                self.viewport().update(0, rect.top(), width, rect.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            node_id = self.current_node()
            if node_id is not None:
                self.node_activated.emit(node_id)
                return
        super().keyPressEvent(event)

    # -- drag feedback -----------------------------------------------------------------------
    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        super().dragMoveEvent(event)
        mime = event.mimeData()
        index = self.indexAt(event.position().toPoint())
        position = self.dropIndicatorPosition()
        if mime.hasFormat(PASSAGE_MIME):
            node_id = self.node_at(index)
            if node_id is not None:
                self.hint.emit(f"Drop to code the passage to '{self.node_model.nodes[node_id].name}'")
            return
        if not mime.hasFormat(NODE_MIME):
            return
        moving_ids = [i for i in dragged_nodes(mime) if i in self.node_model.nodes]
        if not moving_ids:
            return
        if position == QAbstractItemView.DropIndicatorPosition.OnItem:
            parent = self.node_at(index)
        elif position == QAbstractItemView.DropIndicatorPosition.OnViewport:
            parent = None
        else:
            parent = self.node_at(index.parent())
        reason = next((r for r in (self.node_model.move_refusal(m, parent) for m in moving_ids) if r), None)
        if reason:
            event.ignore()  # the cursor shows the refusal before the drop
            self.hint.emit(f"Cannot move here: {reason}")
        else:
            where = "the top level" if parent is None else f"'{self.node_model.nodes[parent].name}'"
            what = (f"'{self.node_model.nodes[moving_ids[0]].name}'" if len(moving_ids) == 1
                    else f"{len(moving_ids)} nodes")
            self.hint.emit(f"Move {what} to {where}")

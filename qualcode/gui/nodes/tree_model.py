"""The thematic network as a Qt item model: global > organising > basic themes > codes, each
with its level icon and counts of codings, documents and cases (descendants included).

Edits (rename in place, drag-and-drop moves, passages dropped on a node) go through the
workbench as undoable service calls; the model itself is rebuilt from the `changed` signal,
recounting only the nodes a coding change touched.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from qualcode.domain.levels import Level
from qualcode.gui.icons import level_icon
from qualcode.gui.style import is_dark, tone_name
from qualcode.gui.transcript.editor import PASSAGE_MIME
from qualcode.services.codebook import nodes as node_service
from qualcode.services.codebook.nodes import NodeInfo
from qualcode.services.coding import coding_stats
from qualcode.services.coding.coding_stats import NodeCounts, NodeDirectStats
from qualcode.services.commands import Change

NODE_MIME = "application/x-qualcode-node"
# Plain ints: data() runs thousands of times per repaint, and enum comparisons are slow.
_DISPLAY, _EDIT = int(Qt.ItemDataRole.DisplayRole.value), int(Qt.ItemDataRole.EditRole.value)
_DECORATION, _TOOLTIP = int(Qt.ItemDataRole.DecorationRole.value), int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT, _FOREGROUND = int(Qt.ItemDataRole.TextAlignmentRole.value), int(Qt.ItemDataRole.ForegroundRole.value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_MUTED = (QColor("#6b7683"), QColor("#9ba6b2"))  # on the light look, on the dark one
_ITEM_FLAGS = (Qt.ItemFlag.ItemIsDropEnabled | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
               | Qt.ItemFlag.ItemIsDragEnabled)
_NAME_FLAGS = _ITEM_FLAGS | Qt.ItemFlag.ItemIsEditable
NODE_ID_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1
LEVEL_ROLE = int(Qt.ItemDataRole.UserRole.value) + 2
COLUMNS = ("Name", "Codings", "Docs", "Cases")
Index = QModelIndex | QPersistentModelIndex


_ROOT = QModelIndex()


def dragged_nodes(data: QMimeData) -> list[int]:
    """The ids of the nodes a drag carries (one, or several chosen with Shift/Ctrl)."""
    payload = json.loads(bytes(data.data(NODE_MIME).data()).decode("utf-8"))
    return [int(i) for i in payload] if isinstance(payload, list) else [int(payload)]

class NodeTreeModel(QAbstractItemModel):
    passage_dropped = Signal(int, int, int, int)  # node id, document id, start, end
    node_dropped = Signal(int, object, int)  # node id, new parent id (or None), position (-1: end)
    nodes_dropped = Signal(object, object)  # several node ids, new parent id (or None)

    def __init__(self, workbench: Any) -> None:
        super().__init__()
        self.workbench = workbench
        self.nodes: dict[int, NodeInfo] = {}
        self._children: dict[int | None, list[int]] = {None: []}
        self._row: dict[int, int] = {}
        self._direct: dict[int, NodeDirectStats] = {}
        self._cases_of: dict[int, frozenset[int]] = {}
        self.counts: dict[int, NodeCounts] = {}

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Everything from the project (or empty when none is open)."""
        if self.workbench.project is not None and self.workbench.put_off_while_opening(self.reload):
            return
        self.beginResetModel()
        if self.workbench.project is None:
            nodes: list[NodeInfo] = []
            self._direct, self._cases_of = {}, {}
        elif (counts := self.workbench.opening_counts()) is not None:  # read ahead while the project opens
            nodes = self.workbench.read(node_service.list_nodes)
            self._direct, self._cases_of = dict(counts.direct), counts.cases_of
        else:
            nodes, self._direct, self._cases_of = self.workbench.read(lambda s: (
                node_service.list_nodes(s), coding_stats.direct_node_stats(s), coding_stats.document_cases(s)))
        self._set_nodes(nodes)
        self.counts = coding_stats.roll_up(self._parents(), self._direct, self._cases_of)
        self.endResetModel()

    def _set_nodes(self, nodes: Sequence[NodeInfo]) -> None:
        self.nodes = {n.id: n for n in nodes}
        self._children = {None: []}
        for node in nodes:  # list_nodes gives siblings in position order
            self._children.setdefault(node.parent_id, []).append(node.id)
        self._row = {nid: row for ids in self._children.values() for row, nid in enumerate(ids)}

    def _parents(self) -> dict[int, int | None]:
        return {nid: n.parent_id for nid, n in self.nodes.items()}

    def on_change(self, change: Change | None) -> None:
        if change is None or change.affects("node", "case_document", "document"):
            self.reload()
            return
        rows = change.row_changes("coding")
        if rows is None:  # others' changes: which codings is not known
            self.reload()
        elif rows:
            # The counts follow the changed rows the change carries: nothing is read again.
            self._roll_up({n for n in coding_stats.apply_coding_rows(self._direct, rows) if n in self.nodes})

    def recount(self, node_ids: set[int]) -> None:
        """Recount the given nodes and their ancestors after their codings changed."""
        node_ids = {n for n in node_ids if n in self.nodes}
        if not node_ids:
            return
        self._direct.update(self.workbench.read(lambda s: coding_stats.direct_node_stats(s, node_ids)))
        self._roll_up(node_ids)

    def _roll_up(self, node_ids: set[int]) -> None:
        """Counts of these nodes and their ancestors again, and only their rows redrawn."""
        affected: set[int] = set()
        for node_id in node_ids:
            current: int | None = node_id
            while current is not None and current not in affected:
                affected.add(current)
                current = self.nodes[current].parent_id
        self.counts.update(coding_stats.roll_up(self._parents(), self._direct, self._cases_of, only=affected))
        for node_id in affected:
            self.dataChanged.emit(self.index_of(node_id, 1), self.index_of(node_id, len(COLUMNS) - 1))

    # -- structure ---------------------------------------------------------------------------
    def index_of(self, node_id: int, column: int = 0) -> QModelIndex:
        if node_id not in self._row:
            return QModelIndex()
        return self.createIndex(self._row[node_id], column, node_id)

    def node_id(self, index: Index) -> int | None:
        return index.internalId() if index.isValid() else None

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        children = self._children.get(self.node_id(parent), [])
        if 0 <= row < len(children) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        node_id = self.node_id(index)
        if node_id is None:
            return QModelIndex()
        parent_id = self.nodes[node_id].parent_id
        return QModelIndex() if parent_id is None else self.index_of(parent_id)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(self.node_id(parent), []))

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ToolTipRole:
                return ("Codes and themes", "Codings, sub-themes and codes included",
                        "Documents with codings", "Cases (participants) with codings")[section]
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        node_id = index.internalId()
        node = self.nodes[node_id]
        column = index.column()
        role = int(role)
        if role in (_DISPLAY, _EDIT):
            if column == 0:
                return node.name
            counts = self.counts.get(node_id)
            value = (counts.codings, counts.documents, counts.cases)[column - 1] if counts else 0
            return f"{value:,}" if role == _DISPLAY else value
        if role == _DECORATION:
            return level_icon(node.level, node.color) if column == 0 else None
        if role == _ALIGNMENT:
            return _RIGHT if column > 0 else None
        if role == _FOREGROUND:
            return _MUTED[is_dark()] if column > 0 else None
        if role == _TOOLTIP:
            return self._tooltip(node)
        if role == NODE_ID_ROLE:
            return node_id
        if role == LEVEL_ROLE:
            return int(node.level)
        return None

    def _tooltip(self, node: NodeInfo) -> str:
        from html import escape

        muted = tone_name("#6b7683", "#9ba6b2")
        lines = [f"<b>{escape(node.name)}</b> <span style='color:{muted}'>({node.level.label.lower()}, "
                 f"{node.origin})</span>"]
        for label, text in (("Definition", node.definition), ("Include", node.inclusion),
                            ("Exclude", node.exclusion)):
            if text.strip():
                lines.append(f"<b>{label}:</b> {escape(text.strip()[:300])}")
        return "<br/>".join(lines)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return _NAME_FLAGS if index.column() == 0 else _ITEM_FLAGS

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node_id = self.node_id(index)
        if node_id is None or role != Qt.ItemDataRole.EditRole or index.column() != 0:
            return False
        name = str(value)
        if name.strip() == self.nodes[node_id].name:
            return False
        seen = self.nodes[node_id].version  # on a team project: refused if someone changed it since
        change = self.workbench.execute(lambda s: node_service.update_node(
            s, node_id=node_id, name=name, coder_id=self.workbench.coder_id, expected_version=seen))
        return change is not None

    # -- drag and drop -----------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [NODE_MIME, PASSAGE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        ids = list(dict.fromkeys(self.node_id(i) for i in indexes if i.isValid()))
        if ids:
            payload = ids[0] if len(ids) == 1 else ids
            mime.setData(NODE_MIME, json.dumps(payload).encode("utf-8"))
            mime.setText("\n".join(self.nodes[i].name for i in ids))  # type: ignore[index]
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if data.hasFormat(PASSAGE_MIME):
            return parent.isValid()
        return data.hasFormat(NODE_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        """Passages are coded to the node dropped on; nodes are moved. The workbench does the
        work (and says why when the level rule refuses a move); the model refreshes itself from
        the change, so the view is never asked to remove the dragged rows."""
        target = self.node_id(parent)
        if data.hasFormat(PASSAGE_MIME):
            if target is None:
                return False
            payload = json.loads(bytes(data.data(PASSAGE_MIME).data()).decode("utf-8"))
            self.passage_dropped.emit(target, int(payload["document_id"]), int(payload["start"]), int(payload["end"]))
            return False
        if data.hasFormat(NODE_MIME):
            ids = [i for i in dragged_nodes(data) if i in self.nodes]
            if len(ids) == 1:
                self.node_dropped.emit(ids[0], target, row)
            elif ids:
                self.nodes_dropped.emit(ids, target)
            return False
        return False

    def move_refusal(self, node_id: int, parent_id: int | None) -> str | None:
        """Why moving `node_id` under `parent_id` would break the level rule (None if it would not)."""
        from qualcode.domain.errors import LevelRuleError
        from qualcode.domain.levels import check_parent

        if parent_id is None or node_id not in self.nodes or parent_id not in self.nodes:
            return None
        node, parent = self.nodes[node_id], self.nodes[parent_id]
        current: int | None = parent_id
        while current is not None:
            if current == node_id:
                return f"'{node.name}' cannot go under itself or one of its own sub-themes."
            current = self.nodes[current].parent_id
        try:
            check_parent(node.name, Level(node.level), parent.name, Level(parent.level))
        except LevelRuleError as exc:
            return str(exc)
        return None

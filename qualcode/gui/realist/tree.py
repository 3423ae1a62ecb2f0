"""The configurations of the CMO workspace, grouped by concept: each reads
"context (C) → mechanism (M) → outcome (O)" with its status and evidence counts."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from qualcode.gui.style import for_text
from qualcode.services.realist.configurations import ConfigurationInfo
from qualcode.services.realist.queries import ConfigurationCounts
from qualcode.viz.programme_theory import STATUS_STYLES

ID_ROLE = Qt.ItemDataRole.UserRole
CONCEPT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("CMOC", "Configuration", "Status", "n", "Cases")
STATUS_COLUMN = 2
NARROW = 560  # below this width the status shows only as the colour of the label


def chain_text(config: ConfigurationInfo) -> str:
    """'context (C) → mechanism (M) → outcome (O) + outcome (O)', with gaps named."""
    parts = []
    for token in config.role_tokens:
        statements = config.statements(token)
        if statements:
            parts.append(" + ".join(f"{s.statement} ({token})" for s in statements))
        elif token in config.missing_roles:
            parts.append(f"… ({token})")
    return " → ".join(parts)


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their configuration's wrapped text (a tree view does not measure wrapped
    text against the column width by itself)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if index.column() != 1 or not index.parent().isValid():
            return hint
        width = max(self.tree.header().sectionSize(1) - 10, 80)
        text = str(index.data() or "")
        bounds = option.fontMetrics.boundingRect(QRect(0, 0, width, 100000), Qt.TextFlag.TextWordWrap, text)
        return QSize(hint.width(), max(hint.height(), bounds.height() + 8))


class CmoTree(QTreeWidget):
    configuration_selected = Signal(object)  # configuration id, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cmoTree")
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(COLUMNS)
        self.setRootIsDecorated(True)
        self.setIndentation(14)
        self.setWordWrap(True)  # a configuration reads in full, over as many lines as it needs
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        for column, width in enumerate((96, 360, 92, 40, 56)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.headerItem().setToolTip(3, "Excerpts: distinct passages linked as evidence")
        self.headerItem().setToolTip(4, "Participants (cases) whose documents gave the evidence")
        self.setItemDelegate(_WrappingDelegate(self))
        header.sectionResized.connect(lambda *_args: self.scheduleDelayedItemsLayout())
        self.currentItemChanged.connect(self._current_changed)
        self._items: dict[int, QTreeWidgetItem] = {}

    def populate(self, configs: Sequence[ConfigurationInfo], counts: dict[int, ConfigurationCounts]) -> None:
        """Show these configurations, keeping the selection (quietly: the caller shows the chosen
        configuration once) and which concepts are collapsed."""
        current = self.current_configuration()
        collapsed = {self.topLevelItem(i).data(0, CONCEPT_ROLE) for i in range(self.topLevelItemCount())
                     if not self.topLevelItem(i).isExpanded()}
        self.blockSignals(True)
        self.clear()
        self._items = {}
        groups: dict[str, QTreeWidgetItem] = {}
        bold = QFont(self.font())
        bold.setBold(True)
        for config in configs:
            group = groups.get(config.concept)
            if group is None:
                group = QTreeWidgetItem(self, [config.concept or "No concept"])
                group.setData(0, CONCEPT_ROLE, config.concept)
                group.setFirstColumnSpanned(True)
                group.setFont(0, bold)
                groups[config.concept] = group
            total = counts[config.id].total if config.id in counts else None
            chain = chain_text(config)
            item = QTreeWidgetItem(group, [
                config.label, chain, config.status + (" (draft)" if config.is_draft else ""),
                str(total.spans) if total else "", str(total.cases) if total else "",
            ])
            item.setData(0, ID_ROLE, config.id)
            item.setData(0, CONCEPT_ROLE, config.concept)
            item.setToolTip(0, f"{config.label}: {config.status}" + (" (draft)" if config.is_draft else ""))
            item.setToolTip(1, f"<p>{config.sentence}</p>")
            style = STATUS_STYLES.get(config.status)
            if style is not None:
                for column in (0, 2):
                    item.setForeground(column, QBrush(for_text(style.color)))
            for column in range(len(COLUMNS)):  # wrapped rows read from their first line
                horizontal = Qt.AlignmentFlag.AlignRight if column in (3, 4) else Qt.AlignmentFlag.AlignLeft
                item.setTextAlignment(column, horizontal | Qt.AlignmentFlag.AlignTop)
            self._items[config.id] = item
        for concept, group in groups.items():
            group.setText(0, f"{concept or 'No concept'}  ({group.childCount()})")
            group.setExpanded(concept not in collapsed)
        if current in self._items:
            self.setCurrentItem(self._items[current])
        self.blockSignals(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < NARROW
        if self.isColumnHidden(STATUS_COLUMN) != narrow:
            self.setColumnHidden(STATUS_COLUMN, narrow)  # the statement chain keeps the room

    def current_configuration(self) -> int | None:
        item = self.currentItem()
        value = item.data(0, ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def current_concept(self) -> str | None:
        item = self.currentItem()
        return item.data(0, CONCEPT_ROLE) if item is not None else None

    def select_configuration(self, configuration_id: int | None) -> None:
        if configuration_id is None:
            self.setCurrentItem(None)
            self.clearSelection()
            self.configuration_selected.emit(None)
            return
        item = self._items.get(configuration_id)
        if item is not None:
            self.setCurrentItem(item)
            item = self._items.get(configuration_id)  # the tree may have been redrawn meanwhile
            if item is not None:
                self.scrollToItem(item)

    def item_for(self, configuration_id: int) -> QTreeWidgetItem | None:
        return self._items.get(configuration_id)

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        value = current.data(0, ID_ROLE) if current is not None else None
        self.configuration_selected.emit(int(value) if value is not None else None)

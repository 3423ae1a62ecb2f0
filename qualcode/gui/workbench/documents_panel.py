"""Documents & cases: every document with its participant, number of codings and how much of
it is coded; cases with their documents; both filtered by an attribute value."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qualcode.gui.widgets.density_delegate import DENSITY_ROLE, DensityDelegate
from qualcode.services.coding import coding_stats
from qualcode.services.coding import overview as overview_service
from qualcode.services.coding.overview import CaseRow, DocumentRow
from qualcode.services.commands import Change

ALL = "All documents"
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class DocumentsPanel(QWidget):
    document_chosen = Signal(int)

    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPanel")
        self.workbench = workbench
        self.rows: list[DocumentRow] = []
        self.cases: list[CaseRow] = []
        self._pending: set[int] = set()
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(0)
        self._recount_timer.timeout.connect(self._recount_pending)
        self.attribute = QComboBox()
        self.attribute.setToolTip("Show only documents whose (participant's) attribute has a value")
        self.value = QComboBox()
        self.value.setEnabled(False)
        self.attribute.currentIndexChanged.connect(self._attribute_chosen)
        self.value.currentIndexChanged.connect(lambda _i: self._fill())
        filters = QHBoxLayout()
        filters.setContentsMargins(6, 6, 6, 4)
        filters.setSpacing(4)
        filters.addWidget(self.attribute, 1)
        filters.addWidget(self.value, 1)

        self.documents = QTreeWidget()
        self.documents.setObjectName("documentList")
        self.documents.setRootIsDecorated(False)
        self.documents.setUniformRowHeights(True)
        self.documents.setHeaderLabels(["Document", "Case", "Codings", "Coded"])
        self.documents.setItemDelegateForColumn(3, DensityDelegate(self.documents))
        self.documents.itemActivated.connect(self._activated)
        self.documents.itemClicked.connect(self._activated)
        header = self.documents.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 50), (2, 66), (3, 64)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        self.case_tree = QTreeWidget()
        self.case_tree.setObjectName("caseList")
        self.case_tree.setHeaderLabels(["Case", "Docs", "Codings"])
        self.case_tree.itemActivated.connect(self._activated)
        self.case_tree.itemClicked.connect(self._activated)
        case_header = self.case_tree.header()
        case_header.setStretchLastSection(False)
        case_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 48), (2, 62)):
            case_header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            case_header.resizeSection(column, width)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.documents, "Documents")
        self.tabs.addTab(self.case_tree, "Cases")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)

    # -- data --------------------------------------------------------------------------------
    def reload(self) -> None:
        self._pending.clear()
        if self.workbench.project is None:
            self.rows, self.cases = [], []
        else:
            self.rows, self.cases = self.workbench.read(overview_service.overview)
        names = sorted({key for row in self.rows for key in row.attributes}, key=str.lower)
        current = self.attribute.currentText()
        self.attribute.blockSignals(True)
        self.attribute.clear()
        self.attribute.addItem(ALL)
        self.attribute.addItems(names)
        self.attribute.setCurrentIndex(max(0, self.attribute.findText(current)))
        self.attribute.blockSignals(False)
        self._attribute_chosen()

    def on_change(self, change: Change | None) -> None:
        if change is None or change.affects("document", "case", "case_document", "attribute", "attribute_value") or (
                change.command is None and change.affects("coding")):
            self.reload()
        elif change.affects("coding"):
            # Recounted on the next turn of the event loop, so coding itself stays instant and
            # a burst of changes (undo of a merge) is counted once.
            self._pending |= coding_stats.documents_touched_by(change)
            self._recount_timer.start()

    def _recount_pending(self) -> None:
        pending, self._pending = self._pending, set()
        if self.workbench.project is not None:
            self.recount(pending)

    def recount(self, document_ids: set[int]) -> None:
        """Update the counts and density of the documents a coding change touched."""
        if not document_ids:
            return
        density = self.workbench.read(lambda s: coding_stats.document_density(s, document_ids=document_ids))
        self.rows = [replace(row, codings=density[row.id].codings, coded_fraction=density[row.id].fraction)
                     if row.id in density else row for row in self.rows]
        by_id = {row.id: row for row in self.rows}
        for i in range(self.documents.topLevelItemCount()):
            item = self.documents.topLevelItem(i)
            row = by_id.get(item.data(0, DOCUMENT_ID_ROLE))
            if row is not None and row.id in density:
                item.setText(2, f"{row.codings:,}")
                item.setData(3, DENSITY_ROLE, row.coded_fraction)
        for i in range(self.case_tree.topLevelItemCount()):
            case_item = self.case_tree.topLevelItem(i)
            total = sum(row.codings for row in self.rows if case_item.text(0) in row.cases)
            case_item.setText(2, f"{total:,}")
            for j in range(case_item.childCount()):
                child = case_item.child(j)
                row = by_id.get(child.data(0, DOCUMENT_ID_ROLE))
                if row is not None:
                    child.setText(2, f"{row.codings:,}")

    def set_filter(self, attribute: str | None, value: str | None = None) -> None:
        self.attribute.setCurrentIndex(max(0, self.attribute.findText(attribute or ALL)))
        if value is not None:
            self.value.setCurrentIndex(max(0, self.value.findText(value)))

    def _attribute_chosen(self) -> None:
        name = self.attribute.currentText()
        current = self.value.currentText()
        self.value.blockSignals(True)
        self.value.clear()
        if name and name != ALL:
            values = sorted({row.attributes[name] for row in self.rows if name in row.attributes}, key=_natural)
            self.value.addItems(values)
            self.value.setCurrentIndex(max(0, self.value.findText(current)))
        self.value.setEnabled(self.value.count() > 0)
        self.value.blockSignals(False)
        self._fill()

    def visible_rows(self) -> list[DocumentRow]:
        name = self.attribute.currentText()
        if not name or name == ALL or not self.value.count():
            return list(self.rows)
        value = self.value.currentText()
        return [row for row in self.rows if row.attributes.get(name) == value]

    def _fill(self) -> None:
        opened = getattr(self.workbench, "open_document_id", None)
        rows = self.visible_rows()
        self.documents.clear()
        for row in rows:
            item = QTreeWidgetItem([row.name, ", ".join(row.cases), f"{row.codings:,}", ""])
            item.setData(0, DOCUMENT_ID_ROLE, row.id)
            item.setData(3, DENSITY_ROLE, row.coded_fraction)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            details = "\n".join(f"{k}: {v}" for k, v in row.attributes.items())
            item.setToolTip(0, f"{row.name} ({row.kind.replace('_', ' ')})" + (f"\n{details}" if details else ""))
            item.setToolTip(3, f"{row.coded_fraction:.0%} of the text is coded")
            self.documents.addTopLevelItem(item)
            if row.id == opened:
                self.documents.setCurrentItem(item)
        shown = {row.id for row in rows}
        self.case_tree.clear()
        names = {row.id: row.name for row in self.rows}
        for case in self.cases:
            documents = [row for row in self.rows if case.name in row.cases and row.id in shown]
            if not documents and len(shown) != len(self.rows):
                continue
            total = sum(row.codings for row in self.rows if case.name in row.cases)
            item = QTreeWidgetItem([case.name, str(case.documents), f"{total:,}"])
            item.setToolTip(0, "\n".join(f"{k}: {v}" for k, v in case.attributes.items()) or case.name)
            for row in documents:
                child = QTreeWidgetItem([names[row.id], "", f"{row.codings:,}"])
                child.setData(0, DOCUMENT_ID_ROLE, row.id)
                item.addChild(child)
            self.case_tree.addTopLevelItem(item)
        self.tabs.setTabText(0, f"Documents ({len(rows)})")
        self.tabs.setTabText(1, f"Cases ({self.case_tree.topLevelItemCount()})")

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        document_id = item.data(0, DOCUMENT_ID_ROLE)
        if document_id is not None:
            self.document_chosen.emit(int(document_id))

    def select_document(self, document_id: int) -> None:
        for i in range(self.documents.topLevelItemCount()):
            item = self.documents.topLevelItem(i)
            if item.data(0, DOCUMENT_ID_ROLE) == document_id:
                self.documents.blockSignals(True)
                self.documents.setCurrentItem(item)
                self.documents.blockSignals(False)


def _natural(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value.lower())

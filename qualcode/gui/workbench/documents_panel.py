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
from qualcode.services.commands import Change, RowChange

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
        self._pending_rows: list[RowChange] = []  # changed coding rows to count in
        # Per document read once: its length and its codings' spans, kept up to date from the
        # coding rows each change carries, so coding never reads the document's codings again.
        self._spans: dict[int, tuple[int, dict[int, tuple[int, int]]]] = {}
        self._document_items: dict[int, QTreeWidgetItem] = {}
        self._case_items: dict[str, QTreeWidgetItem] = {}
        self._case_children: dict[int, list[QTreeWidgetItem]] = {}
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
        if self.workbench.project is not None and self.workbench.put_off_while_opening(self.reload):
            return  # the opened document is chosen in the list when it is filled
        self._pending_rows.clear()
        self._spans.clear()
        if self.workbench.project is None:
            self.rows, self.cases = [], []
        else:
            counts = self.workbench.opening_counts()  # read ahead while the project opens, if it is
            density = counts.density if counts is not None else None
            self.rows, self.cases = self.workbench.read(lambda s: overview_service.overview(s, density=density))
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
        if change is None or change.affects("document", "case", "case_document", "attribute", "attribute_value"):
            self.reload()
            return
        rows = change.row_changes("coding")
        if rows is None:  # others' changes: which codings is not known
            self.reload()
        elif rows:
            # Counted on the next turn of the event loop, so coding itself stays instant and
            # a burst of changes (undo of a merge) is counted once.
            self._pending_rows.extend(rows)
            self._recount_timer.start()

    def _recount_pending(self) -> None:
        rows, self._pending_rows = self._pending_rows, []
        if self.workbench.project is not None and rows:
            self.count_coding_rows(rows)

    def count_coding_rows(self, rows: list[RowChange]) -> None:
        """Update the counts and coded share of the documents whose codings these rows added,
        removed or resized; only a document not seen since the last reload is read."""
        touched = coding_stats.touched(rows, "document_id")
        unseen = touched - set(self._spans)
        coding_stats.apply_span_rows(self._spans, rows)  # documents seen before
        if unseen:  # read as they are now, these changes included
            self._spans.update(self.workbench.read(lambda s: coding_stats.coding_spans(s, unseen)))
        updated = {}
        for document_id in touched & set(self._spans):
            length, spans = self._spans[document_id]
            covered = coding_stats.covered_characters(spans.values())
            updated[document_id] = (len(spans), covered / length if length else 0.0)
        self._show_counts(updated)

    def _show_counts(self, counts: dict[int, tuple[int, float]]) -> None:
        """Documents' new numbers of codings and coded shares, in both lists (and their cases' totals)."""
        if not counts:
            return
        self.rows = [replace(row, codings=counts[row.id][0], coded_fraction=counts[row.id][1])
                     if row.id in counts else row for row in self.rows]
        cases: set[str] = set()
        for row in self.rows:
            if row.id not in counts:
                continue
            cases.update(row.cases)
            item = self._document_items.get(row.id)
            if item is not None:
                item.setText(2, f"{row.codings:,}")
                item.setData(3, DENSITY_ROLE, row.coded_fraction)
                item.setToolTip(3, f"{row.coded_fraction:.0%} of the text is coded")
            for child in self._case_children.get(row.id, ()):
                child.setText(2, f"{row.codings:,}")
        for name in cases:
            case_item = self._case_items.get(name)
            if case_item is not None:
                case_item.setText(2, f"{sum(row.codings for row in self.rows if name in row.cases):,}")

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
        self._document_items, self._case_items, self._case_children = {}, {}, {}
        for row in rows:
            item = QTreeWidgetItem([row.name, ", ".join(row.cases), f"{row.codings:,}", ""])
            item.setData(0, DOCUMENT_ID_ROLE, row.id)
            item.setData(3, DENSITY_ROLE, row.coded_fraction)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            details = "\n".join(f"{k}: {v}" for k, v in row.attributes.items())
            item.setToolTip(0, f"{row.name} ({row.kind.replace('_', ' ')})" + (f"\n{details}" if details else ""))
            item.setToolTip(3, f"{row.coded_fraction:.0%} of the text is coded")
            self.documents.addTopLevelItem(item)
            self._document_items[row.id] = item
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
                self._case_children.setdefault(row.id, []).append(child)
            self._case_items[case.name] = item
            self.case_tree.addTopLevelItem(item)
        self.tabs.setTabText(0, f"Documents ({len(rows)})")
        self.tabs.setTabText(1, f"Cases ({self.case_tree.topLevelItemCount()})")

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        document_id = item.data(0, DOCUMENT_ID_ROLE)
        if document_id is not None:
            self.document_chosen.emit(int(document_id))

    def select_document(self, document_id: int) -> None:
        item = self._document_items.get(document_id)
        if item is not None:
            self.documents.blockSignals(True)
            self.documents.setCurrentItem(item)
            self.documents.blockSignals(False)


def _natural(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value.lower())

"""Text search: a query box, keyword-in-context results, and coding of all (or the selected)
hits to a node in one undoable step, widened to sentence, turn or paragraph if wished."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.errors import QualCodeError
from qualcode.domain.text import plural
from qualcode.gui.analysis.kwic_model import KwicTableModel
from qualcode.gui.analysis.scope_bar import ScopeBar
from qualcode.gui.nodes.node_combo import NodeComboBox
from qualcode.gui.style import ERROR, tone_name
from qualcode.gui.widgets.accessible import named
from qualcode.gui.widgets.elide_delegate import ElideDelegate
from qualcode.services.codebook import nodes as node_service
from qualcode.services.commands import Change
from qualcode.services.queries import search as search_service
from qualcode.services.queries.search import HitRef, SearchResult

CONFIRM_ABOVE = 50  # coding more hits than this (or any not listed) is confirmed first
_UNITS = (("the hit only", "hit"), ("its sentence", "sentence"), ("its speaker turn", "turn"),
          ("its paragraph", "paragraph"))


class SearchPanel(QWidget):
    searched = Signal(object)  # SearchResult

    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.workbench = workbench
        self.result: SearchResult | None = None
        self.limit = search_service.DEFAULT_LIMIT  # hits listed; coding all covers every hit
        self.query = QLineEdit(objectName="searchQuery")
        self.query.setPlaceholderText('Search the text: words, "a phrase", listen*, care AND home, nurse NOT doctor')
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run)
        self.query.setAccessibleName("Text search")
        self.lemmas = QCheckBox("Word forms")
        self.lemmas.setToolTip("Also find other forms of each word: listen finds listening, listened, listens")
        self.search_button = QPushButton("Search")
        self.search_button.clicked.connect(self.run)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.lemmas)
        row.addWidget(self.search_button)
        self.scope_bar = ScopeBar(coders=False)
        self.status = QLabel("", objectName="searchStatus")
        self.status.setWordWrap(True)

        self.model = KwicTableModel()
        self.table = QTableView(objectName="kwicTable")
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move between hits
        self.table.setModel(self.model)
        self.table.setAccessibleName("Search hits in context")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate((130, 60, 80)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._elide_left = ElideDelegate(Qt.TextElideMode.ElideLeft, self.table)
        self.table.setItemDelegateForColumn(3, self._elide_left)
        self.table.doubleClicked.connect(self.jump)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.node = named(NodeComboBox(), "Code hits to")
        self.unit = named(QComboBox(), "Widen each hit to")
        for label, unit in _UNITS:
            self.unit.addItem(label, unit)
        self.code_all = QPushButton("Code all hits")
        self.code_all.clicked.connect(lambda: self.code(selected_only=False))
        self.code_selected = QPushButton("Code selected")
        self.code_selected.clicked.connect(lambda: self.code(selected_only=True))
        coding = QHBoxLayout()
        coding.addWidget(QLabel("Code to"))
        coding.addWidget(self.node, 1)
        coding.addWidget(QLabel("widened to"))
        coding.addWidget(self.unit)
        coding.addWidget(self.code_selected)
        coding.addWidget(self.code_all)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(row)
        layout.addWidget(self.scope_bar)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(coding)
        self._update_buttons()

    # -- searching -----------------------------------------------------------------------------
    def run(self) -> None:
        if self.workbench.project is None:
            return
        text, lemmas, scope = self.query.text(), self.lemmas.isChecked(), self.scope_bar.scope()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self.workbench.read(lambda s: search_service.search_text(s, query=text, lemmas=lemmas,
                                                                              scope=scope, limit=self.limit))
        except QualCodeError as exc:
            self.show_result(None, error=str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.show_result(result)
        self.searched.emit(result)

    def show_result(self, result: SearchResult | None, *, error: str = "") -> None:
        self.result = result
        self.model.set_hits(result.hits if result else [])
        if error:
            self.status.setText(f"<span style='color:{tone_name(*ERROR)}'>{error}</span>")
        elif result is None:
            self.status.setText("")
        else:
            hits = plural(result.total_hits, 'hit')
            docs = plural(result.document_count, 'document')
            more = (f" — the first {len(result.hits):,} are listed; “Code all hits” codes all {result.total_hits:,}"
                    if result.truncated else "")
            self.status.setText(f"{hits} in {docs} for <b>{result.searched}</b>{more}")
        self._update_buttons()

    def jump(self, index: QModelIndex) -> None:
        if index.isValid():
            hit = self.model.hits[index.row()]
            self.workbench.show_span(hit.document_id, hit.start, hit.end)

    # -- coding hits ---------------------------------------------------------------------------
    def every_hit(self) -> list[HitRef]:
        """Every hit the search found, listed or not."""
        return list(self.result.every_hit) if self.result is not None else []

    def selected_hits(self) -> list[HitRef]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [HitRef(h.document_id, h.start, h.end) for h in (self.model.hits[r] for r in rows)]

    def code(self, *, selected_only: bool) -> Change | None:
        node_id, coder_id, unit = self.node.node_id(), self.workbench.coder_id, self.unit.currentData()
        hits = self.selected_hits() if selected_only else self.every_hit()
        if node_id is None or coder_id is None or not hits:
            return None
        if len(hits) > CONFIRM_ABOVE or len(hits) > len(self.model.hits):
            unit_text = "" if unit == "hit" else f" (widened to {self.unit.currentText()})"
            answer = QMessageBox.question(
                self, "Code search hits",
                f"Code {len(hits):,} hits{unit_text} to “{self.node.currentText().strip()}”?\n\n"
                "It is one step you can undo with Ctrl+Z.",
                QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Ok)
            if answer != QMessageBox.StandardButton.Ok:
                return None
        change: Change | None = self.workbench.execute(
            lambda s: search_service.code_hits(s, hits=hits, node_id=node_id, coder_id=coder_id, unit=unit))
        if change is not None:
            added = int(change.result)
            skipped = len(hits) - added
            note = f" ({skipped:,} already coded or merged)" if skipped > 0 else ""
            self.status.setText(f"Coded {plural(added, 'passage')} to "
                                f"<b>{self.node.currentText().strip()}</b>{note}. Undo with Ctrl+Z.")
        return change

    def _update_buttons(self) -> None:
        has_hits = bool(self.model.hits) and self.node.count() > 0
        self.code_all.setEnabled(has_hits)
        self.code_selected.setEnabled(has_hits and self.table.selectionModel().hasSelection())

    # -- keeping up with the project -----------------------------------------------------------
    def refresh_nodes(self) -> None:
        if self.workbench.project is None:
            self.node.set_nodes([])
        else:
            self.node.set_nodes(self.workbench.read(node_service.list_nodes))
        self._update_buttons()

    def on_change(self, change: Change | None) -> None:
        if change is None:
            self.show_result(None)
            self.refresh_nodes()
            return
        if change.affects("node"):
            self.refresh_nodes()
        if self.result is not None and change.affects("document", "case_document", "attribute_value"):
            self.run()  # the text moved under the hits: search again so offsets stay true

"""Retrieval: all passages coded to the chosen node (and, by default, everything below it),
with document, participant and coder; the words around the selected one; double-click jumps
to it in the viewer; the list exports to CSV. A feature may list its own tagged passages here
instead (a `PassageSource`, e.g. CMO evidence) until a node is chosen again; a passage's
context menu offers the features' actions on its coding."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.errors import QualCodeError
from qualcode.domain.text import plural
from qualcode.gui.contributions import PassageSource, SpanMark
from qualcode.gui.style import tone_name
from qualcode.gui.widgets.export_files import ask_save_path
from qualcode.gui.widgets.table_setup import beside
from qualcode.gui.workbench.retrieval_model import SegmentTableModel
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import coding_stats, retrieval
from qualcode.services.coding.retrieval import Segment
from qualcode.services.commands import Change


class RetrievalPanel(QWidget):
    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retrievalPanel")
        self.workbench = workbench
        self.node_id: int | None = None
        self.source: PassageSource | None = None
        self._layer_marks: dict[int, list[tuple[str, SpanMark]]] = {}  # per document, until the next change
        self._subtree: set[int] = set()
        self._name, self._noun = "", "passage"  # what the listing shows, for its title
        self.title = QLabel("Choose a node to see every passage coded to it.", objectName="sectionLabel")
        self.descendants = QCheckBox("Include sub-themes and codes")
        self.descendants.setChecked(True)
        self.descendants.toggled.connect(lambda _on: self.refresh())
        self.no_interviewer = QCheckBox("Leave out the interviewer")
        self.no_interviewer.setToolTip("Drop the turns marked as the interviewer's at import from each passage")
        self.no_interviewer.toggled.connect(lambda _on: self.refresh())
        self.export_button = QToolButton(objectName="panelButton")
        self.export_button.setText("Export CSV…")
        self.export_button.clicked.connect(self.export_dialog)
        self.export_button.setEnabled(False)
        top = QHBoxLayout()
        top.setContentsMargins(8, 5, 6, 5)
        top.addWidget(self.title, 1)
        top.addWidget(self.descendants)
        top.addWidget(self.no_interviewer)
        top.addWidget(self.export_button)

        self.model = SegmentTableModel()
        self.table = QTableView()
        self.table.setObjectName("segmentTable")
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move between passages
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        widths = (22, 150, 60, 120, 150)
        for column, width in enumerate(widths):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.jump)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_menu)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._preview(current))
        self.preview = QTextBrowser(objectName="contextPreview")
        self.preview.setOpenLinks(False)
        split = beside(self.table, self.preview)
        split.setSizes([620, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def show_node(self, node_id: int | None) -> None:
        if node_id is not None and node_id == self.node_id and self.source is None:
            return  # already listed (and kept up to date by on_change): the reader keeps their place
        self.node_id = node_id
        self.source = None
        self.refresh()

    def show_passages(self, source: PassageSource) -> None:
        self.node_id = None
        self.source = source
        self.refresh()

    def refresh(self) -> None:
        node_id, source = self.node_id, self.source
        self.descendants.setEnabled(source is None)
        if (node_id is None and source is None) or self.workbench.project is None:
            self.model.set_segments([])
            self.title.setText("Choose a node to see every passage coded to it.")
            self.export_button.setEnabled(False)
            self.preview.clear()
            return
        include = self.descendants.isChecked()
        quiet = self.no_interviewer.isChecked()
        try:
            if source is not None:
                name, noun, segments = source.title, source.noun, self.workbench.read(lambda s: source.fetch(s, quiet))
            else:
                assert node_id is not None
                noun = "passage"
                name, segments, self._subtree = self.workbench.read(lambda s: (
                    f"“{node_service.get_node(s, node_id).name}”",
                    retrieval.retrieve_segments(s, node_id=node_id, include_descendants=include,
                                                exclude_interviewer=quiet),
                    set(node_service.descendant_ids(s, node_id)) if include else {node_id}))
        except QualCodeError:
            self.show_node(None)
            return
        self.model.set_segments(segments, label="Node" if source is None else "Tagged as")
        self._name, self._noun = name, noun
        self._show_totals()
        if segments:
            self.table.selectRow(0)
        else:
            self.preview.clear()

    def _show_totals(self) -> None:
        segments = self.model.segments
        documents = len({s.document_id for s in segments})
        self.title.setText(f"{self._name}: {plural(len(segments), self._noun)} in {plural(documents, 'document')}")
        self.export_button.setEnabled(bool(segments))

    def _update_codings(self, coding_ids: frozenset[int], now: dict[int, dict[str, Any] | None]) -> None:
        """After a change to a few codings of the node shown: their rows go, and those listed
        now (`now`: each coding's row as the change left it) are read, with their context,
        and put in their places. A coding only removed is not read at all."""
        quiet = self.no_interviewer.isChecked()
        wanted = sorted(i for i, row in now.items() if row is not None and row["node_id"] in self._subtree)
        segments = self.workbench.read(lambda s: retrieval.segments_of_codings(
            s, wanted, exclude_interviewer=quiet)) if wanted else []
        shown = self.current_segment()
        self.model.update_codings(coding_ids, segments)
        self._show_totals()
        if self.current_segment() != shown:
            self._preview(self.table.currentIndex())

    def on_change(self, change: Change | None) -> None:
        self._layer_marks.clear()
        if change is None:
            self.show_node(None)
        elif self.source is not None:
            if change.affects(*self.source.tables, "document", "case", "case_document", "coder"):
                self.refresh()
        elif self.node_id is None:
            return
        elif change.affects("node", "document", "case", "case_document", "coder", "turn") or (rows := change.row_changes("coding")) is None:
            self.refresh()
        elif coding_stats.nodes_touched_by(change) & self._subtree:
            self._update_codings(change.ids("coding"), {row.key[0]: row.after for row in rows})

    def _preview(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.preview.clear()
            return
        s = self.model.segments[index.row()]
        who = " · ".join(part for part in (s.document_name, s.participants, s.coder_name) if part)
        grey, quiet = tone_name("#5f6b78", "#a3adb8"), tone_name("#7a8591", "#8e99a5")
        memo = f"<p style='color:{grey}'><i>Memo: {escape(s.memo)}</i></p>" if s.memo else ""
        strong = tone_name("#34495e", "#c3cbd4")
        detail = f"<p style='color:{strong}'>{escape(s.detail)}</p>" if s.detail else ""
        body = (f"<span style='color:{quiet}'>{escape(s.before)}</span>"
                f"<span style='background:#fdf0c2;color:#1b2530'>{escape(s.text)}</span>"
                f"<span style='color:{quiet}'>{escape(s.after)}</span>").replace("\n", "<br/>")
        self.preview.setHtml(f"<p style='color:{grey};font-size:9pt'>{escape(who)} · {escape(s.node_name)}</p>"
                             f"{detail}{self._layer_notes(s)}<p style='font-family:\"DejaVu Serif\";line-height:140%'>{body}</p>{memo}")

    def layers_changed(self) -> None:
        """A viewer layer was shown or hidden: describe the current passage again."""
        self._layer_marks.clear()
        self._preview(self.table.currentIndex())

    def _layer_notes(self, segment: Segment) -> str:
        """What the viewer's layers (e.g. CMO evidence) mark on a coded passage, one line each."""
        if self.source is not None or self.workbench.project is None:
            return ""
        document_id = segment.document_id
        if document_id not in self._layer_marks:  # read once per document, not on every row
            layers = self.workbench.viewer_layers
            self._layer_marks[document_id] = self.workbench.read(lambda s: [
                (name, mark) for name, provider in layers.items() for mark in provider(s, document_id)])
        marked = [(name, mark) for name, mark in self._layer_marks[document_id]
                  if mark.start < segment.end and segment.start < mark.end]
        return "".join(f"<p style='font-size:9pt;margin:2px 0'><span style='color:{mark.color}'>■</span> "
                       f"{escape(name)}: {escape(' · '.join(mark.tooltip.splitlines()[:2]) or mark.label)}</p>"
                       for name, mark in marked)

    def current_segment(self) -> Segment | None:
        index = self.table.currentIndex()
        return self.model.segments[index.row()] if index.isValid() else None

    def jump(self, index: QModelIndex | None = None) -> None:
        row = index.row() if index is not None and index.isValid() else self.table.currentIndex().row()
        if 0 <= row < len(self.model.segments):
            segment = self.model.segments[row]
            self.workbench.show_span(segment.document_id, segment.start, segment.end)

    def passage_menu(self, row: int) -> QMenu:
        """The context menu of one listed passage: jump to it, and the features' actions on its
        coding (a tagged passage that is not a coding has none)."""
        menu = QMenu(self)
        segment = self.model.segments[row]
        menu.addAction("Show in transcript",
                       lambda: self.workbench.show_span(segment.document_id, segment.start, segment.end))
        coding_id = segment.coding_id
        if coding_id is not None and self.workbench.coding_actions:
            menu.addSeparator()
            for text, handler in self.workbench.coding_actions:
                menu.addAction(text, lambda handler=handler: handler(coding_id))
        menu.addSeparator()
        menu.addAction("Export CSV…", self.export_dialog)
        return menu

    def _show_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self.table.selectRow(index.row())
            self.passage_menu(index.row()).popup(self.table.viewport().mapToGlobal(position))

    def export_dialog(self) -> None:
        path = ask_save_path(self, "Export passages", "coded-passages.csv", "CSV files (*.csv)")
        if path is not None:
            self.export(path)

    def export(self, path: Path) -> Path | None:
        try:
            written = retrieval.export_segments_csv(self.model.segments, path)
        except QualCodeError as exc:
            self.workbench.show_error(str(exc))
            return None
        self.workbench.status_message(f"Exported {len(self.model.segments)} passages to {written}")
        return written

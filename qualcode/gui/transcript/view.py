"""The transcript viewer in the centre of the window: a header (document, participant, size,
which coders are shown) over the read-only text with its coding stripes and layer labels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from qualcode.domain.levels import Level
from qualcode.gui.appearance import appearance
from qualcode.gui.contributions import SpanMark, TextSelection
from qualcode.gui.settings import app_settings
from qualcode.gui.transcript.coder_filter import CoderFilterButton
from qualcode.gui.transcript.coding_marks import CodingMark, LayerMark, assign_lanes, insert_mark
from qualcode.gui.transcript.coding_stripes import CodingStripes
from qualcode.gui.transcript.document import build_transcript_document
from qualcode.gui.transcript.editor import TranscriptEditor
from qualcode.gui.transcript.find_bar import FindBar
from qualcode.gui.transcript.layer_margin import LayerMargin
from qualcode.gui.transcript.text_offsets import OffsetMap
from qualcode.gui.transcript.time_margin import TimeMargin
from qualcode.services import coders as coder_service
from qualcode.services import documents as document_service
from qualcode.services import viewer_data
from qualcode.services.codebook import nodes as node_service
from qualcode.services.codebook.nodes import NodeInfo
from qualcode.services.coders import CoderInfo
from qualcode.services.commands import Change
from qualcode.services.viewer_data import SpanCoding

LayerProvider = Callable[[Any, int], list[SpanMark]]
ZOOM_MIN, ZOOM_MAX, ZOOM_STEP = 0.6, 2.5, 0.1


def node_paths(nodes: list[NodeInfo]) -> dict[int, str]:
    by_id = {n.id: n for n in nodes}
    paths: dict[int, str] = {}
    for node in nodes:  # parents come before children (list_nodes order)
        parent = paths.get(node.parent_id) if node.parent_id is not None else None
        paths[node.id] = f"{parent} › {node.name}" if parent else node.name
    return {i: paths.get(i, by_id[i].name) for i in by_id}


class TranscriptView(QWidget):
    document_opened = Signal(int)
    coding_picked = Signal(int)  # a coding chosen in the stripes margin

    def __init__(self, workbench: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.document_id: int | None = None
        self.document_name = ""
        self._codings: dict[int, SpanCoding] = {}
        self._nodes: dict[int, NodeInfo] = {}
        self._vocabulary_stale = True  # node names, colours and coders need reading
        self._paths: dict[int, str] = {}
        self._coders: dict[int, CoderInfo] = {}
        self._participants: list[str] = []
        self._words = 0
        self._layer_marks: dict[str, list[LayerMark]] = {}  # per layer, for the open document

        self.title = QLabel("", objectName="viewerTitle")
        self.subtitle = QLabel("", objectName="viewerSubtitle")
        self.coder_filter = CoderFilterButton()
        self.coder_filter.filter_changed.connect(lambda _ids: self._show_codings())
        header = QWidget(objectName="viewerHeader")
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(18, 10, 12, 9)
        titles = QVBoxLayout()
        titles.setSpacing(1)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header_layout.addLayout(titles, 1)
        header_layout.addWidget(self.coder_filter, 0, Qt.AlignmentFlag.AlignVCenter)

        self.editor = TranscriptEditor()
        self.time_margin = TimeMargin(self.editor)
        self.layer_margin = LayerMargin(self.editor)
        self.stripes = CodingStripes(self.editor)
        self.stripes.coding_clicked.connect(self.pick_coding)

        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(0)
        self.find_bar = FindBar(self.editor)
        page_layout.addWidget(header)
        page_layout.addWidget(self.find_bar)
        page_layout.addWidget(self.editor, 1)
        self.empty = QLabel("Open a document from the Documents panel to read and code it.", objectName="emptyHint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        appearance().restyled.connect(self._restyled)

    def _restyled(self, _dark: bool) -> None:
        """Speaker labels and quieter interviewer turns are coloured for the light or dark look."""
        self._reopen()

    # -- reading comfort -----------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        """The text size as a factor of the usual one, remembered between sessions."""
        value = app_settings().value("viewer/zoom", 1.0)
        try:
            return min(ZOOM_MAX, max(ZOOM_MIN, float(value)))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return 1.0

    def set_zoom(self, zoom: float) -> None:
        zoom = round(min(ZOOM_MAX, max(ZOOM_MIN, zoom)), 2)
        app_settings().setValue("viewer/zoom", zoom)
        self._reopen()
        self.workbench.status_message(f"Text size {round(zoom * 100)} %", 2000)

    def _reopen(self) -> None:
        """Lay the open transcript out again (new text size or colours), keeping the selection
        and the place read."""
        if self.document_id is None or self.workbench.project is None:
            return
        cursor = self.editor.textCursor()
        start, end = (self.editor.offsets.to_model(cursor.selectionStart()),
                      self.editor.offsets.to_model(cursor.selectionEnd()))
        bar = self.editor.verticalScrollBar()
        place = bar.value() / max(bar.maximum(), 1)
        self.open_document(self.document_id)
        self.select(start, end)
        if start == end:
            bar.setValue(round(place * bar.maximum()))

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom + ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom - ZOOM_STEP)

    def zoom_reset(self) -> None:
        self.set_zoom(1.0)

    # -- loading -----------------------------------------------------------------------------
    def clear(self) -> None:
        self.document_id = None
        self.editor.document_id = None
        self.editor.setPlainText("")
        self.editor.set_codings([], 0)
        self.editor.set_layer_marks([])
        self._layer_marks.clear()
        self.time_margin.set_times([])
        self.stack.setCurrentWidget(self.empty)
        self._vocabulary_stale = True

    def open_document(self, document_id: int) -> None:
        loaded = self.workbench.read(lambda s: viewer_data.transcript(s, document_id))
        if self._vocabulary_stale:
            self.refresh_vocabulary()
        self.document_id = document_id
        self.document_name = loaded.name
        self._participants = loaded.participants
        self._words = len(loaded.text.split())
        offsets = OffsetMap(loaded.text)
        self.editor.offsets = offsets
        self.editor.document_id = document_id
        self._codings = {c.id: c for c in loaded.codings}
        # What sets the margins' widths comes first, so the transcript is laid out once, at the
        # width it is shown at; the transcript itself comes last, so the frame that shows it is
        # drawn before Qt goes on laying out the rest of it in the background.
        self.time_margin.set_times([(offsets.to_qt(t.start), t.timestamp) for t in loaded.turns
                                    if t.timestamp is not None and 0 <= t.start <= offsets.length])
        self.stack.setCurrentIndex(1)
        self._show_codings()
        self._layer_marks.clear()
        self.refresh_layers()
        document = build_transcript_document(loaded.text, loaded.turns, offsets, loaded.interviewers,
                                             zoom=self.zoom)
        self.editor.show_document(document)
        self.find_bar.refresh()
        self.document_opened.emit(document_id)

    def refresh_vocabulary(self) -> None:
        """Reload node names/colours and coders (after nodes or coders changed)."""
        nodes, coders = self.workbench.read(lambda s: (node_service.list_nodes(s), coder_service.list_coders(s)))
        self._nodes = {n.id: n for n in nodes}
        self._paths = node_paths(nodes)
        self._coders = {c.id: c for c in coders}
        self.coder_filter.set_coders(coders, self.workbench.coder_id)
        self._vocabulary_stale = False

    def refresh_codings(self) -> None:
        if self.document_id is None:
            return
        document_id = self.document_id
        self._codings = {c.id: c for c in self.workbench.read(lambda s: viewer_data.document_codings(s, document_id))}
        self._show_codings()

    def apply_coding_change(self, change: Change) -> None:
        """Update the shown codings from a change to codings: only the touched ones change (as
        the change's rows say they are now, else read again), and new ones take a free lane
        without moving the others."""
        touched = change.ids("coding")
        rows = change.row_changes("coding")
        if rows is not None:
            now = {row.key[0]: row.after for row in rows}  # the last image of each row counts
            fresh = [viewer_data.span_coding(image) for image in now.values()
                     if image is not None and image["document_id"] == self.document_id]
        else:
            fresh = [c for c in self.workbench.read(lambda s: viewer_data.codings_by_id(s, touched))
                     if c.document_id == self.document_id]
        for coding_id in touched:
            self._codings.pop(coding_id, None)
        # Only the lines of the spans that come and go are drawn again.
        changed = [(m.start, m.end) for m in self.editor.marks if m.coding_id in touched]
        marks = [m for m in self.editor.marks if m.coding_id not in touched]
        lanes = self.editor.lanes
        wanted = self.coder_filter.coder_ids()
        for coding in fresh:
            self._codings[coding.id] = coding
            if wanted is None or coding.coder_id in wanted:
                mark = self._mark(coding)
                lanes = max(lanes, insert_mark(marks, mark) + 1)
                changed.append((mark.start, mark.end))
        self.editor.set_codings(marks, lanes, changed)
        self._update_header(len(marks))

    def refresh_layers(self, names: list[str] | None = None) -> None:
        """Read the marks of the shown layers again (only `names`, when given) and draw them."""
        if self.document_id is None:
            return
        offsets = self.editor.offsets
        document_id = self.document_id
        layers = self.workbench.viewer_layers
        for name, provider in list(layers.items()):
            if names is not None and name in self._layer_marks and name not in names:
                continue
            marks: list[LayerMark] = []
            self._layer_marks[name] = marks
            try:
                spans = self.workbench.read(lambda s, p=provider: p(s, document_id))
            except Exception as exc:  # a feature layer must never break the viewer
                self.workbench.status_message(f"The '{name}' layer could not be drawn: {exc}")
                continue
            for span in spans:
                if 0 <= span.start < span.end <= offsets.length:
                    marks.append(LayerMark(name, offsets.to_qt(span.start), offsets.to_qt(span.end), span.label,
                                           span.color, span.tooltip))
        self.editor.set_layer_marks([mark for name in layers for mark in self._layer_marks.get(name, ())])

    def on_change(self, change: Change | None) -> None:
        """Refresh what a change touched."""
        if change is not None and change.affects("node", "coder"):
            self._vocabulary_stale = True
        if change is None or self.document_id is None:
            return
        if change.affects("node", "coder"):
            self.refresh_vocabulary()
        if change.affects("document", "turn", "case", "case_document"):
            if change.affects("document") and self.document_id in change.ids("document"):
                exists = self.document_id in self.workbench.read(document_service.document_ids)
                if not exists:
                    self.clear()
                    return
            self.open_document(self.document_id)
            return
        if change.affects("coding"):  # first: an undone "create a code and apply it" drops its coding
            if change.ids("coding"):
                self.apply_coding_change(change)
            else:
                self.refresh_codings()
        if change.affects("node", "coder"):
            self._show_codings()  # names, colours and paths of what is shown
        stale = [name for name in self.workbench.viewer_layers if self.workbench.layer_redraw_needed(name, change)]
        if stale:
            self.refresh_layers(stale)

    # -- showing codings ---------------------------------------------------------------------
    def _mark(self, c: SpanCoding) -> CodingMark:
        offsets = self.editor.offsets
        node = self._nodes.get(c.node_id)
        coder = self._coders.get(c.coder_id)
        name = node.name if node else ""
        return CodingMark(c.id, offsets.to_qt(c.start), offsets.to_qt(c.end), c.node_id, name,
                          self._paths.get(c.node_id, name), node.color if node else "#4e79a7", c.coder_id,
                          coder.name if coder else "", c.memo, c.exemplar)

    def _show_codings(self) -> None:
        wanted = self.coder_filter.coder_ids()
        marks = [self._mark(c) for c in self._codings.values() if wanted is None or c.coder_id in wanted]
        ordered, lanes = assign_lanes(marks)
        self.editor.set_codings(ordered, lanes)
        self._update_header(len(ordered))

    def _update_header(self, shown: int) -> None:
        self.title.setText(self.document_name)
        parts = []
        if self._participants:
            parts.append(", ".join(self._participants))
        parts.append(f"{self._words:,} words")
        total = len(self._codings)
        parts.append(f"{total:,} codings" if shown == total else f"{shown:,} of {total:,} codings shown")
        self.subtitle.setText("  ·  ".join(parts))

    @property
    def shown_marks(self) -> list[CodingMark]:
        return list(self.editor.marks)

    def node_level(self, node_id: int) -> Level | None:
        node = self._nodes.get(node_id)
        return node.level if node else None

    # -- selection ---------------------------------------------------------------------------
    def selection(self) -> TextSelection | None:
        if self.document_id is None:
            return None
        cursor = self.editor.textCursor()
        if not cursor.hasSelection():
            return None
        offsets = self.editor.offsets
        start, end = offsets.to_model(cursor.selectionStart()), offsets.to_model(cursor.selectionEnd())
        if end <= start:
            return None
        return TextSelection(self.document_id, start, end)

    def cursor_offset(self) -> int | None:
        if self.document_id is None:
            return None
        cursor = self.editor.textCursor()
        position = cursor.selectionStart() if cursor.hasSelection() else cursor.position()
        return min(self.editor.offsets.to_model(position), max(self.editor.offsets.length - 1, 0))

    def select(self, start: int, end: int) -> None:
        """Select model offsets [start, end) and scroll them into view, a third down the page."""
        offsets = self.editor.offsets
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(offsets.to_qt(max(0, min(start, offsets.length))))
        cursor.setPosition(offsets.to_qt(max(0, min(end, offsets.length))), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        rect = self.editor.cursorRect(cursor)
        bar = self.editor.verticalScrollBar()
        head = QTextCursor(cursor)
        head.setPosition(cursor.selectionStart())
        top = self.editor.cursorRect(head).top()
        if top < 0 or rect.bottom() > self.editor.viewport().height():
            bar.setValue(bar.value() + top - self.editor.viewport().height() // 3)
        self.editor.setFocus()

    def pick_coding(self, coding_id: int) -> None:
        for mark in self.editor.marks:
            if mark.coding_id == coding_id:
                offsets = self.editor.offsets
                self.select(offsets.to_model(mark.start), offsets.to_model(mark.end))
                self.coding_picked.emit(coding_id)
                return

    def codings_at_cursor(self) -> list[CodingMark]:
        """Shown codings covering the cursor (or overlapping the selection)."""
        cursor = self.editor.textCursor()
        if cursor.hasSelection():
            start, end = cursor.selectionStart(), cursor.selectionEnd()
            return [m for m in self.editor.marks if m.start < end and m.end > start]
        return self.editor.coding_marks_at(cursor.position())

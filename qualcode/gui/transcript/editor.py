"""The read-only transcript text with coding highlights painted over it.

Each coding is a light wash of its node's colour behind the words plus an underline in the
full colour; overlapping codings on a line get stacked underlines, and the coding-stripes
margin (right) shows every coding as a bar in its own lane. Feature layers (e.g. CMO
evidence) are drawn differently: a dashed outline around the span with a label in the left
margin. Only the visible lines are ever measured or painted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from html import escape

import shiboken6
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextLine,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from qualcode.gui.style import is_dark, readable, tone_name
from qualcode.gui.transcript.coding_marks import CodingMark, LayerMark, marks_in
from qualcode.gui.transcript.margin import Margin
from qualcode.gui.transcript.text_offsets import OffsetMap

PASSAGE_MIME = "application/x-qualcode-passage"
WASH_ALPHA = 52
DARK_WASH_ALPHA = 64  # a little more tint on the dark background, text still light on it
UNDERLINE_SLOTS = 3
_UNDERLINE_DEPTH = 2 + UNDERLINE_SLOTS * 4  # how far below a line its underlines reach (pixels)


class TranscriptEditor(QTextEdit):
    context_menu_requested = Signal(QPoint, int)  # global position, Qt position under the mouse

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setMouseTracking(True)
        self.document_id: int | None = None
        self.offsets = OffsetMap("")
        self.marks: list[CodingMark] = []
        self._starts: list[int] = []
        self.lanes = 0
        self.layer_marks: list[LayerMark] = []
        self._layer_starts: list[int] = []
        self._margins: list[QWidget] = []
        self._margin_widths = (-1, -1)
        self._shown: QTextDocument | None = None  # the transcript's document this editor made it show
        self.snap_to_words = False  # a selection made with the mouse grows to whole words
        self.verticalScrollBar().valueChanged.connect(self._update_margins)

    # -- content ---------------------------------------------------------------------------
    def show_document(self, document: QTextDocument) -> None:
        """Show a transcript's document, laid out at once at the width it is shown at, and let
        the one shown before go: QTextEdit keeps a document it was handed, even one whose
        parent it is, so each transcript opened stayed in memory and went on being laid out."""
        previous, self._shown = self._shown, document
        document.setParent(self)
        # Else its first lines are laid out unwrapped as the editor takes it, then again.
        document.setTextWidth(self.viewport().width())
        self.setDocument(document)
        if previous is not None and previous is not document:
            shiboken6.delete(previous)

    def set_codings(self, marks: Sequence[CodingMark], lanes: int,
                    changed: Sequence[tuple[int, int]] | None = None) -> None:
        """Marks sorted by start (see coding_marks.assign_lanes). `changed`: the only spans (Qt
        positions) whose highlights differ from before, so only their lines are drawn again."""
        self.marks = list(marks)
        self._starts = [m.start for m in self.marks]
        redraw_all = changed is None or lanes != self.lanes
        self.lanes = lanes
        if redraw_all:
            self.viewport().update()
        else:
            self._update_spans(changed or ())
        self.relayout_margins()
        self._update_margins()

    def _update_spans(self, spans: Sequence[tuple[int, int]]) -> None:
        """Draw again the lines these spans cover (their washes and the underlines below them)."""
        visible = self.visible_range()
        width = self.viewport().width()
        for start, end in spans:
            extent = self.vertical_extent(start, end, visible)
            if extent is not None:
                top, bottom = extent
                self.viewport().update(0, int(top) - 2, width, int(bottom - top) + 4 + _UNDERLINE_DEPTH)

    def set_layer_marks(self, marks: Sequence[LayerMark]) -> None:
        self.layer_marks = sorted(marks, key=lambda m: (m.start, m.end))
        self._layer_starts = [m.start for m in self.layer_marks]
        self.viewport().update()
        self.relayout_margins()
        self._update_margins()

    def add_margin(self, widget: QWidget) -> None:
        self._margins.append(widget)
        self.relayout_margins()

    def _update_margins(self) -> None:
        for margin in self._margins:
            margin.update()

    def relayout_margins(self) -> None:
        left = sum(m.margin_width() for m in self._margins if isinstance(m, Margin) and m.side == "left")
        right = sum(m.margin_width() for m in self._margins if isinstance(m, Margin) and m.side == "right")
        if (left, right) != self._margin_widths:
            self._margin_widths = (left, right)
            self.setViewportMargins(left, 0, right, 0)
        # Beside the viewport, in the room its margins leave: not over the scroll bar.
        rect = self.viewport().geometry()
        x_left, x_right = rect.left() - left, rect.right() + 1
        for margin in self._margins:
            width = margin.margin_width() if isinstance(margin, Margin) else 0
            if getattr(margin, "side", "right") == "left":
                margin.setGeometry(x_left, rect.top(), width, rect.height())
                x_left += width
            else:
                margin.setGeometry(x_right, rect.top(), width, rect.height())
                x_right += width

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout_margins()

    # -- geometry ----------------------------------------------------------------------------
    def visible_range(self, within: QRect | None = None) -> tuple[int, int]:
        """Qt positions of the first and last characters on screen (or in the band of the
        viewport `within` covers, with the underlines of the line above it)."""
        viewport = self.viewport().rect()
        top, bottom = 0, viewport.height()
        if within is not None:
            top, bottom = max(0, within.top() - _UNDERLINE_DEPTH), min(bottom, within.bottom() + 1)
        first = self.cursorForPosition(QPoint(0, top)).position()
        last = self.cursorForPosition(QPoint(viewport.width(), bottom)).position()
        return first, last + 1

    def _scroll(self) -> QPointF:
        return QPointF(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())

    def visible_lines(self, within: QRect | None = None) -> Iterator[tuple[int, int, QRectF, QTextBlock, QTextLine]]:
        """(start, end, rect in viewport coordinates, block, line) of each line on screen (or
        of those in the band `within` covers)."""
        first, last = self.visible_range(within)
        document = self.document()
        layout = document.documentLayout()
        offset = self._scroll()
        block = document.findBlock(first)
        height = self.viewport().height()
        while block.isValid() and block.position() <= last:
            text_layout = block.layout()
            top_left = layout.blockBoundingRect(block).topLeft() + offset
            for i in range(text_layout.lineCount()):
                line = text_layout.lineAt(i)
                rect = line.rect().translated(top_left)
                if rect.bottom() < 0 or rect.top() > height:
                    continue
                start = block.position() + line.textStart()
                yield start, start + line.textLength(), rect, block, line
            block = block.next()

    def span_line_rects(self, start: int, end: int) -> list[QRectF]:
        """Rectangles (viewport coordinates) covering [start, end) on the visible lines."""
        rects = []
        for line_start, line_end, rect, block, line in self.visible_lines():
            if start < line_end and end > line_start:
                rects.append(_segment(block, line, rect, max(start, line_start), min(end, line_end)))
        return rects

    def vertical_extent(self, start: int, end: int, visible: tuple[int, int] | None = None
                        ) -> tuple[float, float] | None:
        """Top and bottom (viewport coordinates) of the lines spanned by [start, end), clipped
        to the viewport; None when none of it is on screen. `visible` is `visible_range()`."""
        first, last = visible or self.visible_range()
        if end <= first or start >= last:
            return None
        height = float(self.viewport().height())
        top = 0.0 if start < first else float(self.cursorRect(self._cursor_at(start)).top())
        if end > last:
            bottom = height
        else:
            rect = self.cursorRect(self._cursor_at(max(start, end - 1)))
            bottom = float(rect.bottom())
        return max(top, 0.0), min(bottom, height)

    def _cursor_at(self, position: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(max(0, min(position, self.document().characterCount() - 1)))
        return cursor

    def char_at(self, point: QPoint) -> int:
        """The Qt position of the character under a viewport point."""
        cursor = self.cursorForPosition(point)
        position = cursor.position()
        if point.x() < self.cursorRect(cursor).x() and position > 0:
            position -= 1
        return position

    # -- focus -------------------------------------------------------------------------------
    # Qt draws a whole widget again when it gains or loses the keyboard focus (for styles that
    # frame the focused widget), so every click into the node tree after selecting text drew
    # the whole transcript and its margins again. Nothing here looks different with the focus
    # but the selection and the cursor, which the text control draws again by itself.
    def focusInEvent(self, event: QFocusEvent) -> None:
        with self._frame_not_drawn():
            super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        with self._frame_not_drawn():
            super().focusOutEvent(event)

    @contextmanager
    def _frame_not_drawn(self) -> Iterator[None]:
        # The attribute itself, not setUpdatesEnabled, which passes to the viewport (where the
        # selection is drawn) and draws everything again when it is turned back on.
        self.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, True)
        try:
            yield
        finally:
            self.setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, False)

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        # Only the lines in the part being drawn: after one coding, that is a line or two.
        lines = list(self.visible_lines(event.rect())) if self.marks or self.layer_marks else []
        if self.marks and lines:
            painter = QPainter(self.viewport())
            alpha = DARK_WASH_ALPHA if is_dark() else WASH_ALPHA
            for line_start, line_end, rect, block, line in lines:
                for mark in marks_in(self.marks, self._starts, line_start, line_end):
                    wash = QColor(mark.color)
                    wash.setAlpha(alpha)
                    painter.fillRect(_segment(block, line, rect, max(mark.start, line_start),
                                              min(mark.end, line_end)), wash)
            painter.end()
        super().paintEvent(event)
        if not lines:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        line_color = readable if is_dark() else QColor  # thin lines brightened on the dark look
        for line_start, line_end, rect, block, line in lines:
            on_line = sorted(marks_in(self.marks, self._starts, line_start, line_end), key=lambda m: m.lane)
            for slot, mark in enumerate(on_line[:UNDERLINE_SLOTS]):
                segment = _segment(block, line, rect, max(mark.start, line_start), min(mark.end, line_end))
                y = rect.bottom() + 2.0 + slot * 3.2
                painter.setPen(QPen(line_color(mark.color), 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
                painter.drawLine(QPointF(segment.left(), y), QPointF(segment.right(), y))
            for mark in marks_in(self.layer_marks, self._layer_starts, line_start, line_end):  # type: ignore[arg-type]
                segment = _segment(block, line, rect, max(mark.start, line_start), min(mark.end, line_end))
                pen = QPen(line_color(mark.color), 1.4, Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(segment.adjusted(-2, -1.5, 2, 1.5), 3, 3)
        painter.end()

    # -- interaction -------------------------------------------------------------------------
    def coding_marks_at(self, position: int) -> list[CodingMark]:
        return [m for m in marks_in(self.marks, self._starts, position, position + 1)]

    def layer_marks_at(self, position: int) -> list[LayerMark]:
        return [m for m in self.layer_marks if m.start <= position < m.end]

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            position = self.char_at(event.pos())  # type: ignore[attr-defined]
            html = tooltip_html(self.coding_marks_at(position), self.layer_marks_at(position))
            if html:
                QToolTip.showText(event.globalPos(), html, self.viewport())  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self.snap_to_words and event.button() == Qt.MouseButton.LeftButton:
            self.snap_selection()

    def snap_selection(self) -> None:
        """Grow the selection to the whole words it touches (never past a paragraph)."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return
        text = self.toPlainText()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        while start > 0 and _in_word(text[start - 1]) and _in_word(text[start]):
            start -= 1
        while end < len(text) and _in_word(text[end - 1]) and _in_word(text[end]):
            end += 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if (start, end) != (cursor.selectionStart(), cursor.selectionEnd()):
            snapped = QTextCursor(self.document())
            snapped.setPosition(start)
            snapped.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(snapped)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.context_menu_requested.emit(event.globalPos(), self.char_at(event.pos()))

    def createMimeDataFromSelection(self) -> QMimeData:
        """Plain text, HTML and the passage (document and model offsets), every format set up
        front: Qt's own text-edit mime data lists only its lazy formats until it is first
        read, so a drop target asking `hasFormat` would never see the passage."""
        lazy = super().createMimeDataFromSelection()
        mime = QMimeData()
        mime.setText(lazy.text())
        if lazy.hasHtml():
            mime.setHtml(lazy.html())
        cursor = self.textCursor()
        if self.document_id is not None and cursor.hasSelection():
            payload = {
                "document_id": self.document_id,
                "start": self.offsets.to_model(cursor.selectionStart()),
                "end": self.offsets.to_model(cursor.selectionEnd()),
            }
            mime.setData(PASSAGE_MIME, json.dumps(payload).encode("utf-8"))
        return mime

def _in_word(char: str) -> bool:
    return char.isalnum() or char in "'’-_"


def _segment(block: QTextBlock, line: QTextLine, rect: QRectF, start: int, end: int) -> QRectF:
    """The part of a line's rectangle between two positions on that line."""
    origin = rect.left() - line.x()
    x1 = origin + line.cursorToX(start - block.position())[0]
    x2 = origin + line.cursorToX(end - block.position())[0]
    return QRectF(min(x1, x2), rect.top(), max(abs(x2 - x1), 3.0), rect.height())


def tooltip_html(codings: Sequence[CodingMark], layers: Sequence[LayerMark]) -> str:
    """Rich tooltip listing node, coder and memo of each coding, then the layer marks."""
    parts = []
    for mark in codings:
        swatch = f"<span style='color:{mark.color}'>&#9632;</span>"
        line = (f"{swatch} <b>{escape(mark.node_path)}</b><br/>"
                f"<span style='color:{tone_name('#5f6b78', '#a3adb8')}'>Coder: {escape(mark.coder_name)}")
        if mark.exemplar:
            line += " · exemplar quote"
        line += "</span>"
        if mark.memo.strip():
            memo = mark.memo.strip()
            line += f"<br/><i>Memo: {escape(memo[:240])}{'…' if len(memo) > 240 else ''}</i>"
        parts.append(line)
    for layer in layers:
        parts.append(f"<span style='color:{layer.color}'>&#9633;</span> <b>{escape(layer.label)}</b>"
                     + (f"<br/>{escape(layer.tooltip)}" if layer.tooltip else ""))
    return "<br/><br/>".join(parts)

"""The coding-stripes margin: one coloured bar per coding in its own lane (so overlapping
codings stay apart), and the node's name beside it. Hover for node, coder and memo; click a
bar or a name to select that coding's passage."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip

from qualcode.gui.style import readable, tone
from qualcode.gui.transcript.coding_marks import CodingMark
from qualcode.gui.transcript.editor import TranscriptEditor, tooltip_html
from qualcode.gui.transcript.margin import Margin

LANE_WIDTH = 7
PADDING = 8
LABEL_WIDTH = 150
LABEL_HEIGHT = 15
MAX_LANES = 16


class CodingStripes(Margin):
    editor: TranscriptEditor
    side = "right"
    coding_clicked = Signal(int)  # coding id

    def __init__(self, editor: TranscriptEditor) -> None:
        super().__init__(editor)
        self.setObjectName("codingStripes")
        self._font = QFont("DejaVu Sans")
        self._font.setPixelSize(11)
        self._metrics = QFontMetricsF(self._font)

    def _lanes_width(self) -> int:
        return max(2, min(self.editor.lanes, MAX_LANES)) * LANE_WIDTH

    def margin_width(self) -> int:
        return PADDING + self._lanes_width() + 8 + LABEL_WIDTH

    def layout_marks(self) -> list[tuple[CodingMark, QRectF, QRectF]]:
        """Each visible coding with its bar and its label rectangle (widget coordinates)."""
        editor = self.editor
        first, last = editor.visible_range()
        label_x = PADDING + self._lanes_width() + 8
        result = []
        next_free = -1e9
        for mark in editor.marks:
            if mark.start >= last:
                break
            if mark.end <= first or mark.lane >= MAX_LANES:
                continue
            extent = editor.vertical_extent(mark.start, mark.end, (first, last))
            if extent is None:
                continue
            top, bottom = extent
            bar = QRectF(PADDING + mark.lane * LANE_WIDTH, top + 1, 3.5, max(bottom - top - 2, 6))
            label_top = max(top, next_free)
            label = QRectF(label_x, label_top, LABEL_WIDTH - 6, LABEL_HEIGHT)
            next_free = label_top + LABEL_HEIGHT
            result.append((mark, bar, label))
        return result

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), tone("#fafbfc", "#21252a"))
        painter.setPen(QPen(tone("#e4e8ec", "#343a42")))
        painter.drawLine(0, 0, 0, self.height())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._font)
        for mark, bar, label in self.layout_marks():
            color = QColor(mark.color)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(bar, 1.5, 1.5)
            tick = QColor(color)
            tick.setAlpha(110)
            painter.setPen(QPen(tick, 1.0, Qt.PenStyle.DotLine))
            y = label.center().y()
            painter.drawLine(int(bar.right() + 2), int(min(max(y, bar.top()), bar.bottom())), int(label.left() - 3),
                             int(y))
            painter.setPen(readable(color))
            text = ("★ " if mark.exemplar else "") + mark.node_name
            painter.drawText(label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, label.width()))
        painter.end()

    def mark_at(self, point: QPoint) -> CodingMark | None:
        p = point.toPointF()
        for mark, bar, label in self.layout_marks():
            if bar.adjusted(-2, 0, 2, 0).contains(p) or label.contains(p):
                return mark
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        mark = self.mark_at(event.position().toPoint())
        self.setCursor(Qt.CursorShape.PointingHandCursor if mark else Qt.CursorShape.ArrowCursor)
        if mark:
            QToolTip.showText(event.globalPosition().toPoint(), tooltip_html([mark], []), self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        mark = self.mark_at(event.position().toPoint())
        if mark is not None and event.button() == Qt.MouseButton.LeftButton:
            self.coding_clicked.emit(mark.coding_id)

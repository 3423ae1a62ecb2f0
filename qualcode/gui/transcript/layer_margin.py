"""The left margin where feature layers (e.g. CMO evidence) label their outlined spans."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QToolTip

from qualcode.gui.style import is_dark, readable
from qualcode.gui.transcript.coding_marks import LayerMark
from qualcode.gui.transcript.editor import TranscriptEditor, tooltip_html
from qualcode.gui.transcript.margin import Margin

WIDTH = 64


class LayerMargin(Margin):
    editor: TranscriptEditor
    side = "left"

    def __init__(self, editor: TranscriptEditor) -> None:
        super().__init__(editor)
        self.setObjectName("layerMargin")
        self._font = QFont("DejaVu Sans")
        self._font.setPixelSize(10)
        self._font.setBold(True)

    def margin_width(self) -> int:
        return WIDTH if self.editor.layer_marks else 0

    def labels(self) -> list[tuple[LayerMark, QRectF]]:
        editor = self.editor
        first, last = editor.visible_range()
        result: list[tuple[LayerMark, QRectF]] = []
        occupied: list[QRectF] = []
        metrics = QFontMetricsF(self._font)
        for mark in editor.layer_marks:
            if mark.end <= first or mark.start >= last:
                continue
            extent = editor.vertical_extent(mark.start, mark.end, (first, last))
            if extent is None:
                continue
            width = min(metrics.horizontalAdvance(mark.label) + 10, WIDTH - 8)
            rect = QRectF(WIDTH - 4 - width, extent[0] + 1, width, 15)
            while any(rect.intersects(other) for other in occupied):
                rect.translate(0, 17)
            occupied.append(rect)
            result.append((mark, rect))
        return result

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        base = self.palette().color(QPalette.ColorRole.Base)
        painter.fillRect(self.rect(), base)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        for mark, rect in self.labels():
            color = QColor(mark.color)
            painter.setPen(color if not is_dark() else readable(color))
            painter.setBrush(base)
            painter.drawRoundedRect(rect, 3, 3)
            label = metrics.elidedText(mark.label, Qt.TextElideMode.ElideRight, rect.width() - 6)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.end()

    def mark_at(self, point: QPoint) -> LayerMark | None:
        for mark, rect in self.labels():
            if rect.contains(point.toPointF()):
                return mark
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        mark = self.mark_at(event.position().toPoint())
        if mark:
            QToolTip.showText(event.globalPosition().toPoint(), tooltip_html([], [mark]), self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        mark = self.mark_at(event.position().toPoint())
        if mark is not None:
            cursor = self.editor.textCursor()
            cursor.setPosition(mark.start)
            cursor.setPosition(mark.end, cursor.MoveMode.KeepAnchor)
            self.editor.setTextCursor(cursor)

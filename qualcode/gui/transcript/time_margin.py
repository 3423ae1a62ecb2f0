"""The left margin that shows each speaker turn's time in the recording ("01:23", "1:02:07"),
from .vtt/.srt cues or "[00:01:23]" markers, level with the turn's first line."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette

from qualcode.gui.style import tone
from qualcode.gui.transcript.editor import TranscriptEditor
from qualcode.gui.transcript.margin import Margin


def clock(seconds: float) -> str:
    """83.4 -> "01:23"; 3727 -> "1:02:07"."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class TimeMargin(Margin):
    editor: TranscriptEditor
    side = "left"
    times: Sequence[tuple[int, str]] = ()  # Qt position of each timed turn, its clock text

    def __init__(self, editor: TranscriptEditor) -> None:
        super().__init__(editor)
        self.setObjectName("timeMargin")
        self.times = []
        self._font = QFont("DejaVu Sans Mono")
        self._font.setPixelSize(10)

    def set_times(self, times: Sequence[tuple[int, float]]) -> None:
        self.times = sorted((position, clock(seconds)) for position, seconds in times)
        self.relayout()

    def margin_width(self) -> int:
        if not self.times or not hasattr(self, "_font"):
            return 0
        metrics = QFontMetricsF(self._font)
        return int(max(metrics.horizontalAdvance(text) for _, text in self.times)) + 14

    def labels(self) -> list[tuple[str, QRectF]]:
        """The clock texts on screen and where they are drawn (margin coordinates)."""
        editor = self.editor
        first, last = editor.visible_range()
        result = []
        for position, text in self.times:
            if position < first or position >= last:
                continue
            extent = editor.vertical_extent(position, position + 1, (first, last))
            if extent is not None:
                result.append((text, QRectF(0, extent[0], self.width() - 6, 16)))
        return result

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        painter.setFont(self._font)
        painter.setPen(tone("#6b7683", "#9ba6b2"))
        for text, rect in self.labels():
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()

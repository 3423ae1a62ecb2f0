"""Base of the side margins drawn beside the transcript (coding stripes, layer labels)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from qualcode.gui.transcript.editor import TranscriptEditor


class Margin(QWidget):
    """A strip beside the editor's viewport that scrolls with it."""

    side = "right"

    def __init__(self, editor: TranscriptEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.setMouseTracking(True)
        editor.add_margin(self)

    def margin_width(self) -> int:
        """Width the margin needs now; a margin with nothing to draw takes none."""
        return 0

    def relayout(self) -> None:
        self.editor._relayout_margins()
        self.update()

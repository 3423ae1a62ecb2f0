"""Base of the side margins drawn beside the transcript (coding stripes, layer labels)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


class MarginHost(Protocol):
    """The text view a margin sits beside: it places its margins beside its viewport."""

    def add_margin(self, widget: QWidget) -> None: ...

    def relayout_margins(self) -> None: ...


class Margin(QWidget):
    """A strip beside the editor's viewport that scrolls with it. `editor` is the host
    widget (a `TranscriptEditor`), which is also the margin's parent."""

    side = "right"

    def __init__(self, editor: QWidget) -> None:
        super().__init__(editor)
        # Every margin fills its whole rectangle: nothing behind it need be drawn first.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.editor = editor  # subclasses narrow its type to the editor they read
        self.host: MarginHost = editor  # type: ignore[assignment]
        self.setMouseTracking(True)
        self.host.add_margin(self)

    def margin_width(self) -> int:
        """Width the margin needs now; a margin with nothing to draw takes none."""
        return 0

    def relayout(self) -> None:
        self.host.relayout_margins()
        self.update()

"""Every message the workbench shows the user goes through one `Messenger`, so it is logged,
observable in tests, and never blocks the event loop (boxes open window-modal, not exec'd)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget


@dataclass(frozen=True)
class Message:
    kind: str  # "error", "warning", "info"
    title: str
    text: str


class Messenger(QObject):
    """Shows messages in a box over `parent`; keeps the last ones in `history`."""

    shown = Signal(object)  # Message

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.history: list[Message] = []
        self.boxes_enabled = True
        self.current_box: QMessageBox | None = None

    def error(self, text: str, title: str = "QualCode") -> None:
        self._show(Message("error", title, text))

    def warning(self, text: str, title: str = "QualCode") -> None:
        self._show(Message("warning", title, text))

    def info(self, text: str, title: str = "QualCode") -> None:
        self._show(Message("info", title, text))

    @property
    def last(self) -> Message | None:
        return self.history[-1] if self.history else None

    def _show(self, message: Message) -> None:
        self.history = [*self.history[-49:], message]
        self.shown.emit(message)
        if not self.boxes_enabled:
            return
        icon = {"error": QMessageBox.Icon.Critical, "warning": QMessageBox.Icon.Warning}.get(
            message.kind, QMessageBox.Icon.Information)
        box = QMessageBox(icon, message.title, message.text, QMessageBox.StandardButton.Ok, self._parent)
        box.setObjectName("messageBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._forget)
        self.current_box = box
        box.open()

    def _forget(self) -> None:
        self.current_box = None

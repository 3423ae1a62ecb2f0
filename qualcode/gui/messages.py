"""Every message the workbench shows the user goes through one `Messenger`, so it is logged,
observable in tests, and never blocks the event loop (boxes open window-modal, not exec'd)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout, QWidget


@dataclass(frozen=True)
class Message:
    kind: str  # "error", "warning", "info"
    title: str
    text: str
    long: bool = False  # a reference page (e.g. every shortcut): shown in a scrolling window


class Messenger(QObject):
    """Shows messages in a box over `parent`; keeps the last ones in `history`."""

    shown = Signal(object)  # Message

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.history: list[Message] = []
        self.boxes_enabled = True
        self.current_box: QDialog | None = None

    def error(self, text: str, title: str = "QualCode") -> None:
        self._show(Message("error", title, text))

    def warning(self, text: str, title: str = "QualCode") -> None:
        self._show(Message("warning", title, text))

    def info(self, text: str, title: str = "QualCode") -> None:
        self._show(Message("info", title, text))

    def page(self, text: str, title: str) -> None:
        """A long text to read and look things up in: a window that scrolls and fits the screen."""
        self._show(Message("info", title, text, long=True))

    @property
    def last(self) -> Message | None:
        return self.history[-1] if self.history else None

    def _show(self, message: Message) -> None:
        self.history = [*self.history[-49:], message]
        self.shown.emit(message)
        if not self.boxes_enabled:
            return
        if message.long:
            box: QDialog = _page(message, self._parent)
        else:
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


def _page(message: Message, parent: QWidget) -> QDialog:
    """A window with the text in a scrolling browser, as tall as the text needs and the screen allows."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(message.title)
    text = QTextBrowser(dialog)
    text.setAccessibleName(message.title)
    text.setHtml(message.text)
    text.setOpenExternalLinks(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, dialog)
    buttons.accepted.connect(dialog.accept)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    screen = (parent.screen() if parent is not None else None)
    room = screen.availableGeometry() if screen is not None else None
    text.document().setTextWidth(560)
    wanted = int(text.document().size().height()) + 90
    height = min(wanted, int(room.height() * 0.85)) if room is not None else min(wanted, 600)
    dialog.resize(620, max(240, height))
    return dialog

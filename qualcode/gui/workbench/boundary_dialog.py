"""Adjust where a coding starts and ends, with a live preview of the coded words."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qualcode.gui.style import QUIET, tone_name
from qualcode.gui.widgets.accessible import named

CONTEXT = 200


class BoundaryDialog(QDialog):
    def __init__(self, parent: QWidget, text: str, start: int, end: int, node_name: str) -> None:
        super().__init__(parent)
        self.setObjectName("boundaryDialog")
        self.setWindowTitle(f"Adjust coding of '{node_name}'")
        self.setMinimumSize(560, 360)
        self._text = text
        self.start = named(QSpinBox(), "Starts at character")
        self.end = named(QSpinBox(), "Ends at character")
        for box, value in ((self.start, start), (self.end, end)):
            box.setRange(0, len(text))
            box.setValue(value)
            box.setSuffix(" (character)")
            box.valueChanged.connect(self._preview)
        form = QFormLayout()
        form.addRow("Starts at", self._with_word_buttons(self.start))
        form.addRow("Ends at", self._with_word_buttons(self.end))
        self.preview = named(QTextBrowser(objectName="contextPreview"), "Coded passage in its context")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self._preview()

    def _with_word_buttons(self, box: QSpinBox) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        back = QPushButton("◀ word")
        forward = QPushButton("word ▶")
        back.clicked.connect(lambda: box.setValue(self._word_step(box.value(), -1)))
        forward.clicked.connect(lambda: box.setValue(self._word_step(box.value(), 1)))
        layout.addWidget(box, 1)
        layout.addWidget(back)
        layout.addWidget(forward)
        return row

    def _word_step(self, position: int, direction: int) -> int:
        text, i = self._text, position
        if direction < 0:
            i -= 1
            while i > 0 and text[i - 1].isspace():
                i -= 1
            while i > 0 and not text[i - 1].isspace():
                i -= 1
            return max(i, 0)
        while i < len(text) and text[i].isspace():
            i += 1
        while i < len(text) and not text[i].isspace():
            i += 1
        return min(i, len(text))

    def _preview(self) -> None:
        start, end = self.span()
        before = self._text[max(0, start - CONTEXT):start]
        passage = self._text[start:end]
        after = self._text[end:end + CONTEXT]
        ok = end > start
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.preview.setHtml(
            f"<div style='color:{tone_name(*QUIET)}'>…{escape(before)}<span style='background:#fde9a8;color:#1b2530'>"
            f"{escape(passage) if ok else '(empty: the end must come after the start)'}</span>"
            f"{escape(after)}…</div>".replace("\n", "<br/>"))

    def span(self) -> tuple[int, int]:
        return self.start.value(), self.end.value()

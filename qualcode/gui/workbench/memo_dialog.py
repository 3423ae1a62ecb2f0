"""Write or edit the memo on one coding."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from qualcode.gui.widgets.accessible import named


class CodingMemoDialog(QDialog):
    def __init__(self, parent: QWidget, passage: str, node_name: str, memo: str) -> None:
        super().__init__(parent)
        self.setObjectName("codingMemo")
        self.setWindowTitle(f"Memo on coding to '{node_name}'")
        self.setMinimumSize(480, 300)
        quote = " ".join(passage.split())
        label = QLabel(f"“{quote[:160]}{'…' if len(quote) > 160 else ''}”", objectName="panelHint")
        label.setWordWrap(True)
        self.editor = named(QPlainTextEdit(memo, objectName="memoEditor"), "Coding memo")
        self.editor.setPlaceholderText("Why this passage was coded here, doubts, links to other codes…")
        self.editor.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)

    def memo(self) -> str:
        return self.editor.toPlainText().strip()

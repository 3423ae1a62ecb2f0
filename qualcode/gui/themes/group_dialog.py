"""Ask for the new theme that selected nodes are grouped under: name, level, definition."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from qualcode.domain.levels import Level


class GroupThemeDialog(QDialog):
    def __init__(self, parent: QWidget, names: Sequence[str], lowest_level: Level) -> None:
        super().__init__(parent)
        self.setWindowTitle("Group into a new theme")
        shown = ", ".join(f"'{n}'" for n in names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        intro = QLabel(f"Put {shown} under a new theme.", wordWrap=True)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name of the new theme")
        self.level = QComboBox()
        for level in Level:
            if level > lowest_level:
                self.level.addItem(level.label, level)
        self.definition = QPlainTextEdit()
        self.definition.setPlaceholderText("What the theme captures (optional)")
        self.definition.setFixedHeight(70)
        self.definition.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Group")
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("Name", self.name)
        form.addRow("Level", self.level)
        form.addRow("Definition", self.definition)
        form.addRow(buttons)
        self.resize(440, self.sizeHint().height())

    def chosen_level(self) -> Level:
        return Level(self.level.currentData())

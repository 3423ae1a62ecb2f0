"""Create or edit a code/theme: name, level, colour, origin, definition, inclusion and
exclusion criteria (the codebook entry)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qualcode.domain.enums import Origin
from qualcode.domain.levels import Level
from qualcode.gui.icons import level_icon, swatch_icon
from qualcode.services.codebook.nodes import LEVEL_COLORS, NodeInfo


class NodeEditorDialog(QDialog):
    """Non-blocking: open() it and read `values()` when `accepted` fires."""

    def __init__(self, parent: QWidget, *, node: NodeInfo | None = None, level: Level = Level.CODE,
                 parent_name: str | None = None, allowed_levels: list[Level] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nodeEditor")
        self.node = node
        self.setWindowTitle(f"Edit '{node.name}'" if node else f"New {level.label.lower()}")
        self.setMinimumWidth(520)
        self.name = QLineEdit(node.name if node else "")
        self.name.setPlaceholderText("A short, specific name")
        self.level = QComboBox()
        for lvl in sorted(allowed_levels or list(Level), reverse=True):
            self.level.addItem(level_icon(lvl, LEVEL_COLORS[lvl]), lvl.label, int(lvl))
        self.level.setCurrentIndex(max(0, self.level.findData(int(node.level if node else level))))
        self.level.setEnabled(node is None)
        self._color = node.color if node else ""
        self._code_color = ""
        self.color = QPushButton()
        self.color.clicked.connect(self._choose_color)
        self.level.currentIndexChanged.connect(lambda _i: self._show_color())
        self.origin = QComboBox()
        for origin in Origin:
            self.origin.addItem(origin.value.capitalize(), origin.value)
        self.origin.setCurrentIndex(max(0, self.origin.findData(node.origin if node else Origin.INDUCTIVE.value)))
        self.definition = self._text(node.definition if node else "", "What this code or theme captures")
        self.inclusion = self._text(node.inclusion if node else "", "Code a passage here when …")
        self.exclusion = self._text(node.exclusion if node else "",
                                    "Do not code here when … (and where it goes instead)")

        form = QFormLayout()
        form.addRow("Name", self.name)
        if parent_name is not None:
            form.addRow("Under", QLabel(parent_name))
        form.addRow("Level", self.level)
        form.addRow("Colour", self.color)
        form.addRow("Origin", self.origin)
        form.addRow("Definition", self.definition)
        form.addRow("Include when", self.inclusion)
        form.addRow("Exclude when", self.exclusion)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._show_color()

    @staticmethod
    def _text(value: str, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(value)
        edit.setObjectName("memoEditor")
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(64)
        return edit

    def chosen_level(self) -> Level:
        return Level(int(self.level.currentData()))

    def chosen_color(self) -> str:
        if self._color:
            return self._color
        if self.chosen_level() is Level.CODE and self._code_color:
            return self._code_color
        return LEVEL_COLORS[self.chosen_level()]

    def set_code_color(self, color: str) -> None:
        """The colour a new code gets unless the user picks one (themes keep their level colour)."""
        self._code_color = color
        self._show_color()

    def set_color(self, color: str) -> None:
        self._color = QColor(color).name()
        self._show_color()

    def _show_color(self) -> None:
        color = self.chosen_color()
        self.color.setIcon(swatch_icon(color))
        self.color.setText(f"  {color}")

    def _choose_color(self) -> None:
        color = QColorDialog.getColor(QColor(self.chosen_color()), self, "Node colour")
        if color.isValid():
            self.set_color(color.name())

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "level": self.chosen_level(),
            "color": self.chosen_color(),
            "origin": str(self.origin.currentData()),
            "definition": self.definition.toPlainText().strip(),
            "inclusion": self.inclusion.toPlainText().strip(),
            "exclusion": self.exclusion.toPlainText().strip(),
        }

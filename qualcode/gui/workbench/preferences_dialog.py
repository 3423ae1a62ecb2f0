"""Preferences (Edit ▸ Preferences…, Ctrl+,): the look (the system's light or dark scheme,
or always light or dark) and the application font (the system's, or one chosen)."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFontComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from qualcode.gui.appearance import THEMES, Appearance


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget, look: Appearance) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.look = look
        self.theme = QComboBox(objectName="themeChoice")
        for key, label in THEMES.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(list(THEMES).index(look.theme))
        self.theme.setToolTip("System follows the light or dark setting of your desktop, also when it changes.")

        system = look.system_font
        self.system_font = QCheckBox(f"The system font ({system.family()}, {_size(system)} pt)")
        self.family = QFontComboBox()
        self.font_size = QDoubleSpinBox()
        self.font_size.setRange(6.0, 28.0)
        self.font_size.setSingleStep(0.5)
        self.font_size.setDecimals(1)
        self.font_size.setSuffix(" pt")
        chosen = look.chosen_font
        shown = chosen or system
        self.family.setCurrentFont(shown)
        self.font_size.setValue(shown.pointSizeF() if shown.pointSizeF() > 0 else 10.0)
        self.system_font.setChecked(chosen is None)
        self.system_font.toggled.connect(self._follow_system)
        self._follow_system(chosen is None)

        font_row = QHBoxLayout()
        font_row.addWidget(self.family, 1)
        font_row.addWidget(self.font_size)
        note = QLabel("The transcript keeps its own reading size: View ▸ Larger text (Ctrl+=), Smaller text "
                      "(Ctrl+-), Usual text size (Ctrl+0).", objectName="panelHint")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Look:", self.theme)
        form.addRow("Font:", self.system_font)
        form.addRow("", font_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _follow_system(self, on: bool) -> None:
        self.family.setEnabled(not on)
        self.font_size.setEnabled(not on)

    def chosen_theme(self) -> str:
        return str(self.theme.currentData())

    def chosen_font(self) -> QFont | None:
        """The font asked for, or None for the system font."""
        if self.system_font.isChecked():
            return None
        font = QFont(self.family.currentFont())
        font.setPointSizeF(self.font_size.value())
        return font

    def apply(self) -> None:
        self.look.choose(theme=self.chosen_theme(), font=self.chosen_font())


def _size(font: QFont) -> str:
    size = font.pointSizeF()
    return f"{size:g}" if size > 0 else "?"

"""The application's look: Fusion style, a light neutral palette and the style sheet."""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from qualcode.domain.errors import QualCodeError
from qualcode.resources import resource_path

TEXT = "#1f2933"
MUTED = "#6b7683"
ACCENT = "#2f6fb3"


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSizeF(9.5)
    app.setFont(font)
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#eceff3",
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f7f9fb",
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: "#f5f7f9",
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: "#b7d0f0",
        QPalette.ColorRole.HighlightedText: "#0b1520",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: "#98a2ad",
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.Mid: "#c7cfd9",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#a3acb7"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#a3acb7"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#a3acb7"))
    app.setPalette(palette)
    with suppress(QualCodeError, OSError):
        app.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))

"""The application's look: Fusion style, a calm light or dark palette and the style sheet
(resources/style.qss, whose `$name` colours are filled from the palette's colour set).

Widgets that paint or colour text themselves ask `tone(light, dark)` for the colour that
reads well on the current background, so every colour has a dark variant."""

from __future__ import annotations

from contextlib import suppress
from string import Template

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from qualcode.domain.errors import QualCodeError
from qualcode.resources import resource_path

TEXT = "#1f2933"
MUTED = "#6b7683"
ACCENT = "#2f6fb3"

LIGHT: dict[str, str] = {
    "window": "#eceff3", "base": "#ffffff", "alt_base": "#f7f9fb", "text": TEXT, "strong": "#1b2530",
    "button_text": "#24303d", "muted": MUTED, "secondary": "#5a6674", "hint": "#7a8591", "dock_text": "#3d4a57",
    "border": "#d5dae1", "border_soft": "#e1e5ea", "input_border": "#cfd6df", "control_border": "#c7cfd9",
    "focus": "#6b9bd1", "hover": "#f0f4f9", "tool_hover": "#edf2f9", "hover_border": "#d3deec",
    "hover_border_strong": "#aebccd", "pressed": "#dce6f3", "button_pressed": "#dfe7f1",
    "selection": "#d6e4f5", "selection_text": "#111a24", "text_selection": "#b7d0f0",
    "text_selection_text": "#0b1520", "input_selection": "#bcd3ef", "title_bar": "#e3e7ec", "header": "#f5f7f9",
    "header_line": "#dfe3e8", "header_divider": "#eceff2", "disabled": "#a3acb7", "disabled_border": "#dde2e8",
    "accent": ACCENT, "accent_hover": "#3a7cc2", "accent_border": "#285f9a", "accent_text": "#ffffff",
    "separator": "#dde2e8", "splitter_hover": "#c9d3e0", "menubar": "#f7f8fa", "menubar_selected": "#e3e9f1",
    "menu_separator": "#e4e8ec", "list_separator": "#eef1f4", "saved": "#2e7d4f", "preview": "#fbfcfd",
    "search": "#f5f7f9", "placeholder": "#98a2ad", "indicator_border": "#9aa6b4",
}

DARK: dict[str, str] = {
    "window": "#1d2126", "base": "#24282e", "alt_base": "#292e35", "text": "#e2e6eb", "strong": "#f1f4f7",
    "button_text": "#dde3ea", "muted": "#9ba6b2", "secondary": "#a9b3be", "hint": "#8e99a5", "dock_text": "#c3cbd4",
    "border": "#383f48", "border_soft": "#323840", "input_border": "#4a525d", "control_border": "#4f5863",
    "focus": "#5e93d4", "hover": "#2e343c", "tool_hover": "#313842", "hover_border": "#46505c",
    "hover_border_strong": "#5a6572", "pressed": "#3a4450", "button_pressed": "#3a4450",
    "selection": "#2c4868", "selection_text": "#f1f4f7", "text_selection": "#2f5a8a",
    "text_selection_text": "#ffffff", "input_selection": "#2f5a8a", "title_bar": "#2a2f36", "header": "#2a2f36",
    "header_line": "#3a414a", "header_divider": "#30363d", "disabled": "#6b7480", "disabled_border": "#3a414a",
    "accent": "#3f7fc4", "accent_hover": "#4f8dd0", "accent_border": "#3570b0", "accent_text": "#ffffff",
    "separator": "#3a414a", "splitter_hover": "#4a5563", "menubar": "#22262c", "menubar_selected": "#333a44",
    "menu_separator": "#3a414a", "list_separator": "#30363d", "saved": "#6cc490", "preview": "#21252a",
    "search": "#2a2f36", "placeholder": "#77818c", "indicator_border": "#7d8894",
}


def colors(dark: bool | None = None) -> dict[str, str]:
    """The colour set in use (or the light or dark one)."""
    return DARK if (is_dark() if dark is None else dark) else LIGHT


def is_dark() -> bool:
    """Whether the application currently shows light text on a dark background."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.5


def tone(light: str, dark: str) -> QColor:
    """`light` on the light palette, `dark` on the dark one."""
    return QColor(dark if is_dark() else light)


def tone_name(light: str, dark: str) -> str:
    """As `tone`, as a '#rrggbb' name for rich text."""
    return dark if is_dark() else light


def palette_for(dark: bool) -> QPalette:
    c = colors(dark)
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["window"],
        QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["base"],
        QPalette.ColorRole.AlternateBase: c["alt_base"],
        QPalette.ColorRole.Text: c["text"],
        QPalette.ColorRole.BrightText: c["strong"],
        QPalette.ColorRole.Button: c["header"],
        QPalette.ColorRole.ButtonText: c["button_text"],
        QPalette.ColorRole.Highlight: c["text_selection"],
        QPalette.ColorRole.HighlightedText: c["text_selection_text"],
        QPalette.ColorRole.ToolTipBase: c["base"],
        QPalette.ColorRole.ToolTipText: c["strong"],
        QPalette.ColorRole.PlaceholderText: c["placeholder"],
        QPalette.ColorRole.Link: c["accent"] if not dark else "#7fb2ea",
        QPalette.ColorRole.Mid: c["control_border"],
        QPalette.ColorRole.Light: c["base"] if not dark else c["hover_border_strong"],
        QPalette.ColorRole.Midlight: c["hover_border"],
        QPalette.ColorRole.Dark: c["control_border"] if not dark else "#15181c",
        QPalette.ColorRole.Shadow: "#8a949f" if not dark else "#0d0f12",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(c["disabled"]))
    return palette


def style_sheet(dark: bool) -> str:
    """The style sheet with the light or dark colours filled in ('' if the file is missing)."""
    with suppress(QualCodeError, OSError):
        icons = {name: resource_path("icons", f"{name.removesuffix('_icon')}.svg").as_posix()
                 for name in ("check_icon", "dash_icon")}
        return Template(resource_path("style.qss").read_text(encoding="utf-8")).substitute(colors(dark), **icons)
    return ""


def apply_look(app: QApplication, *, dark: bool, font: QFont) -> None:
    """Restyle the running application: palette, style sheet and font."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(palette_for(dark))
    app.setFont(font)
    app.setStyleSheet(style_sheet(dark))


def readable(color: QColor | str) -> QColor:
    """A node's or coder's colour made fit for text and thin lines on the current background:
    deepened on the light look, brightened on the dark one (hue kept)."""
    base = QColor(color)
    if not is_dark():
        return base.darker(135)
    if base.lightnessF() >= 0.68:
        return base
    brighter = QColor()
    brighter.setHslF(max(base.hslHueF(), 0.0), min(base.hslSaturationF(), 0.75), 0.72, base.alphaF())
    return brighter


# Colours for words, as (light look, dark look): pass to tone or tone_name.
ERROR = ("#b3261e", "#ff8a80")
WARNING = ("#8a5a00", "#f0b45c")
QUIET = ("#6b7683", "#9ba6b2")
NOTE = ("#555555", "#a9b3be")


def for_text(color: QColor | str) -> QColor:
    """A status, role or coder colour used for words: as it is on the light look, brightened
    on the dark one."""
    return readable(color) if is_dark() else QColor(color)

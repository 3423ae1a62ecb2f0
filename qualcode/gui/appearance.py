"""Reading comfort chosen in Preferences and remembered in the settings: a light or dark
look, or the system's scheme (followed live when the system switches), and the
application font (the system's, or one the user chose)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from qualcode.gui.settings import app_settings
from qualcode.gui.style import apply_look

THEME_KEY = "appearance/theme"
FONT_KEY = "appearance/font"
THEMES = {"system": "System", "light": "Light", "dark": "Dark"}


class Appearance(QObject):
    """The application's look; one per application (see `appearance`)."""

    restyled = Signal(bool)  # dark

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("appearance")
        self.app = app
        self.system_font = QFont(app.font())  # taken before a chosen font replaces it
        hints = app.styleHints()
        self.system_scheme = hints.colorScheme()
        hints.colorSchemeChanged.connect(self._system_scheme_changed)
        self.dark: bool | None = None  # what is shown now (None: not styled yet)

    # -- the preferences ---------------------------------------------------------------------
    @property
    def theme(self) -> str:
        """'system', 'light' or 'dark'."""
        value = str(app_settings().value(THEME_KEY, "system"))
        return value if value in THEMES else "system"

    def set_theme(self, theme: str) -> None:
        self.choose(theme=theme, font=self.chosen_font)

    def choose(self, *, theme: str, font: QFont | None) -> None:
        """Remember the look and the font (None: the system font) and restyle at once."""
        if theme not in THEMES:
            raise ValueError(f"Unknown look '{theme}': choose one of {', '.join(THEMES)}.")
        settings = app_settings()
        settings.setValue(THEME_KEY, theme)
        settings.setValue(FONT_KEY, font.toString() if font is not None else "")
        settings.sync()
        self.apply()

    @property
    def chosen_font(self) -> QFont | None:
        """The font the user chose, or None to follow the system."""
        value = str(app_settings().value(FONT_KEY, "") or "")
        font = QFont()
        return font if value and font.fromString(value) else None

    def set_font(self, font: QFont | None) -> None:
        """Use `font` for the whole application (None: the system font again)."""
        self.choose(theme=self.theme, font=font)

    # -- applying ----------------------------------------------------------------------------
    def wants_dark(self) -> bool:
        theme = self.theme
        if theme == "system":
            return self.system_scheme == Qt.ColorScheme.Dark
        return theme == "dark"

    def font(self) -> QFont:
        return self.chosen_font or QFont(self.system_font)

    def apply(self) -> None:
        dark = self.wants_dark()
        apply_look(self.app, dark=dark, font=self.font())
        self.dark = dark
        self.restyled.emit(dark)

    def _system_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        self.system_scheme = scheme
        if self.theme == "system" and self.wants_dark() != self.dark:
            self.apply()


def appearance(app: QApplication | None = None) -> Appearance:
    """The application's Appearance, made on first use."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        raise RuntimeError("The application has not started.")
    found = app.findChild(Appearance, "appearance")
    return found if isinstance(found, Appearance) else Appearance(app)


def apply_style(app: QApplication) -> None:
    """Give the application its look as the user's preferences ask (light, dark or the
    system's scheme; the system font or a chosen one), following the system from then on."""
    appearance(app).apply()
